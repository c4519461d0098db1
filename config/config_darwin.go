package config

// SystemFile returns the system-wide config file:
// /Library/Application Support/codex-login/config.toml.
func SystemFile() string {
	return "/Library/Application Support/codex-login/config.toml"
}
