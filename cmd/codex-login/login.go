package main

import (
	"context"
	"net/url"
	"time"

	"github.com/spf13/cobra"

	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/login"
	"github.com/codex-login/codex-login/oauth"
	"github.com/codex-login/codex-login/trust"
)

func newLoginCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:  "login",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runLogin(cmd.Context()) },
	}
	a.network.register(cmd.Flags())
	a.flow.register(cmd.Flags())
	cmd.Flags().SortFlags = false
	return cmd
}

func (a *app) runLogin(ctx context.Context) error {
	o, err := a.loginOptions()
	if err != nil {
		return err
	}
	res, err := login.Run(ctx, o)
	if err != nil {
		return err
	}
	if err := a.ui.signedIn(res); err != nil {
		return err
	}
	a.warnCodexRefuses(o.OAuth.Issuer)
	return nil
}

// warnCodexRefuses says when the chain the issuer was reached through
// would be refused by Codex, whose TLS checks are stricter than Go's.
func (a *app) warnCodexRefuses(issuer string) {
	u, err := url.Parse(issuer)
	if err != nil || a.client == nil {
		return
	}
	for _, r := range trust.CodexRefuses(a.client.PeerChain(u.Hostname())) {
		a.ui.warn("%s", describeRefusal(r, u.Hostname()))
	}
}

func (a *app) loginOptions() (login.Options, error) {
	s, err := a.Settings()
	if err != nil {
		return login.Options{}, err
	}
	store, err := a.Store()
	if err != nil {
		return login.Options{}, err
	}
	issuer, err := a.Issuer()
	if err != nil {
		return login.Options{}, err
	}
	a.ui.openBrowser = s.OpenBrowser.V
	return login.Options{
		OAuth:             issuer,
		Store:             store,
		Ports:             callbackPorts(s.CallbackPort),
		Timeout:           s.Timeout.V,
		WorkspaceIDs:      s.ForcedWorkspaceIDs.V,
		ForcedLoginMethod: s.ForcedLoginMethod.V,
		Events:            a.ui,
	}, nil
}

// callbackPorts keeps Codex's 1455-then-1457 fallback unless a port was chosen.
func callbackPorts(p config.Value[int]) []int {
	if !p.Set || p.V == oauth.CallbackPorts[0] {
		return oauth.CallbackPorts
	}
	return []int{p.V}
}

// resultOut is the --json result of a login. It holds no secret.
type resultOut struct {
	AuthFile  string `json:"auth_file"`
	Email     string `json:"email"`
	AccountID string `json:"account_id"`
	Plan      string `json:"plan"`
	APIKey    bool   `json:"api_key"`
	Expires   string `json:"id_token_expires,omitempty"`
}

func resultJSON(r *login.Result) resultOut {
	out := resultOut{AuthFile: r.Location, Email: r.Email, AccountID: r.AccountID, Plan: r.Plan, APIKey: r.APIKey}
	if !r.Expiry.IsZero() {
		out.Expires = r.Expiry.UTC().Format(time.RFC3339)
	}
	return out
}
