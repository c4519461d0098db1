package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/keyring"
)

// noKeyring is the keyring of a run that was given none (tests): it cannot
// be used.
type noKeyring struct{}

func (noKeyring) err() error                                            { return &keyring.UnavailableError{Reason: "this run has no keyring"} }
func (k noKeyring) Get(context.Context, string, string) ([]byte, error) { return nil, k.err() }
func (k noKeyring) Set(context.Context, string, string, []byte) error   { return k.err() }
func (k noKeyring) Delete(context.Context, string, string) (bool, error) {
	return false, k.err()
}
func (k noKeyring) Probe(context.Context) error { return k.err() }
func (noKeyring) Describe(service, account string) string {
	return fmt.Sprintf("keyring entry %q for %q", service, account)
}

// keyringFallback is told when cli_auth_credentials_store = "auto" uses
// auth.json because the keyring cannot be used.
func (u *ui) keyringFallback(err error) {
	u.warn("the keyring cannot be used (%v), so the credentials are in auth.json, as Codex does with cli_auth_credentials_store = \"auto\"", err)
}

// keyringHint explains a keyring that cannot be used.
func keyringHint(err error, s *config.Settings) (string, int, bool) {
	var un *keyring.UnavailableError
	if !errors.As(err, &un) {
		return "", 0, false
	}
	fix := "start and unlock your keyring (GNOME Keyring, KDE Wallet or KeePassXC's Secret Service) in this session"
	switch runtime.GOOS {
	case "darwin":
		fix = "unlock the login keychain and allow codex-login to use it"
	case "windows":
		fix = "check that Windows Credential Manager works for your account"
	}
	return fmt.Sprintf(`%s, or keep the credentials in auth.json: set cli_auth_credentials_store = "file"%s`, fix, sourceOf(s, "cli_auth_credentials_store")), exitFailure, true
}
