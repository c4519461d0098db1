package codexauth

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestNewStore(t *testing.T) {
	home := filepath.Join(t.TempDir(), "codex")
	waited := ""
	onWait := func(lock string) { waited = lock }
	tests := []struct {
		mode string
		file bool // a *FileStore, else a *ModeError
	}{
		{"", true},
		{"file", true},
		{"auto", true},
		{"keyring", false},
		{"ephemeral", false},
		{"File", false},
		{"memory", false},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			s, err := NewStore(home, tt.mode, onWait)
			if !tt.file {
				var me *ModeError
				if s != nil || !errors.As(err, &me) || me.Mode != tt.mode {
					t.Fatalf("NewStore(%q) = %v, %v; want a *ModeError", tt.mode, s, err)
				}
				return
			}
			fs, ok := s.(*FileStore)
			if err != nil || !ok {
				t.Fatalf("NewStore(%q) = %T, %v; want a *FileStore", tt.mode, s, err)
			}
			if fs.Home != home || s.Location() != filepath.Join(home, "auth.json") {
				t.Fatalf("store at %q, location %q", fs.Home, s.Location())
			}
			waited = ""
			fs.OnWait("auth.lock")
			if waited != "auth.lock" {
				t.Fatal("OnWait was not passed on")
			}
		})
	}
}

func TestModeErrorMessage(t *testing.T) {
	got := (&ModeError{Mode: "ephemeral"}).Error()
	if want := `credential store "ephemeral" cannot be written by codex-login`; got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
}
