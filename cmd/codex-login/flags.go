package main

import (
	"time"

	"github.com/spf13/pflag"

	"github.com/codex-login/codex-login/config"
)

// commonFlags are every command's: where the settings and credentials are,
// and how to talk.
type commonFlags struct {
	configFile string
	codexHome  string
	verbose    bool
	json       bool
}

func (f *commonFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.codexHome, "codex-home", "", "Codex's home `DIR`, where its credentials go (default $CODEX_HOME or ~/.codex)")
	fs.StringVar(&f.configFile, "config", "", "read settings from the TOML `FILE` too")
	fs.BoolVar(&f.json, "json", false, "print the result as JSON on stdout")
	fs.BoolVarP(&f.verbose, "verbose", "v", false, "explain each step on stderr")
}

// networkFlags are the flags of commands that reach the issuer.
type networkFlags struct {
	ca        []string
	proxy     string
	noProxy   string
	proxyAuth string
	pac       string
	issuer    string
	clientID  string
}

func (f *networkFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.ca, "ca", nil, "trust the CA certificates in `FILE` (PEM bundle or DER); repeatable, added to the system roots")
	fs.StringVar(&f.proxy, "proxy", "", "send requests through the proxy at `URL` (default $HTTPS_PROXY)")
	fs.StringVar(&f.noProxy, "no-proxy", "", "`LIST` of hosts to reach directly, NO_PROXY syntax (default $NO_PROXY)")
	fs.StringVar(&f.proxyAuth, "proxy-auth", "", "authenticate to the proxy with `SCHEME`: auto, basic, ntlm, negotiate or none (default auto)")
	fs.StringVar(&f.pac, "pac", "", "choose the proxy with the proxy auto-config file at `URL|FILE` (default the OS setting)")
	fs.StringVar(&f.issuer, "issuer", "", "OAuth issuer `URL` (advanced)")
	fs.StringVar(&f.clientID, "client-id", "", "OAuth client `ID` (advanced)")
}

// flowFlags are the sign-in flows' flags.
type flowFlags struct {
	port       int
	timeout    time.Duration
	noBrowser  bool
	paste      bool
	deviceAuth bool
	qr         bool
}

func (f *flowFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&f.noBrowser, "no-browser", false, "print the sign-in URL instead of opening a browser")
	fs.BoolVar(&f.paste, "paste", false, "sign in with a browser anywhere, then paste the address it fails to load (no listener here)")
	fs.BoolVar(&f.deviceAuth, "device-auth", false, "sign in with a code entered at the issuer's device page")
	fs.BoolVar(&f.qr, "qr", false, "show the sign-in URL as a QR code too (default on SSH in a large terminal)")
	fs.IntVar(&f.port, "port", 0, "listen for the browser callback on 127.0.0.1:`N` (default 1455, then 1457)")
	fs.DurationVar(&f.timeout, "timeout", 0, "give up if the sign-in is not done within `DURATION` (default 15m)")
}

// configFlags turns the flags that were given into config.Flags. A flag
// the running command does not have is never "changed", and the flow
// group's --port and --timeout count only on the commands that sign in
// (push has flags of those names for ssh).
func (a *app) configFlags() config.Flags {
	changed := func(name string) bool { return a.cmd != nil && a.cmd.Flags().Changed(name) }
	signsIn := a.cmd != nil && (a.cmd.Flags().Lookup("device-auth") != nil || a.cmd.Name() == "web")
	str := func(name string, v *string) *string {
		if changed(name) {
			return v
		}
		return nil
	}
	fl := config.Flags{
		CA:        a.network.ca,
		Proxy:     str("proxy", &a.network.proxy),
		NoProxy:   str("no-proxy", &a.network.noProxy),
		ProxyAuth: str("proxy-auth", &a.network.proxyAuth),
		PAC:       str("pac", &a.network.pac),
		CodexHome: str("codex-home", &a.common.codexHome),
		Issuer:    str("issuer", &a.network.issuer),
		ClientID:  str("client-id", &a.network.clientID),
		NoBrowser: a.flow.noBrowser,
	}
	if signsIn && changed("port") {
		fl.Port = &a.flow.port
	}
	if signsIn && changed("timeout") {
		fl.Timeout = &a.flow.timeout
	}
	return fl
}
