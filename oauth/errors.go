package oauth

import (
	"errors"
	"fmt"
)

// ErrPending means the user has not yet entered the device code.
var ErrPending = errors.New("the device code has not been entered yet")

// ErrSlowDown means the issuer asked for slower polling (RFC 8628
// section 3.5): wait five seconds more between polls.
var ErrSlowDown = errors.New("the issuer asked to poll more slowly")

// TokenError is an OAuth error reply (RFC 6749 section 5.2) from an endpoint.
type TokenError struct {
	Endpoint    string // host and path, e.g. auth.openai.com/oauth/token
	Status      int
	Code        string // the "error" field (or error.code), when there is one
	Description string // error_description, error.message, or the trimmed body
}

func (e *TokenError) Error() string {
	detail := e.Description
	switch {
	case e.Code != "" && detail != "" && detail != e.Code:
		detail = e.Code + ": " + detail
	case detail == "":
		detail = e.Code
	}
	if detail == "" {
		return fmt.Sprintf("%s refused the request (HTTP %d)", e.Endpoint, e.Status)
	}
	return fmt.Sprintf("%s refused the request (HTTP %d): %s", e.Endpoint, e.Status, detail)
}

// SignInAgain reports a refresh token the issuer will never accept again:
// used already, expired, revoked, or refused with HTTP 401. Refresh tokens
// are single use, so only a new sign-in helps.
func (e *TokenError) SignInAgain() bool {
	switch e.Code {
	case "refresh_token_reused", "refresh_token_expired", "refresh_token_invalidated", "invalid_grant":
		return true
	}
	return e.Status == 401
}

// HTMLError means an endpoint that speaks JSON answered with a web page.
type HTMLError struct {
	Endpoint string
	Status   int
	Title    string // the page's <title>, when it has one
	Kind     string // KindChallenge, KindProxy or KindPage
}

// What answered with a web page.
const (
	KindChallenge = "challenge" // a bot filter's challenge, e.g. Cloudflare's
	KindProxy     = "proxy"     // a proxy's own page: a block page, an error page
	KindPage      = "page"      // anything else: a captive portal, a sign-in wall
)

func (e *HTMLError) Error() string {
	what := "a web page"
	switch e.Kind {
	case KindChallenge:
		what = "a bot challenge page"
	case KindProxy:
		what = "a proxy's web page"
	}
	if e.Title != "" {
		what += fmt.Sprintf(" titled %q", e.Title)
	}
	return fmt.Sprintf("%s answered with %s instead of JSON (HTTP %d)", e.Endpoint, what, e.Status)
}

// ResponseError is a reply that cannot be used: not JSON, too large, or
// missing fields.
type ResponseError struct {
	Endpoint string
	Status   int
	Problem  string
}

func (e *ResponseError) Error() string {
	return fmt.Sprintf("%s sent an unusable reply (HTTP %d): %s", e.Endpoint, e.Status, e.Problem)
}

// GatewayError is a 502, 503 or 504 that is not JSON: usually the proxy
// saying it could not reach the issuer.
type GatewayError struct {
	Endpoint   string
	Status     string // e.g. "503 Service Unavailable"
	ProxyError string // squid's X-Squid-Error, when present
	Page       string // the error page's title, else the start of its text
}

func (e *GatewayError) Error() string {
	s := fmt.Sprintf("%s could not be reached: the answer was %q", e.Endpoint, e.Status)
	if e.ProxyError != "" {
		s += " (proxy error " + e.ProxyError + ")"
	}
	return s
}

// RedirectError means an endpoint answered with a redirect, which no
// request follows: the issuer's endpoints answer directly, so it is
// usually a captive portal or a proxy's sign-in page.
type RedirectError struct {
	Endpoint string
	Location string // host and path only: a query may hold anything
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("%s redirected to %s instead of answering", e.Endpoint, e.Location)
}

// IssuerError is an issuer URL codex-login refuses to use.
type IssuerError struct {
	Issuer  string
	Problem string
}

func (e *IssuerError) Error() string { return fmt.Sprintf("issuer %s %s", e.Issuer, e.Problem) }

// DeviceUnavailableError means the issuer does not offer device code login
// to this client (OpenAI answers 404 until a workspace admin enables it).
type DeviceUnavailableError struct {
	Endpoint string
}

func (e *DeviceUnavailableError) Error() string {
	return e.Endpoint + " does not offer device code login (HTTP 404)"
}
