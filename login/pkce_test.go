package login

import (
	"encoding/base64"
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

func TestNewPKCEShape(t *testing.T) {
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
	state, _ := randomString(32)
	if len(state) != 43 {
		t.Fatalf("state has %d chars, want 43", len(state))
	}
}

func TestAuthorizeURLByteForByte(t *testing.T) {
	r := AuthorizeRequest{
		Issuer:      "https://auth.openai.com/",
		ClientID:    "app_EMoamEEZ73f0CkXaXp7hrann",
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
	if got := AuthorizeURL(r); got != want {
		t.Fatalf("authorize URL\n got %s\nwant %s", got, want)
	}
	r.WorkspaceIDs = []string{"ws-1", "ws 2"}
	got := AuthorizeURL(r)
	if !strings.HasSuffix(got, "&originator=codex_cli_rs&allowed_workspace_id=ws-1%2Cws+2") {
		t.Fatalf("workspace parameter missing or misplaced: %s", got)
	}
	u, err := url.Parse(got)
	if err != nil || u.Query().Get("allowed_workspace_id") != "ws-1,ws 2" {
		t.Fatalf("allowed_workspace_id does not decode: %v", err)
	}
}
