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

// StateError is a redirect whose state is not this login's: a link from
// another login attempt, or a tunnel that reaches another machine's
// listener. The login goes on waiting.
type StateError struct{ Missing bool }

func (e *StateError) Error() string {
	if e.Missing {
		return "the sign-in redirect has no state: it is not for this login"
	}
	return "the sign-in redirect belongs to another login attempt"
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
