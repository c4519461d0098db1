package main

import (
	"context"
	"errors"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/codex-login/codex-login/codexauth"
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
	if a.flow.paste && a.flow.deviceAuth {
		return usageError{errors.New("--paste and --device-auth are two ways to sign in: choose one")}
	}
	// The trust pool's warnings come just before the sign-in address, or
	// before the error when there is none: building the pool must not
	// wait for the system roots, which are read while the route is set up.
	a.reportPoolLater = true
	a.ui.beforeSignIn = a.reportPool
	defer a.reportPool()
	o, err := a.loginOptions()
	if err != nil {
		return err
	}
	run := login.Run
	if a.flow.deviceAuth {
		run = login.RunDevice
	}
	res, err := run(ctx, o)
	a.reportPool()
	a.logProxyScheme(o.OAuth.Issuer)
	if err != nil {
		return err
	}
	if err := a.ui.signedIn(res, codexauth.Kind(o.Store)); err != nil {
		return err
	}
	a.warnCodexRefuses(o.OAuth.Issuer)
	a.suggestTrustCodex(o.OAuth.Issuer)
	return nil
}

// suggestTrustCodex says when the login needed a proxy or a CA that Codex
// would not find by itself, and offers the command that tells Codex.
func (a *app) suggestTrustCodex(issuer string) {
	u, err := url.Parse(issuer)
	if err != nil || a.client == nil || a.settings == nil {
		return
	}
	proxied := a.client.Route(u).Proxy != nil
	gaps := codexGaps(a.settings, proxied, verifiedRootSource(a.client, u.Hostname()))
	if len(gaps) > 0 {
		a.ui.printf("Codex itself would not %s: run codex-login trust codex so that its own requests get through too.\n", strings.Join(gaps, ", nor "))
	}
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
	a.ui.qr = a.flow.qr
	// Pasted addresses are read from a terminal, from a wrapper (--json),
	// or when asked for; --paste opens no listener at all.
	var paste io.Reader
	if _, _, tty := a.terminal(); tty || a.common.json || a.flow.paste {
		paste = a.env.stdin
	}
	a.ui.paste, a.ui.listen = paste != nil, !a.flow.paste
	timeout := s.Timeout.V
	if a.flow.deviceAuth && !s.Timeout.Set && timeout < deviceTimeout {
		timeout = deviceTimeout // the code's own 15 minutes end first, with their own message
	}
	return login.Options{
		Paste:             paste,
		NoListen:          a.flow.paste,
		OAuth:             issuer,
		Store:             store,
		Ports:             callbackPorts(s.CallbackPort),
		Timeout:           timeout,
		WorkspaceIDs:      s.ForcedWorkspaceIDs.V,
		ForcedLoginMethod: s.ForcedLoginMethod.V,
		Events:            a.ui,
	}, nil
}

// deviceTimeout outlasts a device code's 15 minutes.
const deviceTimeout = 16 * time.Minute

// callbackPorts keeps Codex's 1455-then-1457 fallback unless a port was chosen.
func callbackPorts(p config.Value[int]) []int {
	if !p.Set || p.V == oauth.CallbackPorts[0] {
		return oauth.CallbackPorts
	}
	return []int{p.V}
}

// terminal is env.terminal, or "not a terminal" when the env has none.
func (a *app) terminal() (int, int, bool) {
	if a.env.terminal == nil || a.env.stdin == nil {
		return 0, 0, false
	}
	return a.env.terminal()
}
