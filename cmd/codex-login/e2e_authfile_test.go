//go:build e2e

package main_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/codex-login/codex-login/login/logintest"
)

// e2eAuthFile is auth.json as Codex lays it out: the field order
// here is the key order there, so marshalling it back must give the file's
// exact bytes.
type e2eAuthFile struct {
	AuthMode     string  `json:"auth_mode"`
	OpenAIAPIKey *string `json:"OPENAI_API_KEY"`
	Tokens       struct {
		IDToken         string `json:"id_token"`
		AccessToken     string `json:"access_token"`
		RefreshToken    string `json:"refresh_token"`
		OAuthProvenance struct {
			Issuer   string `json:"issuer"`
			ClientID string `json:"client_id"`
		} `json:"oauth_provenance"`
		LoginOwnerID string `json:"login_owner_id"`
		AccountID    string `json:"account_id"`
	} `json:"tokens"`
	LastRefresh string `json:"last_refresh"`
}

var e2eLastRefresh = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,9}Z$`)

// checkAuthFile checks $CODEX_HOME/auth.json field by field against Codex's
// layout, and that no secret in it was printed. It returns the file.
func (r *e2eRun) checkAuthFile(t *testing.T, w *e2eWorld) *e2eAuthFile {
	t.Helper()
	path := filepath.Join(r.codexHome, "auth.json")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("auth.json: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("auth.json mode %v, want 0600", fi.Mode().Perm())
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var a e2eAuthFile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("auth.json does not have the fields Codex writes: %v\n%s", err, raw)
	}
	var want bytes.Buffer // serde_json's pretty printer: 2 spaces, no HTML escapes, no final newline
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&a); err != nil {
		t.Fatal(err)
	}
	if want := bytes.TrimSuffix(want.Bytes(), []byte("\n")); !bytes.Equal(raw, want) {
		t.Errorf("auth.json is not laid out as Codex writes it (2-space indent, key order, every key, no trailing newline)\ngot:\n%s\nwant:\n%s", raw, want)
	}

	if a.AuthMode != "chatgpt" {
		t.Errorf("auth_mode %q, want chatgpt", a.AuthMode)
	}
	if r.NoAPIKey {
		if a.OpenAIAPIKey != nil {
			t.Errorf("OPENAI_API_KEY is set, but this flow asks for no API key")
		}
	} else if a.OpenAIAPIKey == nil || !slices.Contains(w.issuer.APIKeys(), *a.OpenAIAPIKey) {
		t.Errorf("OPENAI_API_KEY is not the key the issuer handed out (the exchange succeeds in this suite)")
	}
	r.checkIDToken(t, a.Tokens.IDToken)
	if a.Tokens.AccessToken == "" || len(strings.Split(a.Tokens.AccessToken, ".")) != 3 {
		t.Errorf("access_token is not the issuer's JWT")
	}
	if !strings.HasPrefix(a.Tokens.RefreshToken, "rt_") {
		t.Errorf("refresh_token is not the issuer's rt_ token")
	}
	if p := a.Tokens.OAuthProvenance; p.Issuer != r.Issuer || p.ClientID != logintest.DefaultClientID {
		t.Errorf("oauth_provenance %+v, want issuer %s, client_id %s", p, r.Issuer, logintest.DefaultClientID)
	}
	if b, err := base64.RawURLEncoding.DecodeString(a.Tokens.LoginOwnerID); err != nil || len(b) != 32 {
		t.Errorf("login_owner_id %q is not 32 bytes in unpadded base64url", a.Tokens.LoginOwnerID)
	}
	if a.Tokens.AccountID != "acct-corp-test" {
		t.Errorf("account_id %q, want acct-corp-test", a.Tokens.AccountID)
	}
	if !e2eLastRefresh.MatchString(a.LastRefresh) {
		t.Errorf("last_refresh %q is not RFC 3339 UTC with fractional seconds", a.LastRefresh)
	} else if at, _ := time.Parse(time.RFC3339Nano, a.LastRefresh); time.Since(at) > r.Took+time.Minute || time.Until(at) > time.Minute {
		t.Errorf("last_refresh %s is not the time of this login", a.LastRefresh)
	}

	secrets := []string{a.Tokens.IDToken, a.Tokens.AccessToken, a.Tokens.RefreshToken}
	if a.OpenAIAPIKey != nil {
		secrets = append(secrets, *a.OpenAIAPIKey)
	}
	r.checkNotPrinted(t, secrets...)
	r.checkCodexHomeClean(t)
	return &a
}

// checkIDToken: a three-part RS256 JWT signed by the issuer, with its claims.
func (r *e2eRun) checkIDToken(t *testing.T, tok string) {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Errorf("id_token has %d parts, want 3", len(parts))
		return
	}
	key, err := logintest.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err != nil || rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], sig) != nil {
		t.Errorf("id_token signature does not verify with the issuer's key")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	var claims struct {
		Iss   string   `json:"iss"`
		Aud   []string `json:"aud"`
		Email string   `json:"email"`
		Auth  struct {
			AccountID string `json:"chatgpt_account_id"`
			Plan      string `json:"chatgpt_plan_type"`
		} `json:"https://api.openai.com/auth"`
	}
	if err != nil || json.Unmarshal(payload, &claims) != nil {
		t.Errorf("id_token payload is not base64url JSON")
		return
	}
	if claims.Iss != r.Issuer || !slices.Contains(claims.Aud, logintest.DefaultClientID) || claims.Email != "dev@corp.test" ||
		claims.Auth.AccountID != "acct-corp-test" || claims.Auth.Plan != "plus" {
		t.Errorf("id_token claims %+v are not the issuer's", claims)
	}
}

// checkNotPrinted fails when any of secrets appears in the binary's output.
func (r *e2eRun) checkNotPrinted(t *testing.T, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && (strings.Contains(r.Stdout, s) || strings.Contains(r.Stderr, s)) {
			t.Errorf("a secret (%d chars, starting %.6q) was printed", len(s), s)
		}
	}
}

// checkCodexHomeClean: nothing but auth.json, Codex's lock files and the
// settings files a case wrote itself (codex-login never writes those).
func (r *e2eRun) checkCodexHomeClean(t *testing.T) {
	t.Helper()
	entries, err := os.ReadDir(r.codexHome)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch n := e.Name(); n {
		case "auth.json", "auth.lock", "auth.json.lock", ".env", "config.toml":
		default:
			t.Errorf("CODEX_HOME holds %s besides auth.json (a leftover temp file?)", n)
		}
	}
}

// checkCodexStatus runs the real `codex login status` on CODEX_HOME. Codex
// 0.169.0 prints its verdict on stderr.
func (r *e2eRun) checkCodexStatus(t *testing.T, w *e2eWorld) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.codex, "login", "status")
	cmd.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + r.home, "CODEX_HOME=" + r.codexHome, "TMPDIR=" + os.TempDir()}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Logged in using ChatGPT") {
		t.Errorf("codex login status: %v\n%s", err, out)
	}
}
