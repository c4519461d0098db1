//go:build unix

package codexauth

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

func TestSaveCreatesHomeAndWrites0600(t *testing.T) {
	old := unix.Umask(0)
	defer unix.Umask(old)
	s := &FileStore{Home: filepath.Join(t.TempDir(), "nested", "codex")}
	if err := s.Save(context.Background(), sampleFile(t, "RT1")); err != nil {
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
		if info, err := os.Stat(filepath.Join(s.Home, lock)); err != nil || info.Mode().Perm() != 0o600 {
			t.Fatalf("lock file %s: %v, %v", lock, info, err)
		}
	}
	if entries := names(t, s.Home); len(entries) != 3 {
		t.Fatalf("CODEX_HOME holds %q, want auth.json and two locks (a temp file was left?)", entries)
	}
	got, err := s.Load(context.Background())
	if err != nil || got.Tokens.RefreshToken != "RT1" {
		t.Fatalf("Load = %+v, %v", got, err)
	}
}

func TestSaveReplacesAnExisting0644File(t *testing.T) {
	s := &FileStore{Home: t.TempDir()}
	if err := os.WriteFile(s.Path(), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(context.Background(), sampleFile(t, "RT2")); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(s.Path())
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v after replacing a 0644 file, want 0600", info.Mode().Perm())
	}
}

// A read-only CODEX_HOME fails Check and Save with a *WriteError that says
// which step failed, and leaves auth.json as it was.
func TestReadOnlyHomeIsAWriteError(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes to read-only directories; TestHomeUnderARegularFileIsAWriteError covers root")
	}
	tests := []struct {
		name   string
		locks  bool // the lock files exist already
		wantOp string
	}{
		{"no lock files", false, "lock"},
		{"lock files exist", true, "create"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &FileStore{Home: t.TempDir()}
			os.WriteFile(s.Path(), []byte("{}"), 0o600)
			if tt.locks {
				if err := s.Check(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Chmod(s.Home, 0o500); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.Chmod(s.Home, 0o700) })
			ops := map[string]func() error{
				"Check": func() error { return s.Check(context.Background()) },
				"Save":  func() error { return s.Save(context.Background(), sampleFile(t, "RT")) },
			}
			for name, op := range ops {
				err := op()
				var we *WriteError
				if !errors.As(err, &we) || we.Op != tt.wantOp || we.Dir != s.Home || we.Owner != "" {
					t.Fatalf("%s = %#v; want a *WriteError with Op %q and Dir %s", name, err, tt.wantOp, s.Home)
				}
				if !errors.Is(err, os.ErrPermission) {
					t.Fatalf("%s = %v, want a permission error", name, err)
				}
			}
			if got, _ := os.ReadFile(s.Path()); !bytes.Equal(got, []byte("{}")) {
				t.Fatalf("auth.json changed to %s", got)
			}
		})
	}
}

// The owner of a CODEX_HOME that is not ours is named, so that a hint can
// say whose it is; our own directory has no owner to report.
func TestForeignOwner(t *testing.T) {
	if got := foreignOwner(t.TempDir()); got != "" {
		t.Fatalf("owner of our own directory = %q, want none", got)
	}
	if got := foreignOwner(filepath.Join(t.TempDir(), "missing")); got != "" {
		t.Fatalf("owner of a missing directory = %q, want none", got)
	}
	dir, uid := t.TempDir(), 4242
	if os.Geteuid() == 0 {
		if err := os.Chown(dir, uid, uid); err != nil {
			t.Fatal(err)
		}
	} else {
		info, err := os.Stat("/")
		if err != nil {
			t.Fatal(err)
		}
		dir, uid = "/", int(info.Sys().(*syscall.Stat_t).Uid)
		if uid == os.Getuid() {
			t.Skip("no directory owned by someone else to look at")
		}
	}
	want := "uid " + strconv.Itoa(uid)
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
		want = u.Username
	}
	if got := foreignOwner(dir); got != want {
		t.Fatalf("owner of %s = %q, want %q", dir, got, want)
	}
}
