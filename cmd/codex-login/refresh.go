package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/oauth"
)

func newRefreshCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "refresh",
		Short: "Refresh the tokens now, through the same proxy and trust",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return a.runRefresh(cmd.Context()) },
	}
	a.network.register(cmd.Flags())
	cmd.Flags().SortFlags = false
	return cmd
}

func (a *app) runRefresh(ctx context.Context) error {
	next, store, err := a.refresh(ctx)
	if err != nil {
		return err
	}
	return a.ui.refreshed(next, codexauth.Kind(store), store.Location())
}

// refresh refreshes the tokens and saves them, printing nothing but -v
// steps: the core of refresh, which the web page runs too.
func (a *app) refresh(ctx context.Context) (*codexauth.AuthFile, codexauth.Store, error) {
	store, err := a.Store()
	if err != nil {
		return nil, nil, err
	}
	if auth, err := store.Load(ctx); err != nil {
		return nil, nil, err
	} else if auth == nil || auth.Tokens == nil || auth.Tokens.RefreshToken == "" {
		return nil, nil, &notSignedInError{location: store.Location()} // nothing is created
	}
	base, err := a.Issuer()
	if err != nil {
		return nil, nil, err
	}
	var next *codexauth.AuthFile
	err = store.Update(ctx, func(cur *codexauth.AuthFile) (*codexauth.AuthFile, error) {
		// The tokens read under the lock: Codex may have refreshed since.
		if cur == nil || cur.Tokens == nil || cur.Tokens.RefreshToken == "" {
			return nil, &notSignedInError{location: store.Location()}
		}
		a.redactAuth(cur)
		c := a.tokenIssuer(base, cur.Tokens)
		t, err := c.Refresh(ctx, cur.Tokens.RefreshToken)
		if err != nil {
			return nil, &refreshError{issuer: c.Issuer, err: err}
		}
		a.ui.Secret(t.IDToken)
		a.ui.Secret(t.AccessToken)
		a.ui.Secret(t.RefreshToken)
		next, err = refreshed(cur, t, time.Now())
		return next, err
	})
	if err != nil {
		return nil, nil, err
	}
	return next, store, nil
}

// tokenIssuer is the issuer the tokens came from: the one in their
// provenance, or OpenAI's for files written before provenance existed. A
// refresh or revocation never carries a token to any other issuer,
// whatever --issuer says.
func (a *app) tokenIssuer(base *oauth.Client, t *codexauth.Tokens) *oauth.Client {
	c := &oauth.Client{HTTP: base.HTTP, Issuer: oauth.DefaultIssuer, ClientID: oauth.DefaultClientID}
	if p := t.OAuthProvenance; p != nil && p.Issuer != "" {
		c.Issuer = p.Issuer
		if p.ClientID != "" {
			c.ClientID = p.ClientID
		}
	}
	a.ui.logf("the tokens belong to %s (client %s)", c.Issuer, c.ClientID)
	return c
}

// refreshed is cur with the tokens the issuer sent back (a token it did
// not send is kept) and last_refresh set to now; account_id, provenance,
// login_owner_id and the API key stay.
func refreshed(cur *codexauth.AuthFile, t oauth.Tokens, now time.Time) (*codexauth.AuthFile, error) {
	tok := *cur.Tokens
	replace(&tok.IDToken, t.IDToken)
	replace(&tok.AccessToken, t.AccessToken)
	replace(&tok.RefreshToken, t.RefreshToken)
	// NewChatGPT checks that Codex can load the id_token and stamps now
	// the way Codex writes last_refresh; nothing else of it is used.
	stamp, err := codexauth.NewChatGPT(codexauth.TokenSet{IDToken: tok.IDToken}, nil, codexauth.Provenance{}, now)
	if err != nil {
		return nil, err
	}
	next := *cur
	next.Tokens, next.LastRefresh = &tok, stamp.LastRefresh
	return &next, nil
}

// replace sets *dst to a token that came back; "" means not rotated.
func replace(dst *string, token string) {
	if token != "" {
		*dst = token
	}
}

// refreshed reports new tokens, never printing one.
func (u *ui) refreshed(auth *codexauth.AuthFile, store, path string) error {
	sentence, email, expires := refreshedSentence(auth, time.Now())
	u.event("refreshed", map[string]any{"email": email, "expires_at": expires, "last_refresh": auth.LastRefresh, "store": store, "path": path})
	u.printf("%s\nCredentials saved to %s\n", sentence, path)
	return nil
}

// refreshedSentence says whose tokens were refreshed and until when, with
// the email and the expiry (RFC 3339, "" when unknown) it names.
func refreshedSentence(auth *codexauth.AuthFile, now time.Time) (sentence, email, expires string) {
	claims, _ := codexauth.ParseIDToken(auth.Tokens.IDToken)
	access, _ := codexauth.ParseIDToken(auth.Tokens.AccessToken)
	when := "at an unknown time (the access token is not a JWT)"
	if !access.Expiry.IsZero() {
		expires = access.Expiry.UTC().Format(time.RFC3339)
		when = whenUTC(access.Expiry, now, "expired ")
	}
	return fmt.Sprintf("Refreshed the tokens of %s; the access token expires %s.", orDash(claims.Email), when), claims.Email, expires
}
