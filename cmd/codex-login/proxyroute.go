package main

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/pac"
	"github.com/codex-login/codex-login/trust"
)

// pacFetchTimeout bounds fetching the PAC file and asking the OS for its
// proxy settings.
const pacFetchTimeout = 15 * time.Second

// proxyRoute completes o with how requests leave this machine when no
// proxy flag or variable decides it: the PAC file of --pac or pac_url,
// else the operating system's settings (a PAC URL, WPAD when it says to
// auto-detect, or a static proxy). A --proxy flag or a proxy variable in
// the environment wins over everything here.
func (a *app) proxyRoute(s *config.Settings, pool *trust.Pool, o *trust.Options) error {
	location, source := s.PAC.V, s.PAC.Source
	explicit := s.Proxy.Source == "--proxy" || fromEnvironment(s.Proxy.Source)
	_, pacPinned := s.Managed["pac_url"]
	if location != "" && explicit && s.PAC.Source != "--pac" && !pacPinned {
		location = "" // the environment's or the flag's proxy beats a PAC file in a settings file
	}
	if _, pinned := s.Managed["proxy"]; s.Proxy.Source == "--proxy" || pinned {
		location = "" // a managed proxy is IT's route: no PAC file or OS setting replaces it
	}
	var wpad []string
	_, pinned := s.Managed["proxy"]
	if location == "" && s.Proxy.V == "" && !pinned && a.env.systemProxy != nil {
		ctx, cancel := context.WithTimeout(context.Background(), pacFetchTimeout)
		sys, err := a.env.systemProxy(ctx)
		cancel()
		switch {
		case err != nil:
			a.ui.logf("the system's proxy settings could not be read: %v", err)
		case sys.PACURL != "":
			location, source = sys.PACURL, sys.Source
		case sys.AutoDetect:
			wpad, source = pac.WPADCandidates(pac.SearchDomains()), sys.Source+" (automatic detection)"
		case sys.Proxy != "":
			o.Proxy, o.NoProxy, o.ProxySource = sys.Proxy, sys.NoProxy, sys.Source
			s.Proxy = config.Value[string]{V: sys.Proxy, Source: sys.Source, Set: true}
			return nil
		}
	}
	if location == "" && len(wpad) == 0 {
		return nil
	}
	direct, err := trust.NewClient(trust.Options{Pool: pool, Limits: a.env.limits})
	if err != nil {
		return err
	}
	script, from, err := fetchPAC(direct, location, source, wpad)
	if err != nil {
		return err
	}
	a.ui.logf("proxy auto-config from %s", from)
	o.Proxy, o.NoProxy, o.PACSource = "", "", from
	o.PAC = func(ctx context.Context, u *url.URL) ([]*url.URL, error) {
		start := time.Now()
		cands, err := script.FindProxy(ctx, u, pac.Options{})
		if err != nil {
			return nil, err
		}
		var out []string
		proxies := make([]*url.URL, len(cands))
		for i, c := range cands {
			out = append(out, c.String())
			if !c.Direct {
				p := *c.Proxy
				if p.Scheme == "socks4" {
					p.Scheme = "socks5" // Go speaks SOCKS 5; proxies that speak SOCKS 4 nearly all speak 5
				}
				proxies[i] = &p
			}
		}
		a.ui.logf("proxy auto-config for %s: %s (evaluated in %v)", u.Host, strings.Join(out, "; "), time.Since(start).Round(time.Microsecond))
		return proxies, nil
	}
	return nil
}

// fetchPAC reads and compiles the PAC file at location, or the first WPAD
// candidate that answers; from says where it came from.
func fetchPAC(direct *trust.Client, location, source string, wpad []string) (*pac.Script, string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), pacFetchTimeout)
	defer cancel()
	tries := []string{location}
	if location == "" {
		tries = wpad
	}
	var firstErr error
	for _, loc := range tries {
		src, err := pac.Fetch(ctx, direct.HTTP, loc)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		from := loc + " (" + source + ")"
		script, err := pac.Compile(src, loc)
		return script, from, err
	}
	return nil, "", firstErr
}
