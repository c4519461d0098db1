// Package login runs the ChatGPT sign-in that Codex runs, and writes the
// auth.json Codex reads. It takes its HTTP client and browser opener from
// the caller, reads no environment, parses no flags and never exits.
package login

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"
)

// DefaultIssuer is OpenAI's issuer.
const DefaultIssuer = "https://auth.openai.com"

// Options configure one browser login.
type Options struct {
	Client            *http.Client // the one client: proxy and trust already set (trust.NewClient)
	Issuer            string
	ClientID          string
	Store             Store
	Ports             []int         // callback ports, tried in order; default DefaultPorts
	Timeout           time.Duration // for the whole login; default 15 minutes
	WorkspaceIDs      []string      // forced_chatgpt_workspace_id
	ForcedLoginMethod string        // Codex's forced_login_method
	CredentialsStore  string        // Codex's cli_auth_credentials_store
	Browse            func(authorizeURL string)
	Logf              func(format string, args ...any) // verbose diagnostics; never given a secret
	Now               func() time.Time
}

// Result describes a completed login. It holds no secret.
type Result struct {
	Path      string // the auth.json written
	Email     string
	AccountID string
	Plan      string
	Expiry    time.Time // of the id_token
	APIKey    bool      // an API key was obtained too
	Port      int       // the callback port used
}

// Run checks the route to the issuer, waits for the browser to come back to
// the loopback callback, exchanges the code and saves the tokens. The
// existing auth.json is replaced only once the new tokens are in hand, and
// its refresh token is then revoked, best effort.
func Run(ctx context.Context, o Options) (*Result, error) {
	if err := o.setDefaults(); err != nil {
		return nil, err
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()

	if err := Preflight(ctx, o.Client, o.Issuer); err != nil {
		return nil, err
	}
	pkce, err := NewPKCE()
	if err != nil {
		return nil, err
	}
	state, err := randomString(32)
	if err != nil {
		return nil, err
	}
	ln, port, err := listenCallback(ctx, o.Ports, o.Logf)
	if err != nil {
		return nil, stopped(parent, ctx, o.Timeout, err)
	}
	o.Logf("waiting for the browser on %s", ln.Addr())
	redirect := RedirectURI(port)
	old, err := o.Store.Load()
	if err != nil {
		o.Logf("the current auth.json cannot be read, so its token will not be revoked: %v", err)
	}

	var res *Result
	complete := func(code string) error {
		r, err := o.finish(ctx, code, redirect, pkce.Verifier)
		res = r
		return err
	}
	cb := newCallback(port, state, complete)
	go cb.serve(ln)

	o.Browse(AuthorizeURL(AuthorizeRequest{
		Issuer:       o.Issuer,
		ClientID:     o.ClientID,
		RedirectURI:  redirect,
		Challenge:    pkce.Challenge,
		State:        state,
		WorkspaceIDs: o.WorkspaceIDs,
	}))

	select {
	case err = <-cb.result:
	case <-ctx.Done():
		cb.close(0) // lets a running exchange finish or fail on the cancelled context
		select {
		case err = <-cb.result:
		default:
			err = ctx.Err()
		}
	}
	if err != nil {
		cb.close(0)
		return nil, stopped(parent, ctx, o.Timeout, err)
	}
	cb.close(3 * time.Second)
	res.Port = port
	o.revokeOld(parent, old)
	return res, nil
}

// finish turns the authorization code into a saved auth.json.
func (o *Options) finish(ctx context.Context, code, redirect, verifier string) (*Result, error) {
	tokens, err := exchangeCode(ctx, o.Client, o.Issuer, o.ClientID, code, redirect, verifier)
	if err != nil {
		return nil, err
	}
	claims, err := ParseIDToken(tokens.IDToken)
	if err != nil {
		return nil, err
	}
	if err := checkWorkspace(claims.AccountID, o.WorkspaceIDs); err != nil {
		// Nothing is saved; do not leave a live refresh token behind either.
		if rerr := revoke(ctx, o.Client, o.Issuer, o.ClientID, tokens.RefreshToken); rerr != nil {
			o.Logf("the refused account's refresh token was not revoked: %v", rerr)
		}
		return nil, err
	}
	var apiKey *string
	if key, err := exchangeAPIKey(ctx, o.Client, o.Issuer, o.ClientID, tokens.IDToken); err != nil {
		o.Logf("no API key was issued (the login goes on without one): %v", err)
	} else {
		apiKey = &key
	}
	owner, err := randomString(32)
	if err != nil {
		return nil, err
	}
	file, err := newAuthFile(tokens, apiKey, Provenance{Issuer: o.Issuer, ClientID: o.ClientID}, owner, o.Now())
	if err != nil {
		return nil, err
	}
	if err := o.Store.Save(file); err != nil {
		return nil, err
	}
	return &Result{
		Path:      o.Store.Path(),
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

// revokeOld revokes the refresh token of the file just replaced, at the
// issuer it came from. A token with no recorded issuer is sent only to the
// default issuer, and only when that is the one in use: a refresh token is
// never handed to an issuer that did not issue it.
func (o *Options) revokeOld(ctx context.Context, old *AuthFile) {
	if old == nil || old.Tokens == nil || old.Tokens.RefreshToken == "" {
		return
	}
	issuer, clientID := DefaultIssuer, o.ClientID
	if p := old.Tokens.OAuthProvenance; p != nil && p.Issuer != "" {
		issuer, clientID = p.Issuer, p.ClientID
	} else if o.Issuer != DefaultIssuer {
		o.Logf("the previous refresh token has no recorded issuer: not revoked")
		return
	}
	if checkIssuer(issuer) != nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := revoke(ctx, o.Client, issuer, clientID, old.Tokens.RefreshToken); err != nil {
		o.Logf("the previous refresh token was not revoked: %v", err)
		return
	}
	o.Logf("the previous refresh token was revoked")
}

// stopped maps context endings to the login's own errors.
func stopped(parent, ctx context.Context, timeout time.Duration, err error) error {
	switch {
	case parent.Err() != nil:
		return ErrCancelled
	case ctx.Err() != nil && errors.Is(err, context.DeadlineExceeded):
		return &TimeoutError{After: timeout}
	}
	return err
}

func (o *Options) setDefaults() error {
	if o.Client == nil || o.Browse == nil || o.Store.Home == "" {
		return errors.New("login: Options needs Client, Browse and Store")
	}
	if o.Issuer == "" {
		o.Issuer = DefaultIssuer
	}
	if err := checkIssuer(o.Issuer); err != nil {
		return err
	}
	if o.ClientID == "" {
		return errors.New("login: Options needs ClientID")
	}
	switch o.ForcedLoginMethod {
	case "", "chatgpt":
	default:
		return &MethodError{Key: "forced_login_method", Setting: fmt.Sprintf("forced_login_method = %q", o.ForcedLoginMethod),
			Problem: "in Codex's config.toml requires an API-key login, and codex-login signs in with ChatGPT"}
	}
	if o.CredentialsStore == "keyring" {
		return &MethodError{Key: "cli_auth_credentials_store", Setting: `cli_auth_credentials_store = "keyring"`,
			Problem: "in Codex's config.toml asks for the OS keyring, which this version of codex-login does not write"}
	}
	if len(o.Ports) == 0 {
		o.Ports = DefaultPorts
	}
	if o.Timeout <= 0 {
		o.Timeout = 15 * time.Minute
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return nil
}

// checkIssuer allows https, and plain http only for a loopback test issuer.
func checkIssuer(issuer string) error {
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" {
		return &IssuerError{Issuer: issuer, Problem: "is not an absolute URL"}
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); (ip != nil && ip.IsLoopback()) || host == "localhost" {
			return nil
		}
		return &IssuerError{Issuer: u.Redacted(), Problem: "must use https (plain http is only for a test issuer on 127.0.0.1)"}
	}
	return &IssuerError{Issuer: u.Redacted(), Problem: "must use https"}
}
