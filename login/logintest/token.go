package logintest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"time"
)

const (
	grantTokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange"
	idTokenType        = "urn:ietf:params:oauth:token-type:id_token"
	maxBody            = 1 << 20
)

// token implements POST /oauth/token. Codex sends the authorization code and
// API-key grants form-encoded and the refresh grant as JSON; the fake
// accepts each only in the encoding Codex uses.
func (i *Issuer) token(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		i.refreshGrant(w, r)
		return
	}
	p, err := readForm(r, ct)
	if err != nil {
		i.record("POST /oauth/token")
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	if p["grant_type"] == "" {
		i.record("POST /oauth/token")
	} else {
		i.record("POST /oauth/token grant_type=" + p["grant_type"])
	}
	switch p["grant_type"] {
	case "authorization_code":
		i.codeGrant(w, r, p)
	case grantTokenExchange:
		i.apiKeyGrant(w, p)
	case "refresh_token":
		writeError(w, http.StatusBadRequest, "invalid_request", "Codex sends the refresh grant as JSON, not a form")
	default:
		writeError(w, http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("unsupported grant_type %q", p["grant_type"]))
	}
}

// codeGrant redeems an authorization code (RFC 6749 section 4.1.3) with its
// PKCE verifier (RFC 7636 section 4.6). A code is consumed by the first
// attempt to redeem it, successful or not.
func (i *Issuer) codeGrant(w http.ResponseWriter, r *http.Request, p map[string]string) {
	if err := exactParams(p, "grant_type", "client_id", "code", "redirect_uri", "code_verifier"); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	if p["client_id"] != i.o.ClientID {
		writeError(w, http.StatusUnauthorized, "invalid_client", "unknown client_id")
		return
	}
	iss := i.issuerURL(r)
	i.mu.Lock()
	defer i.mu.Unlock()
	i.secrets = append(i.secrets, p["code_verifier"])
	g := i.codes[p["code"]]
	switch {
	case g == nil:
		writeError(w, http.StatusBadRequest, "invalid_grant", "unknown authorization code")
		return
	case g.used:
		writeError(w, http.StatusBadRequest, "invalid_grant", "authorization code already used")
		return
	}
	g.used = true
	switch {
	case time.Now().After(g.expires):
		writeError(w, http.StatusBadRequest, "invalid_grant", "authorization code expired")
	case g.clientID != p["client_id"]:
		writeError(w, http.StatusBadRequest, "invalid_grant", "authorization code was issued to another client")
	case g.redirectURI != p["redirect_uri"]:
		writeError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri differs from the authorization request")
	case !validVerifier(p["code_verifier"]):
		writeError(w, http.StatusBadRequest, "invalid_request", "code_verifier must be 43 to 128 unreserved characters")
	case subtle.ConstantTimeCompare([]byte(challengeOf(p["code_verifier"])), []byte(g.challenge)) != 1:
		writeError(w, http.StatusBadRequest, "invalid_grant", "code_verifier does not match code_challenge")
	default:
		i.issueTokensLocked(w, iss, p["client_id"])
	}
}

// apiKeyGrant trades an id_token for an API key (RFC 8693 token exchange,
// as Codex does it after a browser login).
func (i *Issuer) apiKeyGrant(w http.ResponseWriter, p map[string]string) {
	if err := exactParams(p, "grant_type", "client_id", "requested_token", "subject_token", "subject_token_type"); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	switch {
	case p["client_id"] != i.o.ClientID:
		writeError(w, http.StatusUnauthorized, "invalid_client", "unknown client_id")
		return
	case p["requested_token"] != "openai-api-key":
		writeError(w, http.StatusBadRequest, "invalid_request", `requested_token must be "openai-api-key"`)
		return
	case p["subject_token_type"] != idTokenType:
		writeError(w, http.StatusBadRequest, "invalid_request", "subject_token_type must be "+idTokenType)
		return
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	if !i.idTokens[p["subject_token"]] {
		writeError(w, http.StatusBadRequest, "invalid_grant", "subject_token is not an id_token this issuer issued")
		return
	}
	if i.o.APIKeyFailure {
		writeError(w, http.StatusBadRequest, "invalid_request", "could not create an API key for this account")
		return
	}
	key := "sk-proj-" + random(36)
	i.apiKeys = append(i.apiKeys, key)
	i.secrets = append(i.secrets, key)
	writeJSON(w, http.StatusOK, map[string]string{
		"access_token":      key,
		"issued_token_type": "openai-api-key",
		"token_type":        "Bearer",
	})
}

// readForm reads a form-encoded body; every parameter must appear once and
// nothing may travel in the URL query (it would end up in proxy logs).
func readForm(r *http.Request, ct string) (map[string]string, error) {
	if ct != "application/x-www-form-urlencoded" {
		return nil, fmt.Errorf("unsupported Content-Type %q", r.Header.Get("Content-Type"))
	}
	if r.URL.RawQuery != "" {
		return nil, fmt.Errorf("parameters must be in the body, not the URL")
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("body is not form-encoded: %w", err)
	}
	p := map[string]string{}
	for k, v := range vals {
		if len(v) != 1 {
			return nil, fmt.Errorf("parameter %s given more than once", k)
		}
		p[k] = v[0]
	}
	return p, nil
}

// exactParams requires every name in want to be present and non-empty, and
// nothing else.
func exactParams(p map[string]string, want ...string) error {
	for _, k := range want {
		if p[k] == "" {
			return fmt.Errorf("missing parameter %s", k)
		}
	}
	var extra []string
	for k := range p {
		if !slices.Contains(want, k) {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return fmt.Errorf("unexpected parameter %s", extra[0])
	}
	return nil
}

// validVerifier checks RFC 7636 section 4.1: 43 to 128 unreserved characters.
func validVerifier(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for _, c := range []byte(v) {
		ok := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~'
		if !ok {
			return false
		}
	}
	return true
}

// challengeOf is the S256 code challenge of verifier (RFC 7636 section 4.2).
func challengeOf(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
