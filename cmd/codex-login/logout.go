package main

import (
	"context"
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
	store, err := a.Store()
	if err != nil {
		return err
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
		return err
	}
	a.ui.loggedOut(revoked, issuer, removed, codexauth.Kind(store), store.Location())
	return nil
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
func (u *ui) loggedOut(revoked bool, issuer string, removed bool, kind, path string) {
	u.event("logged_out", map[string]any{"revoked": revoked, "issuer": issuer, "removed": removed, "store": kind, "path": path})
	if !removed && kind == "file" {
		u.printf("Not signed in: nothing to remove (%s does not exist).\n", path)
		return
	}
	if !removed {
		u.printf("Not signed in: nothing to remove (no %s).\n", path)
		return
	}
	if revoked {
		u.printf("Revoked the refresh token at %s; this may also sign out the account's other Codex sessions.\n", issuer)
	}
	u.printf("Signed out: removed %s.\n", path)
}
