package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes as the --config file. Load must never
// panic, must fail only with an *Error, and must only return settings
// that pass its own checks.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(codexConfig))
	f.Add([]byte("[login]\nca_certificate = 'x.pem'\ntimeout = '1m'\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "config.toml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Load(Inputs{Home: dir, ConfigFile: path, Env: envMap(nil)})
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is %T, want *config.Error", err, err)
			}
			if ce.File != path {
				t.Fatalf("error %v names file %q, want %q", err, ce.File, path)
			}
			return
		}
		if p := s.CallbackPort.V; p < 1 || p > 65535 {
			t.Errorf("callback port %d accepted", p)
		}
		if s.Timeout.V <= 0 {
			t.Errorf("timeout %v accepted", s.Timeout.V)
		}
		if s.ClientID.V == "" {
			t.Error("empty client_id accepted")
		}
		switch s.CredentialsStore.V {
		case "file", "keyring", "auto":
		default:
			t.Errorf("credentials store %q accepted", s.CredentialsStore.V)
		}
		switch s.ForcedLoginMethod.V {
		case "", "chatgpt", "api":
		default:
			t.Errorf("forced login method %q accepted", s.ForcedLoginMethod.V)
		}
		for _, c := range s.CA {
			if !filepath.IsAbs(c.Path) {
				t.Errorf("CA path %q is not absolute", c.Path)
			}
		}
	})
}
