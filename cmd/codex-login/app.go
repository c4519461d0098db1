package main

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/login"
	"github.com/codex-login/codex-login/oauth"
	"github.com/codex-login/codex-login/trust"
)

// builtInTOML is the configuration built into the binary, with the schema
// of config.toml and the lowest precedence. IT departments set their proxy
// and workspace here before building.
//
//go:embed defaults.toml
var builtInTOML []byte

// builtInPEM holds CA certificates built into the binary (PEM), trusted in
// addition to every other source. IT puts the corporate root here so that
// nobody has to pass --ca. It is empty in the public build.
//
//go:embed defaults.pem
var builtInPEM []byte

// app is one run's shared parts: the flags of every group, and the
// settings, UI, HTTP client, issuer client and credential store, each built
// once, on first use, by whichever command needs it.
type app struct {
	env     env
	cmd     *cobra.Command // the command that runs, known once its flags are parsed
	common  commonFlags
	network networkFlags
	flow    flowFlags
	ui      *ui

	settings    *config.Settings
	settingsErr error
	loaded      bool
	client      *trust.Client
	pool        *trust.Pool
	// reportPoolLater: the pool's warnings are reported by whoever set it
	// (a login, before it shows where to sign in), not when the pool is
	// built, which would wait for the system roots.
	reportPoolLater bool
	poolReported    bool
	issuer          *oauth.Client
	store           codexauth.Store
}

func newApp(e env) *app {
	return &app{env: e, ui: newUI(e)}
}

// begin runs before every command, once its flags are parsed.
func (a *app) begin(cmd *cobra.Command) {
	a.cmd = cmd
	if goesOnline(cmd) {
		trust.PreloadSystemRoots() // read while the settings load and the files are checked
	}
	a.ui.verbose = a.common.verbose
	a.ui.json = a.common.json
}

// goesOnline reports whether cmd will reach the network, and so build the
// trust pool: everything but reading local state and printing help.
func goesOnline(cmd *cobra.Command) bool {
	for c := cmd; c != nil; c = c.Parent() {
		if offline[c.Name()] {
			return false
		}
	}
	return true
}

// offline are the commands (and the groups whose every command is one)
// that read only local state or print help: they never build the pool.
var offline = map[string]bool{"status": true, "version": true, "config": true, "list": true, "help": true, "completion": true}

// Settings are the effective settings of every source, loaded once.
func (a *app) Settings() (*config.Settings, error) {
	if a.loaded {
		return a.settings, a.settingsErr
	}
	a.loaded = true
	home, _ := os.UserHomeDir()
	if h := a.env.getenv("HOME"); h != "" {
		home = h
	}
	a.settings, a.settingsErr = config.Load(config.Inputs{
		Env:            a.env.getenv,
		Home:           home,
		SystemFile:     a.env.systemFile,
		CodexSystemDir: a.env.codexSystemDir,
		BuiltIn:        builtInTOML,
		ConfigFile:     a.common.configFile,
		Flags:          a.configFlags(),
		Fallback: config.Defaults{
			Issuer:   oauth.DefaultIssuer,
			ClientID: oauth.DefaultClientID,
			Port:     oauth.CallbackPorts[0],
			Timeout:  login.DefaultTimeout,
		},
	})
	if s := a.settings; s != nil {
		a.ui.redact.addProxy(s.Proxy.V)
		for _, name := range s.EnvOverridden {
			a.ui.warn("%s is set both here and in %s; codex-login uses this environment's value, but Codex lets the file's win, so Codex may not take the route checked here", name, s.EnvFile)
		}
		for _, w := range s.ManagedWarnings {
			a.ui.warn("%s", w)
		}
	}
	return a.settings, a.settingsErr
}

// Client is the one HTTP client: the trust pool and the proxy route.
func (a *app) Client() (*trust.Client, error) {
	if a.client != nil {
		return a.client, nil
	}
	s, err := a.Settings()
	if err != nil {
		return nil, err
	}
	var locs []trust.Location
	if len(bytes.TrimSpace(builtInPEM)) > 0 {
		source := "built-in defaults"
		if s.Profile != "" {
			source = "built-in profile " + s.Profile
		}
		locs = append(locs, trust.Location{Path: "defaults.pem", Source: source, Data: builtInPEM})
	}
	for _, c := range s.CA {
		locs = append(locs, trust.Location{Path: c.Path, Source: c.Source, Dir: c.Dir, Optional: c.Optional})
	}
	// The files named by --ca and the settings are read now; the system
	// roots may still be read while the route is set up (StartPool).
	pool, err := trust.StartPool(s.UseSystemRoots.V, locs)
	if err != nil {
		return nil, err
	}
	a.pool = pool
	if !a.reportPoolLater {
		a.reportPool()
	}
	o := trust.Options{Pool: pool, Proxy: s.Proxy.V, NoProxy: s.NoProxy.V, ProxySource: s.Proxy.Source,
		ProxyAuth: s.ProxyAuth.V, ProxyCredentials: a.askProxyCredentials, Limits: a.env.limits}
	if err := a.proxyRoute(s, pool, &o); err != nil {
		return nil, err
	}
	client, err := trust.NewClient(o)
	if err != nil {
		return nil, err
	}
	a.client = client
	return client, nil
}

// reportPool says, once, what the pool ignored, and with -v what it
// trusts. It waits for the pool to be complete.
func (a *app) reportPool() {
	if a.pool == nil || a.poolReported {
		return
	}
	a.poolReported = true
	for _, w := range a.pool.Warnings() {
		a.ui.warn("%s", describeWarning(w))
	}
	if s, err := a.Settings(); err == nil {
		a.ui.logTrust(a.pool, s)
	}
}

// Issuer is the client of the OAuth issuer, through the one HTTP client.
func (a *app) Issuer() (*oauth.Client, error) {
	if a.issuer != nil {
		return a.issuer, nil
	}
	s, err := a.Settings()
	if err != nil {
		return nil, err
	}
	if err := oauth.CheckIssuer(s.Issuer.V); err != nil {
		var ie *oauth.IssuerError
		if errors.As(err, &ie) && s.Issuer.Source != "--issuer" {
			named := *ie
			named.Issuer += " (set in " + s.Issuer.Source + ")"
			return nil, &named
		}
		return nil, err
	}
	client, err := a.Client()
	if err != nil {
		return nil, err
	}
	a.ui.logf("issuer %s (%s)", s.Issuer.V, s.Issuer.Source)
	a.ui.logf("route: %s", describeRoute(client, s))
	a.issuer = &oauth.Client{HTTP: client.HTTP, Issuer: s.Issuer.V, ClientID: s.ClientID.V}
	return a.issuer, nil
}

// Store is where Codex keeps its credentials, as Codex's settings say.
func (a *app) Store() (codexauth.Store, error) {
	if a.store != nil {
		return a.store, nil
	}
	s, err := a.Settings()
	if err != nil {
		return nil, err
	}
	kr := a.env.keyring
	if kr == nil {
		kr = noKeyring{}
	}
	store, err := codexauth.NewStore(s.CodexHome, s.CredentialsStore.V, kr, a.ui.lockWait, a.ui.keyringFallback)
	var mode *codexauth.ModeError
	if errors.As(err, &mode) {
		return nil, &modeFailure{mode: mode, source: s.CredentialsStore.Source}
	}
	if err != nil {
		return nil, err
	}
	a.store = store
	return store, nil
}

// modeFailure is a credential store Codex is configured to use that
// codex-login cannot write.
type modeFailure struct {
	mode   *codexauth.ModeError
	source string
}

func (m *modeFailure) Error() string {
	setting := fmt.Sprintf("cli_auth_credentials_store = %q (in %s)", m.mode.Mode, m.source)
	switch m.mode.Mode {
	case "ephemeral":
		return setting + " makes Codex keep its credentials in memory only, so a login by codex-login cannot be handed to it"
	}
	return setting + " is not a credential store codex-login knows"
}

func (m *modeFailure) Unwrap() error { return m.mode }

// report prints err and its hint through the run's UI (so every secret the
// run saw is redacted), and returns the exit code.
func (a *app) report(err error) int {
	hint, code := explain(err, a.settings)
	a.ui.failed(err, hint, code)
	return code
}
