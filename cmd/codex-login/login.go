package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/login"
	"github.com/codex-login/codex-login/trust"
)

// defaultsTOML is the configuration built into the binary, with the schema
// of config.toml and the lowest precedence. IT departments set their proxy
// and workspace here before building.
//
//go:embed defaults.toml
var defaultsTOML []byte

// defaultsPEM holds CA certificates built into the binary (PEM), trusted in
// addition to every other source. IT puts the corporate root here so that
// nobody has to pass --ca. It is empty in the public build.
//
//go:embed defaults.pem
var defaultsPEM []byte

// loginFlags are the login command's flags, as given.
type loginFlags struct {
	ca         []string
	proxy      string
	noProxy    string
	codexHome  string
	configFile string
	issuer     string
	clientID   string
	port       int
	timeout    time.Duration
	noBrowser  bool
	json       bool
	verbose    bool
}

func (f *loginFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringArrayVar(&f.ca, "ca", nil, "trust the CA certificates in `FILE` (PEM bundle or DER); repeatable, added to the system roots")
	fs.StringVar(&f.proxy, "proxy", "", "send requests through the proxy at `URL` (default $HTTPS_PROXY)")
	fs.StringVar(&f.noProxy, "no-proxy", "", "hosts to reach directly, NO_PROXY syntax (default $NO_PROXY)")
	fs.StringVar(&f.codexHome, "codex-home", "", "write auth.json to `DIR` (default $CODEX_HOME or ~/.codex)")
	fs.StringVar(&f.configFile, "config", "", "read settings from the TOML `FILE` too")
	fs.BoolVar(&f.noBrowser, "no-browser", false, "print the sign-in URL instead of opening a browser")
	fs.IntVar(&f.port, "port", 0, "listen for the browser callback on 127.0.0.1:`N` (default 1455, then 1457)")
	fs.DurationVar(&f.timeout, "timeout", 0, "give up if the sign-in is not done within `DURATION` (default 15m)")
	fs.BoolVar(&f.json, "json", false, "print the result as JSON on stdout")
	fs.BoolVarP(&f.verbose, "verbose", "v", false, "explain each step on stderr")
	fs.StringVar(&f.issuer, "issuer", "", "OAuth issuer `URL` (advanced)")
	fs.StringVar(&f.clientID, "client-id", "", "OAuth client `ID` (advanced)")
	fs.SortFlags = false
}

// configFlags turns the flags that were given into config.Flags.
func (f *loginFlags) configFlags(cmd *cobra.Command) config.Flags {
	changed := cmd.Flags().Changed
	var fl config.Flags
	fl.CA = f.ca
	if changed("proxy") {
		fl.Proxy = &f.proxy
	}
	if changed("no-proxy") {
		fl.NoProxy = &f.noProxy
	}
	if changed("codex-home") {
		fl.CodexHome = &f.codexHome
	}
	if changed("issuer") {
		fl.Issuer = &f.issuer
	}
	if changed("client-id") {
		fl.ClientID = &f.clientID
	}
	if changed("port") {
		fl.Port = &f.port
	}
	if changed("timeout") {
		fl.Timeout = &f.timeout
	}
	fl.NoBrowser = f.noBrowser
	return fl
}

func runLogin(cmd *cobra.Command, e env, f *loginFlags) error {
	ui := newUI(e, f.verbose)
	settings, err := loadSettings(cmd, e, f)
	if err != nil {
		return err
	}
	ui.secrets = proxySecrets(settings.Proxy.V)
	client, err := newClient(ui, settings)
	if err != nil {
		return withContext(err, settings)
	}
	res, err := login.Run(cmd.Context(), login.Options{
		Client:            client.HTTP,
		Issuer:            settings.Issuer.V,
		ClientID:          settings.ClientID.V,
		Store:             login.Store{Home: settings.CodexHome},
		Ports:             callbackPorts(settings.CallbackPort),
		Timeout:           settings.Timeout.V,
		WorkspaceIDs:      settings.ForcedWorkspaceIDs.V,
		ForcedLoginMethod: settings.ForcedLoginMethod.V,
		CredentialsStore:  settings.CredentialsStore.V,
		Browse:            opener{ui: ui, open: settings.OpenBrowser.V, getenv: e.getenv}.browse,
		Logf:              ui.logf,
	})
	if err != nil {
		return withContext(err, settings)
	}
	if f.json {
		return json.NewEncoder(e.stdout).Encode(resultJSON(res))
	}
	ui.signedIn(res)
	return nil
}

func loadSettings(cmd *cobra.Command, e env, f *loginFlags) (*config.Settings, error) {
	home, _ := os.UserHomeDir()
	if h := e.getenv("HOME"); h != "" {
		home = h
	}
	return config.Load(config.Inputs{
		Env:        e.getenv,
		Home:       home,
		SystemFile: e.systemFile,
		Defaults:   defaultsTOML,
		ConfigFile: f.configFile,
		Flags:      f.configFlags(cmd),
	})
}

// newClient builds the one HTTP client from the settings.
func newClient(ui *ui, s *config.Settings) (*trust.Client, error) {
	var locs []trust.Location
	if len(bytes.TrimSpace(defaultsPEM)) > 0 {
		locs = append(locs, trust.Location{Path: "defaults.pem", Source: "built-in defaults", Data: defaultsPEM})
	}
	for _, c := range s.CA {
		locs = append(locs, trust.Location{Path: c.Path, Source: c.Source, Dir: c.Dir, Optional: c.Optional})
	}
	pool, err := trust.NewPool(s.UseSystemRoots.V, locs)
	if err != nil {
		return nil, err
	}
	for _, w := range pool.Warnings() {
		ui.warn(w)
	}
	switch n := pool.SystemCount(); {
	case !s.UseSystemRoots.V:
		ui.logf("trusting only the %d configured certificates (use_system_roots = false, from %s)", len(pool.Configured()), s.UseSystemRoots.Source)
	case n < 0: // macOS and Windows: the OS verifies, and cannot list its roots
		ui.logf("trusting the system's root certificates and %d configured ones", len(pool.Configured()))
	default:
		ui.logf("trusting %d system root certificates and %d configured ones", n, len(pool.Configured()))
	}
	for _, c := range pool.Configured() {
		ui.logf("  %q from %s", c.Subject.CommonName, c.Source)
	}
	client, err := trust.NewClient(trust.Options{
		Pool:        pool,
		Proxy:       s.Proxy.V,
		NoProxy:     s.NoProxy.V,
		ProxySource: s.Proxy.Source,
	})
	if err != nil {
		return nil, err
	}
	ui.logf("issuer %s (%s)", s.Issuer.V, s.Issuer.Source)
	ui.logf("route: %s", describeRoute(client, s))
	return client, nil
}

// callbackPorts keeps Codex's 1455-then-1457 fallback unless a port was chosen.
func callbackPorts(p config.Value[int]) []int {
	if !p.Set || p.V == login.DefaultPorts[0] {
		return login.DefaultPorts
	}
	return []int{p.V}
}

type resultOut struct {
	AuthFile  string `json:"auth_file"`
	Email     string `json:"email"`
	AccountID string `json:"account_id"`
	Plan      string `json:"plan"`
	APIKey    bool   `json:"api_key"`
	Expires   string `json:"id_token_expires,omitempty"`
}

func resultJSON(r *login.Result) resultOut {
	out := resultOut{AuthFile: r.Path, Email: r.Email, AccountID: r.AccountID, Plan: r.Plan, APIKey: r.APIKey}
	if !r.Expiry.IsZero() {
		out.Expires = r.Expiry.UTC().Format(time.RFC3339)
	}
	return out
}
