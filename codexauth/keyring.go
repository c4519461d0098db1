package codexauth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"runtime"
	"strings"
)

// Keyring is the operating system's secret store as Codex's keyring crate
// uses it: one secret per service and account. The implementations live in
// package keyring; tests use fakes.
type Keyring interface {
	// Get returns the secret stored for service and account, or nil, nil
	// when there is none.
	Get(ctx context.Context, service, account string) ([]byte, error)
	// Set stores secret for service and account, replacing what was there
	// and leaving exactly one entry.
	Set(ctx context.Context, service, account string, secret []byte) error
	// Delete removes every entry for service and account; removed is false
	// when there was none.
	Delete(ctx context.Context, service, account string) (removed bool, err error)
	// Probe returns nil when the keyring can be used now, or an error
	// saying why not (no Secret Service on the session bus, a locked
	// collection that cannot be unlocked, a keychain that refuses access, ...).
	Probe(ctx context.Context) error
	// Describe names the entry for service and account in words, for
	// messages: `Secret Service item "cli|…@Codex Auth:default"`.
	Describe(service, account string) string
}

// Codex's names in the keyring.
const (
	// KeyringService is the service of Codex's credentials entry.
	KeyringService = "Codex Auth"
	// SecretsService is the service of the passphrase of Codex's
	// encrypted secrets files (the Windows default).
	SecretsService = "codex"
)

// KeyringAccount is the account of Codex's credentials entry for home:
// "cli|" and the first 16 hex digits of the SHA-256 of the canonical home.
func KeyringAccount(home string) string { return "cli|" + homeHash(home) }

// SecretsAccount is the account of the passphrase that encrypts the secrets
// files in home.
func SecretsAccount(home string) string { return "secrets|" + homeHash(home) }

// homeHash hashes home as Codex does: the canonical path (symlinks
// resolved; the path itself when that fails), SHA-256, 16 lowercase hex
// digits. Rust's canonical form on Windows is a verbatim path ("\\?\C:\..."),
// which is what Codex hashes there.
func homeHash(home string) string {
	p := home
	if real, err := filepath.EvalSymlinks(home); err == nil {
		if abs, err := filepath.Abs(real); err == nil {
			p = abs
		}
		if runtime.GOOS == "windows" {
			p = verbatim(p)
		}
	}
	return hashPath(p)
}

// hashPath is the first 16 lowercase hex digits of the SHA-256 of p.
func hashPath(p string) string {
	sum := sha256.Sum256([]byte(p))
	return hex.EncodeToString(sum[:])[:16]
}

// verbatim is p as Rust's canonicalize returns it on Windows: C:\x becomes
// \\?\C:\x and \\server\share\x becomes \\?\UNC\server\share\x.
func verbatim(p string) string {
	switch {
	case strings.HasPrefix(p, `\\?\`):
		return p
	case strings.HasPrefix(p, `\\`):
		return `\\?\UNC\` + p[2:]
	case len(p) >= 2 && p[1] == ':':
		return `\\?\` + p
	}
	return p
}
