//go:build darwin

package keyring

// System returns the keyring Codex uses on macOS: the default (login)
// keychain, through Security.framework (see Keychain).
func System() *Keychain { return &Keychain{} }
