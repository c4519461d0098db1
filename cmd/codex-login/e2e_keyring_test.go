//go:build e2e

package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The keyring case: a real Secret Service (GNOME Keyring on its own session
// bus) that codex-login writes with cli_auth_credentials_store = "keyring"
// and the real Codex CLI reads, refreshes over and removes.
var e2eKeyringCases = []e2eCase{
	{"keyring_login_with_codex_refresh_logout", func(t *testing.T, w *e2eWorld) {
		bus := e2eStartKeyring(t, w.scripts)
		r := e2eNewRun(t, w)
		r.Env["DBUS_SESSION_BUS_ADDRESS"] = bus
		if err := os.MkdirAll(r.codexHome, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(r.codexHome, "config.toml"), []byte("cli_auth_credentials_store = \"keyring\"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		// Codex writes its own entry first: an API-key login.
		if out, err := r.codex(t, w, "sk-e2e-codex-wrote-this\n", "login", "--with-api-key"); err != nil {
			t.Fatalf("codex login --with-api-key: %v\n%s", err, out)
		}
		if items := e2eKeyringItems(t, bus); len(items) != 1 {
			t.Fatalf("Codex wrote %d items, want 1", len(items))
		}

		r.Args = []string{"--ca", w.squid.CA, "--proxy", w.squid.URL}
		r.Browser = e2eBrowser{w.squid.URL, w.squid.CA}
		r.expectThroughSquid(t, w, w.squid.accessLog, func() { r.Run(t, w) })
		if r.Exit != 0 {
			t.Fatalf("login: exit %d", r.Exit)
		}
		first := r.checkKeyringItem(t, w, bus)
		if _, err := os.Stat(filepath.Join(r.codexHome, "auth.json")); err == nil {
			t.Error("auth.json was written beside the keyring entry")
		}
		if out, err := r.codex(t, w, "", "login", "status"); err != nil || !strings.Contains(out, "Logged in using ChatGPT") {
			t.Fatalf("codex login status: %v\n%s", err, out)
		}

		status := *r
		status.Command, status.Args = "status", []string{"--json"}
		status.Run(t, w)
		if status.Exit != 0 || !strings.Contains(status.Stdout, `"store":"keyring"`) || !strings.Contains(status.Stdout, "Secret Service item") {
			t.Fatalf("status: exit %d\n%s", status.Exit, status.Stdout)
		}

		refresh := *r
		refresh.Command, refresh.Args = "refresh", []string{"--ca", w.squid.CA, "--proxy", w.squid.URL}
		refresh.expectThroughSquid(t, w, w.squid.accessLog, func() { refresh.Run(t, w) })
		if refresh.Exit != 0 {
			t.Fatalf("refresh: exit %d", refresh.Exit)
		}
		if after := r.checkKeyringItem(t, w, bus); after.Tokens.RefreshToken == first.Tokens.RefreshToken {
			t.Fatal("refresh did not replace the tokens in the keyring")
		}
		refresh.checkNotPrinted(t, w.issuer.Secrets()...)

		if out, err := r.codex(t, w, "", "logout"); err != nil {
			t.Fatalf("codex logout: %v\n%s", err, out)
		}
		if items := e2eKeyringItems(t, bus); len(items) != 0 {
			t.Fatalf("codex logout left %d items", len(items))
		}
		logout := *r
		logout.Command, logout.Args = "logout", []string{"--ca", w.squid.CA, "--proxy", w.squid.URL}
		logout.Run(t, w)
		if logout.Exit != 0 || !strings.Contains(logout.Stderr, "nothing to remove (no Secret Service item") {
			t.Fatalf("logout after codex logout: exit %d", logout.Exit)
		}
	}},
}

func init() { e2eCases = append(e2eCases, e2eKeyringCases...) }

// e2eStartKeyring runs keyring.sh start and arranges for keyring.sh stop;
// it returns the bus address.
func e2eStartKeyring(t *testing.T, scripts string) string {
	t.Helper()
	dir := e2eRandomName("codex-login-e2e-keyring-")
	script := filepath.Join(scripts, "keyring.sh")
	if out, err := exec.Command("bash", script, "start", dir).CombinedOutput(); err != nil {
		t.Fatalf("keyring.sh start: %v\n%s", err, out)
	}
	pids := e2eReadPIDs(t, filepath.Join(dir, "pids"))
	t.Cleanup(func() {
		if out, err := exec.Command("bash", script, "stop", dir).CombinedOutput(); err != nil {
			t.Errorf("keyring.sh stop: %v\n%s", err, out)
		}
		for _, pid := range pids {
			if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
				t.Errorf("keyring pid %d still exists after keyring.sh stop", pid)
			}
		}
	})
	return e2eReadEnv(t, filepath.Join(dir, "env"))["DBUS_SESSION_BUS_ADDRESS"]
}

// codex runs the real Codex CLI on the run's CODEX_HOME and session bus.
func (r *e2eRun) codex(t *testing.T, w *e2eWorld, stdin string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.codex, args...)
	cmd.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + r.home, "CODEX_HOME=" + r.codexHome,
		"TMPDIR=" + os.TempDir(), "DBUS_SESSION_BUS_ADDRESS=" + r.Env["DBUS_SESSION_BUS_ADDRESS"]}
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	t.Logf("codex %s: %v\n  %s", strings.Join(args, " "), err, e2eIndent(string(out)))
	return string(out), err
}

// e2eKeyringItem is one item as secret-tool shows it.
type e2eKeyringItem struct {
	label, secret string
	attrs         map[string]string
}

// e2eKeyringItems lists every item of service "Codex Auth" in every collection.
func e2eKeyringItems(t *testing.T, bus string) []e2eKeyringItem {
	t.Helper()
	cmd := exec.Command("secret-tool", "search", "--all", "--unlock", "service", "Codex Auth")
	cmd.Env = []string{"PATH=/usr/bin:/bin", "DBUS_SESSION_BUS_ADDRESS=" + bus}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil && stdout.Len() > 0 {
		t.Fatalf("secret-tool search: %v\n%s", err, stderr.String())
	}
	var items []e2eKeyringItem
	for _, line := range strings.Split(stdout.String()+stderr.String(), "\n") {
		switch k, v, _ := strings.Cut(line, " = "); {
		case strings.HasPrefix(line, "["):
			items = append(items, e2eKeyringItem{attrs: map[string]string{}})
		case len(items) == 0:
		case k == "label":
			items[len(items)-1].label = v
		case k == "secret":
			items[len(items)-1].secret = v
		case strings.HasPrefix(k, "attribute."):
			items[len(items)-1].attrs[strings.TrimPrefix(k, "attribute.")] = v
		}
	}
	return items
}

// checkKeyringItem: exactly one item, with Codex's attributes and label,
// holding the login as Codex's compact JSON; nothing of it printed.
func (r *e2eRun) checkKeyringItem(t *testing.T, w *e2eWorld, bus string) *e2eAuthFile {
	t.Helper()
	items := e2eKeyringItems(t, bus)
	if len(items) != 1 {
		t.Fatalf("%d items for service Codex Auth, want exactly 1", len(items))
	}
	it := items[0]
	user := it.attrs["username"]
	want := map[string]string{"application": "rust-keyring", "service": "Codex Auth", "target": "default", "username": user}
	if len(it.attrs) != 4 || !strings.HasPrefix(user, "cli|") || len(user) != 20 {
		t.Errorf("attributes %v, want exactly %v", it.attrs, want)
	}
	for k, v := range want {
		if it.attrs[k] != v {
			t.Errorf("attribute %s = %q, want %q", k, it.attrs[k], v)
		}
	}
	if wantLabel := user + "@Codex Auth:default (keyring v3.6.3)"; it.label != wantLabel {
		t.Errorf("label %q, want %q", it.label, wantLabel)
	}
	var a e2eAuthFile
	dec := json.NewDecoder(strings.NewReader(it.secret))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("the item does not hold Codex's credentials: %v", err)
	}
	var compact bytes.Buffer
	enc := json.NewEncoder(&compact)
	enc.SetEscapeHTML(false)
	enc.Encode(&a)
	if got := strings.TrimSuffix(compact.String(), "\n"); got != it.secret {
		t.Errorf("the item is not Codex's compact JSON (key order, no whitespace)")
	}
	if a.AuthMode != "chatgpt" || !strings.HasPrefix(a.Tokens.RefreshToken, "rt_") || a.Tokens.AccountID != "acct-corp-test" ||
		a.Tokens.OAuthProvenance.Issuer != r.Issuer {
		t.Errorf("the item does not hold this login (auth_mode %q, account %q)", a.AuthMode, a.Tokens.AccountID)
	}
	r.checkIDToken(t, a.Tokens.IDToken)
	r.checkNotPrinted(t, a.Tokens.IDToken, a.Tokens.AccessToken, a.Tokens.RefreshToken)
	return &a
}
