package main

import (
	"errors"

	"github.com/codex-login/codex-login/config"
)

// Exit codes.
const (
	exitFailure = 1 // anything that went wrong
	exitUsage   = 2 // bad command line, or the login was cancelled
	exitDenied  = 4 // the issuer refused the sign-in
)

// explain owns every hint: one line that fixes the failure, and the exit
// code. Each domain knows its own errors; s is whatever settings were
// loaded before the failure (nil when none were).
func explain(err error, s *config.Settings) (string, int) {
	var usage usageError
	if errors.As(err, &usage) {
		return "run: codex-login --help", exitUsage
	}
	for _, domain := range []func(error, *config.Settings) (string, int, bool){configHint, keyringHint, trustHint, networkHint, sessionHint, authHint, pushHint, doctorHint, serveHint} {
		if hint, code, ok := domain(err, s); ok {
			return hint, code
		}
	}
	return "this failure is unexpected: run codex-login again with -v, and report its output if it happens again", exitFailure
}

// sourceOf names where a setting came from, for hints.
func sourceOf(s *config.Settings, key string) string {
	if s == nil {
		return ""
	}
	var src string
	switch key {
	case "proxy":
		src = s.Proxy.Source
	case "no_proxy":
		src = s.NoProxy.Source
	case "cli_auth_credentials_store":
		src = s.CredentialsStore.Source
	}
	if src == "" || src == "default" {
		return ""
	}
	return " (it comes from " + src + ")"
}
