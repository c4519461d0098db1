package trust

import (
	"fmt"
	"strings"
)

// ProxyAuthError: the proxy answered CONNECT with 407.
type ProxyAuthError struct {
	Proxy          string
	Schemes        []string // from Proxy-Authenticate: "Basic", "NTLM", "Negotiate", ...
	HadCredentials bool     // the proxy URL carried a user name and password (or they were asked for)
	// Rejected is the scheme ("NTLM", "Negotiate", "Basic") whose
	// credentials the proxy refused at the end of its handshake.
	Rejected string
	User     string // the user name the proxy refused or was offered, when known
	// Hangup is the scheme during whose handshake the proxy closed the
	// connection between two legs (they must share one connection).
	Hangup string
	// Err is why the client could not answer (no credentials, no
	// Kerberos ticket, a malformed challenge); it holds no secret.
	Err error
}

func (e *ProxyAuthError) Unwrap() error { return e.Err }

func (e *ProxyAuthError) Error() string {
	switch {
	case e.Rejected != "":
		return fmt.Sprintf("proxy %s refused the credentials with %s", e.Proxy, e.Rejected)
	case e.Hangup != "":
		return fmt.Sprintf("proxy %s closed the connection in the middle of %s authentication", e.Proxy, e.Hangup)
	case e.Err != nil:
		return fmt.Sprintf("cannot authenticate to proxy %s: %v", e.Proxy, e.Err)
	}
	schemes := "no scheme named"
	if len(e.Schemes) > 0 {
		schemes = strings.Join(e.Schemes, ", ")
	}
	if e.HadCredentials {
		return fmt.Sprintf("proxy %s rejected the credentials (it asks for %s)", e.Proxy, schemes)
	}
	return fmt.Sprintf("proxy %s requires authentication (it asks for %s)", e.Proxy, schemes)
}

// ProxyRefusedError: the proxy answered CONNECT with a status other than
// 200 or 407. Its status, squid's error code and the page it sent tell a
// name it cannot resolve (squid: ERR_DNS_FAIL), a host it cannot reach
// (ERR_CONNECT_FAIL, 502, 504), a failed TLS connection upstream
// (ERR_SECURE_CONNECT_FAIL) and a policy (403, ERR_ACCESS_DENIED) apart.
type ProxyRefusedError struct {
	Proxy, Host string
	Status      string // e.g. "403 Forbidden"
	StatusCode  int    // e.g. 403
	ProxyError  string // the X-Squid-Error header, e.g. "ERR_DNS_FAIL 0"; "" when absent
	// Page is the <title> of an HTML answer, else the start of the
	// answer's text, made printable; "" when the answer had no body.
	Page string
}

func (e *ProxyRefusedError) Error() string {
	s := fmt.Sprintf("proxy %s refused to connect to %s: %s", e.Proxy, e.Host, e.Status)
	if e.ProxyError != "" {
		s += " (" + e.ProxyError + ")"
	}
	return s
}

// ProxyUnreachableError: the proxy itself could not be reached.
type ProxyUnreachableError struct {
	Proxy string
	Err   error
}

func (e *ProxyUnreachableError) Error() string {
	return fmt.Sprintf("cannot reach proxy %s: %v", e.Proxy, e.Err)
}

func (e *ProxyUnreachableError) Unwrap() error { return e.Err }

// ProxyHangupError: the proxy closed the connection (end of stream or
// reset) before answering CONNECT (PhaseProxy), during the TLS handshake
// with Host through its tunnel (PhaseTLS), or after the request was sent
// and before any byte of reply (PhaseReply).
type ProxyHangupError struct {
	Proxy, Host string
	Phase       Phase
}

func (e *ProxyHangupError) Error() string {
	switch e.Phase {
	case PhaseProxy:
		return fmt.Sprintf("proxy %s closed the connection without answering CONNECT for %s", e.Proxy, e.Host)
	case PhaseTLS:
		return fmt.Sprintf("proxy %s closed the connection to %s during the TLS handshake", e.Proxy, e.Host)
	}
	return fmt.Sprintf("proxy %s closed the connection before %s replied", e.Proxy, e.Host)
}

// ProxySchemeError: the proxy does not speak what its URL's scheme says:
// an https:// URL for a proxy that speaks plain HTTP (Speaks "http"), or
// an http:// URL for a port that speaks TLS (Speaks "https").
type ProxySchemeError struct {
	Proxy  string
	Speaks string // "http" or "https": the scheme that would work
}

func (e *ProxySchemeError) Error() string {
	if e.Speaks == "https" {
		return fmt.Sprintf("proxy %s answers in TLS, not plain HTTP", e.Proxy)
	}
	return fmt.Sprintf("proxy %s speaks plain HTTP, not TLS", e.Proxy)
}

// SOCKSError: a SOCKS 5 proxy refused to connect to Host (Reply says why,
// as SOCKS 5 names it: "connection refused", "host unreachable",
// "connection not allowed by ruleset", ...) or the SOCKS handshake failed
// (Reply is "": the proxy hung up, does not speak SOCKS 5, or rejected the
// credentials). Timeouts are *PhaseTimeoutError with PhaseProxy.
type SOCKSError struct {
	Proxy, Host string
	Reply       string
	Err         error
}

func (e *SOCKSError) Error() string {
	if e.Reply != "" {
		return fmt.Sprintf("SOCKS proxy %s refused to connect to %s: %s", e.Proxy, e.Host, e.Reply)
	}
	return fmt.Sprintf("SOCKS handshake with proxy %s for %s failed: %v", e.Proxy, e.Host, e.Err)
}

func (e *SOCKSError) Unwrap() error { return e.Err }

func (*ProxyAuthError) Explained()        {}
func (*ProxyRefusedError) Explained()     {}
func (*ProxyUnreachableError) Explained() {}
func (*ProxyHangupError) Explained()      {}
func (*ProxySchemeError) Explained()      {}
func (*SOCKSError) Explained()            {}
func (*PhaseTimeoutError) Explained()     {}
