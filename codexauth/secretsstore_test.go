package codexauth

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
)

func init() { scryptWorkFactor = 10 }

// openSecrets decrypts the age file with the passphrase in kr, as Codex does.
func openSecrets(t *testing.T, s *SecretsStore, kr *fakeKeyring) map[string]any {
	t.Helper()
	sealed, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	id, err := age.NewScryptIdentity(string(kr.get(SecretsService, SecretsAccount(s.Home))))
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.Decrypt(bytes.NewReader(sealed), id)
	if err != nil {
		t.Fatalf("the file does not open with the keyring's passphrase: %v", err)
	}
	plain, _ := io.ReadAll(r)
	var out map[string]any
	if err := json.Unmarshal(plain, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSecretsStoreWritesCodexsAgeFile(t *testing.T) {
	ctx := context.Background()
	home, kr := t.TempDir(), newFakeKeyring()
	os.WriteFile(filepath.Join(home, "auth.json"), []byte(`{}`), 0o600)
	s := &SecretsStore{Home: home, Keyring: kr}
	a := sampleFile(t, "RT1")
	if err := s.Save(ctx, a); err != nil {
		t.Fatal(err)
	}
	pass := kr.get(SecretsService, SecretsAccount(home))
	if raw, err := base64.StdEncoding.DecodeString(string(pass)); err != nil || len(pass) != 44 || len(raw) != 32 {
		t.Fatalf("passphrase of %d characters, want 44 (32 bytes in standard base64)", len(pass))
	}
	compact, _ := a.MarshalCompact()
	got := openSecrets(t, s, kr)
	if got["version"] != float64(1) || got["secrets"].(map[string]any)["global/CODEX_AUTH"] != string(compact) {
		t.Fatalf("decrypted file %v", got)
	}
	if _, err := os.Stat(filepath.Join(home, "auth.json")); !os.IsNotExist(err) {
		t.Fatal("auth.json stayed")
	}
	if info, _ := os.Stat(s.Path()); info.Mode().Perm()&0o077 != 0 {
		t.Fatalf("age file mode %v", info.Mode())
	}
	if back, err := s.Load(ctx); err != nil || back.Tokens.RefreshToken != "RT1" {
		t.Fatalf("Load = %+v, %v", back, err)
	}
}

func TestSecretsStoreKeepsThePassphraseAndOtherSecrets(t *testing.T) {
	ctx := context.Background()
	home, kr := t.TempDir(), newFakeKeyring()
	s := &SecretsStore{Home: home, Keyring: kr}
	s.Save(ctx, sampleFile(t, "RT1"))
	pass := string(kr.get(SecretsService, SecretsAccount(home)))
	sf, err := s.read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sf.Secrets["global/OTHER"] = "kept"
	if err := s.seal(ctx, sf); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, func(cur *AuthFile) (*AuthFile, error) {
		cur.Tokens.RefreshToken = "RT2"
		return cur, nil
	}); err != nil {
		t.Fatal(err)
	}
	if string(kr.get(SecretsService, SecretsAccount(home))) != pass {
		t.Fatal("the passphrase changed")
	}
	got := openSecrets(t, s, kr)["secrets"].(map[string]any)
	if got["global/OTHER"] != "kept" || !strings.Contains(got["global/CODEX_AUTH"].(string), `"refresh_token":"RT2"`) {
		t.Fatalf("secrets after Update: %v", got)
	}
	if removed, err := s.Delete(ctx); !removed || err != nil {
		t.Fatalf("Delete = %v, %v", removed, err)
	}
	got = openSecrets(t, s, kr)["secrets"].(map[string]any)
	if _, ok := got["global/CODEX_AUTH"]; ok || got["global/OTHER"] != "kept" {
		t.Fatalf("secrets after Delete: %v", got)
	}
	if a, err := s.Load(ctx); a != nil || err != nil {
		t.Fatalf("Load after Delete = %v, %v", a, err)
	}
	if removed, _ := s.Delete(ctx); removed {
		t.Fatal("second Delete removed something")
	}
}

func TestSecretsStoreWithoutItsKeySaysSo(t *testing.T) {
	ctx := context.Background()
	home, kr := t.TempDir(), newFakeKeyring()
	s := &SecretsStore{Home: home, Keyring: kr}
	s.Save(ctx, sampleFile(t, "RT1"))
	kr.Delete(ctx, SecretsService, SecretsAccount(home))
	_, err := s.Load(ctx)
	if err == nil || !strings.Contains(err.Error(), "key is missing") {
		t.Fatalf("Load = %v, want the missing key named", err)
	}
}

func TestSecretsStoreRefusesANewerVersion(t *testing.T) {
	ctx := context.Background()
	home, kr := t.TempDir(), newFakeKeyring()
	s := &SecretsStore{Home: home, Keyring: kr}
	if err := s.seal(ctx, &secretsFile{Version: 2, Secrets: map[string]string{}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx); err == nil || !strings.Contains(err.Error(), "version 2") {
		t.Fatalf("Load = %v, want the version refused", err)
	}
}
