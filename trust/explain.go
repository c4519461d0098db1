package trust

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Explain turns a transport error for a request to host (through proxy,
// nil when direct; bypassed when a proxy is configured but was not used
// for host) into one of the typed errors of this package, or returns err
// unchanged when it has nothing better to say. Context cancellation and
// deadlines are always returned unchanged.
func Explain(err error, host string, proxy *url.URL, bypassed bool, pool *Pool) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var done Explained
	if errors.As(err, &done) {
		return done.(error)
	}
	proxyName := ""
	if proxy != nil {
		proxyName = proxy.Redacted()
	}
	var cve *tls.CertificateVerificationError
	var op *net.OpError
	var dns *net.DNSError
	switch {
	case proxy != nil && errors.As(err, &op) && op.Op == "proxyconnect":
		// Reaching the proxy itself: the dial, or TLS with an https proxy.
		var rh tls.RecordHeaderError
		if errors.As(op.Err, &cve) {
			return explainCert(cve, proxy.Host, "", pool)
		}
		if proxy.Scheme == "https" && errors.As(op.Err, &rh) && string(rh.RecordHeader[:]) == "HTTP/" {
			return &ProxySchemeError{Proxy: proxyName, Speaks: "http"}
		}
		if handshakeFailed(op.Err) {
			return &TLSError{Host: proxy.Host, Err: op.Err}
		}
		return &ProxyUnreachableError{Proxy: proxyName, Err: op.Err}
	case proxy != nil && isSOCKS(proxy.Scheme) && errors.As(err, &op) && strings.HasPrefix(op.Op, "socks "):
		// Go's SOCKS client words the proxy's refusal "unknown error " + the
		// reply's name; anything else is the handshake failing.
		reply, refused := strings.CutPrefix(op.Err.Error(), "unknown error ")
		if !refused {
			reply = ""
		}
		return &SOCKSError{Proxy: proxyName, Host: host, Reply: reply, Err: op.Err}
	case proxy != nil && proxy.Scheme == "http" && answeredInTLS(err):
		return &ProxySchemeError{Proxy: proxyName, Speaks: "https"}
	case errors.As(err, &cve):
		return explainCert(cve, host, proxyName, pool)
	case proxy == nil && errors.As(err, &dns):
		return &DNSError{Host: host, Bypassed: bypassed, Err: dns}
	case proxy == nil && errors.As(err, &op) && op.Op == "dial":
		return &ConnectError{Host: host, Err: op}
	case handshakeFailed(err):
		return &TLSError{Host: host, Proxy: proxyName, Err: err}
	}
	return err
}

// explainCert explains a failed certificate verification, checking in the
// order crypto/x509 does: the leaf's validity, its names, then the chain.
func explainCert(cve *tls.CertificateVerificationError, host, proxy string, pool *Pool) error {
	chain := cve.UnverifiedCertificates
	now := time.Now()
	var ci x509.CertificateInvalidError
	var he x509.HostnameError
	var ua x509.UnknownAuthorityError
	switch {
	case len(chain) == 0:
	case errors.As(cve.Err, &ci) && ci.Reason == x509.Expired && ci.Cert != nil:
		return expired(host, ci.Cert, now)
	case errors.As(cve.Err, &he) && he.Certificate != nil:
		if err := noSAN(host, he.Certificate); err != nil {
			return err
		}
		names := append([]string(nil), he.Certificate.DNSNames...)
		for _, ip := range he.Certificate.IPAddresses {
			names = append(names, ip.String())
		}
		return &HostnameError{Host: host, Names: names, Issuer: issuerName(he.Certificate)}
	}
	if subject, reason := weakness(chain); reason != "" {
		return &WeakCertError{Host: host, Subject: subject, Reason: reason}
	}
	if len(chain) > 0 && errors.As(cve.Err, &ua) {
		return untrusted(host, proxy, chain, pool, now)
	}
	return &TLSError{Host: host, Proxy: proxy, Err: cve}
}

// noSAN returns a *NoSANError when a hostname mismatch is really a
// certificate with no subject alternative name at all.
func noSAN(host string, c *x509.Certificate) error {
	if c == nil || hasSAN(c) {
		return nil
	}
	return &NoSANError{Host: host, Subject: name(c)}
}

// untrusted explains a chain that ends nowhere. Before blaming the CA it
// looks for the cases crypto/x509 reports the same way: an expired
// intermediate, or a trusted root of the right name that has expired.
func untrusted(host, proxy string, chain []*x509.Certificate, pool *Pool, now time.Time) error {
	var roots *x509.CertPool
	if pool != nil {
		roots = pool.CertPool()
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	for _, c := range chain[1:] {
		if roots == nil || validAt(c, now) {
			continue
		}
		opts := x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: c.NotAfter.Add(-time.Minute)}
		if _, err := c.Verify(opts); err == nil {
			return expired(host, c, now)
		}
	}
	last := chain[len(chain)-1]
	var stale []Cert
	for _, t := range pool.named(last) {
		if !validAt(t.Certificate, now) {
			return expired(host, t.Certificate, now)
		}
		stale = append(stale, t)
	}
	if c := missingIssuer(chain); c != nil && len(stale) == 0 {
		return &MissingIntermediateError{Host: host, Proxy: proxy, Subject: name(c), Issuer: issuerName(c)}
	}
	return &UntrustedError{Host: host, Proxy: proxy, CA: issuerName(last), Chain: chain, Stale: stale,
		Configured: pool.configuredCount()}
}

// named returns the certificates of the pool that are named like the
// issuer of c: same subject, or same common name. (On macOS and Windows
// only the configured ones are known.)
func (p *Pool) named(c *x509.Certificate) []Cert {
	if p == nil {
		return nil
	}
	p.wait()
	var out []Cert
	for _, t := range p.sources {
		if bytes.Equal(t.RawSubject, c.RawIssuer) || name(t.Certificate) == issuerName(c) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b Cert) int { return strings.Compare(a.File+a.Source, b.File+b.Source) })
	return out
}

func expired(host string, c *x509.Certificate, now time.Time) *ExpiredError {
	return &ExpiredError{Host: host, Subject: name(c), NotBefore: c.NotBefore, NotAfter: c.NotAfter,
		Now: now, NotYetValid: now.Before(c.NotBefore), Cert: c}
}

func validAt(c *x509.Certificate, t time.Time) bool {
	return !t.Before(c.NotBefore) && !t.After(c.NotAfter)
}

// weakness finds a SHA-1 or MD5 signature (self-signatures of roots do not
// count, as no one checks them) or an RSA key under 2048 bits.
func weakness(chain []*x509.Certificate) (subject, reason string) {
	for _, c := range chain {
		if !bytes.Equal(c.RawSubject, c.RawIssuer) && weakSignature(c.SignatureAlgorithm) {
			return name(c), fmt.Sprintf("is signed with %s, which is no longer accepted", c.SignatureAlgorithm)
		}
		if k, ok := c.PublicKey.(*rsa.PublicKey); ok && k.N.BitLen() < 2048 {
			return name(c), fmt.Sprintf("has a %d-bit RSA key, and at least 2048 bits are needed", k.N.BitLen())
		}
	}
	return "", ""
}

func issuerName(c *x509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return c.Issuer.CommonName
	}
	return c.Issuer.String()
}

// handshakeFailed reports whether err is a TLS handshake failure that is
// not about certificates: an alert, a peer that does not speak TLS, a
// connection closed or reset mid-handshake, or the handshake timeout.
func handshakeFailed(err error) bool {
	var rh tls.RecordHeaderError
	var alert tls.AlertError
	var op *net.OpError
	switch {
	case errors.As(err, &rh), errors.As(err, &alert):
		return true
	case errors.As(err, &op) && (op.Op == "remote error" || op.Op == "local error" || op.Op == "read"):
		return true // an alert, or a reset (the Transport wraps read errors after the handshake)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	}
	s := err.Error()
	return strings.HasPrefix(s, "tls: ") || s == "net/http: TLS handshake timeout"
}

// answeredInTLS reports whether the answer to CONNECT was a TLS record (an
// alert or a handshake) rather than HTTP: the proxy's port speaks TLS.
func answeredInTLS(err error) bool {
	s := err.Error()
	return strings.Contains(s, `malformed HTTP response "\x15\x03`) || strings.Contains(s, `malformed HTTP response "\x16\x03`)
}
