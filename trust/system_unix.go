//go:build unix && !darwin

package trust

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"io/fs"
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
	// texts: the SHA-256 of each PEM block of the bundle, as text. The
	// directories mostly hold the very files the bundle was made of
	// (update-ca-certificates, update-ca-trust): those are skipped without
	// being decoded.
	texts := map[[32]byte]bool{}
	bundle := ""
	for _, f := range files {
		if data, err := readBounded(f, maxSystemFile); err == nil {
			bundle = f
			r.read = append(r.read, f)
			r.addPEM(data, f, seen, texts)
			break
		}
	}
	for _, d := range dirs {
		entries, err := listDir(d)
		if err != nil {
			continue
		}
		r.read = append(r.read, d)
		for i, data := range readEntries(d, entries, bundle) {
			if data == nil || texts[sha256.Sum256(bytes.TrimSpace(data))] {
				continue
			}
			r.addPEM(data, filepath.Join(d, entries[i].Name()), seen, nil)
		}
	}
	return r
}

// readEntries reads the files of dir, each through readBounded, skipping
// subdirectories, hash links to files beside them, and bundle; what could
// not be read is nil. A system directory holds hundreds of small files,
// and where each system call costs tens of microseconds (a virtual
// machine) reading them one by one is most of building the pool: they
// are read by as many goroutines as there are CPUs, and returned in order.
func readEntries(dir string, entries []fs.DirEntry, bundle string) [][]byte {
	out := make([][]byte, len(entries))
	workers := min(runtime.GOMAXPROCS(0), 4)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(entries); i += workers {
				e := entries[i]
				path := filepath.Join(dir, e.Name())
				if path == bundle || e.IsDir() || sameDirSymlink(dir, e) {
					continue
				}
				if data, err := readBounded(path, maxSystemFile); err == nil {
					out[i] = data
				}
			}
		}()
	}
	wg.Wait()
	return out
}

// addPEM adds the "CERTIFICATE" blocks of data, skipping what cannot be
// parsed, as x509.CertPool.AppendCertsFromPEM does, and what was seen
// before without parsing it again. "TRUSTED CERTIFICATE" blocks are
// skipped too: in system bundles (Fedora's ca-bundle.trust.crt) their
// trust settings may distrust the certificate.
//
// With texts, the SHA-256 of each block's text is noted there.
func (r *systemRead) addPEM(data []byte, file string, seen, texts map[[32]byte]bool) {
	for {
		var b *pem.Block
		before := data
		b, data = pem.Decode(data)
		if b == nil {
			return
		}
		if texts != nil {
			texts[sha256.Sum256(blockText(before, data))] = true
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

// blockText is the text of the PEM block that pem.Decode found in
// before, leaving rest: from its BEGIN line to its END line.
func blockText(before, rest []byte) []byte {
	text := before[:len(before)-len(rest)]
	if i := bytes.Index(text, []byte("-----BEGIN")); i >= 0 {
		text = text[i:]
	}
	return bytes.TrimSpace(text)
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
