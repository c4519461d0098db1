package codexauth

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

func sampleFile(t *testing.T, refresh string) *AuthFile {
	t.Helper()
	f, err := NewChatGPT(TokenSet{IDToken: goldenIDToken(t), AccessToken: "AT", RefreshToken: refresh}, nil,
		Provenance{Issuer: "https://auth.corp.test", ClientID: "c"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// holdLock takes the lock file name in home through its own open file, as
// a Codex process would, until release is called.
func holdLock(t *testing.T, home, name string) (release func()) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(home, name), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := tryLock(f); !ok || err != nil {
		t.Fatalf("cannot take %s: %v", name, err)
	}
	release = func() { unlockFile(f); f.Close() }
	t.Cleanup(release)
	return release
}

// names lists the entries of dir, sorted.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func TestLoadMissingAndBroken(t *testing.T) {
	s := &FileStore{Home: t.TempDir()}
	if f, err := s.Load(context.Background()); f != nil || err != nil {
		t.Fatalf("Load of a missing file = %v, %v; want nil, nil", f, err)
	}
	os.WriteFile(s.Path(), []byte("{broken"), 0o600)
	if _, err := s.Load(context.Background()); err == nil {
		t.Fatal("a broken auth.json loaded without error")
	}
}

func TestSaveReplacesAnUnparseableFile(t *testing.T) {
	s := &FileStore{Home: t.TempDir()}
	os.WriteFile(s.Path(), []byte("{broken"), 0o600)
	if err := s.Save(context.Background(), sampleFile(t, "RT1")); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Load(context.Background()); err != nil || got.Tokens.RefreshToken != "RT1" {
		t.Fatalf("Load after Save = %+v, %v", got, err)
	}
}

func TestDeleteTwiceKeepsTheLockFiles(t *testing.T) {
	ctx := context.Background()
	s := &FileStore{Home: t.TempDir()}
	if err := s.Save(ctx, sampleFile(t, "RT")); err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, false} {
		removed, err := s.Delete(ctx)
		if err != nil || removed != want {
			t.Fatalf("Delete #%d = %v, %v; want %v, nil", i+1, removed, err, want)
		}
	}
	if got := strings.Join(names(t, s.Home), " "); got != "auth.json.lock auth.lock" {
		t.Fatalf("CODEX_HOME holds %q after Delete, want only the two lock files", got)
	}
}

func TestDeleteDoesNotCreateAMissingHome(t *testing.T) {
	s := &FileStore{Home: filepath.Join(t.TempDir(), "codex")}
	if removed, err := s.Delete(context.Background()); removed || err != nil {
		t.Fatalf("Delete = %v, %v; want false, nil", removed, err)
	}
	if _, err := os.Stat(s.Home); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Delete created CODEX_HOME: %v", err)
	}
}

// A writer killed between creating its temporary file and renaming it
// leaves tokens behind; the next write or delete removes them.
func TestLeftoverTempFilesAreRemoved(t *testing.T) {
	ops := map[string]func(t *testing.T, s *FileStore) error{
		"Save": func(t *testing.T, s *FileStore) error { return s.Save(context.Background(), sampleFile(t, "RT")) },
		"Update": func(t *testing.T, s *FileStore) error {
			return s.Update(context.Background(), func(*AuthFile) (*AuthFile, error) { return nil, nil })
		},
		"Delete": func(t *testing.T, s *FileStore) error { _, err := s.Delete(context.Background()); return err },
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			s := &FileStore{Home: t.TempDir()}
			for _, leftover := range []string{".auth.json.tmp-123456", ".auth.json.tmp-987-check", "notes.txt"} {
				os.WriteFile(filepath.Join(s.Home, leftover), []byte(`{"tokens":{"refresh_token":"old"}}`), 0o600)
			}
			if err := op(t, s); err != nil {
				t.Fatal(err)
			}
			for _, n := range names(t, s.Home) {
				if strings.HasPrefix(n, ".auth.json.tmp-") {
					t.Errorf("%s left %s", name, n)
				}
			}
			if _, err := os.Stat(filepath.Join(s.Home, "notes.txt")); err != nil {
				t.Errorf("%s removed a file that is not its own: %v", name, err)
			}
		})
	}
}

// A call whose context is already done writes nothing, even though the
// locks are free.
func TestDoneContextWritesNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := &FileStore{Home: t.TempDir()}
	if err := s.Save(ctx, sampleFile(t, "RT")); !errors.Is(err, context.Canceled) {
		t.Fatalf("Save = %v, want context.Canceled", err)
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Save wrote auth.json with a done context: %v", err)
	}
	err := s.Update(ctx, func(*AuthFile) (*AuthFile, error) {
		t.Error("Update called fn with a done context")
		return nil, nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Update = %v, want context.Canceled", err)
	}
	os.WriteFile(s.Path(), []byte("{}"), 0o600)
	if removed, err := s.Delete(ctx); removed || !errors.Is(err, context.Canceled) {
		t.Fatalf("Delete = %v, %v; want false, context.Canceled", removed, err)
	}
	if _, err := os.Stat(s.Path()); err != nil {
		t.Fatalf("Delete removed auth.json with a done context: %v", err)
	}
}
