//go:build unix

package codexauth

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// An auth.json that is a named pipe, a directory or a huge file is refused
// at once: Load never blocks and never reads without bound.
func TestLoadRefusesWhatIsNotAnAuthFile(t *testing.T) {
	cases := map[string]func(path string) error{
		"named pipe": func(p string) error { return syscall.Mkfifo(p, 0o600) },
		"directory":  func(p string) error { return os.Mkdir(p, 0o700) },
		"huge file":  func(p string) error { return os.WriteFile(p, make([]byte, maxAuthFile+1), 0o600) },
	}
	want := map[string]string{"named pipe": "named pipe", "directory": "directory", "huge file": "larger than"}
	for name, create := range cases {
		t.Run(name, func(t *testing.T) {
			home := t.TempDir()
			s := &FileStore{Home: home}
			if err := create(filepath.Join(home, "auth.json")); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { _, err := s.Load(context.Background()); done <- err }()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), want[name]) || strings.Count(err.Error(), s.Path()) != 1 {
					t.Fatalf("Load = %v, want an error naming the path once and saying %q", err, want[name])
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Load blocked")
			}
		})
	}
}
