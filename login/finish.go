package login

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/oauth"
)

// finish is what every flow does with an authorization code: exchange it,
// check the workspace, try for an API key (the browser and paste flows;
// Codex asks none for a device code), save. It is shared by the browser
// callback, the pasted redirect and the device code.
func (o *Options) finish(ctx context.Context, code, redirect, verifier string, withAPIKey bool) (*Result, error) {
	tokens, err := o.OAuth.ExchangeCode(ctx, code, redirect, verifier)
	if err != nil {
		return nil, err
	}
	o.Events.Secret(tokens.IDToken)
	o.Events.Secret(tokens.AccessToken)
	o.Events.Secret(tokens.RefreshToken)
	claims, err := codexauth.ParseIDToken(tokens.IDToken)
	if err != nil {
		return nil, &oauth.ResponseError{Endpoint: tokenEndpoint(o.OAuth.Issuer), Status: http.StatusOK, Problem: err.Error()}
	}
	// An account outside the forced workspace is not saved. Its new refresh
	// token is not revoked either: a revocation can sign out the account's
	// other sessions.
	if err := checkWorkspace(claims.AccountID, o.WorkspaceIDs); err != nil {
		return nil, err
	}
	var apiKey *string
	if withAPIKey {
		if key, err := o.OAuth.ExchangeAPIKey(ctx, tokens.IDToken); err != nil {
			o.Events.Logf("no API key was issued (the login goes on without one): %v", err)
		} else {
			o.Events.Secret(key)
			apiKey = &key
		}
	}
	prov := codexauth.Provenance{Issuer: o.OAuth.Issuer, ClientID: o.OAuth.ClientID}
	file, err := codexauth.NewChatGPT(codexauth.TokenSet(tokens), apiKey, prov, o.Now())
	if err != nil {
		return nil, err
	}
	if err := o.Store.Save(ctx, file); err != nil {
		return nil, err
	}
	return &Result{
		Location:  o.Store.Location(),
		Email:     claims.Email,
		AccountID: claims.AccountID,
		Plan:      claims.Plan,
		Expiry:    claims.Expiry,
		APIKey:    apiKey != nil,
	}, nil
}

func checkWorkspace(account string, allowed []string) error {
	if len(allowed) == 0 {
		return nil
	}
	for _, id := range allowed {
		if id == account {
			return nil
		}
	}
	return &WorkspaceError{AccountID: account, Allowed: allowed}
}

// tokenEndpoint names the token endpoint as messages do: host and path.
func tokenEndpoint(issuer string) string {
	u, err := url.Parse(issuer)
	if err != nil {
		return issuer
	}
	return u.Host + strings.TrimRight(u.Path, "/") + "/oauth/token"
}
