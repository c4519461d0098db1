// Package logintest is a fake OpenAI issuer for tests, in the spirit of
// net/http/httptest. It answers the endpoints Codex uses (authorize, token,
// revoke, device code) and refuses every request the real issuer would
// refuse: a wrong PKCE verifier, a reused authorization code, a redirect_uri
// that differs between authorize and token, an unknown client_id, a reused or
// revoked refresh token. Tests rely on it to catch codex-login's mistakes, so
// its checks are strict: it also refuses parameters Codex 0.169.0 does not
// send.
//
// The issuer never logs a token, code or verifier; Requests records only the
// method, the path and the grant type.
package logintest

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultClientID is Codex's OAuth client id.
const DefaultClientID = "app_EMoamEEZ73f0CkXaXp7hrann"

// Options configure an Issuer. The zero value is a working issuer.
type Options struct {
	// ClientID is the only client the issuer knows; default DefaultClientID.
	ClientID string
	// AccountID, Email and Plan are the id_token claims; defaults
	// "acct-corp-test", "dev@corp.test" and "plus".
	AccountID, Email, Plan string
	// DenyError, when non-empty, makes authorize redirect back with
	// error=DenyError&error_description=DenyDescription.
	DenyError, DenyDescription string
	// APIKeyFailure makes the token exchange for an API key answer 400.
	APIKeyFailure bool
	// NoDeviceAuth makes the device code endpoints answer 404, as OpenAI
	// does for workspaces without device login.
	NoDeviceAuth bool
	// AllowAnyPort accepts a redirect_uri on any loopback port; by default
	// only 1455 and 1457 are registered, as at OpenAI.
	AllowAnyPort bool
	// IgnoreWorkspace makes authorize let any account through whatever
	// allowed_workspace_id says, so that the client's own check is tested.
	IgnoreWorkspace bool
	// DeviceInterval is the polling interval the user code endpoint
	// returns, a string of seconds as OpenAI sends it; default "5".
	DeviceInterval string
	// Intercept, when set, sees every request first; when it returns true
	// it has answered and the issuer does nothing more. Tests use it for
	// the replies a real route may give: block pages, errors that quote
	// secrets, oversized bodies.
	Intercept func(w http.ResponseWriter, r *http.Request) bool
}

// Issuer is a fake OpenAI issuer. It is an http.Handler and safe for
// concurrent use.
type Issuer struct {
	o   Options
	mux *http.ServeMux

	mu        sync.Mutex
	url       string
	codes     map[string]*grant
	refresh   map[string]*refreshToken
	idTokens  map[string]bool
	devices   map[string]*device
	userCodes []string
	apiKeys   []string
	revoked   []string
	requests  []string
	secrets   []string // every code, verifier, token and key seen or issued
}

// grant is an authorization code and what it was issued for.
type grant struct {
	challenge, redirectURI, clientID string
	expires                          time.Time
	used                             bool
}

// refreshToken is the state of one refresh token.
type refreshToken struct {
	clientID      string
	used, revoked bool
}

// NewIssuer returns an issuer with o's defaults filled in.
func NewIssuer(o Options) *Issuer {
	if o.ClientID == "" {
		o.ClientID = DefaultClientID
	}
	if o.AccountID == "" {
		o.AccountID = "acct-corp-test"
	}
	if o.Email == "" {
		o.Email = "dev@corp.test"
	}
	if o.Plan == "" {
		o.Plan = "plus"
	}
	if o.DeviceInterval == "" {
		o.DeviceInterval = "5"
	}
	i := &Issuer{
		o:        o,
		mux:      http.NewServeMux(),
		codes:    map[string]*grant{},
		refresh:  map[string]*refreshToken{},
		idTokens: map[string]bool{},
		devices:  map[string]*device{},
	}
	i.mux.HandleFunc("GET /.well-known/openid-configuration", i.discovery)
	i.mux.HandleFunc("GET /.well-known/jwks.json", i.jwks)
	i.mux.HandleFunc("GET /oauth/authorize", i.authorize)
	i.mux.HandleFunc("POST /oauth/token", i.token)
	i.mux.HandleFunc("POST /oauth/revoke", i.revoke)
	i.mux.HandleFunc("POST /api/accounts/deviceauth/usercode", i.userCode)
	i.mux.HandleFunc("POST /api/accounts/deviceauth/token", i.deviceToken)
	i.mux.HandleFunc("GET /codex/device", i.devicePage)
	return i
}

// ServeHTTP records the request and answers it. Like the bot filter in
// front of OpenAI's issuer, it challenges Go's default User-Agent instead of
// answering: Codex sends none on its requests.
func (i *Issuer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.UserAgent(), "Go-http-client") {
		i.record("CHALLENGED " + r.Method + " " + r.URL.Path)
		challenge(w)
		return
	}
	if r.URL.Path != "/oauth/token" || r.Method != http.MethodPost {
		i.record(r.Method + " " + r.URL.Path) // the token handler records the grant type itself
	}
	if i.o.Intercept != nil {
		i.noteSecrets(r)
		if i.o.Intercept(w, r) {
			return
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	i.mux.ServeHTTP(w, r)
}

// challenge answers as a bot filter does: 403, cf-mitigated, an HTML page.
func challenge(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.Header().Set("Cf-Mitigated", "challenge")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte("<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser.</body></html>"))
}

// SetURL sets the externally visible issuer URL (the iss claim and the base
// of the device callback), e.g. https://auth.corp.test:PORT. Without it the
// issuer uses the scheme and Host of each request.
func (i *Issuer) SetURL(u string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.url = strings.TrimRight(u, "/")
}

// Requests returns what the issuer was asked, in order, without secrets:
// "GET /oauth/authorize", "POST /oauth/token grant_type=authorization_code".
func (i *Issuer) Requests() []string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]string(nil), i.requests...)
}

// Revoked returns the refresh tokens sent to /oauth/revoke, in order.
func (i *Issuer) Revoked() []string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]string(nil), i.revoked...)
}

// noteSecrets records the secrets a token request carries, before an
// interceptor answers it in the issuer's place. The body stays readable.
func (i *Issuer) noteSecrets(r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/oauth/token" {
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return
	}
	form, _ := url.ParseQuery(string(body))
	var fields map[string]any
	_ = json.Unmarshal(body, &fields)
	i.mu.Lock()
	defer i.mu.Unlock()
	for _, k := range []string{"code", "code_verifier", "subject_token", "refresh_token"} {
		if v := form.Get(k); v != "" {
			i.secrets = append(i.secrets, v)
		}
		if v, ok := fields[k].(string); ok && v != "" {
			i.secrets = append(i.secrets, v)
		}
	}
}

// Secrets returns every authorization code, PKCE verifier, token and API
// key the issuer issued or was sent, for tests that check none is printed.
func (i *Issuer) Secrets() []string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]string(nil), i.secrets...)
}

// APIKeys returns the API keys issued by the token exchange, in order.
func (i *Issuer) APIKeys() []string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]string(nil), i.apiKeys...)
}

func (i *Issuer) record(s string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.requests = append(i.requests, s)
}

// issuerURL is the URL set with SetURL, else the one the request came to.
func (i *Issuer) issuerURL(r *http.Request) string {
	i.mu.Lock()
	u := i.url
	i.mu.Unlock()
	if u != "" {
		return u
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (i *Issuer) discovery(w http.ResponseWriter, r *http.Request) {
	iss := i.issuerURL(r)
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                iss,
		"authorization_endpoint":                iss + "/oauth/authorize",
		"token_endpoint":                        iss + "/oauth/token",
		"revocation_endpoint":                   iss + "/oauth/revoke",
		"jwks_uri":                              iss + "/.well-known/jwks.json",
		"response_types_supported":              []string{"code"},
		"grant_types_supported":                 []string{"authorization_code", "refresh_token", grantTokenExchange},
		"code_challenge_methods_supported":      []string{"S256"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers with an RFC 6749 section 5.2 error body.
func writeError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": description})
}

// random returns n random bytes, base64url without padding.
func random(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand documents it)
	return base64.RawURLEncoding.EncodeToString(b)
}
