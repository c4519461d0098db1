package main

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/keyring"
)

// memKeyring is a keyring in memory; with unavailable set, it behaves like
// a Linux session without a Secret Service.
type memKeyring struct {
	mu          sync.Mutex
	entries     map[string][]byte
	unavailable bool
}

func newMemKeyring() *memKeyring { return &memKeyring{entries: map[string][]byte{}} }

func (k *memKeyring) Probe(context.Context) error {
	if k.unavailable {
		return &keyring.UnavailableError{Reason: "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"}
	}
	return nil
}

func (k *memKeyring) Get(ctx context.Context, service, account string) ([]byte, error) {
	if err := k.Probe(ctx); err != nil {
		return nil, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.entries[service+"/"+account], nil
}

func (k *memKeyring) Set(ctx context.Context, service, account string, secret []byte) error {
	if err := k.Probe(ctx); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.entries[service+"/"+account] = append([]byte(nil), secret...)
	return nil
}

func (k *memKeyring) Delete(ctx context.Context, service, account string) (bool, error) {
	if err := k.Probe(ctx); err != nil {
		return false, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	_, ok := k.entries[service+"/"+account]
	delete(k.entries, service+"/"+account)
	return ok, nil
}

func (k *memKeyring) Describe(service, account string) string {
	return `Secret Service item "` + account + `@` + service + `:default (keyring v3.6.3)"`
}

func (k *memKeyring) entry(home string) []byte {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.entries[codexauth.KeyringService+"/"+codexauth.KeyringAccount(home)]
}

// noKeyringSetup is a session without a keyring, with a setting that wants one.
func noKeyringSetup(mode string) func(*testing.T, *world) []string {
	return func(t *testing.T, w *world) []string {
		w.keyring = &memKeyring{unavailable: true}
		writeTestFile(t, w.home+"/config.toml", "cli_auth_credentials_store = \""+mode+"\"\n")
		return []string{"--ca", w.caFile}
	}
}

func TestKeyringLoginStatusRefreshLogout(t *testing.T) {
	w := newWorld(t, worldOptions{})
	kr := newMemKeyring()
	w.keyring = kr
	writeTestFile(t, w.home+"/config.toml", "cli_auth_credentials_store = \"keyring\"\n")
	old := w.writeOld()
	if code, _, stderr := w.login("--ca", w.caFile); code != 0 {
		t.Fatalf("login: exit %d\n%s", code, stderr)
	}
	entry := kr.entry(w.home)
	auth, err := codexauth.Parse(entry)
	if err != nil || auth.Tokens == nil || !strings.HasPrefix(auth.Tokens.RefreshToken, "rt_") {
		t.Fatalf("keyring entry does not hold the new login: %v", err)
	}
	if compact, _ := auth.MarshalCompact(); string(compact) != string(entry) {
		t.Fatalf("keyring entry is not Codex's compact JSON:\n%s", entry)
	}
	if _, err := os.Stat(w.authPath()); !os.IsNotExist(err) {
		t.Fatalf("the old auth.json (%d bytes) was left beside the keyring entry", len(old))
	}

	code, stdout, stderr := w.run("status", "--json")
	var st map[string]any
	if code != 0 || json.Unmarshal([]byte(stdout), &st) != nil || st["store"] != "keyring" ||
		!strings.Contains(st["path"].(string), codexauth.KeyringAccount(w.home)) {
		t.Fatalf("status: exit %d\n%s%s", code, stdout, stderr)
	}

	if code, _, stderr := w.run("refresh", "--ca", w.caFile, "--issuer", w.issuerURL); code != 0 {
		t.Fatalf("refresh: exit %d\n%s", code, stderr)
	}
	refreshed, _ := codexauth.Parse(kr.entry(w.home))
	if refreshed.Tokens.RefreshToken == auth.Tokens.RefreshToken {
		t.Fatal("refresh did not replace the tokens in the keyring")
	}

	code, _, stderr = w.run("logout", "--ca", w.caFile, "--issuer", w.issuerURL)
	if code != 0 || kr.entry(w.home) != nil || !strings.Contains(stderr, "Signed out: removed Secret Service item") {
		t.Fatalf("logout: exit %d, entry left %v\n%s", code, kr.entry(w.home) != nil, stderr)
	}
	code, _, stderr = w.run("logout")
	if code != 0 || !strings.Contains(stderr, "nothing to remove (no Secret Service item") {
		t.Fatalf("second logout: exit %d\n%s", code, stderr)
	}
	if code, _, _ := w.run("status"); code != 1 {
		t.Fatalf("status after logout: exit %d, want 1", code)
	}
}

func TestAutoWithoutAKeyringWritesAuthJSONAndSaysWhy(t *testing.T) {
	w := newWorld(t, worldOptions{})
	noKeyringSetup("auto")(t, w)
	code, _, stderr := w.login("--ca", w.caFile)
	if code != 0 || !strings.Contains(stderr, "warning: the keyring cannot be used (no usable keyring: no D-Bus session bus") {
		t.Fatalf("login: exit %d\n%s", code, stderr)
	}
	w.loadAuth()
	code, stdout, _ := w.run("status", "--json")
	if code != 0 || !strings.Contains(stdout, `"store":"file"`) {
		t.Fatalf("status: exit %d\n%s", code, stdout)
	}
}

func TestKeyringUnavailableFailsBeforeTheBrowser(t *testing.T) {
	w := newWorld(t, worldOptions{})
	noKeyringSetup("keyring")(t, w)
	old := w.writeOld()
	code, _, stderr := w.login("--ca", w.caFile)
	if code != 1 || !strings.Contains(stderr, "error: no usable keyring") || !strings.Contains(stderr, `cli_auth_credentials_store = "file"`) {
		t.Fatalf("login: exit %d\n%s", code, stderr)
	}
	if w.browserOpened() {
		t.Fatal("the browser was opened before the keyring was found unusable")
	}
	if got, _ := os.ReadFile(w.authPath()); string(got) != string(old) {
		t.Fatal("auth.json changed")
	}
}

func TestPushFromTheKeyringRemovesTheEntry(t *testing.T) {
	w := newPushWorld(t)
	kr := newMemKeyring()
	w.keyring = kr
	writeTestFile(t, w.local+"/config.toml", "cli_auth_credentials_store = \"keyring\"\n")
	auth, err := codexauth.Parse(w.original)
	if err != nil {
		t.Fatal(err)
	}
	if err := (&codexauth.KeyringStore{Home: w.local, Keyring: kr}).Save(context.Background(), auth); err != nil {
		t.Fatal(err)
	}
	if code := w.push("--via", w.via()); code != 0 {
		t.Fatalf("exit %d", code)
	}
	w.checkPushed()
	if kr.entry(w.local) != nil || !strings.Contains(w.stderr, "Removed the local copy Secret Service item") {
		t.Fatalf("the keyring entry stayed, or was not named\n%s", w.stderr)
	}
}
