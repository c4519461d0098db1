package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fallback is the Inputs.Fallback of the tests: values unlike any real
// default, so that a test sees they come from the caller.
var fallback = Defaults{
	Issuer:   "https://issuer.fallback.test",
	ClientID: "app_fallback",
	Port:     1999,
	Timeout:  7 * time.Minute,
}

// envMap is an Inputs.Env backed by a map: tests never read the real
// environment.
func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// writeFile writes content to path, creating its directory, and returns path.
func writeFile(t testing.TB, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// load runs Load and fails the test on error.
func load(t *testing.T, in Inputs) *Settings {
	t.Helper()
	s, err := Load(in)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

// loadConfig loads content as the --config file, with a temporary home and
// an empty environment, and returns the settings or the error.
func loadConfig(t *testing.T, content string) (*Settings, string, error) {
	t.Helper()
	dir := t.TempDir()
	path := writeFile(t, filepath.Join(dir, "config.toml"), content)
	s, err := Load(Inputs{Home: dir, ConfigFile: path, Env: envMap(nil), Fallback: fallback})
	return s, path, err
}

// configError asserts that err is an *Error whose text contains every want.
func configError(t *testing.T, err error, want ...string) *Error {
	t.Helper()
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("error = %v (%T), want *config.Error", err, err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}
	return ce
}

func ptr[T any](v T) *T { return &v }
