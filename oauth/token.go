package oauth

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Tokens are what the code exchange or a refresh returns.
type Tokens struct {
	IDToken      string
	AccessToken  string
	RefreshToken string
}

type tokenReply struct {
	IDToken      string `json:"id_token"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

// form is a POST with a form body, as Codex sends the code and API-key grants.
func form(path string, params [][2]string, secrets ...string) request {
	return request{method: http.MethodPost, path: path, contentType: "application/x-www-form-urlencoded",
		body: []byte(formEncode(params)), accept: "*/*", secrets: secrets}
}

// jsonPost is a POST with a JSON body, as Codex sends every other request.
func jsonPost(path string, v any, secrets ...string) (request, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return request{}, fmt.Errorf("encode request for %s: %w", path, err)
	}
	return request{method: http.MethodPost, path: path, contentType: "application/json",
		body: body, accept: "*/*", secrets: secrets}, nil
}

// ExchangeCode redeems an authorization code (RFC 6749 section 4.1.3, with
// the RFC 7636 section 4.5 code_verifier). redirectURI must be
// byte-identical to the one sent to the authorize endpoint. All three
// tokens must come back; the id_token is not decoded here.
func (c *Client) ExchangeCode(ctx context.Context, code, redirectURI, verifier string) (Tokens, error) {
	q := form("/oauth/token", [][2]string{
		{"grant_type", "authorization_code"},
		{"client_id", c.clientID()},
		{"code", code},
		{"redirect_uri", redirectURI},
		{"code_verifier", verifier},
	}, code, verifier)
	var t tokenReply
	if _, err := c.do(ctx, q, &t); err != nil {
		return Tokens{}, err
	}
	missing := ""
	switch {
	case t.IDToken == "":
		missing = "id_token"
	case t.AccessToken == "":
		missing = "access_token"
	case t.RefreshToken == "":
		missing = "refresh_token"
	}
	if missing != "" {
		return Tokens{}, &ResponseError{Endpoint: endpointName(c.endpoint(q.path)), Status: http.StatusOK, Problem: "it has no " + missing}
	}
	return Tokens(t), nil
}

// ExchangeAPIKey trades the id_token for an API key (RFC 8693 section 2.1
// token exchange), as Codex does after a browser login.
func (c *Client) ExchangeAPIKey(ctx context.Context, idToken string) (string, error) {
	q := form("/oauth/token", [][2]string{
		{"grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"},
		{"client_id", c.clientID()},
		{"requested_token", "openai-api-key"},
		{"subject_token", idToken},
		{"subject_token_type", "urn:ietf:params:oauth:token-type:id_token"},
	}, idToken)
	var r struct {
		AccessToken string `json:"access_token"`
	}
	if _, err := c.do(ctx, q, &r); err != nil {
		return "", err
	}
	if r.AccessToken == "" {
		return "", &ResponseError{Endpoint: endpointName(c.endpoint(q.path)), Status: http.StatusOK, Problem: "it has no access_token"}
	}
	return r.AccessToken, nil
}

// Refresh redeems a refresh token (RFC 6749 section 6) with the JSON body
// Codex sends. The issuer rotates what it sends back; a field the reply
// omits is "" and keeps its old value. A reply with no token at all is a
// *ResponseError. A refused refresh is a *TokenError: see SignInAgain.
func (c *Client) Refresh(ctx context.Context, refreshToken string) (Tokens, error) {
	q, err := jsonPost("/oauth/token", struct {
		ClientID     string `json:"client_id"`
		GrantType    string `json:"grant_type"`
		RefreshToken string `json:"refresh_token"`
	}{c.clientID(), "refresh_token", refreshToken}, refreshToken)
	if err != nil {
		return Tokens{}, err
	}
	var t tokenReply
	if _, err := c.do(ctx, q, &t); err != nil {
		return Tokens{}, err
	}
	if t == (tokenReply{}) {
		return Tokens{}, &ResponseError{Endpoint: endpointName(c.endpoint(q.path)), Status: http.StatusOK, Problem: "it has no token"}
	}
	return Tokens(t), nil
}

// Revoke revokes a refresh token (RFC 7009 section 2.1) with Codex's JSON
// body and Originator header. The issuer may also end the account's other
// sessions.
func (c *Client) Revoke(ctx context.Context, refreshToken string) error {
	q, err := jsonPost("/oauth/revoke", struct {
		Token         string `json:"token"`
		TokenTypeHint string `json:"token_type_hint"`
		ClientID      string `json:"client_id"`
	}{refreshToken, "refresh_token", c.clientID()}, refreshToken)
	if err != nil {
		return err
	}
	q.header = http.Header{"Originator": {"codex_cli_rs"}}
	_, err = c.do(ctx, q, nil)
	return err
}
