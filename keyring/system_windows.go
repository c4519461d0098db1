//go:build windows

package keyring

// System returns the keyring Codex uses on Windows: the Credential
// Manager, where Codex keeps the passphrase of its encrypted secrets files.
func System() *CredentialManager { return &CredentialManager{} }
