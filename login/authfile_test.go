package login

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testJWT builds an unsigned three-part token with the given payload.
func testJWT(t *testing.T, payload map[string]any) string {
	t.Helper()
	b, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc(b) + "." + enc([]byte("signature"))
}

func goldenIDToken(t *testing.T) string {
	return testJWT(t, map[string]any{
		"email": "dev@corp.test",
		"exp":   1795000000,
		"https://api.openai.com/auth": map[string]any{
			"chatgpt_account_id": "acct-corp-test",
			"chatgpt_plan_type":  "plus",
			"chatgpt_user_id":    "user-1",
		},
	})
}

func TestAuthFileGolden(t *testing.T) {
	key := "sk-proj-key"
	now := time.Date(2026, 11, 22, 13, 41, 38, 806162202, time.FixedZone("CET", 3600))
	_, err := newAuthFile(tokenSet{IDToken: "ID", AccessToken: "AT", RefreshToken: "RT"}, &key,
		Provenance{Issuer: "https://auth.openai.com", ClientID: "app_EMoamEEZ73f0CkXaXp7hrann"}, "OWNER", now)
	if err == nil {
		t.Fatal("an id_token that is not a JWT was accepted")
	}
	id := goldenIDToken(t)
	f, err := newAuthFile(tokenSet{IDToken: id, AccessToken: "AT", RefreshToken: "RT"}, &key,
		Provenance{Issuer: "https://auth.openai.com", ClientID: "app_EMoamEEZ73f0CkXaXp7hrann"}, "OWNER", now)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "auth.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	want = []byte(strings.ReplaceAll(string(want), "{{ID_TOKEN}}", id))
	if string(got) != string(want) {
		t.Fatalf("auth.json differs from golden file\n got: %s\nwant: %s", got, want)
	}

	f.OpenAIAPIKey = nil
	got, _ = f.Marshal()
	if !strings.Contains(string(got), `"OPENAI_API_KEY": null,`) {
		t.Fatalf("a missing API key must be written as null:\n%s", got)
	}
}

func TestAuthFileRoundTrip(t *testing.T) {
	id := goldenIDToken(t)
	f, err := newAuthFile(tokenSet{IDToken: id, AccessToken: "a<b>&c", RefreshToken: "RT"}, nil,
		Provenance{Issuer: "https://i.test", ClientID: "c"}, "O", time.Unix(0, 5))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := f.Marshal()
	if strings.Contains(string(data), `\u003c`) {
		t.Fatal("HTML escaping changed the token")
	}
	if !strings.Contains(string(data), `"last_refresh": "1970-01-01T00:00:00.000000005Z"`) {
		t.Fatalf("last_refresh must keep nine fractional digits:\n%s", data)
	}
	back, err := ParseAuthFile(data)
	if err != nil {
		t.Fatal(err)
	}
	if back.Tokens.AccessToken != "a<b>&c" || *back.Tokens.AccountID != "acct-corp-test" {
		t.Fatalf("round trip lost data: %+v", back.Tokens)
	}
}

func TestParseIDToken(t *testing.T) {
	c, err := ParseIDToken(goldenIDToken(t))
	if err != nil {
		t.Fatal(err)
	}
	if c.Email != "dev@corp.test" || c.AccountID != "acct-corp-test" || c.Plan != "plus" || c.Expiry.Unix() != 1795000000 {
		t.Fatalf("claims = %+v", c)
	}
	profile := testJWT(t, map[string]any{"https://api.openai.com/profile": map[string]any{"email": "p@corp.test"}})
	if c, _ := ParseIDToken(profile); c.Email != "p@corp.test" {
		t.Fatalf("email from profile claim = %q", c.Email)
	}
	for _, bad := range []string{"", "a.b", "a..c", "a.!!!.c", "a." + base64.RawURLEncoding.EncodeToString([]byte("not json")) + ".c", "a.b.c.d"} {
		if _, err := ParseIDToken(bad); err == nil {
			t.Errorf("ParseIDToken(%q) succeeded", bad)
		}
	}
}
