package codexauth

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Claims are the parts of an OpenAI id_token that codex-login uses. The
// signature is not checked here: the token arrived over a verified TLS
// connection from the issuer, and Codex does not check it either.
type Claims struct {
	Email     string
	AccountID string // https://api.openai.com/auth chatgpt_account_id
	Plan      string // https://api.openai.com/auth chatgpt_plan_type
	UserID    string
	Expiry    time.Time
}

type rawClaims struct {
	Email string `json:"email"`
	Exp   int64  `json:"exp"`
	Auth  struct {
		AccountID string `json:"chatgpt_account_id"`
		Plan      string `json:"chatgpt_plan_type"`
		UserID    string `json:"chatgpt_user_id"`
	} `json:"https://api.openai.com/auth"`
	Profile struct {
		Email string `json:"email"`
	} `json:"https://api.openai.com/profile"`
}

// ErrMalformedIDToken reports an id_token Codex could not load.
var ErrMalformedIDToken = errors.New("the id_token is not a JWT whose payload decodes")

// ParseIDToken decodes the payload of a three-part JWT, as Codex does on
// every load of auth.json.
func ParseIDToken(raw string) (Claims, error) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return Claims{}, ErrMalformedIDToken
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return Claims{}, fmt.Errorf("%w: %v", ErrMalformedIDToken, err)
	}
	var rc rawClaims
	if err := json.Unmarshal(payload, &rc); err != nil {
		return Claims{}, fmt.Errorf("%w: %v", ErrMalformedIDToken, err)
	}
	c := Claims{
		Email:     rc.Email,
		AccountID: rc.Auth.AccountID,
		Plan:      rc.Auth.Plan,
		UserID:    rc.Auth.UserID,
	}
	if c.Email == "" {
		c.Email = rc.Profile.Email
	}
	if rc.Exp > 0 {
		c.Expiry = time.Unix(rc.Exp, 0)
	}
	return c, nil
}
