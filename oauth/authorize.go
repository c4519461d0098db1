package oauth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
)

// Scope is what Codex asks for.
const Scope = "openid profile email offline_access api.connectors.read api.connectors.invoke"

// AuthorizeRequest holds what goes into the authorize URL besides the
// client's issuer and client id.
type AuthorizeRequest struct {
	RedirectURI  string
	Challenge    string // the PKCE S256 code_challenge
	State        string
	WorkspaceIDs []string // forced_chatgpt_workspace_id; empty when none is forced
}

// AuthorizeURL builds {issuer}/oauth/authorize (RFC 6749 section 4.1.1 with
// the RFC 7636 section 4.3 challenge) with Codex's parameters in Codex's
// order, form-encoded (space as '+'). url.Values would sort them.
func (c *Client) AuthorizeURL(r AuthorizeRequest) string {
	params := [][2]string{
		{"response_type", "code"},
		{"client_id", c.clientID()},
		{"redirect_uri", r.RedirectURI},
		{"code_challenge", r.Challenge},
		{"code_challenge_method", "S256"},
		{"state", r.State},
		{"scope", Scope},
		{"id_token_add_organizations", "true"},
		{"codex_cli_simplified_flow", "true"},
		{"originator", "codex_cli_rs"},
	}
	if len(r.WorkspaceIDs) > 0 {
		params = append(params, [2]string{"allowed_workspace_id", strings.Join(r.WorkspaceIDs, ",")})
	}
	return c.endpoint("/oauth/authorize") + "?" + formEncode(params)
}

// formEncode encodes ordered pairs as application/x-www-form-urlencoded.
func formEncode(params [][2]string) string {
	var b strings.Builder
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p[0]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(p[1]))
	}
	return b.String()
}

// PKCE is a proof key for code exchange (RFC 7636) as Codex makes it.
type PKCE struct {
	Verifier  string // 64 random bytes, base64url without padding: 86 characters
	Challenge string // base64url(SHA-256(Verifier)) without padding: 43 characters
}

// NewPKCE returns a fresh verifier (RFC 7636 section 4.1) and its S256
// challenge.
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

// NewState returns a fresh state value (RFC 6749 section 10.12): 32 random
// bytes, base64url without padding, 43 characters.
func NewState() (string, error) {
	return randomString(32)
}

// randomString returns n random bytes as base64url without padding.
func randomString(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("read random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
