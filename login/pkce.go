package login

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
)

// PKCE is a proof key for code exchange (RFC 7636) as Codex makes it.
type PKCE struct {
	Verifier  string // 64 random bytes, base64url without padding: 86 characters
	Challenge string // base64url(SHA-256(Verifier)) without padding: 43 characters
}

// NewPKCE returns a fresh verifier and its S256 challenge.
func NewPKCE() (PKCE, error) {
	v, err := randomString(64)
	if err != nil {
		return PKCE{}, err
	}
	return PKCE{Verifier: v, Challenge: S256(v)}, nil
}

// S256 is the code_challenge for verifier (RFC 7636 section 4.2).
func S256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// randomString returns n random bytes as base64url without padding.
func randomString(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("read random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
