package trust

import (
	"context"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"time"
)

// authenticator answers one proxy's challenges during one CONNECT, on one TCP connection.
type authenticator interface {
	scheme() string // "NTLM", "Negotiate"
	// step returns the token for the next Proxy-Authorization header: challenge is nil for the
	// first leg, then the decoded token of the proxy's 407 Proxy-Authenticate for this scheme.
	step(ctx context.Context, challenge []byte) (token []byte, err error)
}

// negotiateAuthenticator makes the Negotiate (SPNEGO/Kerberos) authenticator
// for a proxy host; nil when this build cannot do Negotiate. The file that
// implements Negotiate sets it from its init.
var negotiateAuthenticator func(proxyHost string) (authenticator, error)

// sspiNTLM and sspiNegotiate answer with the logged-on user's own
// credentials (Windows); nil elsewhere.
var (
	sspiNTLM      func() (authenticator, error)
	sspiNegotiate func(proxyHost string) (authenticator, error)
)

// Proxy authentication settings (Options.ProxyAuth).
const (
	ProxyAuthAuto      = "auto"      // Basic through the URL's credentials; NTLM or Negotiate when the proxy asks
	ProxyAuthBasic     = "basic"     // Basic only, as the URL's credentials give it
	ProxyAuthNTLM      = "ntlm"      // NTLM from the first CONNECT
	ProxyAuthNegotiate = "negotiate" // Negotiate from the first CONNECT
	ProxyAuthNone      = "none"      // never authenticate, even with credentials in the URL
)

// identified is an authenticator that can say as whom it signs in, for
// the trace and -v ("CORP\dev").
type identified interface{ identity() string }

// proxyAuth is what the client knows about authenticating to one proxy
// during the run.
type proxyAuth struct {
	tunnel  []string      // schemes to answer on a self-dialled tunnel; nil: Go's CONNECT (Basic)
	used    string        // the scheme a CONNECT succeeded with
	took    time.Duration // how long its handshake took
	as      string        // as whom ("CORP\\dev"), when the scheme says
	asked   bool          // Options.ProxyCredentials was called
	user    string
	pass    string
	haveCr  bool
	credErr error
}

// authFor returns the state of proxy, creating it; c.mu is held.
func (c *Client) authFor(proxy *url.URL) *proxyAuth {
	key := strings.ToLower(proxy.Host)
	if c.auths == nil {
		c.auths = map[string]*proxyAuth{}
	}
	a := c.auths[key]
	if a == nil {
		a = &proxyAuth{}
		if proxy.User != nil {
			a.user = proxy.User.Username()
			a.pass, a.haveCr = proxy.User.Password()
		}
		switch c.proxyAuth {
		case ProxyAuthNTLM:
			a.tunnel = []string{"NTLM"}
		case ProxyAuthNegotiate:
			a.tunnel = []string{"Negotiate"}
		}
		c.auths[key] = a
	}
	return a
}

// tunnelled reports whether CONNECTs through proxy are dialled by the
// client itself, to keep one connection through the legs of NTLM or
// Negotiate.
func (c *Client) tunnelled(proxy *url.URL) bool {
	if proxy == nil || isSOCKS(proxy.Scheme) {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.authFor(proxy).tunnel != nil
}

// ProxyScheme returns the scheme the client authenticated to proxy with
// ("NTLM", "Negotiate", "Basic"), "" when it did not (yet).
func (c *Client) ProxyScheme(proxy *url.URL) string {
	if proxy == nil {
		return ""
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	a := c.authFor(proxy)
	if a.used != "" {
		return a.used
	}
	if a.tunnel == nil && proxy.User != nil && c.proxyAuth != ProxyAuthNone {
		return "Basic"
	}
	return ""
}

// ProxyHandshake returns as whom ("CORP\\dev", "" when the scheme does
// not say) and in how long the last self-dialled CONNECT through proxy
// authenticated; zero before any did.
func (c *Client) ProxyHandshake(proxy *url.URL) (as string, took time.Duration) {
	if proxy == nil {
		return "", 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	a := c.authFor(proxy)
	return a.as, a.took
}

// switchToTunnel answers a 407 of Go's CONNECT: with ProxyAuth auto, when
// the proxy offers a connection-oriented scheme this client can answer,
// the proxy's CONNECTs are self-dialled from now on. It reports whether a
// new attempt is worth it.
func (c *Client) switchToTunnel(proxy *url.URL, offered []string) bool {
	if c.proxyAuth != ProxyAuthAuto || proxy == nil || isSOCKS(proxy.Scheme) {
		return false
	}
	var schemes []string
	for _, s := range []string{"Negotiate", "NTLM"} {
		if containsFold(offered, s) && c.canAnswer(proxy, s) {
			schemes = append(schemes, s)
		}
	}
	if len(schemes) == 0 {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	a := c.authFor(proxy)
	if a.tunnel != nil {
		return false // already tunnelled: this 407 is its own answer
	}
	a.tunnel = schemes
	return true
}

// canAnswer reports whether this build and the settings can attempt
// scheme with proxy.
func (c *Client) canAnswer(proxy *url.URL, scheme string) bool {
	switch scheme {
	case "Negotiate":
		return negotiateAuthenticator != nil || sspiNegotiate != nil
	case "NTLM":
		return proxy.User != nil || c.creds != nil || sspiNTLM != nil
	}
	return false
}

// ensureCredentials asks Options.ProxyCredentials, once per run, for the
// credentials of a tunnelled proxy whose URL has none, before the request
// is sent (a person typing a password must not run down a phase's clock).
func (c *Client) ensureCredentials(ctx context.Context, proxy *url.URL) error {
	c.mu.Lock()
	a := c.authFor(proxy)
	need := a.tunnel != nil && !a.haveCr && !a.asked && c.creds != nil && needsPassword(a.tunnel)
	if need {
		a.asked = true
	}
	c.mu.Unlock()
	if !need {
		return nil
	}
	user, pass, err := c.creds(ctx, redactedURL(proxy))
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		a.credErr = err
		return err
	}
	a.user, a.pass, a.haveCr = user, pass, true
	return nil
}

// needsPassword reports whether the first scheme that will be tried
// needs a user name and password (Negotiate uses the Kerberos tickets,
// Windows' NTLM the logged-on user).
func needsPassword(schemes []string) bool {
	if containsFold(schemes, "Negotiate") && (negotiateAuthenticator != nil || sspiNegotiate != nil) {
		return false
	}
	return sspiNTLM == nil
}

// newAuthenticators lists, strongest first, the authenticators that can answer the schemes the proxy offered
// (Proxy-Authenticate values), given the settings: Negotiate before NTLM before Basic.
func (c *Client) newAuthenticators(proxy *url.URL, offered []string) ([]authenticator, error) {
	c.mu.Lock()
	a := c.authFor(proxy)
	user, pass, haveCr, credErr := a.user, a.pass, a.haveCr, a.credErr
	c.mu.Unlock()
	var out []authenticator
	var errs []error
	offers := func(s string) bool { return containsFold(offered, s) }
	if offers("Negotiate") {
		if n, err := negotiatorFor(proxy.Hostname()); err == nil {
			out = append(out, n)
		} else {
			errs = append(errs, err)
		}
	}
	if offers("NTLM") {
		switch {
		case haveCr:
			out = append(out, &ntlmAuth{user: user, pass: pass})
		case sspiNTLM != nil:
			if n, err := sspiNTLM(); err == nil {
				out = append(out, n)
			} else {
				errs = append(errs, err)
			}
		case credErr != nil:
			errs = append(errs, credErr)
		}
	}
	if offers("Basic") && haveCr && c.proxyAuth != ProxyAuthNTLM && c.proxyAuth != ProxyAuthNegotiate {
		out = append(out, &basicAuth{user: user, pass: pass})
	}
	if len(out) == 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func negotiatorFor(host string) (authenticator, error) {
	if negotiateAuthenticator != nil {
		a, err := negotiateAuthenticator(host)
		if err == nil || sspiNegotiate == nil {
			return a, err
		}
	}
	if sspiNegotiate != nil {
		return sspiNegotiate(host)
	}
	return nil, errors.New("this build cannot answer Negotiate")
}

// basicAuth sends user:password once (RFC 7617).
type basicAuth struct{ user, pass string }

func (*basicAuth) scheme() string     { return "Basic" }
func (b *basicAuth) identity() string { return b.user }
func (b *basicAuth) step(_ context.Context, challenge []byte) ([]byte, error) {
	if challenge != nil {
		return nil, errors.New("the Basic scheme has a single leg")
	}
	return []byte(b.user + ":" + b.pass), nil
}

// challengeFor returns the decoded token of the challenge for scheme in
// Proxy-Authenticate values: ok with a nil token when the scheme is
// offered bare ("NTLM"), not ok when it is not offered.
func challengeFor(values []string, scheme string) (token []byte, ok bool) {
	for _, v := range values {
		for _, part := range splitOutsideQuotes(v) {
			word, rest, _ := strings.Cut(strings.TrimSpace(part), " ")
			if !strings.EqualFold(word, scheme) {
				continue
			}
			rest = strings.TrimSpace(rest)
			if rest == "" || strings.Contains(rest, "=") && !strings.HasSuffix(rest, "=") {
				return nil, true // bare, or auth-params (Basic realm=...)
			}
			if t, err := base64.StdEncoding.DecodeString(rest); err == nil {
				return t, true
			}
			return nil, true
		}
	}
	return nil, false
}
