package login

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrCancelled means the login was stopped: Ctrl-C, or a GET /cancel from a
// newer login that wanted the callback port.
var ErrCancelled = errors.New("login cancelled")

// TokenError is an OAuth error reply (RFC 6749 section 5.2) from an endpoint.
type TokenError struct {
	Endpoint    string // host and path, e.g. auth.openai.com/oauth/token
	Status      int
	Code        string // the "error" field, when there is one
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

// HTMLError means an endpoint that speaks JSON answered with a web page: in
// practice a proxy's block page, a captive portal or a sign-in wall.
type HTMLError struct {
	Endpoint string
	Status   int
	Title    string // the page's <title>, when it has one
}

func (e *HTMLError) Error() string {
	if e.Title != "" {
		return fmt.Sprintf("%s answered with a web page titled %q instead of JSON (HTTP %d)", e.Endpoint, e.Title, e.Status)
	}
	return fmt.Sprintf("%s answered with a web page instead of JSON (HTTP %d)", e.Endpoint, e.Status)
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

// GatewayError is a 502, 503 or 504 from the route to the issuer: usually
// the proxy saying it could not reach it.
type GatewayError struct {
	Endpoint   string
	Status     string
	ProxyError string // squid's X-Squid-Error, when present
}

func (e *GatewayError) Error() string {
	s := fmt.Sprintf("%s could not be reached: the answer was %q", e.Endpoint, e.Status)
	if e.ProxyError != "" {
		s += " (proxy error " + e.ProxyError + ")"
	}
	return s
}

// DeniedError is the issuer sending the browser back with error=...
type DeniedError struct {
	Code        string // e.g. access_denied
	Description string
}

// NoEntitlement reports the "Codex is not enabled for this workspace" case.
func (e *DeniedError) NoEntitlement() bool {
	return e.Code == "access_denied" && strings.Contains(e.Description, "missing_codex_entitlement")
}

func (e *DeniedError) Error() string {
	if e.NoEntitlement() {
		return "the sign-in was refused: Codex is not enabled for your ChatGPT workspace"
	}
	if e.Description != "" {
		return fmt.Sprintf("the sign-in was refused: %s: %s", e.Code, e.Description)
	}
	return "the sign-in was refused: " + e.Code
}

// CallbackError is a callback that cannot complete the login.
type CallbackError struct{ Problem string }

func (e *CallbackError) Error() string { return "the browser's callback " + e.Problem }

// WorkspaceError means the account signed in is not one the configuration allows.
type WorkspaceError struct {
	AccountID string
	Allowed   []string
}

func (e *WorkspaceError) Error() string {
	return fmt.Sprintf("you signed in to workspace %q, but forced_chatgpt_workspace_id allows only %s",
		e.AccountID, strings.Join(quoteAll(e.Allowed), ", "))
}

// PortBusyError means no callback port could be bound.
type PortBusyError struct {
	Ports  []int
	Holder string // the process holding the first port, when it can be found
	Err    error
}

func (e *PortBusyError) Error() string {
	ports := make([]string, len(e.Ports))
	for i, p := range e.Ports {
		ports[i] = fmt.Sprint(p)
	}
	s := "cannot listen for the browser callback on 127.0.0.1 port " + strings.Join(ports, " or ")
	if e.Holder != "" {
		s += ": port " + ports[0] + " is in use by " + e.Holder
	} else if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *PortBusyError) Unwrap() error { return e.Err }

// TimeoutError means the browser never came back in time.
type TimeoutError struct{ After time.Duration }

func (e *TimeoutError) Error() string {
	return "no sign-in came back from the browser within " + shortDuration(e.After)
}

// IssuerError is an issuer URL codex-login refuses to use.
type IssuerError struct {
	Issuer  string
	Problem string
}

func (e *IssuerError) Error() string { return fmt.Sprintf("issuer %s %s", e.Issuer, e.Problem) }

// MethodError means the Codex configuration forbids what codex-login does.
type MethodError struct {
	Key     string // forced_login_method or cli_auth_credentials_store
	Setting string // e.g. forced_login_method = "api"
	Problem string
}

func (e *MethodError) Error() string { return e.Setting + " " + e.Problem }

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// shortDuration prints 15m0s as 15m and 1h30m0s as 1h30m.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
