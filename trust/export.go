package trust

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"unicode"
)

// Tools that take one file of roots (SSL_CERT_FILE for OpenSSL and rustls,
// REQUESTS_CA_BUNDLE, git's http.sslCAInfo, Codex's SSL_CERT_FILE) trust
// that file instead of the system's. The bundle exported here therefore
// holds the system roots as well as the corporate CAs, so that those tools
// still reach the public internet when they use it.

// SystemCerts returns the operating system's root certificates as this pool
// sees them, or nil when the pool was built without system roots. On Linux
// and the BSDs these are the certificates NewPool read from the system
// bundle and directories. On macOS they are the roots of the system
// keychains (every Apple root, and the CAs of /Library/Keychains/System.keychain
// that macOS trusts, such as one that IT pushed by MDM), on Windows the
// certificates of the Root and AuthRoot stores, less the Disallowed ones;
// both are read anew on each call.
func (p *Pool) SystemCerts() ([]*x509.Certificate, error) {
	if p == nil || !p.useSystem {
		return nil, nil
	}
	p.wait()
	return p.systemRoots()
}

// ExportPEM returns every certificate of the pool as one PEM bundle: the
// system roots first, then the configured CAs in the order they were read,
// each once. Each block follows a comment line naming the certificate and
// where it came from:
//
//	# Corp Root CA (--ca)
//	-----BEGIN CERTIFICATE-----
//
// OpenSSL, Go, rustls, Node.js and Python skip the text between blocks.
func (p *Pool) ExportPEM() ([]byte, error) {
	system, err := p.SystemCerts()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	seen := map[[32]byte]bool{}
	put := func(c *x509.Certificate, source string) {
		sum := sha256.Sum256(c.Raw)
		// A certificate that says it is no CA vouches for nothing, and a
		// bundle holding one is refused whole by strict readers (codex-login
		// itself): Debian's /etc/ssl/certs holds ssl-cert-snakeoil.pem.
		if seen[sum] || (c.BasicConstraintsValid && !c.IsCA) {
			return
		}
		seen[sum] = true
		b.WriteString("# " + commentText(name(c)) + " (" + commentText(source) + ")\n")
		pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}) // writing to a bytes.Buffer cannot fail
	}
	for _, c := range system {
		put(c, SystemSource)
	}
	if p != nil {
		for _, c := range p.configured {
			put(c.Certificate, c.Source)
		}
	}
	return b.Bytes(), nil
}

// commentText makes s safe for one comment line of a bundle: a line break
// in a certificate's name (which its issuer chose) must not start a line
// that a PEM reader would take for the beginning of a block.
func commentText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return '?'
		}
		return r
	}, s)
}
