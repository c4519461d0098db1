package logintest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestCodeExchange(t *testing.T) {
	i := NewIssuer(Options{})
	tk := login(t, i)
	if strings.Count(tk.IDToken, ".") != 2 || strings.Count(tk.AccessToken, ".") != 2 ||
		!strings.HasPrefix(tk.RefreshToken, "rt_") || tk.TokenType != "Bearer" || tk.ExpiresIn <= 0 {
		t.Errorf("token reply %+v", tk)
	}
}

func TestCodeExchangeRefused(t *testing.T) {
	tests := []struct {
		name   string
		change func(url.Values)
		status int
		code   string
		desc   string
	}{
		{"wrong verifier", func(v url.Values) { v.Set("code_verifier", strings.Repeat("a", 43)) }, 400, "invalid_grant", "code_verifier does not match"},
		{"challenge as verifier", func(v url.Values) { v.Set("code_verifier", testChallenge) }, 400, "invalid_grant", "code_verifier does not match"},
		{"short verifier", func(v url.Values) { v.Set("code_verifier", verifier[:42]) }, 400, "invalid_request", "code_verifier must be"},
		{"verifier with bad characters", func(v url.Values) { v.Set("code_verifier", verifier[:42]+"+") }, 400, "invalid_request", "code_verifier must be"},
		{"no verifier", func(v url.Values) { v.Del("code_verifier") }, 400, "invalid_request", "missing parameter code_verifier"},
		{"localhost redirect", func(v url.Values) { v.Set("redirect_uri", "http://localhost:1455/auth/callback") }, 400, "invalid_grant", "redirect_uri differs"},
		{"other port", func(v url.Values) { v.Set("redirect_uri", "http://127.0.0.1:1457/auth/callback") }, 400, "invalid_grant", "redirect_uri differs"},
		{"trailing slash", func(v url.Values) { v.Set("redirect_uri", testRedirect+"/") }, 400, "invalid_grant", "redirect_uri differs"},
		{"no redirect", func(v url.Values) { v.Del("redirect_uri") }, 400, "invalid_request", "missing parameter redirect_uri"},
		{"other client", func(v url.Values) { v.Set("client_id", "app_other") }, 401, "invalid_client", "unknown client_id"},
		{"no client", func(v url.Values) { v.Del("client_id") }, 400, "invalid_request", "missing parameter client_id"},
		{"unknown code", func(v url.Values) { v.Set("code", "ac_forged") }, 400, "invalid_grant", "unknown authorization code"},
		{"client secret", func(v url.Values) { v.Set("client_secret", "x") }, 400, "invalid_request", "unexpected parameter client_secret"},
		{"repeated parameter", func(v url.Values) { v.Add("code_verifier", verifier) }, 400, "invalid_request", "more than once"},
		{"other grant", func(v url.Values) { v.Set("grant_type", "password") }, 400, "unsupported_grant_type", "password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := NewIssuer(Options{})
			v := codeForm(newCode(t, i))
			tt.change(v)
			wantError(t, postForm(i, v), tt.status, tt.code, tt.desc)
		})
	}
}

func TestCodeIsSingleUse(t *testing.T) {
	i := NewIssuer(Options{})
	code := newCode(t, i)
	if w := postForm(i, codeForm(code)); w.Code != http.StatusOK {
		t.Fatalf("first exchange: %d %s", w.Code, w.Body)
	}
	wantError(t, postForm(i, codeForm(code)), 400, "invalid_grant", "already used")

	// A failed attempt consumes the code too: the right verifier comes too late.
	code = newCode(t, i)
	v := codeForm(code)
	v.Set("code_verifier", strings.Repeat("b", 43))
	wantError(t, postForm(i, v), 400, "invalid_grant", "does not match")
	wantError(t, postForm(i, codeForm(code)), 400, "invalid_grant", "already used")
}

func TestTokenEncodingRefused(t *testing.T) {
	i := NewIssuer(Options{})
	v := codeForm(newCode(t, i))
	wantError(t, serve(i, "POST", "/oauth/token?"+v.Encode(), "application/x-www-form-urlencoded", ""),
		400, "invalid_request", "not the URL")
	wantError(t, serve(i, "POST", "/oauth/token", "text/plain", v.Encode()), 400, "invalid_request", "Content-Type")
	body := map[string]string{}
	for k := range v {
		body[k] = v.Get(k)
	}
	wantError(t, postJSON(i, "/oauth/token", body), 400, "invalid_request", "")
	if w := serve(i, "GET", "/oauth/token", "", ""); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET /oauth/token: status %d, want 405", w.Code)
	}
}

// apiKeyForm is Codex's token exchange for an API key.
func apiKeyForm(idToken string) url.Values {
	return url.Values{
		"grant_type":         {"urn:ietf:params:oauth:grant-type:token-exchange"},
		"client_id":          {DefaultClientID},
		"requested_token":    {"openai-api-key"},
		"subject_token":      {idToken},
		"subject_token_type": {"urn:ietf:params:oauth:token-type:id_token"},
	}
}

func TestAPIKeyExchange(t *testing.T) {
	i := NewIssuer(Options{})
	w := postForm(i, apiKeyForm(login(t, i).IDToken))
	var r struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil || w.Code != 200 || !strings.HasPrefix(r.AccessToken, "sk-proj-") {
		t.Fatalf("api key exchange: %d %s", w.Code, w.Body)
	}
	if keys := i.APIKeys(); len(keys) != 1 || keys[0] != r.AccessToken {
		t.Errorf("APIKeys() = %d keys, want the one issued", len(keys))
	}
}

func TestAPIKeyExchangeRefused(t *testing.T) {
	tests := []struct {
		name   string
		change func(url.Values)
		status int
		code   string
		desc   string
	}{
		{"no grant_type", func(v url.Values) { v.Del("grant_type") }, 400, "unsupported_grant_type", ""},
		{"no client_id", func(v url.Values) { v.Del("client_id") }, 400, "invalid_request", "missing parameter client_id"},
		{"no requested_token", func(v url.Values) { v.Del("requested_token") }, 400, "invalid_request", "missing parameter requested_token"},
		{"no subject_token", func(v url.Values) { v.Del("subject_token") }, 400, "invalid_request", "missing parameter subject_token"},
		{"no subject_token_type", func(v url.Values) { v.Del("subject_token_type") }, 400, "invalid_request", "missing parameter subject_token_type"},
		{"extra scope", func(v url.Values) { v.Set("scope", "openid") }, 400, "invalid_request", "unexpected parameter scope"},
		{"extra redirect_uri", func(v url.Values) { v.Set("redirect_uri", testRedirect) }, 400, "invalid_request", "unexpected parameter redirect_uri"},
		{"other client", func(v url.Values) { v.Set("client_id", "app_other") }, 401, "invalid_client", ""},
		{"other requested token", func(v url.Values) { v.Set("requested_token", "api-key") }, 400, "invalid_request", "requested_token"},
		{"access token type", func(v url.Values) {
			v.Set("subject_token_type", "urn:ietf:params:oauth:token-type:access_token")
		}, 400, "invalid_request", "subject_token_type"},
		{"forged id_token", func(v url.Values) { v.Set("subject_token", "e30.e30.sig") }, 400, "invalid_grant", "not an id_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := NewIssuer(Options{})
			v := apiKeyForm(login(t, i).IDToken)
			tt.change(v)
			wantError(t, postForm(i, v), tt.status, tt.code, tt.desc)
		})
	}
	t.Run("access token as subject", func(t *testing.T) {
		i := NewIssuer(Options{})
		wantError(t, postForm(i, apiKeyForm(login(t, i).AccessToken)), 400, "invalid_grant", "not an id_token")
	})
	t.Run("failure mode", func(t *testing.T) {
		i := NewIssuer(Options{APIKeyFailure: true})
		wantError(t, postForm(i, apiKeyForm(login(t, i).IDToken)), 400, "invalid_request", "")
		if len(i.APIKeys()) != 0 {
			t.Error("an API key was issued")
		}
	})
}
