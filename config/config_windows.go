package config

import (
	"os"
	"path/filepath"
)

// SystemFile returns the system-wide config file:
// %ProgramData%\codex-login\config.toml (C:\ProgramData when unset).
func SystemFile() string {
	dir := os.Getenv("ProgramData")
	if dir == "" {
		dir = `C:\ProgramData`
	}
	return filepath.Join(dir, "codex-login", "config.toml")
}

// CodexSystemDir returns the directory of Codex's own machine-wide files,
// for Inputs.CodexSystemDir: "", none, since Codex reads /etc/codex only on
// unix.
func CodexSystemDir() string {
	return ""
}
