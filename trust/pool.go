// Package trust decides whom codex-login believes and how it reaches the
// network: the merged certificate pool (each certificate remembering where
// it came from), the one HTTP client (proxy, TLS, timeouts) and the
// explanations of what went wrong on the way.
//
// Trust is a union, never a replacement: the system roots (unless turned
// off) plus every configured location. Nothing here reads the environment;
// the config package turns SSL_CERT_FILE and friends into Locations.
package trust

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"os"
	"slices"
	"time"
)

// Location is one place certificates are read from, with the source a
// person would recognise.
type Location struct {
	Path string // file, or directory when Dir
	// Source names the setting: "--ca", "CODEX_CA_CERTIFICATE", "SSL_CERT_FILE",
	// "SSL_CERT_DIR", "/etc/codex-login/config.toml: [login] ca_certificate", ...
	Source   string
	Dir      bool
	Optional bool   // SSL_CERT_FILE / SSL_CERT_DIR: problems are warnings, not errors
	Data     []byte // certificates built into the binary; Path then only names them
}

// Cert is a trusted certificate and where it came from.
type Cert struct {
	*x509.Certificate
	Source string // Location.Source, or "system roots"
	File   string // file it came from ("" when the OS provided it)
}

// SystemSource is the Cert.Source of the operating system's roots.
const SystemSource = "system roots"

// Pool is the set of trusted roots with the source of each.
type Pool struct {
	pool        *x509.CertPool
	sources     map[[32]byte]Cert // first source of each certificate, by SHA-256 of Raw
	configured  []Cert
	isConf      map[[32]byte]bool
	system      int
	systemCerts []*x509.Certificate // the system roots read here, in order (Linux and the BSDs)
	useSystem   bool
	warnings    []Warning
	// systemRead: the system bundle and directories that were read, so a
	// location naming one of them is not read again.
	systemRead []string
	ready      chan struct{} // closed once the pool is complete (StartPool)
}

// Warning is something NewPool ignored. The caller words it.
type Warning struct {
	Kind     WarningKind
	Source   string    // the setting that named Path: "SSL_CERT_FILE", "--ca", ...
	Path     string    // the file or directory
	Subject  string    // WarnExpired: the certificate's name
	NotAfter time.Time // WarnExpired: when it expired
	Err      error     // WarnUnusable: the *FileError that was ignored
	Searched []string  // WarnNoSystemRoots: where system roots were looked for
}

// WarningKind says what a Warning is about.
type WarningKind int

const (
	WarnMissing       WarningKind = iota + 1 // an optional location does not exist
	WarnUnusable                             // an optional location cannot be used (Err says why)
	WarnExpired                              // a configured CA certificate has expired
	WarnNoSystemRoots                        // no system root certificates were found
)

// NewPool returns the system roots (unless useSystemRoots is false) plus
// the certificates of every location, in order. A location that is not
// Optional and is missing, unreadable, holds no certificate or holds a
// server certificate instead of a CA gives a *FileError; an Optional one
// gives a warning instead.
//
// On Linux and the BSDs the system bundle is read here, from the same
// files and directories as crypto/x509, ignoring SSL_CERT_FILE and
// SSL_CERT_DIR. On macOS and Windows the platform verifier is used, and
// configured certificates are tried when it fails.
func NewPool(useSystemRoots bool, locs []Location) (*Pool, error) {
	p, err := StartPool(useSystemRoots, locs)
	if err != nil {
		return nil, err
	}
	p.wait()
	return p, nil
}

// StartPool is NewPool that does not wait for the system roots: it reads
// the locations a person chose (those not Optional) and returns their
// first problem at once, and where the system bundle is read from files
// (Linux and the BSDs) it reads that bundle and the Optional locations
// (SSL_CERT_FILE, SSL_CERT_DIR) in the background. Every method of the
// Pool waits for that reading to end; a Client built on it waits only
// before its first TLS handshake, so that the reading overlaps with the
// TCP connect and the proxy's CONNECT.
func StartPool(useSystemRoots bool, locs []Location) (*Pool, error) {
	p := &Pool{sources: map[[32]byte]Cert{}, isConf: map[[32]byte]bool{}, useSystem: useSystemRoots,
		pool: x509.NewCertPool(), ready: make(chan struct{})}
	chosen := make([][]fileCerts, len(locs))
	for i, l := range locs {
		if l.Optional {
			continue
		}
		fcs, err := p.readLocation(l)
		if err != nil {
			return nil, err
		}
		chosen[i] = fcs
	}
	load := func() error {
		defer close(p.ready)
		if useSystemRoots {
			if err := p.loadSystem(); err != nil {
				return err // only where the platform's store is asked, never in the background
			}
		}
		for i, l := range locs {
			if p.readAlready(l) {
				continue // SSL_CERT_FILE or SSL_CERT_DIR naming the system's own roots: nothing to add
			}
			fcs := chosen[i]
			if l.Optional {
				fcs, _ = p.readLocation(l) // its problems are warnings
			}
			for _, f := range fcs {
				p.addAll(l, f.file, f.certs)
			}
		}
		return nil
	}
	if useSystemRoots && systemRootsInBackground {
		go func() { _ = load() }() // reading files never fails: its problems are warnings
		return p, nil
	}
	if err := load(); err != nil {
		return nil, err
	}
	return p, nil
}

// wait waits until the pool is complete.
func (p *Pool) wait() {
	if p != nil && p.ready != nil {
		<-p.ready
	}
}

// waitContext waits until the pool is complete or ctx ends.
func (p *Pool) waitContext(ctx context.Context) error {
	if p == nil || p.ready == nil {
		return nil
	}
	select {
	case <-p.ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// readAlready reports whether l is a file or directory that the system
// roots were read from: its certificates are all in the pool already.
func (p *Pool) readAlready(l Location) bool {
	if l.Data != nil || len(p.systemRead) == 0 {
		return false
	}
	fi, err := os.Stat(l.Path)
	if err != nil || fi.IsDir() != l.Dir {
		return false
	}
	for _, path := range p.systemRead {
		if si, err := os.Stat(path); err == nil && os.SameFile(fi, si) {
			return true
		}
	}
	return false
}

// CertPool returns the pool for tls.Config.RootCAs. A zero Pool trusts
// nothing (never, by accident, the system roots).
func (p *Pool) CertPool() *x509.CertPool {
	p.wait()
	return p.certPool()
}

// certPool is CertPool without waiting, for a Transport that waits
// before each handshake.
func (p *Pool) certPool() *x509.CertPool {
	if p.pool == nil {
		return x509.NewCertPool()
	}
	return p.pool
}

// Configured returns the certificates that did not come from the system,
// in the order they were read, each once. A certificate that is also a
// system root is not listed: a location that names the system bundle
// itself (SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt, common with
// Nix, conda and many images) adds nothing. On macOS and Windows, whose
// stores are not listed, every certificate read from a location counts.
func (p *Pool) Configured() []Cert {
	p.wait()
	return slices.Clone(p.configured)
}

func (p *Pool) configuredCount() int {
	if p == nil {
		return 0
	}
	p.wait()
	return len(p.configured)
}

// isSystem reports whether c is one of the system roots that were read.
func (p *Pool) isSystem(c *x509.Certificate) bool {
	return p.sources[sha256.Sum256(c.Raw)].Source == SystemSource
}

// SystemCount returns how many system roots were loaded, or -1 when the
// operating system verifies against its own store (macOS, Windows) and
// the number is not known.
func (p *Pool) SystemCount() int {
	p.wait()
	return p.system
}

// Warnings returns what was ignored while loading.
func (p *Pool) Warnings() []Warning {
	p.wait()
	return slices.Clone(p.warnings)
}

// Source reports which source first provided c.
func (p *Pool) Source(c *x509.Certificate) (Cert, bool) {
	if p == nil || c == nil {
		return Cert{}, false
	}
	p.wait()
	s, ok := p.sources[sha256.Sum256(c.Raw)]
	return s, ok
}

// add puts c in the pool unless it is there already, and lists it among
// the configured certificates when it is no system root.
func (p *Pool) add(c Cert) {
	sum := sha256.Sum256(c.Raw)
	first, ok := p.sources[sum]
	if !ok {
		first = c
		p.sources[sum] = c
		p.pool.AddCert(c.Certificate)
		if c.Source == SystemSource {
			p.system++
			p.systemCerts = append(p.systemCerts, c.Certificate)
		}
	}
	if first.Source != SystemSource && !p.isConf[sum] {
		p.isConf[sum] = true
		p.configured = append(p.configured, c)
	}
}

func (p *Pool) warn(w Warning) { p.warnings = append(p.warnings, w) }
