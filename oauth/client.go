// Package oauth speaks Codex's dialect of OAuth 2.0 to one issuer: the
// authorize URL, the code, API-key and refresh grants, revocation, the
// device code endpoints and a pre-flight that proves the route.
//
// Every request goes out the way Codex sends it, with no User-Agent (bot
// filters in front of the issuer challenge unknown agents, and Go's default
// is one), and no request follows a redirect, so a token is never carried
// to a host other than the issuer. Every reply is read through a 1 MiB
// limit and classified once: the JSON expected, an OAuth error, a web page
// (bot challenge, proxy block page, captive portal) or a gateway failure.
//
// The package takes its HTTP client from the caller (proxy and trust are
// set there), reads no environment and prints nothing.
package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// DefaultIssuer is OpenAI's issuer.
const DefaultIssuer = "https://auth.openai.com"

// DefaultClientID is Codex's OAuth client id.
const DefaultClientID = "app_EMoamEEZ73f0CkXaXp7hrann"

// CallbackPorts are the only loopback ports the issuer accepts in a
// redirect URI, in the order Codex tries them.
var CallbackPorts = []int{1455, 1457}

// Client talks to one issuer. The zero value uses http.DefaultClient,
// DefaultIssuer and DefaultClientID.
type Client struct {
	HTTP     *http.Client // proxy and trust already set; its CheckRedirect is not used
	Issuer   string       // e.g. https://auth.openai.com; checked by CheckIssuer before every request
	ClientID string
}

// CheckIssuer allows an absolute https URL, and plain http only for a
// loopback test issuer (127.0.0.0/8, ::1 or localhost).
func CheckIssuer(issuer string) error {
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" {
		return &IssuerError{Issuer: printable(issuer, 200), Problem: "is not an absolute URL"}
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); (ip != nil && ip.IsLoopback()) || host == "localhost" {
			return nil
		}
		return &IssuerError{Issuer: u.Redacted(), Problem: "must use https (plain http is only for a test issuer on 127.0.0.1)"}
	}
	return &IssuerError{Issuer: u.Redacted(), Problem: "must use https"}
}

// RedirectURI is the loopback callback the issuer sends the browser back to.
func RedirectURI(port int) string {
	return "http://127.0.0.1:" + strconv.Itoa(port) + "/auth/callback"
}

// DeviceRedirectURI is the redirect_uri of the code a device login yields.
func (c *Client) DeviceRedirectURI() string {
	return c.endpoint("/deviceauth/callback")
}

func (c *Client) issuer() string {
	if c.Issuer == "" {
		return DefaultIssuer
	}
	return c.Issuer
}

func (c *Client) clientID() string {
	if c.ClientID == "" {
		return DefaultClientID
	}
	return c.ClientID
}

// endpoint joins the issuer and a path, whatever trailing slash the issuer has.
func (c *Client) endpoint(path string) string {
	return strings.TrimRight(c.issuer(), "/") + path
}

// noRedirects is the caller's client, same Transport (so connections stay
// in one pool), answering redirects instead of following them.
func (c *Client) noRedirects() *http.Client {
	hc := http.DefaultClient
	if c.HTTP != nil {
		hc = c.HTTP
	}
	cp := *hc
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cp
}

// Preflight proves that the route reaches the issuer before anyone signs
// in: through the proxy, a verified TLS handshake, and the issuer's own
// OpenID configuration (OpenID Connect Discovery 1.0 section 4) as a JSON
// object with 200. Anything else on the way is an error: a redirect (a
// captive portal) is a *RedirectError, a web page an *HTMLError, a gateway
// failure a *GatewayError, any other reply a *ResponseError.
//
// The connection it opens stays in the client's pool, and the token
// exchange after the user's sign-in reuses it.
func (c *Client) Preflight(ctx context.Context) error {
	q := request{method: http.MethodGet, path: "/.well-known/openid-configuration", accept: "application/json"}
	var doc map[string]json.RawMessage
	status, err := c.do(ctx, q, &doc)
	name := endpointName(c.endpoint(q.path))
	var te *TokenError
	switch {
	case errors.As(err, &te):
		problem := "it is not the issuer's OpenID configuration"
		if detail := te.Description; detail != "" {
			problem += ": " + detail
		} else if te.Code != "" {
			problem += ": " + te.Code
		}
		return &ResponseError{Endpoint: name, Status: status, Problem: problem}
	case err != nil:
		return err
	case status != http.StatusOK || doc == nil:
		return &ResponseError{Endpoint: name, Status: status, Problem: "it is not the issuer's OpenID configuration"}
	}
	return nil
}
