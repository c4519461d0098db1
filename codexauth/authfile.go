// Package codexauth is Codex's credentials wherever they live: the bytes of
// auth.json, the claims of its id_token, and a Store that reads, replaces,
// updates and deletes them under the same locks Codex takes, so that
// codex-login and a running Codex never overwrite each other's tokens.
//
// It knows nothing of how the credentials were obtained: no sign-in flow,
// no network, no flags and no output.
package codexauth

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
)

// AuthFile is $CODEX_HOME/auth.json as Codex reads and writes it. The field
// order of the structs is the order Codex writes, and Marshal keeps it.
type AuthFile struct {
	AuthMode     string  `json:"auth_mode"`
	OpenAIAPIKey *string `json:"OPENAI_API_KEY"`
	Tokens       *Tokens `json:"tokens"`
	LastRefresh  string  `json:"last_refresh"`
}

// Tokens is the "tokens" object of auth.json.
type Tokens struct {
	IDToken         string      `json:"id_token"`
	AccessToken     string      `json:"access_token"`
	RefreshToken    string      `json:"refresh_token"`
	OAuthProvenance *Provenance `json:"oauth_provenance,omitempty"`
	LoginOwnerID    string      `json:"login_owner_id,omitempty"`
	AccountID       *string     `json:"account_id"`
}

// Provenance records which issuer and client the tokens belong to, so that
// refresh and revocation go back to the same place.
type Provenance struct {
	Issuer   string `json:"issuer"`
	ClientID string `json:"client_id"`
}

// TokenSet is what a code exchange returns.
type TokenSet struct {
	IDToken      string
	AccessToken  string
	RefreshToken string
}

// timeLayout is RFC 3339 in UTC with all nine fractional digits, as Codex writes.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// ownerIDBytes is the number of random bytes behind a login_owner_id.
const ownerIDBytes = 32

// NewChatGPT assembles the file Codex expects after a ChatGPT login. It
// makes a new login_owner_id (32 random bytes, base64url without padding)
// on every call, and takes account_id from the id_token, which must parse.
func NewChatGPT(t TokenSet, apiKey *string, prov Provenance, now time.Time) (*AuthFile, error) {
	claims, err := ParseIDToken(t.IDToken)
	if err != nil {
		return nil, err
	}
	owner := make([]byte, ownerIDBytes)
	if _, err := rand.Read(owner); err != nil {
		return nil, fmt.Errorf("read random bytes: %w", err)
	}
	var account *string
	if claims.AccountID != "" {
		account = &claims.AccountID
	}
	return &AuthFile{
		AuthMode:     "chatgpt",
		OpenAIAPIKey: apiKey,
		Tokens: &Tokens{
			IDToken:         t.IDToken,
			AccessToken:     t.AccessToken,
			RefreshToken:    t.RefreshToken,
			OAuthProvenance: &prov,
			LoginOwnerID:    base64.RawURLEncoding.EncodeToString(owner),
			AccountID:       account,
		},
		LastRefresh: now.UTC().Format(timeLayout),
	}, nil
}

// Marshal renders the file byte for byte as Codex does: two-space indent,
// no HTML escaping, no trailing newline.
func (a *AuthFile) Marshal() ([]byte, error) { return a.encode("  ") }

// MarshalCompact renders the same keys in the same order with no whitespace
// at all, as Codex stores the credentials in a keyring entry.
func (a *AuthFile) MarshalCompact() ([]byte, error) { return a.encode("") }

func (a *AuthFile) encode(indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(a); err != nil {
		return nil, fmt.Errorf("encode auth.json: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Parse reads auth.json content. It accepts what Codex accepts, including
// files written before auth_mode, provenance or owner ids existed.
func Parse(data []byte) (*AuthFile, error) {
	var a AuthFile
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("parse auth.json: %w", err)
	}
	return &a, nil
}
