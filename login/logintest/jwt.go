package logintest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"sync"
	"time"
)

// AuthClaim and ProfileClaim are the namespaced claims OpenAI puts in its
// id_tokens and access tokens.
const (
	AuthClaim    = "https://api.openai.com/auth"
	ProfileClaim = "https://api.openai.com/profile"
)

// idTokenLifetime is the id_token's exp, one hour like OpenAI's.
const idTokenLifetime = time.Hour

// signingKey is generated once per process: a 2048-bit RSA key takes long
// enough that every issuer generating its own would slow the tests down.
var signingKey = sync.OnceValues(func() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, 2048)
})

// keyID names the signing key in the JWT header and the JWKS.
func keyID(k *rsa.PublicKey) string {
	der, _ := x509.MarshalPKIXPublicKey(k)
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:8])
}

// sign returns claims as a compact RS256 JWS (RFC 7515, RFC 7519).
func sign(claims any) (string, error) {
	key, err := signingKey()
	if err != nil {
		return "", fmt.Errorf("generate signing key: %w", err)
	}
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": keyID(&key.PublicKey)})
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("encode claims: %w", err)
	}
	input := b64(header) + "." + b64(payload)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return input + "." + b64(sig), nil
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// userID is stable per email, shaped like OpenAI's "user-..." ids.
func (i *Issuer) userID() string {
	sum := sha256.Sum256([]byte(i.o.Email))
	return "user-" + hex.EncodeToString(sum[:12])
}

// idClaims are the claims of an id_token, shaped like OpenAI's.
func (i *Issuer) idClaims(iss, clientID string, now time.Time) map[string]any {
	uid := i.userID()
	return map[string]any{
		"iss":            iss,
		"aud":            []string{clientID},
		"sub":            "auth0|" + uid[len("user-"):],
		"email":          i.o.Email,
		"email_verified": true,
		"iat":            now.Unix(),
		"exp":            now.Add(idTokenLifetime).Unix(),
		"auth_time":      now.Unix(),
		"jti":            random(16),
		AuthClaim: map[string]any{
			"chatgpt_account_id": i.o.AccountID,
			"chatgpt_plan_type":  i.o.Plan,
			"chatgpt_user_id":    uid,
			"user_id":            uid,
			"groups":             []string{},
			"organizations": []map[string]any{{
				"id": "org-corp-test", "is_default": true, "role": "owner", "title": "Personal",
			}},
		},
		ProfileClaim: map[string]any{"email": i.o.Email, "email_verified": true},
	}
}

// accessClaims are the claims of an access token, shaped like OpenAI's.
func (i *Issuer) accessClaims(iss, clientID string, now time.Time) map[string]any {
	uid := i.userID()
	return map[string]any{
		"iss":       iss,
		"aud":       []string{"https://api.openai.com/v1"},
		"client_id": clientID,
		"sub":       "auth0|" + uid[len("user-"):],
		"scp":       []string{"openid", "profile", "email", "offline_access"},
		"iat":       now.Unix(),
		"nbf":       now.Unix(),
		"exp":       now.Add(accessTokenLifetime).Unix(),
		"jti":       random(16),
		AuthClaim: map[string]any{
			"chatgpt_account_id": i.o.AccountID,
			"chatgpt_plan_type":  i.o.Plan,
			"chatgpt_user_id":    uid,
			"user_id":            uid,
		},
		ProfileClaim: map[string]any{"email": i.o.Email, "email_verified": true},
	}
}

// jwks serves the signing key (RFC 7517) so tests can verify signatures.
func (i *Issuer) jwks(w http.ResponseWriter, _ *http.Request) {
	key, err := signingKey()
	if err != nil {
		writeError(w, http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	pub := &key.PublicKey
	writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "use": "sig", "alg": "RS256", "kid": keyID(pub),
		"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}

// PublicKey returns the key that signs every token, for tests that verify
// signatures.
func PublicKey() (*rsa.PublicKey, error) {
	key, err := signingKey()
	if err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	return &key.PublicKey, nil
}
