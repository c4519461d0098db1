package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Logout revokes the refresh token at its issuer, removes auth.json and
// keeps Codex's lock files; a second logout has nothing to do.
func TestLogoutRevokesAndRemoves(t *testing.T) {
	w := newWorld(t, worldOptions{})
	rt := w.signIn().Tokens.RefreshToken
	code, stdout, stderr := w.run("logout", "--ca", w.caFile, "--json")
	if code != 0 || !strings.Contains(stderr, "Revoked the refresh token at "+w.issuerURL) ||
		!strings.Contains(stderr, "other Codex sessions") || !strings.Contains(stderr, "Signed out: removed "+w.authPath()) {
		t.Fatalf("exit %d, want 0, the revocation and the removal", code)
	}
	if e := jsonEvents(t, stdout)[0]; e["type"] != "logged_out" || e["revoked"] != true || e["removed"] != true {
		t.Fatalf("event %v", e)
	}
	if got := w.issuer.Revoked(); !slices.Equal(got, []string{rt}) {
		t.Fatalf("revoked %d tokens, want the one refresh token", len(got))
	}
	if _, err := os.Stat(w.authPath()); !os.IsNotExist(err) {
		t.Fatalf("auth.json is still there: %v", err)
	}
	for _, lock := range []string{"auth.lock", "auth.json.lock"} {
		if _, err := os.Stat(filepath.Join(w.home, lock)); err != nil {
			t.Errorf("the lock file %s is gone: %v", lock, err)
		}
	}
	code, _, stderr = w.run("logout", "--ca", w.caFile)
	if code != 0 || !strings.Contains(stderr, "Not signed in: nothing to remove") {
		t.Fatalf("second logout: exit %d", code)
	}
	if got := w.issuer.Revoked(); len(got) != 1 {
		t.Fatalf("the second logout revoked again: %d", len(got))
	}
}

// When the issuer cannot be reached the credentials are removed anyway,
// and the output says the token was not revoked (and why, with -v).
func TestLogoutWithTheIssuerUnreachable(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.signIn()
	w.env["HTTPS_PROXY"] = fmt.Sprintf("http://127.0.0.1:%d", freePort(t)) // nothing listens there
	code, _, stderr := w.run("logout", "--ca", w.caFile, "-v")
	if code != 0 || !strings.Contains(stderr, "codex-login: warning: could not revoke the refresh token at "+w.issuerURL) ||
		!strings.Contains(stderr, "(cannot reach proxy http://127.0.0.1:") || !strings.Contains(stderr, "Signed out: removed "+w.authPath()) {
		t.Fatalf("exit %d, want 0, a warning with its reason, and the removal", code)
	}
	if _, err := os.Stat(w.authPath()); !os.IsNotExist(err) {
		t.Fatalf("auth.json is still there: %v", err)
	}
	if len(w.issuer.Revoked()) != 0 {
		t.Fatal("a revocation reached the issuer")
	}
}
