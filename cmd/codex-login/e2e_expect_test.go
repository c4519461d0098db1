//go:build e2e

package main_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/codex-login/codex-login/login/logintest"
)

// wantSuccess: exit 0, the browser reached the success page, auth.json is
// what Codex writes, and the real Codex CLI reads it.
func (r *e2eRun) wantSuccess(t *testing.T, w *e2eWorld) {
	t.Helper()
	if r.Exit != 0 {
		t.Fatalf("exit %d, want 0", r.Exit)
	}
	if !r.BrowserOpened() {
		t.Errorf("the browser was not opened")
	} else if log, body := r.BrowserResult(); !strings.Contains(body, "Signed in to Codex") {
		t.Errorf("the browser did not end on the success page:\n%s\nlast page: %.300s", log, body)
	}
	a := r.checkAuthFile(t, w)
	if w.owners[a.Tokens.LoginOwnerID] {
		t.Errorf("login_owner_id is the same as an earlier login's: it must be new every login")
	}
	w.owners[a.Tokens.LoginOwnerID] = true
	r.checkCodexStatus(t, w)
}

// wantFailure: exit 1 with an error and a hint naming each of want
// (case-insensitive), the browser never opened, the old auth.json intact.
func (r *e2eRun) wantFailure(t *testing.T, old []byte, want ...string) {
	t.Helper()
	if r.Exit != 1 {
		t.Errorf("exit %d, want 1", r.Exit)
	}
	if !strings.HasPrefix(r.Stderr, "codex-login: error: ") && !strings.Contains(r.Stderr, "\ncodex-login: error: ") {
		t.Errorf("stderr has no line starting %q", "codex-login: error: ")
	}
	if !strings.Contains(r.Stderr, "\ncodex-login: hint: ") {
		t.Errorf("stderr has no line starting %q after the error", "codex-login: hint: ")
	}
	for _, s := range want {
		if !strings.Contains(strings.ToLower(r.Stderr), strings.ToLower(s)) {
			t.Errorf("stderr does not mention %s", s)
		}
	}
	if r.BrowserOpened() {
		t.Errorf("the browser was opened before the failure was found")
	}
	path := filepath.Join(r.codexHome, "auth.json")
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, old) {
		t.Errorf("the existing auth.json changed (%v)", err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm() != 0o600 {
		t.Errorf("the existing auth.json is now mode %v", fi.Mode().Perm())
	}
	r.checkCodexHomeClean(t)
}

// seedAuthFile writes an earlier login's auth.json, which Codex accepts,
// and returns its bytes.
func (r *e2eRun) seedAuthFile(t *testing.T) []byte {
	t.Helper()
	enc := func(v any) string { b, _ := json.Marshal(v); return base64.RawURLEncoding.EncodeToString(b) }
	jwt := enc(map[string]string{"alg": "RS256", "typ": "JWT"}) + "." + enc(map[string]any{
		"email": "earlier@corp.test", logintest.AuthClaim: map[string]string{"chatgpt_account_id": "acct-earlier", "chatgpt_plan_type": "plus"},
	}) + "." + base64.RawURLEncoding.EncodeToString([]byte("earlier-signature"))
	var a e2eAuthFile
	a.AuthMode = "chatgpt"
	a.Tokens.IDToken, a.Tokens.AccessToken, a.Tokens.RefreshToken = jwt, jwt, "rt_earlier"
	a.Tokens.OAuthProvenance.Issuer, a.Tokens.OAuthProvenance.ClientID = r.Issuer, logintest.DefaultClientID
	a.Tokens.LoginOwnerID = base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	a.Tokens.AccountID = "acct-earlier"
	a.LastRefresh = "2026-01-02T03:04:05.123456789Z"
	b, err := json.MarshalIndent(&a, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(r.codexHome, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(r.codexHome, "auth.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return b
}

// expectThroughSquid runs fn and checks that the binary's token exchange
// (a POST the browser never makes) went through the squid logging to log.
func (r *e2eRun) expectThroughSquid(t *testing.T, w *e2eWorld, log string, fn func()) {
	t.Helper()
	token := r.Issuer + "/oauth/token"
	before := w.squid.Count(t, log, "POST", token)
	fn()
	if r.Exit != 0 {
		return // wantSuccess says why
	}
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if w.squid.Count(t, log, "POST", token) > before {
			return
		}
	}
	t.Errorf("squid (%s) logged no POST %s: the token exchange did not go through it", filepath.Base(filepath.Dir(log)), token)
}

// expectDirect runs fn and checks that nothing reached the issuer's name
// through either squid.
func (r *e2eRun) expectDirect(t *testing.T, w *e2eWorld, fn func()) {
	t.Helper()
	u, err := url.Parse(r.Issuer)
	if err != nil {
		t.Fatal(err)
	}
	count := func() int {
		return w.squid.Count(t, w.squid.accessLog, "CONNECT", u.Host) + w.squid.Count(t, w.squid.authLog, "CONNECT", u.Host)
	}
	before := count()
	fn()
	time.Sleep(300 * time.Millisecond) // squid logs a CONNECT when its tunnel closes
	if n := count() - before; n != 0 {
		t.Errorf("NO_PROXY matched %s, yet squid logged %d CONNECT to it", u.Host, n)
	}
}
