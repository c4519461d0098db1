package oauth

import (
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"testing"
)

// RFC 7636 Appendix B.
func TestS256AppendixB(t *testing.T) {
	got := S256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
	if want := "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"; got != want {
		t.Fatalf("S256 = %q, want %q", got, want)
	}
}

func TestNewPKCEAndStateShape(t *testing.T) {
	p, err := NewPKCE()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Verifier) != 86 || len(p.Challenge) != 43 {
		t.Fatalf("verifier %d chars, challenge %d chars; want 86 and 43", len(p.Verifier), len(p.Challenge))
	}
	raw, err := base64.RawURLEncoding.DecodeString(p.Verifier)
	if err != nil || len(raw) != 64 {
		t.Fatalf("verifier is not 64 bytes of base64url: %v", err)
	}
	if p.Challenge != S256(p.Verifier) {
		t.Fatal("challenge does not match verifier")
	}
	q, _ := NewPKCE()
	if q.Verifier == p.Verifier {
		t.Fatal("two verifiers are equal")
	}
	state, err := NewState()
	if err != nil {
		t.Fatal(err)
	}
	if raw, err := base64.RawURLEncoding.DecodeString(state); err != nil || len(raw) != 32 || len(state) != 43 {
		t.Fatalf("state %q is not 32 bytes of base64url in 43 chars: %v", state, err)
	}
	if other, _ := NewState(); other == state {
		t.Fatal("two states are equal")
	}
}

func TestAuthorizeURLByteForByte(t *testing.T) {
	c := &Client{Issuer: "https://auth.openai.com/"} // trailing slash, default client id
	r := AuthorizeRequest{
		RedirectURI: RedirectURI(1455),
		Challenge:   "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
		State:       "c3RhdGUtc3RhdGUtc3RhdGUtc3RhdGUtc3RhdGUtc3Q",
	}
	want := "https://auth.openai.com/oauth/authorize?response_type=code" +
		"&client_id=app_EMoamEEZ73f0CkXaXp7hrann" +
		"&redirect_uri=http%3A%2F%2F127.0.0.1%3A1455%2Fauth%2Fcallback" +
		"&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" +
		"&code_challenge_method=S256" +
		"&state=c3RhdGUtc3RhdGUtc3RhdGUtc3RhdGUtc3RhdGUtc3Q" +
		"&scope=openid+profile+email+offline_access+api.connectors.read+api.connectors.invoke" +
		"&id_token_add_organizations=true&codex_cli_simplified_flow=true&originator=codex_cli_rs"
	if got := c.AuthorizeURL(r); got != want {
		t.Fatalf("authorize URL\n got %s\nwant %s", got, want)
	}
	if got := (&Client{}).AuthorizeURL(r); got != want {
		t.Fatalf("the zero Client does not use the default issuer and client id:\n%s", got)
	}
	r.WorkspaceIDs = []string{"ws-1", "ws 2"}
	got := c.AuthorizeURL(r)
	if !strings.HasSuffix(got, "&originator=codex_cli_rs&allowed_workspace_id=ws-1%2Cws+2") {
		t.Fatalf("workspace parameter missing or misplaced: %s", got)
	}
	u, err := url.Parse(got)
	if err != nil || u.Query().Get("allowed_workspace_id") != "ws-1,ws 2" {
		t.Fatalf("allowed_workspace_id does not decode: %v", err)
	}
}

func TestRedirectURIs(t *testing.T) {
	if got := RedirectURI(1457); got != "http://127.0.0.1:1457/auth/callback" {
		t.Errorf("RedirectURI(1457) = %s", got)
	}
	if len(CallbackPorts) != 2 || CallbackPorts[0] != 1455 || CallbackPorts[1] != 1457 {
		t.Errorf("CallbackPorts = %v, want [1455 1457]", CallbackPorts)
	}
	c := &Client{Issuer: "https://auth.corp.test/"}
	if got := c.DeviceRedirectURI(); got != "https://auth.corp.test/deviceauth/callback" {
		t.Errorf("DeviceRedirectURI = %s", got)
	}
	if got := (&Client{}).DeviceRedirectURI(); got != DefaultIssuer+"/deviceauth/callback" {
		t.Errorf("DeviceRedirectURI of the zero Client = %s", got)
	}
}

func TestCheckIssuer(t *testing.T) {
	for _, tc := range []struct {
		issuer string
		ok     bool
	}{
		{"https://auth.openai.com", true},
		{"https://auth.corp.test:8443/", true},
		{"http://127.0.0.1:41234", true},
		{"http://127.9.9.9", true},
		{"http://[::1]:8080", true},
		{"http://localhost:8080", true},
		{"http://auth.openai.com", false},
		{"http://10.0.0.1", false},
		{"http://localhost.evil.test", false},
		{"ftp://auth.openai.com", false},
		{"auth.openai.com", false},
		{"/oauth", false},
		{"", false},
		{"https://user:secret@auth.corp.test", true},
		{"http://user:secret@auth.corp.test", false},
	} {
		err := CheckIssuer(tc.issuer)
		if (err == nil) != tc.ok {
			t.Errorf("CheckIssuer(%q) = %v, want ok=%v", tc.issuer, err, tc.ok)
		}
		var ie *IssuerError
		if err != nil && !errors.As(err, &ie) {
			t.Errorf("CheckIssuer(%q) = %T, want *IssuerError", tc.issuer, err)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("CheckIssuer(%q) shows the password: %v", tc.issuer, err)
		}
	}
}

func TestNoRequestGoesToAnIssuerCheckIssuerRefuses(t *testing.T) {
	s := newStub(t, codexReplies, false)
	c := s.client()
	c.Issuer = "http://auth.corp.test"
	_, err := c.Refresh(t.Context(), "rt_secret_refresh_token")
	var ie *IssuerError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v, want *IssuerError", err)
	}
	if err := c.Preflight(t.Context()); !errors.As(err, &ie) {
		t.Fatalf("preflight: got %v, want *IssuerError", err)
	}
	if n := len(s.requests()); n != 0 {
		t.Fatalf("%d requests were sent", n)
	}
}
