package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/codex-login/codex-login/codexauth"
)

// run runs codex-login ARGS in-process with the world's environment and
// no flags of its own, and checks that no token was printed.
func (w *world) run(args ...string) (code int, stdout, stderr string) {
	w.t.Helper()
	var out, errOut bytes.Buffer
	e := env{getenv: func(k string) string { return w.env[k] }, stdout: &out, stderr: &errOut,
		systemFile: filepath.Join(w.dir, "system-config.toml"), codexSystemDir: filepath.Join(w.dir, "etc-codex"),
		root: fstest.MapFS{}, limits: w.limits, keyring: w.keyring, systemProxy: w.systemProxy}
	code = run(context.Background(), args, e)
	w.t.Logf("codex-login %s → %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
	w.assertNoSecrets(out.String()+errOut.String(), w.issuer.Secrets()...)
	return code, out.String(), errOut.String()
}

// signIn logs in through the world's proxy and issuer.
func (w *world) signIn() *codexauth.AuthFile {
	w.t.Helper()
	if code, _, stderr := w.login("--ca", w.caFile); code != 0 {
		w.t.Fatalf("login: exit %d\n%s", code, stderr)
	}
	return w.loadAuth()
}

func (w *world) loadAuth() *codexauth.AuthFile {
	w.t.Helper()
	auth, err := (&codexauth.FileStore{Home: w.home}).Load(context.Background())
	if err != nil || auth == nil {
		w.t.Fatalf("load auth.json: %v (%v)", err, auth)
	}
	return auth
}

// editAuth changes the signed-in auth.json as another program might have.
func (w *world) editAuth(edit func(*codexauth.AuthFile)) {
	w.t.Helper()
	auth := w.loadAuth()
	edit(auth)
	if err := (&codexauth.FileStore{Home: w.home}).Save(context.Background(), auth); err != nil {
		w.t.Fatal(err)
	}
}

// unsignedJWT is a JWT with the given claims, as Codex decodes it.
func unsignedJWT(claims map[string]any) string {
	payload, _ := json.Marshal(claims)
	return "eyJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString(payload) + ".c2ln"
}

func TestStatusShowsTheLoginButNoToken(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.signIn()
	code, _, stderr := w.run("status")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"Signed in to Codex as dev@corp.test", "plus", "acct-corp-test", w.issuerURL, "(in 10 days)", "file, " + w.authPath()} {
		if !strings.Contains(stderr, want) {
			t.Errorf("status does not show %q", want)
		}
	}
	if strings.Contains(stderr, "warning") {
		t.Errorf("a good login has warnings:\n%s", stderr)
	}
	code, stdout, _ := w.run("status", "--json")
	events := jsonEvents(t, stdout)
	e := events[len(events)-1]
	if code != 0 || e["type"] != "status" || e["signed_in"] != true || e["email"] != "dev@corp.test" || e["plan"] != "plus" ||
		e["account_id"] != "acct-corp-test" || e["issuer"] != w.issuerURL || e["store"] != "file" || e["path"] != w.authPath() || e["expires_at"] == "" || e["last_refresh"] == "" || fmt.Sprint(e["warnings"]) != "[]" {
		t.Fatalf("exit %d, event %v", code, e)
	}
}

func TestStatusShowsAnExpiredAccessToken(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.signIn()
	w.editAuth(func(a *codexauth.AuthFile) {
		a.Tokens.AccessToken = unsignedJWT(map[string]any{"exp": time.Now().Add(-2*time.Hour - time.Minute).Unix()})
	})
	if code, _, stderr := w.run("status"); code != 0 || !strings.Contains(stderr, "(expired 2 hours ago)") {
		t.Fatalf("exit %d, want 0 and the expiry in the past", code)
	}
}

func TestStatusWarnsOfAFileOthersCanRead(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes are a unix check")
	}
	w := newWorld(t, worldOptions{})
	w.signIn()
	if err := os.Chmod(w.authPath(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := w.run("status")
	if code != 0 || !strings.Contains(stderr, "codex-login: warning: "+w.authPath()+" has mode 0644, not 0600") || !strings.Contains(stderr, "chmod 600") {
		t.Fatalf("exit %d, want 0 and a warning about the mode", code)
	}
}

// Credentials Codex would refuse are shown, with the reason, and exit 1.
func TestStatusNamesWhatCodexWouldRefuse(t *testing.T) {
	for name, c := range map[string]struct {
		edit func(*codexauth.AuthFile)
		env  string // OPENAI_API_KEY in the environment
		want string
	}{
		"malformed id_token":    {edit: func(a *codexauth.AuthFile) { a.Tokens.IDToken = "not-a-jwt" }, want: "auth.json: the id_token is not a JWT"},
		"no refresh token":      {edit: func(a *codexauth.AuthFile) { a.Tokens.RefreshToken = "" }, want: "no refresh_token"},
		"API key, no auth_mode": {edit: func(a *codexauth.AuthFile) { a.AuthMode = "" }, want: "no auth_mode but holds an OPENAI_API_KEY"},
	} {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, worldOptions{})
			w.signIn()
			w.editAuth(c.edit)
			w.env["OPENAI_API_KEY"] = c.env
			code, _, stderr := w.run("status")
			if code != exitFailure || !strings.Contains(stderr, "codex-login: error: not signed in: ") || !strings.Contains(stderr, c.want) ||
				!strings.Contains(stderr, "codex-login: hint: sign in again: codex-login") {
				t.Fatalf("exit %d, want 1 with the reason %q and a hint to sign in again", code, c.want)
			}
		})
	}
}

func TestStatusWithoutCredentials(t *testing.T) {
	w := newWorld(t, worldOptions{})
	code, stdout, stderr := w.run("status", "--json")
	if code != exitFailure || !strings.Contains(stderr, "codex-login: error: not signed in: no credentials in "+w.authPath()) ||
		!strings.Contains(stderr, "codex-login: hint: run: codex-login\n") {
		t.Fatalf("exit %d, want 1, not signed in, and a hint to sign in", code)
	}
	if e := jsonEvents(t, stdout)[0]; e["type"] != "status" || e["signed_in"] != false {
		t.Fatalf("first event %v", e)
	}
}
