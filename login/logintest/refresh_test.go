package logintest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
)

func refreshBody(rt string) map[string]string {
	return map[string]string{"client_id": DefaultClientID, "grant_type": "refresh_token", "refresh_token": rt}
}

func refresh(t *testing.T, i *Issuer, rt string) tokens {
	t.Helper()
	w := postJSON(i, "/oauth/token", refreshBody(rt))
	if w.Code != http.StatusOK {
		t.Fatalf("refresh: %d %s", w.Code, w.Body)
	}
	var tk tokens
	if err := json.Unmarshal(w.Body.Bytes(), &tk); err != nil {
		t.Fatal(err)
	}
	return tk
}

func TestRefreshRotates(t *testing.T) {
	i := NewIssuer(Options{})
	first := login(t, i)
	second := refresh(t, i, first.RefreshToken)
	if second.RefreshToken == first.RefreshToken || second.IDToken == "" || second.AccessToken == "" {
		t.Fatalf("refresh did not rotate: %+v", second)
	}
	wantError(t, postJSON(i, "/oauth/token", refreshBody(first.RefreshToken)), 401, "refresh_token_reused", "")
	third := refresh(t, i, second.RefreshToken)
	// The id_token from a refresh can be traded for an API key like the first.
	if w := postForm(i, apiKeyForm(third.IDToken)); w.Code != http.StatusOK {
		t.Errorf("api key from refreshed id_token: %d %s", w.Code, w.Body)
	}
}

func TestRefreshRefused(t *testing.T) {
	tests := []struct {
		name   string
		body   func(rt string) any
		status int
		code   string
	}{
		{"unknown token", func(string) any { return refreshBody("rt_forged") }, 401, "invalid_grant"},
		{"other client", func(rt string) any {
			b := refreshBody(rt)
			b["client_id"] = "app_other"
			return b
		}, 401, "invalid_client"},
		{"no client", func(rt string) any {
			b := refreshBody(rt)
			delete(b, "client_id")
			return b
		}, 400, "invalid_request"},
		{"extra scope", func(rt string) any {
			b := refreshBody(rt)
			b["scope"] = "openid profile email"
			return b
		}, 400, "invalid_request"},
		{"wrong grant", func(rt string) any {
			b := refreshBody(rt)
			b["grant_type"] = "authorization_code"
			return b
		}, 400, "invalid_request"},
		{"not an object", func(string) any { return []string{"refresh_token"} }, 400, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := NewIssuer(Options{})
			rt := login(t, i).RefreshToken
			wantError(t, postJSON(i, "/oauth/token", tt.body(rt)), tt.status, tt.code, "")
			// A refused request does not consume the token.
			refresh(t, i, rt)
		})
	}
	t.Run("form encoded", func(t *testing.T) {
		i := NewIssuer(Options{})
		rt := login(t, i).RefreshToken
		v := url.Values{"client_id": {DefaultClientID}, "grant_type": {"refresh_token"}, "refresh_token": {rt}}
		wantError(t, postForm(i, v), 400, "invalid_request", "JSON")
	})
}

func TestRevoke(t *testing.T) {
	i := NewIssuer(Options{})
	rt := login(t, i).RefreshToken
	revoke := map[string]string{"token": rt, "token_type_hint": "refresh_token", "client_id": DefaultClientID}
	if w := postJSON(i, "/oauth/revoke", revoke); w.Code != http.StatusOK {
		t.Fatalf("revoke: %d %s", w.Code, w.Body)
	}
	wantError(t, postJSON(i, "/oauth/token", refreshBody(rt)), 401, "refresh_token_invalidated", "revoked")
	if got := i.Revoked(); len(got) != 1 || got[0] != rt {
		t.Errorf("Revoked() has %d tokens, want the one revoked", len(got))
	}
}

func TestRevokeRefused(t *testing.T) {
	i := NewIssuer(Options{})
	rt := login(t, i).RefreshToken
	good := func() map[string]string {
		return map[string]string{"token": rt, "token_type_hint": "refresh_token", "client_id": DefaultClientID}
	}
	tests := []struct {
		name   string
		change func(map[string]string)
		status int
		code   string
	}{
		{"other client", func(b map[string]string) { b["client_id"] = "app_other" }, 401, "invalid_client"},
		{"no hint", func(b map[string]string) { delete(b, "token_type_hint") }, 400, "invalid_request"},
		{"access token hint", func(b map[string]string) { b["token_type_hint"] = "access_token" }, 400, "invalid_request"},
		{"no token", func(b map[string]string) { delete(b, "token") }, 400, "invalid_request"},
		{"extra field", func(b map[string]string) { b["client_secret"] = "x" }, 400, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := good()
			tt.change(b)
			wantError(t, postJSON(i, "/oauth/revoke", b), tt.status, tt.code, "")
		})
	}
	form := url.Values{"token": {rt}, "token_type_hint": {"refresh_token"}, "client_id": {DefaultClientID}}
	wantError(t, serve(i, "POST", "/oauth/revoke", "application/x-www-form-urlencoded", form.Encode()), 400, "invalid_request", "Content-Type")
	if len(i.Revoked()) != 0 {
		t.Error("a refused revocation was recorded")
	}
	refresh(t, i, rt)
}

func TestRevokeWithoutOriginatorRefused(t *testing.T) {
	i := NewIssuer(Options{})
	rt := login(t, i).RefreshToken
	b, _ := json.Marshal(map[string]string{"token": rt, "token_type_hint": "refresh_token", "client_id": DefaultClientID})
	w := serveWith(i, "POST", "/oauth/revoke", "application/json", string(b), http.Header{"Originator": {""}})
	wantError(t, w, 400, "invalid_request", "Originator")
	if len(i.Revoked()) != 0 {
		t.Error("a revocation without Originator was recorded")
	}
}
