//go:build unix

package config

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestNamedPipe: a named pipe where a file is expected is refused at once:
// reading it would wait for a writer that never comes.
func TestNamedPipe(t *testing.T) {
	for _, where := range []string{"--config", "system file", "CODEX_HOME", "Codex system config", ".env"} {
		t.Run(where, func(t *testing.T) {
			home, etc := t.TempDir(), t.TempDir()
			codexHome := filepath.Join(home, ".codex")
			fifo := map[string]string{
				"--config":            filepath.Join(etc, "extra.toml"),
				"system file":         filepath.Join(etc, "codex-login.toml"),
				"CODEX_HOME":          filepath.Join(codexHome, "config.toml"),
				"Codex system config": filepath.Join(etc, "config.toml"),
				".env":                filepath.Join(codexHome, ".env"),
			}[where]
			writeFile(t, filepath.Join(codexHome, "keep"), "")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			in := Inputs{Home: home, CodexSystemDir: etc}
			switch where {
			case "--config":
				in.ConfigFile = fifo
			case "system file":
				in.SystemFile = fifo
			}
			done := make(chan error, 1)
			go func() {
				_, err := Load(in)
				done <- err
			}()
			select {
			case err := <-done:
				configError(t, err, fifo+": cannot read it: it is a named pipe (FIFO), not a regular file")
			case <-time.After(10 * time.Second):
				t.Fatal("Load is still waiting on the named pipe")
			}
		})
	}
}

// TestDevice: a device such as /dev/null is not a config file.
func TestDevice(t *testing.T) {
	_, err := Load(Inputs{Home: t.TempDir(), ConfigFile: "/dev/null"})
	ce := configError(t, err, "/dev/null: cannot read it: it is a device, not a regular file")
	if ce.Key != "--config" {
		t.Errorf("Key = %q, want --config", ce.Key)
	}
}
