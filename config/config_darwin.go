package config

// SystemFile returns the system-wide config file:
// /Library/Application Support/codex-login/config.toml.
func SystemFile() string {
	return "/Library/Application Support/codex-login/config.toml"
}

// CodexSystemDir returns the directory of Codex's own machine-wide files,
// for Inputs.CodexSystemDir: /etc/codex, as on other unix systems.
func CodexSystemDir() string {
	return "/etc/codex"
}
