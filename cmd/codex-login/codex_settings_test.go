package main

import (
	"crypto/rand"
	"crypto/rsa"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cli_auth_credentials_store = "ephemeral" is valid Codex configuration in
// each file Codex reads; it means Codex keeps credentials in memory only,
// so the login stops before the browser opens and says so.
func TestEphemeralStoreStopsBeforeTheBrowser(t *testing.T) {
	for _, file := range []string{"codex-home", "etc/config.toml", "etc/managed_config.toml"} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, worldOptions{})
			old := w.writeOld()
			path := filepath.Join(w.home, "config.toml")
			if dir, name, ok := strings.Cut(file, "/"); ok && dir == "etc" {
				path = filepath.Join(w.dir, "etc-codex", name)
			}
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, []byte("model = \"o3\"\ncli_auth_credentials_store = \"ephemeral\"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := w.login("--ca", w.caFile)
			if code != exitFailure || !strings.Contains(stderr, "in memory only") || !strings.Contains(stderr, path) ||
				strings.Count(stderr, "codex-login: hint: ") != 1 {
				t.Fatalf("exit %d:\n%s", code, stderr)
			}
			if w.browserOpened() || strings.Contains(stderr, "/oauth/authorize") {
				t.Fatal("the browser was opened for a login that cannot be saved")
			}
			w.assertUnchanged(old)
		})
	}
}

// Codex loads $CODEX_HOME/.env into its environment, below the real one:
// codex-login uses a proxy and a CA named only there, and says where they
// came from.
func TestProxyAndCAFromCodexHomeDotEnv(t *testing.T) {
	w := newWorld(t, worldOptions{})
	delete(w.env, "HTTPS_PROXY")
	os.MkdirAll(w.home, 0o700)
	dotenv := "# set by IT\nexport HTTPS_PROXY=" + w.proxy.URL().String() + "\nSSL_CERT_FILE=\"" + w.caFile + "\"\nCODEX_HOME=/elsewhere\n"
	envFile := filepath.Join(w.home, ".env")
	if err := os.WriteFile(envFile, []byte(dotenv), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := w.login("-v")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "HTTPS_PROXY in "+envFile) || !strings.Contains(stderr, "SSL_CERT_FILE in "+envFile) {
		t.Fatalf("-v does not say the proxy and the CA came from %s:\n%s", envFile, stderr)
	}
	checkAuthFile(t, w.authPath(), w.issuerURL)
	if n := w.proxy.Connects(issuerHost); n != 1 {
		t.Fatalf("%d tunnels through the .env proxy, want 1", n)
	}

	// The real environment beats the file.
	old, _ := os.ReadFile(w.authPath())
	w.env["HTTPS_PROXY"] = "http://127.0.0.1:1"
	code, _, stderr = w.login()
	if code != exitFailure || !strings.Contains(stderr, "127.0.0.1:1") {
		t.Fatalf("the real HTTPS_PROXY did not win over .env: exit %d\n%s", code, stderr)
	}
	// Codex itself would take the file's proxy: say so.
	if !strings.Contains(stderr, "codex-login: warning: HTTPS_PROXY is set both here and in "+envFile) {
		t.Fatalf("no warning that Codex takes another proxy:\n%s", stderr)
	}
	w.assertUnchanged(old)
}

// The issuer's bot filter challenges Go's default User-Agent; Codex sends
// none, and neither does codex-login, on any request of a login.
func TestLoginSendsNoGoUserAgent(t *testing.T) {
	w := newWorld(t, worldOptions{})
	if code, _, stderr := w.login("--ca", w.caFile); code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	reqs := w.issuer.Requests()
	for _, r := range reqs {
		if strings.HasPrefix(r, "CHALLENGED") {
			t.Fatalf("the issuer challenged a request: %q", reqs)
		}
	}
	if len(reqs) < 3 {
		t.Fatalf("requests %q: expected the pre-flight, the exchanges and the browser's", reqs)
	}
}

// An inspection CA with an RSA-1024 key: Go accepts it, Codex's TLS stack
// will not. The login succeeds and says what IT must change.
func TestLoginWarnsOfAChainCodexRefuses(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t, worldOptions{proxyCAKey: key})
	code, _, stderr := w.login("--ca", w.caFile)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, `codex-login: warning: Codex will refuse the certificate "Corp Inspection CA" shown for auth.corp.test: its RSA key has 1024 bits`) {
		t.Fatalf("no warning about the 1024-bit CA:\n%s", stderr)
	}
	w2 := newWorld(t, worldOptions{})
	if _, _, stderr := w2.login("--ca", w2.caFile); strings.Contains(stderr, "warning") {
		t.Fatalf("a chain Codex accepts drew a warning:\n%s", stderr)
	}
}
