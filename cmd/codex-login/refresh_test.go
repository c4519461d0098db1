package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

// A refresh rotates every token, keeps what identifies the login, and
// the refresh token it used is refused afterwards: a stale copy of the
// file can only sign in again.
func TestRefreshRotatesTheTokens(t *testing.T) {
	w := newWorld(t, worldOptions{})
	before := w.signIn()
	stale, err := os.ReadFile(w.authPath())
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := w.run("refresh", "--ca", w.caFile, "--json")
	if code != 0 || !strings.Contains(stderr, "Refreshed the tokens of dev@corp.test; the access token expires ") || !strings.Contains(stderr, "(in 10 days)") {
		t.Fatalf("exit %d, want 0 and the new expiry", code)
	}
	events := jsonEvents(t, stdout)
	if e := events[len(events)-1]; e["type"] != "refreshed" || e["email"] != "dev@corp.test" || e["path"] != w.authPath() || e["expires_at"] == "" {
		t.Fatalf("last event %v", e)
	}
	after := w.loadAuth()
	b, a := before.Tokens, after.Tokens
	if a.RefreshToken == b.RefreshToken || a.AccessToken == b.AccessToken || a.IDToken == b.IDToken {
		t.Fatal("the tokens were not replaced")
	}
	if *a.AccountID != *b.AccountID || *a.OAuthProvenance != *b.OAuthProvenance || a.LoginOwnerID != b.LoginOwnerID ||
		after.AuthMode != "chatgpt" || *after.OpenAIAPIKey != *before.OpenAIAPIKey {
		t.Fatalf("the refresh changed what identifies the login: %+v", a)
	}
	if last, err := time.Parse("2006-01-02T15:04:05.000000000Z", after.LastRefresh); err != nil || time.Since(last) > time.Minute || after.LastRefresh == before.LastRefresh {
		t.Fatalf("last_refresh %q", after.LastRefresh)
	}
	checkAuthFile(t, w.authPath(), w.issuerURL)

	// The copy from before the refresh holds a refresh token already used.
	if err := os.WriteFile(w.authPath(), stale, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = w.run("refresh", "--ca", w.caFile)
	if code != exitFailure || !strings.Contains(stderr, "it was already used: refresh tokens are single use") ||
		!strings.Contains(stderr, "codex-login: hint: sign in again: codex-login\n") {
		t.Fatalf("exit %d, want 1, the reuse explained and a hint to sign in again", code)
	}
	w.assertUnchanged(stale)
}

// The refresh token goes back to the issuer that issued it, whatever
// --issuer names.
func TestRefreshGoesToTheIssuerOfTheTokens(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.signIn()
	code, _, _ := w.run("refresh", "--ca", w.caFile, "--issuer", "https://elsewhere.test")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
}

func TestRefreshWithoutCredentials(t *testing.T) {
	w := newWorld(t, worldOptions{})
	code, _, stderr := w.run("refresh", "--ca", w.caFile)
	if code != exitFailure || !strings.Contains(stderr, "not signed in: no credentials in "+w.authPath()) || !strings.Contains(stderr, "hint: run: codex-login\n") {
		t.Fatalf("exit %d", code)
	}
	if _, err := os.Stat(w.home); !os.IsNotExist(err) {
		t.Fatalf("refresh created CODEX_HOME: %v", err)
	}
	if got := w.issuer.Requests(); len(got) != 0 {
		t.Fatalf("requests sent without credentials: %v", got)
	}
}
