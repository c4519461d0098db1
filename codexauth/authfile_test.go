package codexauth

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

// goldenFile is the file of the golden tests, with the random owner id
// replaced by "OWNER".
func goldenFile(t *testing.T) *AuthFile {
	t.Helper()
	key := "sk-proj-key"
	now := time.Date(2026, 11, 22, 13, 41, 38, 806162202, time.FixedZone("CET", 3600))
	f, err := NewChatGPT(TokenSet{IDToken: goldenIDToken(t), AccessToken: "AT", RefreshToken: "RT"}, &key,
		Provenance{Issuer: "https://auth.openai.com", ClientID: "app_EMoamEEZ73f0CkXaXp7hrann"}, now)
	if err != nil {
		t.Fatal(err)
	}
	f.Tokens.LoginOwnerID = "OWNER"
	return f
}

// readGolden returns a golden file with the id_token filled in.
func readGolden(t *testing.T, name string) string {
	t.Helper()
	want, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(want), "{{ID_TOKEN}}", goldenIDToken(t))
}

func TestNewChatGPTRefusesAnIDTokenThatIsNotAJWT(t *testing.T) {
	_, err := NewChatGPT(TokenSet{IDToken: "ID", AccessToken: "AT", RefreshToken: "RT"}, nil,
		Provenance{Issuer: "https://auth.openai.com", ClientID: "app_EMoamEEZ73f0CkXaXp7hrann"}, time.Now())
	if err == nil {
		t.Fatal("an id_token that is not a JWT was accepted")
	}
}

func TestAuthFileGolden(t *testing.T) {
	f := goldenFile(t)
	got, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if want := readGolden(t, "auth.golden.json"); string(got) != want {
		t.Fatalf("auth.json differs from golden file\n got: %s\nwant: %s", got, want)
	}

	f.OpenAIAPIKey = nil
	got, _ = f.Marshal()
	if !strings.Contains(string(got), `"OPENAI_API_KEY": null,`) {
		t.Fatalf("a missing API key must be written as null:\n%s", got)
	}
}

// The keyring holds the same JSON as auth.json without any whitespace.
func TestMarshalCompactGolden(t *testing.T) {
	got, err := goldenFile(t).MarshalCompact()
	if err != nil {
		t.Fatal(err)
	}
	if want := readGolden(t, "auth.compact.golden.json"); string(got) != want {
		t.Fatalf("compact JSON differs from golden file\n got: %s\nwant: %s", got, want)
	}
}

func TestNewChatGPTMakesAFreshOwnerIDEachTime(t *testing.T) {
	seen := map[string]bool{}
	for range 3 {
		f, err := NewChatGPT(TokenSet{IDToken: goldenIDToken(t), AccessToken: "AT", RefreshToken: "RT"}, nil,
			Provenance{Issuer: "https://i.test", ClientID: "c"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		id := f.Tokens.LoginOwnerID
		raw, err := base64.RawURLEncoding.DecodeString(id)
		if err != nil || len(raw) != 32 {
			t.Fatalf("login_owner_id %q is not 32 bytes in unpadded base64url (%d bytes, %v)", id, len(raw), err)
		}
		if seen[id] {
			t.Fatalf("login_owner_id %q was made twice", id)
		}
		seen[id] = true
	}
}

func TestAuthFileRoundTrip(t *testing.T) {
	f, err := NewChatGPT(TokenSet{IDToken: goldenIDToken(t), AccessToken: "a<b>&c", RefreshToken: "RT"}, nil,
		Provenance{Issuer: "https://i.test", ClientID: "c"}, time.Unix(0, 5))
	if err != nil {
		t.Fatal(err)
	}
	for name, marshal := range map[string]func() ([]byte, error){"Marshal": f.Marshal, "MarshalCompact": f.MarshalCompact} {
		data, _ := marshal()
		if strings.Contains(string(data), `\u003c`) {
			t.Fatalf("%s: HTML escaping changed the token", name)
		}
		if !strings.Contains(strings.ReplaceAll(string(data), " ", ""), `"last_refresh":"1970-01-01T00:00:00.000000005Z"`) {
			t.Fatalf("%s: last_refresh must keep nine fractional digits:\n%s", name, data)
		}
		back, err := Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		if back.Tokens.AccessToken != "a<b>&c" || *back.Tokens.AccountID != "acct-corp-test" ||
			back.Tokens.LoginOwnerID != f.Tokens.LoginOwnerID {
			t.Fatalf("%s: round trip lost data: %+v", name, back.Tokens)
		}
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
