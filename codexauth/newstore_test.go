package codexauth

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"testing"
)

func TestNewStore(t *testing.T) {
	home := filepath.Join(t.TempDir(), "codex")
	kr := newFakeKeyring()
	waited := ""
	onWait := func(lock string) { waited = lock }
	tests := []struct {
		mode string
		kind string // "file", "keyring", "auto", or "" for a *ModeError
	}{
		{"", "file"},
		{"file", "file"},
		{"keyring", "keyring"},
		{"auto", "auto"},
		{"ephemeral", ""},
		{"File", ""},
		{"memory", ""},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			s, err := NewStore(home, tt.mode, kr, onWait, nil)
			if tt.kind == "" {
				var me *ModeError
				if s != nil || !errors.As(err, &me) || me.Mode != tt.mode {
					t.Fatalf("NewStore(%q) = %v, %v; want a *ModeError", tt.mode, s, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var wait func(string)
			switch st := s.(type) {
			case *FileStore:
				if tt.kind != "file" || st.Home != home || s.Location() != filepath.Join(home, "auth.json") {
					t.Fatalf("NewStore(%q) = file store at %q", tt.mode, st.Home)
				}
				wait = st.OnWait
			case *KeyringStore:
				if tt.kind != "keyring" || runtime.GOOS == "windows" || st.Keyring != Keyring(kr) {
					t.Fatalf("NewStore(%q) = keyring store", tt.mode)
				}
				wait = st.OnWait
			case *SecretsStore:
				if tt.kind != "keyring" || runtime.GOOS != "windows" {
					t.Fatalf("NewStore(%q) = secrets store", tt.mode)
				}
				wait = st.OnWait
			case *AutoStore:
				if tt.kind != "auto" || st.File.Home != home {
					t.Fatalf("NewStore(%q) = auto store", tt.mode)
				}
				wait = st.File.OnWait
			default:
				t.Fatalf("NewStore(%q) = %T", tt.mode, s)
			}
			waited = ""
			wait("auth.lock")
			if waited != "auth.lock" {
				t.Fatal("OnWait was not passed on")
			}
		})
	}
}

func TestKind(t *testing.T) {
	kr := newFakeKeyring()
	home := t.TempDir()
	for mode, want := range map[string]string{"file": "file", "keyring": "keyring", "auto": "keyring"} {
		s, _ := NewStore(home, mode, kr, nil, nil)
		if got := Kind(s); got != want {
			t.Errorf("Kind(%s store) = %q, want %q", mode, got, want)
		}
	}
	kr.probeErr = errNoKeyring
	s, _ := NewStore(home, "auto", kr, nil, nil)
	s.Load(context.Background())
	if Kind(s) != "file" {
		t.Error("an auto store without a keyring is not the file once it has chosen")
	}
}

func TestModeErrorMessage(t *testing.T) {
	got := (&ModeError{Mode: "ephemeral"}).Error()
	if want := `credential store "ephemeral" cannot be written by codex-login`; got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
}
