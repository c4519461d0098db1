//go:build !darwin && !windows

package config

// SystemFile returns the system-wide config file: /etc/codex-login/config.toml.
func SystemFile() string {
	return "/etc/codex-login/config.toml"
}

// CodexSystemDir returns the directory of Codex's own machine-wide files,
// for Inputs.CodexSystemDir: /etc/codex.
func CodexSystemDir() string {
	return "/etc/codex"
}
