//go:build !darwin && !windows

package config

// SystemFile returns the system-wide config file: /etc/codex-login/config.toml.
func SystemFile() string {
	return "/etc/codex-login/config.toml"
}
