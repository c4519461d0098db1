package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/login/logintest"
)

// Without the proxy's CA the login stops before the browser opens, names
// that CA, and leaves auth.json alone.
func TestLoginWithoutProxyCAFailsBeforeBrowser(t *testing.T) {
	w := newWorld(t, worldOptions{})
	old := w.writeOld()
	code, _, stderr := w.login()
	if code != exitFailure {
		t.Fatalf("exit %d, want %d", code, exitFailure)
	}
	if !strings.Contains(stderr, `codex-login: error: cannot verify auth.corp.test`) || !strings.Contains(stderr, `"Corp Inspection CA"`) {
		t.Fatalf("error does not name the host and the proxy's CA:\n%s", stderr)
	}
	if !strings.Contains(stderr, "codex-login: hint: ") || !strings.Contains(stderr, "--ca") {
		t.Fatalf("no hint to pass --ca:\n%s", stderr)
	}
	if w.browserOpened() || strings.Contains(stderr, "/oauth/authorize") {
		t.Fatal("the browser was opened although the issuer could not be verified")
	}
	w.assertUnchanged(old)
}

// With --ca: success, Codex's auth.json, one TLS connection to the issuer.
func TestLoginWithCAThroughInterceptingProxy(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.writeOld()
	code, stdout, stderr := w.login("--ca", w.caFile, "--json")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	events := jsonEvents(t, stdout)
	res := events[len(events)-1]
	if res["type"] != "success" || res["email"] != "dev@corp.test" || res["account_id"] != "acct-corp-test" || res["path"] != w.authPath() || res["store"] != "file" {
		t.Fatalf("last event %v", res)
	}
	checkAuthFile(t, w.authPath(), w.issuerURL)
	// A revocation can sign out every session of the account: a new login
	// replaces the old credentials and revokes nothing.
	if got := w.issuer.Revoked(); len(got) != 0 {
		t.Fatalf("a new login revoked %d refresh tokens", len(got))
	}
	if n := w.proxy.Connects(issuerHost); n != 1 {
		t.Fatalf("codex-login opened %d TLS connections to the issuer, want 1", n)
	}
	w.assertNoSecrets(stdout + stderr)
}

// checkAuthFile holds the file to Codex's layout, field by field.
func checkAuthFile(t *testing.T, path, issuer string) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("auth.json mode %v", info.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if data[len(data)-1] == '\n' || !strings.HasPrefix(string(data), "{\n  \"auth_mode\": \"chatgpt\",\n  \"OPENAI_API_KEY\": \"sk-") {
		t.Fatalf("layout differs from Codex's:\n%s", data)
	}
	f, err := codexauth.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	claims, err := codexauth.ParseIDToken(f.Tokens.IDToken)
	if err != nil {
		t.Fatal(err)
	}
	p := f.Tokens.OAuthProvenance
	switch {
	case f.Tokens.AccessToken == "" || !strings.HasPrefix(f.Tokens.RefreshToken, "rt_"):
		t.Fatal("tokens missing")
	case p == nil || p.Issuer != issuer || p.ClientID != logintest.DefaultClientID:
		t.Fatalf("oauth_provenance %+v", p)
	case len(f.Tokens.LoginOwnerID) != 43:
		t.Fatalf("login_owner_id %q", f.Tokens.LoginOwnerID)
	case f.Tokens.AccountID == nil || *f.Tokens.AccountID != claims.AccountID:
		t.Fatalf("account_id %v, id_token says %q", f.Tokens.AccountID, claims.AccountID)
	case len(f.LastRefresh) != len("2026-11-22T13:41:38.806162202Z") || !strings.HasSuffix(f.LastRefresh, "Z"):
		t.Fatalf("last_refresh %q", f.LastRefresh)
	}
	keys := []string{`"auth_mode"`, `"OPENAI_API_KEY"`, `"tokens"`, `"id_token"`, `"access_token"`, `"refresh_token"`, `"oauth_provenance"`, `"login_owner_id"`, `"account_id"`, `"last_refresh"`}
	last := -1
	for _, k := range keys {
		i := strings.Index(string(data), k)
		if i < last {
			t.Fatalf("key %s out of order", k)
		}
		last = i
	}
}

// The CA reaches the pool from each source a person may use.
func TestLoginCAFromEachSource(t *testing.T) {
	cases := map[string]func(w *world){
		"config file": func(w *world) {
			os.MkdirAll(w.home, 0o700)
			cfg := fmt.Sprintf("model = \"o3\"\n\n[login]\nca_certificate = [%q]\n\n[mcp_servers.docs]\ncommand = \"docs\"\n", w.caFile)
			if err := os.WriteFile(filepath.Join(w.home, "config.toml"), []byte(cfg), 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"CODEX_CA_CERTIFICATE": func(w *world) { w.env["CODEX_CA_CERTIFICATE"] = w.caFile },
		"SSL_CERT_FILE":        func(w *world) { w.env["SSL_CERT_FILE"] = w.caFile },
		"SSL_CERT_DIR":         func(w *world) { w.env["SSL_CERT_DIR"] = filepath.Dir(w.caFile) },
		"--config":             nil,
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, worldOptions{})
			args := []string{}
			if setup != nil {
				setup(w)
			} else {
				cfg := filepath.Join(w.dir, "extra.toml")
				os.WriteFile(cfg, []byte("[login]\nca_certificate = \"corp.pem\"\n"), 0o600)
				args = append(args, "--config", cfg)
			}
			if code, _, stderr := w.login(args...); code != 0 {
				t.Fatalf("exit %d:\n%s", code, stderr)
			}
			checkAuthFile(t, w.authPath(), w.issuerURL)
		})
	}
}

// A proxy that wants Basic auth: explained without credentials, the
// password never printed, success with them.
func TestLoginThroughAuthenticatingProxy(t *testing.T) {
	const pw = "s3cr#t pass"
	w := newWorld(t, worldOptions{user: "dev", pw: pw})
	old := w.writeOld()
	code, _, stderr := w.login("--ca", w.caFile)
	if code != exitFailure || !strings.Contains(stderr, "Basic") || !strings.Contains(stderr, "hint: put your proxy user name and password") {
		t.Fatalf("exit %d; 407 not explained:\n%s", code, stderr)
	}
	w.assertUnchanged(old)

	wrong := strings.Replace(w.proxy.URL().String(), "://", "://dev:wrong-Pa55@", 1)
	w.env["HTTPS_PROXY"] = wrong
	code, _, stderr = w.login("--ca", w.caFile)
	if code != exitFailure || !strings.Contains(stderr, "check the user name and password") {
		t.Fatalf("exit %d; wrong password not explained:\n%s", code, stderr)
	}
	w.assertNoSecrets(stderr, "wrong-Pa55")
	w.assertUnchanged(old)

	right := strings.Replace(w.proxy.URL().String(), "://", "://dev:s3cr%23t%20pass@", 1)
	code, _, stderr = w.login("--ca", w.caFile, "--proxy", right, "-v")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	w.assertNoSecrets(stderr, pw, "s3cr%23t%20pass", "s3cr")
	checkAuthFile(t, w.authPath(), w.issuerURL)
}

// An https:// proxy with Basic auth: TLS to the proxy (verified with the
// same pool), then the inspected tunnel inside it.
func TestLoginThroughHTTPSProxy(t *testing.T) {
	w := newWorld(t, worldOptions{user: "dev", pw: "pw-9", httpsProxy: true})
	w.env["HTTPS_PROXY"] = strings.Replace(w.proxy.URL().String(), "://", "://dev:pw-9@", 1)
	code, _, stderr := w.login("--ca", w.caFile)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	checkAuthFile(t, w.authPath(), w.issuerURL)
	if n := w.proxy.Connects(issuerHost); n != 1 {
		t.Fatalf("%d tunnels, want 1", n)
	}
	w.assertNoSecrets(stderr, "pw-9")
}

// Port 1455 held by something that ignores /cancel: 1457 is used, and
// the issuer (which registers only 1455 and 1457) accepts it.
func TestLoginFallsBackTo1457(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:1455")
	if err != nil {
		t.Skip("port 1455 is in use on this machine")
	}
	defer busy.Close()
	go http.Serve(busy, http.NotFoundHandler())
	if probe, err := net.Listen("tcp", "127.0.0.1:1457"); err != nil {
		t.Skip("port 1457 is in use on this machine")
	} else {
		probe.Close()
	}
	w := newWorld(t, worldOptions{defaultPorts: true})
	code, _, stderr := w.login("--ca", w.caFile, "-v")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "waiting for the browser on 127.0.0.1:1457") {
		t.Fatalf("1457 not used:\n%s", stderr)
	}
}

// Nobody signs in before --timeout: nothing changes.
func TestLoginTimeoutChangesNothing(t *testing.T) {
	w := newWorld(t, worldOptions{})
	old := w.writeOld()
	w.env["BROWSER"] = "true"
	code, _, stderr := w.login("--ca", w.caFile, "--timeout", "1s")
	if code != exitFailure || !strings.Contains(stderr, "no sign-in came back from the browser within 1s") {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	w.assertUnchanged(old)
	if len(w.issuer.Revoked()) != 0 {
		t.Fatal("a timed-out login revoked the old token")
	}
}

func TestLoginDeniedExitsFour(t *testing.T) {
	w := newWorld(t, worldOptions{issuer: logintest.Options{DenyError: "access_denied", DenyDescription: "missing_codex_entitlement"}})
	old := w.writeOld()
	code, _, stderr := w.login("--ca", w.caFile)
	if code != exitDenied || !strings.Contains(stderr, "Codex is not enabled for your ChatGPT workspace") || !strings.Contains(stderr, "workspace admin") {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	w.assertUnchanged(old)
}

func TestLoginBadInputIsAUsageOrConfigError(t *testing.T) {
	w := newWorld(t, worldOptions{})
	old := w.writeOld()
	os.WriteFile(filepath.Join(w.home, "config.toml"), []byte("[login]\nca_certficate = \"x.pem\"\n"), 0o600)
	code, _, stderr := w.login("--ca", w.caFile)
	if code != exitFailure || !strings.Contains(stderr, "config.toml:2") || !strings.Contains(stderr, "ca_certficate") {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	os.Remove(filepath.Join(w.home, "config.toml"))

	code, _, stderr = w.login("--ca", filepath.Join(w.dir, "missing.pem"))
	if code != exitFailure || !strings.Contains(stderr, "missing.pem") || !strings.Contains(stderr, "--ca") {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	code, _, stderr = w.login("--bogus")
	if code != exitUsage || !strings.Contains(stderr, "--bogus") {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	code, _, stderr = w.login("extra-arg")
	if code != exitUsage {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	code, _, stderr = w.login("--issuer", "http://auth.corp.test")
	if code != exitUsage || !strings.Contains(stderr, "https") {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	w.assertUnchanged(old)
}

// The machine-wide file (IT's) sits below the user's own settings: its
// proxy is used, and --proxy overrides it.
func TestLoginSystemConfigFile(t *testing.T) {
	w := newWorld(t, worldOptions{})
	delete(w.env, "HTTPS_PROXY")
	sys := fmt.Sprintf("[login]\nproxy = %q\nca_certificate = %q\n", w.proxy.URL().String(), w.caFile)
	if err := os.WriteFile(filepath.Join(w.dir, "system-config.toml"), []byte(sys), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := w.login("-v"); code != 0 || !strings.Contains(stderr, "system-config.toml") {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	code, _, stderr := w.login("--proxy", "http://127.0.0.1:1")
	if code != exitFailure || !strings.Contains(stderr, "127.0.0.1:1") {
		t.Fatalf("--proxy did not override the system file: exit %d\n%s", code, stderr)
	}
}
