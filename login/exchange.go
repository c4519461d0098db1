package login

import (
	"context"
	"encoding/json"
	"net/http"
)

// tokenSet is what a successful code exchange or refresh returns.
type tokenSet struct {
	IDToken      string `json:"id_token"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

// exchangeCode redeems an authorization code (RFC 6749 section 4.1.3, with
// the RFC 7636 code_verifier). redirectURI must be byte-identical to the one
// sent to the authorize endpoint.
func exchangeCode(ctx context.Context, c *http.Client, issuer, clientID, code, redirectURI, verifier string) (tokenSet, error) {
	body := formEncode([][2]string{
		{"grant_type", "authorization_code"},
		{"client_id", clientID},
		{"code", code},
		{"redirect_uri", redirectURI},
		{"code_verifier", verifier},
	})
	ep := endpoint(issuer, "/oauth/token")
	var t tokenSet
	if err := post(ctx, c, ep, "application/x-www-form-urlencoded", []byte(body), &t); err != nil {
		return tokenSet{}, err
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
		return tokenSet{}, &ResponseError{Endpoint: endpointName(ep), Status: http.StatusOK, Problem: "it has no " + missing}
	}
	if _, err := ParseIDToken(t.IDToken); err != nil {
		return tokenSet{}, &ResponseError{Endpoint: endpointName(ep), Status: http.StatusOK, Problem: err.Error()}
	}
	return t, nil
}

// exchangeAPIKey trades the id_token for an API key (RFC 8693 token
// exchange), as Codex does after a browser login.
func exchangeAPIKey(ctx context.Context, c *http.Client, issuer, clientID, idToken string) (string, error) {
	body := formEncode([][2]string{
		{"grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"},
		{"client_id", clientID},
		{"requested_token", "openai-api-key"},
		{"subject_token", idToken},
		{"subject_token_type", "urn:ietf:params:oauth:token-type:id_token"},
	})
	ep := endpoint(issuer, "/oauth/token")
	var r struct {
		AccessToken string `json:"access_token"`
	}
	if err := post(ctx, c, ep, "application/x-www-form-urlencoded", []byte(body), &r); err != nil {
		return "", err
	}
	if r.AccessToken == "" {
		return "", &ResponseError{Endpoint: endpointName(ep), Status: http.StatusOK, Problem: "it has no access_token"}
	}
	return r.AccessToken, nil
}

// revoke revokes a refresh token (RFC 7009), as Codex's logout does.
func revoke(ctx context.Context, c *http.Client, issuer, clientID, refreshToken string) error {
	body, err := json.Marshal(struct {
		Token         string `json:"token"`
		TokenTypeHint string `json:"token_type_hint"`
		ClientID      string `json:"client_id"`
	}{refreshToken, "refresh_token", clientID})
	if err != nil {
		return err
	}
	return post(ctx, c, endpoint(issuer, "/oauth/revoke"), "application/json", body, nil)
}
