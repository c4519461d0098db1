package codexauth

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKeyringAccountHashesTheCanonicalHome(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "codexhome")
	os.Mkdir(real, 0o700)
	link := filepath.Join(dir, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Skip(err)
	}
	if KeyringAccount(link) != KeyringAccount(real) {
		t.Fatal("a symlinked CODEX_HOME names another entry than its target")
	}
	acct := KeyringAccount(real)
	if !strings.HasPrefix(acct, "cli|") || len(acct) != 20 || strings.ToLower(acct) != acct {
		t.Fatalf("account %q, want cli| and 16 lowercase hex digits", acct)
	}
	if SecretsAccount(real) != "secrets|"+acct[4:] {
		t.Fatalf("secrets account %q does not share the hash of %q", SecretsAccount(real), acct)
	}
}

// Codex 0.169.0 names the entry of /tmp/kr/codexhome cli|75ece1d8be711be7.
func TestKeyringAccountMatchesCodex(t *testing.T) {
	if got := "cli|" + hashPath("/tmp/kr/codexhome"); got != "cli|75ece1d8be711be7" {
		t.Fatalf("hash of /tmp/kr/codexhome = %s, want cli|75ece1d8be711be7", got)
	}
}

func TestVerbatimPaths(t *testing.T) {
	for in, want := range map[string]string{
		`C:\Users\ann\.codex`:     `\\?\C:\Users\ann\.codex`,
		`\\srv\share\ann\.codex`:  `\\?\UNC\srv\share\ann\.codex`,
		`\\?\C:\Users\ann\.codex`: `\\?\C:\Users\ann\.codex`,
		`/home/ann/.codex`:        `/home/ann/.codex`,
	} {
		if got := verbatim(in); got != want {
			t.Errorf("verbatim(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKeyringStoreSavesTheCompactJSONAndRemovesAuthJSON(t *testing.T) {
	ctx := context.Background()
	home, kr := t.TempDir(), newFakeKeyring()
	os.WriteFile(filepath.Join(home, "auth.json"), []byte(`{"old":true}`), 0o600)
	s := &KeyringStore{Home: home, Keyring: kr}
	a := sampleFile(t, "RT1")
	if err := s.Save(ctx, a); err != nil {
		t.Fatal(err)
	}
	want, _ := a.MarshalCompact()
	if got := kr.get(KeyringService, KeyringAccount(home)); !bytes.Equal(got, want) {
		t.Fatalf("entry holds %s\nwant %s", got, want)
	}
	if kr.len() != 1 {
		t.Fatalf("%d entries, want 1", kr.len())
	}
	if got := names(t, home); strings.Join(got, " ") != "auth.json.lock auth.lock" {
		t.Fatalf("CODEX_HOME holds %v; auth.json should be gone, the locks stay", got)
	}
	back, err := s.Load(ctx)
	if err != nil || back.Tokens.RefreshToken != "RT1" {
		t.Fatalf("Load = %+v, %v", back, err)
	}
	if !strings.Contains(s.Location(), KeyringAccount(home)) {
		t.Fatalf("location %q does not name the entry", s.Location())
	}
}

func TestKeyringStoreFailedSaveKeepsAuthJSON(t *testing.T) {
	home, kr := t.TempDir(), newFakeKeyring()
	kr.setErr = errors.New("the collection is locked")
	old := []byte(`{"auth_mode":"chatgpt"}`)
	os.WriteFile(filepath.Join(home, "auth.json"), old, 0o600)
	err := (&KeyringStore{Home: home, Keyring: kr}).Save(context.Background(), sampleFile(t, "RT"))
	if err == nil || !strings.Contains(err.Error(), "the collection is locked") {
		t.Fatalf("Save = %v, want the keyring's error", err)
	}
	if got, _ := os.ReadFile(filepath.Join(home, "auth.json")); !bytes.Equal(got, old) {
		t.Fatalf("auth.json changed to %q", got)
	}
}

func TestKeyringStoreUpdateReadsTheEntry(t *testing.T) {
	ctx := context.Background()
	home, kr := t.TempDir(), newFakeKeyring()
	s := &KeyringStore{Home: home, Keyring: kr}
	s.Save(ctx, sampleFile(t, "RT1"))
	err := s.Update(ctx, func(cur *AuthFile) (*AuthFile, error) {
		if cur == nil || cur.Tokens.RefreshToken != "RT1" {
			t.Fatalf("Update passed %+v", cur)
		}
		cur.Tokens.RefreshToken = "RT2"
		return cur, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := s.Load(ctx); a.Tokens.RefreshToken != "RT2" {
		t.Fatalf("refresh token %q after Update, want RT2", a.Tokens.RefreshToken)
	}
	kr.entries[key(KeyringService, KeyringAccount(home))] = []byte("{broken")
	sets := kr.sets
	if err := s.Update(ctx, func(*AuthFile) (*AuthFile, error) { return sampleFile(t, "X"), nil }); err == nil {
		t.Fatal("Update over an unreadable entry succeeded")
	}
	if kr.sets != sets {
		t.Fatal("a failed Update wrote the keyring")
	}
	if err := s.Save(ctx, sampleFile(t, "RT3")); err != nil {
		t.Fatalf("Save over an unreadable entry: %v", err)
	}
}

func TestKeyringStoreDeleteRemovesEntryAndFile(t *testing.T) {
	ctx := context.Background()
	home, kr := t.TempDir(), newFakeKeyring()
	s := &KeyringStore{Home: home, Keyring: kr}
	s.Save(ctx, sampleFile(t, "RT"))
	os.WriteFile(filepath.Join(home, "auth.json"), []byte(`{}`), 0o600)
	if removed, err := s.Delete(ctx); !removed || err != nil {
		t.Fatalf("Delete = %v, %v", removed, err)
	}
	if kr.len() != 0 {
		t.Fatal("the entry is still there")
	}
	if _, err := os.Stat(filepath.Join(home, "auth.json")); !os.IsNotExist(err) {
		t.Fatal("auth.json is still there")
	}
	if removed, err := s.Delete(ctx); removed || err != nil {
		t.Fatalf("second Delete = %v, %v; want false, nil", removed, err)
	}
}

func TestKeyringStoreRemovesANewerCodexSplitLayout(t *testing.T) {
	ctx := context.Background()
	home, kr := t.TempDir(), newFakeKeyring()
	base := KeyringAccount(home)
	kr.Set(ctx, KeyringService, base+"|v2|active", []byte("17"))
	for _, e := range splitEntries {
		kr.Set(ctx, KeyringService, base+"|v2|17|"+e, []byte("x"))
	}
	s := &KeyringStore{Home: home, Keyring: kr}
	if _, err := s.Load(ctx); err == nil || !strings.Contains(err.Error(), "newer Codex") {
		t.Fatalf("Load over the split layout = %v, want it explained", err)
	}
	if err := s.Save(ctx, sampleFile(t, "RT")); err != nil {
		t.Fatal(err)
	}
	if kr.len() != 1 || kr.get(KeyringService, base) == nil {
		t.Fatalf("%d entries after Save, want only %s", kr.len(), base)
	}
}

func TestKeyringStoreCheckProbes(t *testing.T) {
	kr := newFakeKeyring()
	kr.probeErr = errNoKeyring
	home := filepath.Join(t.TempDir(), "codex")
	err := (&KeyringStore{Home: home, Keyring: kr}).Check(context.Background())
	if !errors.Is(err, errNoKeyring) {
		t.Fatalf("Check = %v, want the probe's error", err)
	}
	kr.probeErr = nil
	if err := (&KeyringStore{Home: home, Keyring: kr}).Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if kr.len() != 0 {
		t.Fatal("Check wrote the keyring")
	}
}
