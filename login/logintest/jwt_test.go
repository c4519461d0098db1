package logintest

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"
)

// decodeJWT checks the RS256 signature with the key from the issuer's JWKS
// and returns the header and payload.
func decodeJWT(t *testing.T, i *Issuer, token string) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts, want 3", len(parts))
	}
	for n, dst := range []*map[string]any{&header, &claims} {
		raw, err := base64.RawURLEncoding.DecodeString(parts[n])
		if err != nil {
			t.Fatalf("part %d: %v", n, err)
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			t.Fatalf("part %d: %v", n, err)
		}
	}
	var jwks struct {
		Keys []struct{ Kid, N, E string }
	}
	if err := json.Unmarshal(serve(i, "GET", "/.well-known/jwks.json", "", "").Body.Bytes(), &jwks); err != nil || len(jwks.Keys) != 1 {
		t.Fatalf("jwks: %v", err)
	}
	k := jwks.Keys[0]
	if header["alg"] != "RS256" || header["kid"] != k.Kid {
		t.Errorf("header %v, want alg RS256 and kid %s", header, k.Kid)
	}
	n, _ := base64.RawURLEncoding.DecodeString(k.N)
	e, _ := base64.RawURLEncoding.DecodeString(k.E)
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		t.Errorf("signature: %v", err)
	}
	if pub.N.BitLen() != 2048 {
		t.Errorf("key is %d bits, want 2048", pub.N.BitLen())
	}
	return header, claims
}

func TestIDTokenClaims(t *testing.T) {
	i := NewIssuer(Options{AccountID: "acct-1", Email: "ada@corp.test", Plan: "team"})
	tk := login(t, i)
	_, c := decodeJWT(t, i, tk.IDToken)
	if c["iss"] != "https://"+testHost || c["email"] != "ada@corp.test" {
		t.Errorf("iss %v email %v", c["iss"], c["email"])
	}
	if aud, _ := c["aud"].([]any); len(aud) != 1 || aud[0] != DefaultClientID {
		t.Errorf("aud %v, want [%s]", c["aud"], DefaultClientID)
	}
	exp, _ := c["exp"].(float64)
	if d := time.Until(time.Unix(int64(exp), 0)); d < 50*time.Minute || d > 70*time.Minute {
		t.Errorf("exp is %v from now, want about an hour", d)
	}
	auth, _ := c[AuthClaim].(map[string]any)
	if auth["chatgpt_account_id"] != "acct-1" || auth["chatgpt_plan_type"] != "team" ||
		auth["chatgpt_user_id"] == "" || auth["chatgpt_user_id"] != auth["user_id"] {
		t.Errorf("%s = %v", AuthClaim, auth)
	}
	if orgs, _ := auth["organizations"].([]any); len(orgs) == 0 {
		t.Errorf("no organizations in %v", auth)
	}
	profile, _ := c[ProfileClaim].(map[string]any)
	if profile["email"] != "ada@corp.test" || profile["email_verified"] != true {
		t.Errorf("%s = %v", ProfileClaim, profile)
	}

	_, a := decodeJWT(t, i, tk.AccessToken)
	auth, _ = a[AuthClaim].(map[string]any)
	if auth["chatgpt_account_id"] != "acct-1" || a["client_id"] != DefaultClientID {
		t.Errorf("access token claims %v", a)
	}
	exp, _ = a["exp"].(float64)
	if time.Until(time.Unix(int64(exp), 0)) < 24*time.Hour {
		t.Errorf("access token expires at %v, want days away", time.Unix(int64(exp), 0))
	}
}

func TestSetURL(t *testing.T) {
	i := NewIssuer(Options{})
	i.SetURL("https://auth.corp.test:8443/")
	_, c := decodeJWT(t, i, login(t, i).IDToken)
	if c["iss"] != "https://auth.corp.test:8443" {
		t.Errorf("iss %v, want https://auth.corp.test:8443", c["iss"])
	}
	var d map[string]any
	if err := json.Unmarshal(serve(i, "GET", "/.well-known/openid-configuration", "", "").Body.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	if d["token_endpoint"] != "https://auth.corp.test:8443/oauth/token" {
		t.Errorf("discovery %v", d)
	}
}

func TestPublicKey(t *testing.T) {
	i := NewIssuer(Options{})
	tk := login(t, i)
	pub, err := PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tk.IDToken, ".")
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		t.Error(err)
	}
}
