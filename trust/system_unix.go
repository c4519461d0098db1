//go:build unix && !darwin

package trust

import (
	"crypto/x509"
	"encoding/pem"
	"path/filepath"
	"runtime"
	"slices"
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

// systemRootPaths is systemPaths; tests point it at a bundle of their own.
var systemRootPaths = systemPaths

// loadSystem reads the system roots the way crypto/x509 does: the first
// bundle file that can be read, then every file of every directory;
// each through readBounded, so a FIFO or a device there blocks nothing.
func (p *Pool) loadSystem() error {
	p.pool = x509.NewCertPool()
	files, dirs := systemRootPaths()
	bundle := ""
	for _, f := range files {
		if data, err := readBounded(f, maxSystemFile); err == nil {
			bundle = f
			p.addSystemPEM(data, f)
			break
		}
	}
	for _, d := range dirs {
		entries, err := listDir(d)
		if err != nil {
			continue
		}
		for _, e := range entries {
			path := filepath.Join(d, e.Name())
			if path == bundle || e.IsDir() || sameDirSymlink(d, e) {
				continue
			}
			if data, err := readBounded(path, maxSystemFile); err == nil {
				p.addSystemPEM(data, path)
			}
		}
	}
	if p.system == 0 {
		p.warn(Warning{Kind: WarnNoSystemRoots, Searched: append(files, dirs...)})
	}
	return nil
}

// addSystemPEM adds the "CERTIFICATE" blocks of data, skipping what
// cannot be parsed, as x509.CertPool.AppendCertsFromPEM does. "TRUSTED
// CERTIFICATE" blocks are skipped too: in system bundles (Fedora's
// ca-bundle.trust.crt) their trust settings may distrust the certificate.
func (p *Pool) addSystemPEM(data []byte, file string) {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return
		}
		if b.Type != "CERTIFICATE" || len(b.Headers) != 0 || p.seen(b.Bytes) {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			continue
		}
		p.add(Cert{Certificate: c, Source: SystemSource, File: file})
	}
}

// systemRoots returns the system roots that loadSystem read, in order.
func (p *Pool) systemRoots() ([]*x509.Certificate, error) {
	return slices.Clone(p.systemCerts), nil
}
