//go:build unix

package login

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestStoreSaveCreatesHomeAndWrites0600(t *testing.T) {
	old := unix.Umask(0)
	defer unix.Umask(old)
	s := Store{Home: filepath.Join(t.TempDir(), "nested", "codex")}
	if err := s.Save(sampleFile(t, "RT1")); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("auth.json mode %v, want 0600", info.Mode().Perm())
	}
	if dir, _ := os.Stat(s.Home); dir.Mode().Perm() != 0o700 {
		t.Fatalf("CODEX_HOME mode %v, want 0700", dir.Mode().Perm())
	}
	for _, lock := range []string{"auth.lock", "auth.json.lock"} {
		if _, err := os.Stat(filepath.Join(s.Home, lock)); err != nil {
			t.Fatalf("lock file %s: %v", lock, err)
		}
	}
	entries, _ := os.ReadDir(s.Home)
	if len(entries) != 3 {
		t.Fatalf("CODEX_HOME holds %d entries, want auth.json and two locks (a temp file was left?)", len(entries))
	}
	got, err := s.Load()
	if err != nil || got.Tokens.RefreshToken != "RT1" {
		t.Fatalf("Load = %+v, %v", got, err)
	}
}

func TestStoreSaveReplacesAnExisting0644File(t *testing.T) {
	s := Store{Home: t.TempDir()}
	if err := os.WriteFile(s.Path(), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(sampleFile(t, "RT2")); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(s.Path())
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v after replacing a 0644 file, want 0600", info.Mode().Perm())
	}
}

// Save must wait for a Codex process holding auth.lock.
func TestStoreSaveWaitsForCodexLocks(t *testing.T) {
	for _, name := range []string{"auth.lock", "auth.json.lock"} {
		t.Run(name, func(t *testing.T) {
			s := Store{Home: t.TempDir()}
			lock, err := os.OpenFile(filepath.Join(s.Home, name), os.O_CREATE|os.O_RDWR, 0o600)
			if err != nil {
				t.Fatal(err)
			}
			defer lock.Close()
			if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- s.Save(sampleFile(t, "RT3")) }()
			select {
			case err := <-done:
				t.Fatalf("Save finished while %s was held: %v", name, err)
			case <-time.After(200 * time.Millisecond):
			}
			if _, err := os.Stat(s.Path()); err == nil {
				t.Fatal("auth.json was written while the lock was held")
			}
			unix.Flock(int(lock.Fd()), unix.LOCK_UN)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		})
	}
}
