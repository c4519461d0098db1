package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/codex-login/codex-login/codexauth"
)

func newLogoutCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "Revoke the refresh token (best effort) and remove the credentials",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return a.runLogout(cmd.Context()) },
	}
	a.network.register(cmd.Flags())
	cmd.Flags().SortFlags = false
	return cmd
}

// revokeTimeout bounds the best-effort revocation: an unreachable issuer
// must not keep the credentials from being removed.
const revokeTimeout = 30 * time.Second

func (a *app) runLogout(ctx context.Context) error {
	out, err := a.logout(ctx)
	if err != nil {
		return err
	}
	a.ui.loggedOut(out)
	return nil
}

// logoutResult is what a logout did.
type logoutResult struct {
	revoked, removed bool
	issuer           string // where the refresh token was revoked, or "" when not tried
	kind, path       string // the store
}

// logout revokes the refresh token (best effort) and removes the
// credentials, printing only warnings: the core of logout, which the web
// page runs too.
func (a *app) logout(ctx context.Context) (logoutResult, error) {
	store, err := a.Store()
	if err != nil {
		return logoutResult{}, err
	}
	auth, err := store.Load(ctx)
	if err != nil {
		a.ui.warn("cannot read the credentials, so the refresh token is not revoked: %v", err)
	}
	revoked, issuer := false, ""
	if auth != nil && auth.Tokens != nil && auth.Tokens.RefreshToken != "" {
		a.redactAuth(auth)
		revoked, issuer = a.revoke(ctx, auth.Tokens)
	}
	removed, err := store.Delete(ctx)
	if err != nil {
		return logoutResult{}, err
	}
	return logoutResult{revoked: revoked, removed: removed, issuer: issuer, kind: codexauth.Kind(store), path: store.Location()}, nil
}

// revoke revokes the refresh token at the issuer it came from, best
// effort, and says whether it worked.
func (a *app) revoke(ctx context.Context, t *codexauth.Tokens) (bool, string) {
	base, err := a.Issuer()
	if err != nil {
		a.ui.warn("could not revoke the refresh token: %v", err)
		return false, ""
	}
	c := a.tokenIssuer(base, t)
	ctx, cancel := context.WithTimeout(ctx, revokeTimeout)
	defer cancel()
	if err := c.Revoke(ctx, t.RefreshToken); err != nil {
		reason := "run with -v for the reason"
		if a.ui.verbose {
			reason = err.Error()
		}
		a.ui.warn("could not revoke the refresh token at %s (%s); it stays valid until it expires, but the credentials are removed here anyway", c.Issuer, reason)
		return false, c.Issuer
	}
	return true, c.Issuer
}

// loggedOut reports a logout.
func (u *ui) loggedOut(r logoutResult) {
	u.event("logged_out", map[string]any{"revoked": r.revoked, "issuer": r.issuer, "removed": r.removed, "store": r.kind, "path": r.path})
	u.printf("%s\n", r.sentence())
}

// sentence says what the logout did.
func (r logoutResult) sentence() string {
	switch {
	case !r.removed && r.kind == "file":
		return fmt.Sprintf("Not signed in: nothing to remove (%s does not exist).", r.path)
	case !r.removed:
		return fmt.Sprintf("Not signed in: nothing to remove (no %s).", r.path)
	case r.revoked:
		return fmt.Sprintf("Revoked the refresh token at %s; this may also sign out the account's other Codex sessions.\nSigned out: removed %s.", r.issuer, r.path)
	}
	return fmt.Sprintf("Signed out: removed %s.", r.path)
}
