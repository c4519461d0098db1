package trust

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// CertInfo describes one certificate for people; no secret in it.
type CertInfo struct {
	Subject, Issuer     string // the common name, else the whole distinguished name
	SHA256              string // fingerprint of the DER: uppercase hex pairs joined by ':' (as browsers and openssl show it)
	SignatureAlgorithm  string // x509 name, e.g. "SHA256-RSA", "ECDSA-SHA384"
	Key                 string // "RSA 2048", "ECDSA P-256", "Ed25519"
	NotBefore, NotAfter time.Time
	IsCA, SelfSigned    bool
	DNSNames            []string
}

// Describe returns what doctor and trust fetch show of c.
func Describe(c *x509.Certificate) CertInfo {
	return CertInfo{
		Subject:            name(c),
		Issuer:             issuerName(c),
		SHA256:             Fingerprint(c),
		SignatureAlgorithm: c.SignatureAlgorithm.String(),
		Key:                keyName(c),
		NotBefore:          c.NotBefore,
		NotAfter:           c.NotAfter,
		IsCA:               c.BasicConstraintsValid && c.IsCA,
		SelfSigned:         selfSigned(c),
		DNSNames:           append([]string(nil), c.DNSNames...),
	}
}

// Fingerprint is the SHA-256 of c's DER as browsers and
// `openssl x509 -fingerprint -sha256` print it: AB:CD:...
func Fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	var b strings.Builder
	for i, x := range sum {
		if i > 0 {
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%02X", x)
	}
	return b.String()
}

// ParseFingerprint reads a SHA-256 fingerprint the way people copy it:
// with or without colons or spaces, in any case, optionally prefixed by
// "sha256:", "SHA256=" or openssl's "sha256 Fingerprint=". It returns the
// 32 bytes.
func ParseFingerprint(s string) ([]byte, error) {
	digits := strings.ToLower(strings.TrimSpace(s))
	if _, after, ok := strings.Cut(digits, "fingerprint="); ok {
		digits = after
	}
	for _, p := range []string{"sha256:", "sha256=", "sha-256:", "sha-256="} {
		if rest, ok := strings.CutPrefix(digits, p); ok {
			digits = rest
			break
		}
	}
	digits = strings.Map(func(r rune) rune {
		switch r {
		case ':', ' ', '\t', '\n', '\r':
			return -1
		}
		return r
	}, digits)
	sum, err := hex.DecodeString(digits)
	if err != nil {
		return nil, fmt.Errorf("fingerprint %q is not hexadecimal", cut(s, 120))
	}
	if len(sum) != sha256.Size {
		return nil, fmt.Errorf("fingerprint %q has %d bytes; a SHA-256 fingerprint has 32", cut(s, 120), len(sum))
	}
	return sum, nil
}

// keyName names c's public key the way people compare them.
func keyName(c *x509.Certificate) string {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d", k.N.BitLen())
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name
	case ed25519.PublicKey:
		return "Ed25519"
	}
	return c.PublicKeyAlgorithm.String()
}

// selfSigned reports whether c names itself as its issuer (and, when both
// key identifiers are present, they agree): a root, or a certificate that
// stands alone.
func selfSigned(c *x509.Certificate) bool {
	if !bytes.Equal(c.RawSubject, c.RawIssuer) {
		return false
	}
	return len(c.AuthorityKeyId) == 0 || len(c.SubjectKeyId) == 0 || bytes.Equal(c.AuthorityKeyId, c.SubjectKeyId)
}

// cut shortens s to at most n runes for a message.
func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
