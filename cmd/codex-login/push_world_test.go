package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/spf13/cobra"

	"github.com/codex-login/codex-login/codexauth"
)

// pushWorld is this machine's CODEX_HOME with a login in it, and a target:
// another HOME in a temp dir, reached by running the remote script with
// the local sh (--via "env HOME=TARGET").
type pushWorld struct {
	t              *testing.T
	dir, local     string // local is CODEX_HOME here
	target         string // the target's HOME; Codex's home there is target/.codex
	env            map[string]string
	keyring        codexauth.Keyring // nil: none
	original       []byte            // the local auth.json
	secrets        []string          // every token in it
	stdout, stderr string
}

func newPushWorld(t *testing.T) *pushWorld {
	dir := t.TempDir()
	w := &pushWorld{t: t, dir: dir, local: filepath.Join(dir, "local-codex"), target: filepath.Join(dir, "target")}
	w.env = map[string]string{"HOME": filepath.Join(dir, "local-home"), "CODEX_HOME": w.local}
	key, account := "sk-proj-push-test-api-key", "acct-push"
	auth := &codexauth.AuthFile{
		AuthMode: "chatgpt", OpenAIAPIKey: &key, LastRefresh: "2026-01-01T00:00:00.000000000Z",
		Tokens: &codexauth.Tokens{
			IDToken: "eyJhbGciOiJub25lIn0.eyJlbWFpbCI6InB1c2hAY29ycC50ZXN0In0.c2lnLXB1c2g", AccessToken: "at-push-access-token-0123456789",
			RefreshToken: "rt_push-refresh-token-0123456789", AccountID: &account,
			OAuthProvenance: &codexauth.Provenance{Issuer: "https://auth.openai.com", ClientID: "app_test"},
		},
	}
	if err := (&codexauth.FileStore{Home: w.local}).Save(context.Background(), auth); err != nil {
		t.Fatal(err)
	}
	var err error
	if w.original, err = os.ReadFile(w.localPath()); err != nil {
		t.Fatal(err)
	}
	w.secrets = []string{auth.Tokens.IDToken, auth.Tokens.AccessToken, auth.Tokens.RefreshToken, key}
	if err := os.MkdirAll(w.target, 0o755); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *pushWorld) localPath() string  { return filepath.Join(w.local, "auth.json") }
func (w *pushWorld) targetHome() string { return filepath.Join(w.target, ".codex") }
func (w *pushWorld) targetPath() string { return filepath.Join(w.targetHome(), "auth.json") }

// via reaches the target: the remote script runs with the target's HOME.
func (w *pushWorld) via(prefix ...string) string {
	return strings.Join(append([]string{"env -u CODEX_HOME HOME=" + w.target}, prefix...), " ")
}

// push runs "codex-login push ARGS" in-process, and checks that no token
// was printed.
func (w *pushWorld) push(args ...string) int {
	w.t.Helper()
	var out, errOut bytes.Buffer
	e := env{getenv: func(k string) string { return w.env[k] }, stdout: &out, stderr: &errOut,
		systemFile: filepath.Join(w.dir, "system.toml"), codexSystemDir: filepath.Join(w.dir, "etc-codex"), root: fstest.MapFS{}, keyring: w.keyring}
	a := newApp(e)
	root := newRootCmd(a)
	if !hasCommand(root.Commands(), "push") {
		root.AddCommand(newPushCmd(a))
	}
	root.SetArgs(append([]string{"push"}, args...))
	root.SetOut(&out)
	root.SetErr(&errOut)
	code := 0
	if err := root.ExecuteContext(context.Background()); err != nil {
		code = a.report(err)
	}
	w.stdout, w.stderr = out.String(), errOut.String()
	w.t.Logf("codex-login push %s → %d\n%s%s", strings.Join(args, " "), code, w.stdout, w.stderr)
	for _, s := range w.secrets {
		if strings.Contains(w.stdout+w.stderr, s) {
			w.t.Errorf("a token (%.8s…) was printed", s)
		}
	}
	return code
}

// checkPushed: the target holds the exact bytes, 0600 in a 0700 directory,
// with no temp file beside it.
func (w *pushWorld) checkPushed() {
	w.t.Helper()
	got, err := os.ReadFile(w.targetPath())
	if err != nil || !bytes.Equal(got, w.original) {
		w.t.Fatalf("the target's auth.json is not the local one (%v)", err)
	}
	if fi, err := os.Stat(w.targetPath()); err != nil || fi.Mode().Perm() != 0o600 {
		w.t.Errorf("the target's auth.json: %v, want mode 0600", err)
	}
	if fi, err := os.Stat(w.targetHome()); err != nil || fi.Mode().Perm() != 0o700 {
		w.t.Errorf("the target's CODEX_HOME: %v, want mode 0700", err)
	}
	entries, _ := os.ReadDir(w.targetHome())
	for _, e := range entries {
		if e.Name() != "auth.json" && !strings.HasSuffix(e.Name(), ".lock") {
			w.t.Errorf("the target's CODEX_HOME also holds %s", e.Name())
		}
	}
}

// checkLocalKept: the local auth.json is exactly as before.
func (w *pushWorld) checkLocalKept() {
	w.t.Helper()
	if got, err := os.ReadFile(w.localPath()); err != nil || !bytes.Equal(got, w.original) {
		w.t.Errorf("the local auth.json changed (%v)", err)
	}
}

func (w *pushWorld) checkFailed(want ...string) {
	w.t.Helper()
	if strings.Count(w.stderr, "codex-login: error: ") != 1 || strings.Count(w.stderr, "codex-login: hint: ") != 1 {
		w.t.Errorf("want one error and one hint:\n%s", w.stderr)
	}
	for _, s := range want {
		if !strings.Contains(w.stderr, s) {
			w.t.Errorf("stderr does not say %q", s)
		}
	}
	w.checkLocalKept()
}

func hasCommand(cmds []*cobra.Command, name string) bool {
	for _, c := range cmds {
		if c.Name() == name {
			return true
		}
	}
	return false
}
