package logintest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAuthorizeGood(t *testing.T) {
	i := NewIssuer(Options{})
	got := authorize(t, i, authorizeQuery())
	if !strings.HasPrefix(got.Get("code"), "ac_") || got.Get("state") != "st4te-value" {
		t.Errorf("redirect query %v, want a code and the state", got)
	}
	for _, redirect := range []string{"http://127.0.0.1:1457/auth/callback", "http://localhost:1455/auth/callback"} {
		q := authorizeQuery()
		q.Set("redirect_uri", redirect)
		authorize(t, i, q)
	}
}

func TestAuthorizeRefusesWhatOpenAIRefuses(t *testing.T) {
	tests := []struct {
		name, param string
		change      func(url.Values)
	}{
		{"response_type token", "response_type", func(q url.Values) { q.Set("response_type", "token") }},
		{"no response_type", "response_type", func(q url.Values) { q.Del("response_type") }},
		{"other client", "client_id", func(q url.Values) { q.Set("client_id", "app_other") }},
		{"no client", "client_id", func(q url.Values) { q.Del("client_id") }},
		{"unregistered port", "redirect_uri", func(q url.Values) { q.Set("redirect_uri", "http://127.0.0.1:8080/auth/callback") }},
		{"no port", "redirect_uri", func(q url.Values) { q.Set("redirect_uri", "http://127.0.0.1/auth/callback") }},
		{"other host", "redirect_uri", func(q url.Values) { q.Set("redirect_uri", "http://example.test:1455/auth/callback") }},
		{"ipv6 loopback", "redirect_uri", func(q url.Values) { q.Set("redirect_uri", "http://[::1]:1455/auth/callback") }},
		{"https", "redirect_uri", func(q url.Values) { q.Set("redirect_uri", "https://127.0.0.1:1455/auth/callback") }},
		{"other path", "redirect_uri", func(q url.Values) { q.Set("redirect_uri", "http://127.0.0.1:1455/callback") }},
		{"trailing slash", "redirect_uri", func(q url.Values) { q.Set("redirect_uri", "http://127.0.0.1:1455/auth/callback/") }},
		{"query", "redirect_uri", func(q url.Values) { q.Set("redirect_uri", "http://127.0.0.1:1455/auth/callback?x=1") }},
		{"no redirect", "redirect_uri", func(q url.Values) { q.Del("redirect_uri") }},
		{"short challenge", "code_challenge", func(q url.Values) { q.Set("code_challenge", testChallenge[:42]) }},
		{"padded challenge", "code_challenge", func(q url.Values) { q.Set("code_challenge", testChallenge[:42]+"=") }},
		{"std base64 challenge", "code_challenge", func(q url.Values) { q.Set("code_challenge", "+"+testChallenge[1:]) }},
		{"verifier as challenge", "code_challenge", func(q url.Values) { q.Set("code_challenge", verifier+"abc") }},
		{"plain method", "code_challenge_method", func(q url.Values) { q.Set("code_challenge_method", "plain") }},
		{"no method", "code_challenge_method", func(q url.Values) { q.Del("code_challenge_method") }},
		{"no state", "state", func(q url.Values) { q.Del("state") }},
		{"empty state", "state", func(q url.Values) { q.Set("state", "") }},
		{"no offline_access", "scope", func(q url.Values) { q.Set("scope", "openid profile email") }},
		{"no openid", "scope", func(q url.Values) { q.Set("scope", "profile email offline_access") }},
		{"organizations false", "id_token_add_organizations", func(q url.Values) { q.Set("id_token_add_organizations", "false") }},
		{"no simplified flow", "codex_cli_simplified_flow", func(q url.Values) { q.Del("codex_cli_simplified_flow") }},
		{"other originator", "originator", func(q url.Values) { q.Set("originator", "codex-login") }},
		{"empty workspace", "allowed_workspace_id", func(q url.Values) { q.Set("allowed_workspace_id", "") }},
		{"unknown parameter", "prompt", func(q url.Values) { q.Set("prompt", "login") }},
		{"repeated parameter", "state", func(q url.Values) { q.Add("state", "again") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := NewIssuer(Options{})
			q := authorizeQuery()
			tt.change(q)
			w := serve(i, "GET", "/oauth/authorize?"+q.Encode(), "", "")
			wantError(t, w, http.StatusBadRequest, "invalid_request", "invalid "+tt.param+":")
			if len(i.codes) != 0 {
				t.Error("a code was issued")
			}
		})
	}
}

func TestAuthorizeAnyPort(t *testing.T) {
	q := authorizeQuery()
	q.Set("redirect_uri", "http://127.0.0.1:38123/auth/callback")
	authorize(t, NewIssuer(Options{AllowAnyPort: true}), q)
	q.Set("redirect_uri", "http://127.0.0.1:0/auth/callback")
	w := serve(NewIssuer(Options{AllowAnyPort: true}), "GET", "/oauth/authorize?"+q.Encode(), "", "")
	wantError(t, w, http.StatusBadRequest, "invalid_request", "invalid redirect_uri")
}

func TestAuthorizeMethod(t *testing.T) {
	w := serve(NewIssuer(Options{}), "POST", "/oauth/authorize?"+authorizeQuery().Encode(), "", "")
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /oauth/authorize: status %d, want 405", w.Code)
	}
}

func TestAuthorizeDeny(t *testing.T) {
	i := NewIssuer(Options{DenyError: "access_denied", DenyDescription: "missing_codex_entitlement: Codex is not enabled"})
	got := authorize(t, i, authorizeQuery())
	if got.Get("error") != "access_denied" || got.Get("error_description") != "missing_codex_entitlement: Codex is not enabled" ||
		got.Get("state") != "st4te-value" || got.Has("code") {
		t.Errorf("deny redirect query %v", got)
	}
}

func TestAuthorizeWorkspace(t *testing.T) {
	i := NewIssuer(Options{AccountID: "ws-b"})
	q := authorizeQuery()
	q.Set("allowed_workspace_id", "ws-a,ws-c")
	got := authorize(t, i, q)
	if got.Get("error") != "access_denied" || got.Has("code") || got.Get("state") != "st4te-value" {
		t.Errorf("workspace mismatch: redirect query %v, want error=access_denied", got)
	}
	q.Set("allowed_workspace_id", "ws-a,ws-b")
	if got := authorize(t, i, q); got.Get("code") == "" {
		t.Errorf("workspace match: redirect query %v, want a code", got)
	}
}
