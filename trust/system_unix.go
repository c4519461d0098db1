//go:build unix && !darwin

package trust

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
)

// systemPaths returns the bundle files (the first one that can be read
// is used) and the directories (all are read) of the system roots: the
// lists of crypto/x509's root_linux.go, root_bsd.go, root_solaris.go and
// root_aix.go. Unlike crypto/x509, SSL_CERT_FILE and SSL_CERT_DIR do not
// replace them: the config package adds those as Locations.
func systemPaths() (files, dirs []string) {
	switch runtime.GOOS {
	case "freebsd", "openbsd", "netbsd", "dragonfly":
		return []string{
				"/usr/local/etc/ssl/cert.pem",            // FreeBSD
				"/etc/ssl/cert.pem",                      // OpenBSD
				"/usr/local/share/certs/ca-root-nss.crt", // DragonFly
				"/etc/openssl/certs/ca-certificates.crt", // NetBSD
			}, []string{
				"/etc/ssl/certs",         // FreeBSD 12.2+
				"/usr/local/share/certs", // FreeBSD
				"/etc/openssl/certs",     // NetBSD
			}
	case "solaris", "illumos":
		return []string{
			"/etc/certs/ca-certificates.crt",     // Solaris 11.2+
			"/etc/ssl/certs/ca-certificates.crt", // Joyent SmartOS
			"/etc/ssl/cacert.pem",                // OmniOS
		}, []string{"/etc/certs/CA"}
	case "aix":
		return []string{"/var/ssl/certs/ca-bundle.crt"}, []string{"/var/ssl/certs"}
	}
	files = []string{
		"/etc/ssl/certs/ca-certificates.crt",                // Debian/Ubuntu/Gentoo etc.
		"/etc/pki/tls/certs/ca-bundle.crt",                  // Fedora/RHEL 6
		"/etc/ssl/ca-bundle.pem",                            // OpenSUSE
		"/etc/pki/tls/cacert.pem",                           // OpenELEC
		"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // CentOS/RHEL 7
		"/etc/ssl/cert.pem",                                 // Alpine Linux
	}
	dirs = []string{
		"/etc/ssl/certs",     // SLES10/SLES11
		"/etc/pki/tls/certs", // Fedora/RHEL
	}
	if runtime.GOOS == "android" {
		dirs = append(dirs, "/system/etc/security/cacerts", "/data/misc/keychain/certs-added")
	}
	return files, dirs
}

// systemRootsInBackground: the system roots are read from files into the
// pool a Transport already holds, so StartPool can read them while the
// connection is being set up.
const systemRootsInBackground = true

// systemRootPaths is systemPaths; tests point it at a bundle of their own.
var systemRootPaths = systemPaths

// loadSystem reads the system roots the way crypto/x509 does: the first
// bundle file that can be read, then every file of every directory;
// each through readBounded, so a FIFO or a device there blocks nothing.
// What PreloadSystemRoots already read from the same places is used
// instead of reading them again.
func (p *Pool) loadSystem() error {
	files, dirs := systemRootPaths()
	r := preloaded(files, dirs)
	if r == nil {
		r = readSystem(files, dirs)
	}
	for _, c := range r.certs {
		p.add(c)
	}
	p.systemRead = r.read
	if p.system == 0 {
		p.warn(Warning{Kind: WarnNoSystemRoots, Searched: append(files, dirs...)})
	}
	return nil
}

// systemRead is what one reading of the system roots found: each
// certificate once, in order, and the bundle and directories it read.
type systemRead struct {
	files, dirs []string // where it looked
	certs       []Cert
	read        []string // the bundle used and the directories listed
}

// readSystem reads the first bundle of files that can be read and every
// file of dirs, parsing each certificate once.
func readSystem(files, dirs []string) *systemRead {
	r := &systemRead{files: files, dirs: dirs}
	seen := map[[32]byte]bool{}
	bundle := ""
	for _, f := range files {
		if data, err := readBounded(f, maxSystemFile); err == nil {
			bundle = f
			r.read = append(r.read, f)
			r.addPEM(data, f, seen)
			break
		}
	}
	for _, d := range dirs {
		entries, err := listDir(d)
		if err != nil {
			continue
		}
		r.read = append(r.read, d)
		for _, e := range entries {
			path := filepath.Join(d, e.Name())
			if path == bundle || e.IsDir() || sameDirSymlink(d, e) {
				continue
			}
			if data, err := readBounded(path, maxSystemFile); err == nil {
				r.addPEM(data, path, seen)
			}
		}
	}
	return r
}

// addPEM adds the "CERTIFICATE" blocks of data, skipping what cannot be
// parsed, as x509.CertPool.AppendCertsFromPEM does, and what was seen
// before without parsing it again. "TRUSTED CERTIFICATE" blocks are
// skipped too: in system bundles (Fedora's ca-bundle.trust.crt) their
// trust settings may distrust the certificate.
func (r *systemRead) addPEM(data []byte, file string, seen map[[32]byte]bool) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return
		}
		sum := sha256.Sum256(b.Bytes)
		if b.Type != "CERTIFICATE" || len(b.Headers) != 0 || seen[sum] {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			continue
		}
		seen[sum] = true
		r.certs = append(r.certs, Cert{Certificate: c, Source: SystemSource, File: file})
	}
}

// preload is the reading started by PreloadSystemRoots.
var preload struct {
	mu   sync.Mutex
	read *systemRead
	done chan struct{}
}

// PreloadSystemRoots starts reading the system roots in the background,
// so that a pool built later (NewPool) finds them read: a command that
// will go on the network calls it first thing, and the reading overlaps
// with loading its settings and checking its files. Calling it again
// does nothing.
func PreloadSystemRoots() {
	preload.mu.Lock()
	defer preload.mu.Unlock()
	if preload.done != nil {
		return
	}
	files, dirs := systemRootPaths()
	preload.done = make(chan struct{})
	go func() {
		r := readSystem(files, dirs)
		preload.mu.Lock()
		preload.read = r
		preload.mu.Unlock()
		close(preload.done)
	}()
}

// preloaded waits for the preloaded reading and returns it when it read
// the same places, or nil when there is none.
func preloaded(files, dirs []string) *systemRead {
	preload.mu.Lock()
	done := preload.done
	preload.mu.Unlock()
	if done == nil {
		return nil
	}
	<-done
	preload.mu.Lock()
	r := preload.read
	preload.mu.Unlock()
	if !slices.Equal(r.files, files) || !slices.Equal(r.dirs, dirs) {
		return nil
	}
	return r
}

// systemRoots returns the system roots that loadSystem read, in order.
func (p *Pool) systemRoots() ([]*x509.Certificate, error) {
	return slices.Clone(p.systemCerts), nil
}
