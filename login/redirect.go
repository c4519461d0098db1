package login

import (
	"crypto/subtle"
	"net/url"
)

// checkRedirect reads the query of the issuer's redirect back to
// redirect_uri (RFC 6749 section 4.1.2): the browser's callback, or the same
// URL pasted by the user. The state is checked first, in constant time, so
// that nothing of another login's redirect is believed. It returns the
// authorization code, or *StateError, *DeniedError (error=...) or
// *CallbackError (no code).
func checkRedirect(q url.Values, state string) (string, error) {
	got := q.Get("state")
	if subtle.ConstantTimeCompare([]byte(got), []byte(state)) != 1 {
		return "", &StateError{Missing: got == ""}
	}
	if code := q.Get("error"); code != "" {
		return "", &DeniedError{Code: code, Description: q.Get("error_description")}
	}
	code := q.Get("code")
	if code == "" {
		return "", &CallbackError{Problem: "has no authorization code"}
	}
	return code, nil
}
