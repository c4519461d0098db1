package config

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestNotAFile: a config file that is a directory is refused with a clear
// error, wherever it is named.
func TestNotAFile(t *testing.T) {
	for _, where := range []string{"--config", "system file", "CODEX_HOME", "Codex managed config"} {
		t.Run(where, func(t *testing.T) {
			home, etc := t.TempDir(), t.TempDir()
			in := Inputs{Home: home, CodexSystemDir: etc}
			var dir, key string
			switch where {
			case "--config":
				dir, key = filepath.Join(etc, "extra.toml"), "--config"
				in.ConfigFile = dir
			case "system file":
				dir = filepath.Join(etc, "codex-login.toml")
				in.SystemFile = dir
			case "CODEX_HOME":
				dir = filepath.Join(home, ".codex", "config.toml")
			case "Codex managed config":
				dir = filepath.Join(etc, "managed_config.toml")
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			_, err := Load(in)
			ce := configError(t, err, dir+": cannot read it: it is a directory, not a regular file")
			if ce.Key != key || ce.File != dir {
				t.Errorf("Error = %+v, want file %s key %q", ce, dir, key)
			}
		})
	}
}

// TestOversizedFile: a file over the size limit is refused before it is
// read.
func TestOversizedFile(t *testing.T) {
	for _, name := range []string{"config.toml", ".env"} {
		t.Run(name, func(t *testing.T) {
			home := t.TempDir()
			path := writeFile(t, filepath.Join(home, ".codex", name), "")
			if err := os.Truncate(path, maxFileSize+1); err != nil {
				t.Fatal(err)
			}
			_, err := Load(Inputs{Home: home})
			configError(t, err, fmt.Sprintf("%s: cannot read it: it is %d bytes, over the size limit of 16 MiB", path, maxFileSize+1))
		})
	}
}

// TestFileAtSizeLimit: a file of exactly the size limit is read.
func TestFileAtSizeLimit(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, filepath.Join(dir, "c.toml"), "")
	if err := os.Truncate(path, maxFileSize); err != nil {
		t.Fatal(err)
	}
	data, err := readRegular(path)
	if err != nil || len(data) != maxFileSize {
		t.Errorf("readRegular = %d bytes, %v; want %d bytes", len(data), err, maxFileSize)
	}
}
