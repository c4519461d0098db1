package main

import (
	"errors"
	"fmt"

	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/oauth"
)

// notSignedInError: there are no credentials to show, refresh or use.
type notSignedInError struct{ location string }

func (e *notSignedInError) Error() string {
	return "not signed in: no credentials in " + e.location
}

// unusableError: there are credentials, but Codex would refuse them.
type unusableError struct{ problem string }

func (e *unusableError) Error() string { return "not signed in: " + e.problem }

// refreshError is a refresh the issuer refused or that did not reach it.
type refreshError struct {
	issuer string
	err    error
}

func (e *refreshError) Error() string {
	var te *oauth.TokenError
	if !errors.As(e.err, &te) || !te.SignInAgain() {
		return fmt.Sprintf("refresh the tokens at %s: %v", e.issuer, e.err)
	}
	why := "it is no longer valid"
	switch te.Code {
	case "refresh_token_reused":
		why = "it was already used: refresh tokens are single use, so another copy of this login (Codex on another machine, or a restored backup) refreshed first and this copy is signed out"
	case "refresh_token_expired":
		why = "it has expired"
	case "refresh_token_invalidated":
		why = "it was revoked (a logout, or a password change)"
	}
	return fmt.Sprintf("%s refused the refresh token: %s (%v)", e.issuer, why, e.err)
}

func (e *refreshError) Unwrap() error { return e.err }

// sessionHint explains status, refresh and logout: credentials that are
// missing, unusable, or no longer accepted by the issuer. Other failures
// of a refresh (the route, the proxy) are left to the network hints.
func sessionHint(err error, _ *config.Settings) (string, int, bool) {
	var (
		none     *notSignedInError
		unusable *unusableError
		refresh  *refreshError
		te       *oauth.TokenError
	)
	switch {
	case errors.As(err, &none):
		return "run: codex-login", exitFailure, true
	case errors.As(err, &unusable):
		return "sign in again: codex-login", exitFailure, true
	case errors.As(err, &refresh) && errors.As(err, &te) && te.SignInAgain():
		return "sign in again: codex-login", exitFailure, true
	}
	return "", 0, false
}
