package codexauth

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Check creates what Save would create, CODEX_HOME and the lock files, and
// nothing else.
func TestCheckLeavesOnlyTheLocks(t *testing.T) {
	s := &FileStore{Home: filepath.Join(t.TempDir(), "nested", "codex")}
	if err := s.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(names(t, s.Home), " "); got != "auth.json.lock auth.lock" {
		t.Fatalf("CODEX_HOME holds %q after Check, want only the two lock files", got)
	}
}

func TestCheckDoesNotTouchExistingCredentials(t *testing.T) {
	s := &FileStore{Home: t.TempDir()}
	os.WriteFile(s.Path(), []byte("{broken"), 0o600)
	if err := s.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(s.Path()); string(got) != "{broken" {
		t.Fatalf("Check changed auth.json to %s", got)
	}
}

// A CODEX_HOME that cannot be created fails Check, Save and Update alike,
// as a *WriteError naming the path.
func TestHomeUnderARegularFileIsAWriteError(t *testing.T) {
	parent := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(parent, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s := &FileStore{Home: filepath.Join(parent, "codex")}
	ops := map[string]func() error{
		"Check": func() error { return s.Check(context.Background()) },
		"Save":  func() error { return s.Save(context.Background(), sampleFile(t, "RT")) },
		"Update": func() error {
			return s.Update(context.Background(), func(*AuthFile) (*AuthFile, error) { return nil, nil })
		},
	}
	for name, op := range ops {
		err := op()
		var we *WriteError
		if !errors.As(err, &we) {
			t.Fatalf("%s = %v, want a *WriteError", name, err)
		}
		if we.Op != "create" || we.Dir != s.Home || we.Owner != "" || we.Err == nil {
			t.Fatalf("%s: %+v; want Op create and Dir %s", name, we, s.Home)
		}
		if !strings.Contains(err.Error(), we.Path) || !strings.HasPrefix(we.Path, parent) {
			t.Fatalf("%s: message %q does not name %s", name, err, we.Path)
		}
	}
}

func TestWriteErrorUnwraps(t *testing.T) {
	err := error(&WriteError{Dir: "/c", Path: "/c/auth.lock", Op: "lock", Err: os.ErrPermission})
	if !errors.Is(err, os.ErrPermission) {
		t.Fatal("WriteError does not unwrap to the OS error")
	}
	if got, want := err.Error(), "lock /c/auth.lock: permission denied"; got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
}
