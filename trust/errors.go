package trust

import (
	"crypto/x509"
	"fmt"
	"strings"
	"time"
)

// The typed errors below are what Explain returns. Their Error text is the
// part after "codex-login: error: "; cmd/codex-login/errors.go turns each
// type into a hint, so every field a hint needs is exported. Proxy fields
// hold the proxy URL with its password redacted, never the password.

// UntrustedError: the server's chain ends at a CA that no trusted root
// vouches for. Behind a TLS-inspecting proxy, CA is usually the proxy's.
type UntrustedError struct {
	Host, Proxy string
	CA          string // subject CN (else full subject) of the issuer of the last presented certificate
	Chain       []*x509.Certificate
	Stale       []Cert // trusted certificates named CA that still did not verify: usually an old copy of a renewed CA
	Configured  int    // how many configured certificates (not system roots) the pool holds
}

func (e *UntrustedError) Error() string {
	return fmt.Sprintf("cannot verify %s%s: its certificate was issued by %q, which is not trusted here",
		e.Host, via(e.Proxy), e.CA)
}

// ExpiredError: a certificate of the chain is outside its validity period.
type ExpiredError struct {
	Host, Subject       string
	NotBefore, NotAfter time.Time
	Now                 time.Time
	NotYetValid         bool
	Cert                *x509.Certificate // the certificate at fault; Pool.Source tells whether it is one of ours
}

func (e *ExpiredError) Error() string {
	if e.NotYetValid {
		return fmt.Sprintf("cannot verify %s: certificate %q is not valid until %s, and the clock here says %s",
			e.Host, e.Subject, stamp(e.NotBefore), stamp(e.Now))
	}
	return fmt.Sprintf("cannot verify %s: certificate %q expired on %s", e.Host, e.Subject, stamp(e.NotAfter))
}

// HostnameError: the leaf certificate is for other names than Host.
type HostnameError struct {
	Host   string
	Names  []string // DNS names and IP addresses of the leaf
	Issuer string
}

func (e *HostnameError) Error() string {
	if len(e.Names) == 0 {
		return fmt.Sprintf("cannot verify %s: its certificate (issued by %q) names no host", e.Host, e.Issuer)
	}
	return fmt.Sprintf("cannot verify %s: its certificate (issued by %q) is for %s, not %s",
		e.Host, e.Issuer, strings.Join(e.Names, ", "), e.Host)
}

// WeakCertError: the chain uses a SHA-1 or MD5 signature or an RSA key
// shorter than 2048 bits.
type WeakCertError struct {
	Host, Subject string
	Reason        string // "is signed with SHA1-RSA, which is no longer accepted", "has a 1024-bit RSA key, ..."
}

func (e *WeakCertError) Error() string {
	return fmt.Sprintf("cannot verify %s: certificate %q %s", e.Host, e.Subject, e.Reason)
}

// NoSANError: the server's certificate has no subject alternative name,
// only a Common Name, which Go (and Codex's rustls) no longer match
// against the host. The certificate has to be reissued; no CA file
// changes that.
type NoSANError struct {
	Host, Subject string
}

func (e *NoSANError) Error() string {
	return fmt.Sprintf("cannot verify %s: its certificate %q has no subject alternative name, only a common name, which is no longer accepted",
		e.Host, e.Subject)
}

// MissingIntermediateError: the server sent its own certificate without
// the intermediate CA certificate that issued it, so the chain cannot
// reach a trusted root. Browsers hide this by fetching the intermediate
// from the URL the certificate names; codex-login, Codex and most tools
// do not.
type MissingIntermediateError struct {
	Host, Proxy string
	Subject     string // the last certificate the server sent
	Issuer      string // the intermediate it left out
}

func (e *MissingIntermediateError) Error() string {
	return fmt.Sprintf("cannot verify %s%s: its certificate %q was issued by %q, which the server did not send",
		e.Host, via(e.Proxy), e.Subject, e.Issuer)
}

// TLSError is any other TLS handshake failure: the peer closed the
// connection mid-handshake, answered in plain text, or sent an alert.
type TLSError struct {
	Host, Proxy string
	Err         error
}

func (e *TLSError) Error() string {
	return fmt.Sprintf("cannot set up TLS with %s%s: %v", e.Host, via(e.Proxy), e.Err)
}

func (e *TLSError) Unwrap() error { return e.Err }

// DNSError: Host could not be resolved (only happens when connecting
// directly; through a proxy the proxy resolves names).
type DNSError struct {
	Host     string
	Bypassed bool   // a proxy is configured, but NoProxy (or a loopback name) sent Host direct
	NoProxy  string // the NoProxy setting, when Bypassed
	Err      error  // the *net.DNSError
}

func (e *DNSError) Error() string {
	s := fmt.Sprintf("cannot resolve %s", e.Host)
	if e.Bypassed {
		s += fmt.Sprintf(" (it bypasses the proxy, no_proxy is %q)", e.NoProxy)
	}
	return s
}

func (e *DNSError) Unwrap() error { return e.Err }

// ConnectError: a direct connection to Host was refused or timed out.
type ConnectError struct {
	Host string
	Err  error
}

func (e *ConnectError) Error() string { return fmt.Sprintf("cannot connect to %s: %v", e.Host, e.Err) }

func (e *ConnectError) Unwrap() error { return e.Err }

// ProxyURLError: the configured proxy is not a usable URL.
type ProxyURLError struct {
	Proxy  string // redacted
	Source string // where the setting came from: "--proxy", "HTTPS_PROXY", ...
	Reason string
}

func (e *ProxyURLError) Error() string {
	return fmt.Sprintf("proxy %q (from %s) %s", e.Proxy, e.Source, e.Reason)
}

func via(proxy string) string {
	if proxy == "" {
		return ""
	}
	return " through proxy " + proxy
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// Explained marks the errors Explain returns: they already say what
// failed on the route, so explaining twice changes nothing, and a caller
// (with an interface of its own) can tell them from raw network errors.
type Explained interface{ Explained() }

func (*UntrustedError) Explained()           {}
func (*ExpiredError) Explained()             {}
func (*HostnameError) Explained()            {}
func (*WeakCertError) Explained()            {}
func (*NoSANError) Explained()               {}
func (*MissingIntermediateError) Explained() {}
func (*TLSError) Explained()                 {}
func (*DNSError) Explained()                 {}
func (*ConnectError) Explained()             {}
func (*ProxyURLError) Explained()            {}
