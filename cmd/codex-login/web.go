package main

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/codex-login/codex-login/web"
)

// webFlags are the flags of codex-login web.
type webFlags struct {
	listen, publicURL, basePath string
	trustedProxies              []string
}

func newWebCmd(a *app) *cobra.Command {
	var f webFlags
	cmd := &cobra.Command{
		Use:   "web",
		Short: "Serve a sign-in page for users whose browsers are on other machines",
		Long: `codex-login web serves a sign-in page, for a server (a coding agent behind a
reverse proxy, a shared VM) whose users' browsers are elsewhere. It prints a
one-time access link; whoever opens it signs in with ChatGPT in their own browser
and pastes back the address that browser fails to load, or enters a device code.
The credentials are saved here, where Codex reads them. Send SIGHUP for a new link.`,
		Example: `  codex-login web
  codex-login web --public-url https://agent.example.com/codex/ --ca corp.pem`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runWeb(cmd.Context(), f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8455", "serve the page on `ADDR` (keep it on loopback behind a TLS reverse proxy)")
	fs.StringVar(&f.publicURL, "public-url", "", "the `URL` users' browsers open, such as https://agent.example.com/codex/ (default http://ADDR/)")
	fs.StringVar(&f.basePath, "base-path", "", "the page's `PATH` at the public URL (default the public URL's path)")
	fs.StringArrayVar(&f.trustedProxies, "trusted-proxy", nil, "believe X-Forwarded-Proto, -Host and -Prefix from `IP|CIDR` too (loopback always); repeatable")
	a.network.register(fs)
	fs.DurationVar(&a.flow.timeout, "timeout", 0, "give up on a sign-in not done within `DURATION` (default 15m)")
	fs.SortFlags = false
	return cmd
}

func (a *app) runWeb(ctx context.Context, f webFlags) error {
	proxies, err := parseTrustedProxies(f.trustedProxies)
	if err != nil {
		return err
	}
	b, err := a.webBackend(ctx)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return &listenError{addr: f.listen, err: err}
	}
	defer ln.Close()
	public, err := publicURL(f, ln.Addr().String())
	if err != nil {
		return err
	}
	a.warnExposed(ln.Addr().String(), public)
	srv, err := web.New(web.Config{PublicURL: public, TrustedProxies: proxies, Backend: b, Logf: a.ui.logf})
	if err != nil {
		return err
	}
	a.ui.webListening(ln.Addr().String(), srv.NewAccessLink())
	go a.newLinks(ctx, srv)
	return srv.Serve(ctx, ln)
}

// newLinks prints a new access link at each SIGHUP.
func (a *app) newLinks(ctx context.Context, srv *web.Server) {
	hup := a.env.hangup
	if hup == nil {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGHUP)
		defer signal.Stop(ch)
		hup = ch
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			a.ui.accessLink(srv.NewAccessLink())
		}
	}
}

// publicURL is the address users' browsers use: --public-url, else the
// listening address (with this machine's name for an address that stands
// for all of them, such as 0.0.0.0, which no browser can open);
// --base-path replaces its path.
func publicURL(f webFlags, listening string) (*url.URL, error) {
	raw := f.publicURL
	if raw == "" {
		host, port, _ := net.SplitHostPort(listening)
		if ip, err := netip.ParseAddr(host); err == nil && ip.IsUnspecified() {
			if name, err := os.Hostname(); err == nil && name != "" {
				host = name
			}
		}
		raw = "http://" + net.JoinHostPort(host, port) + "/"
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, usageError{fmt.Errorf("--public-url %q is not an http or https address such as https://agent.example.com/codex/", f.publicURL)}
	}
	if f.basePath != "" {
		u.Path = f.basePath
	}
	if strings.Contains(u.Path, "..") || !strings.HasPrefix(u.Path, "/") && u.Path != "" {
		return nil, usageError{fmt.Errorf("the base path %q must start with / and hold no \"..\"", u.Path)}
	}
	u.Path, u.RawPath = "/"+strings.Trim(u.Path, "/")+"/", ""
	u.Path = strings.Replace(u.Path, "//", "/", 1)
	return u, nil
}

func parseTrustedProxies(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			ip, ierr := netip.ParseAddr(s)
			if ierr != nil {
				return nil, usageError{fmt.Errorf("--trusted-proxy %q is neither an IP address nor a CIDR range such as 10.0.0.2 or 10.0.0.0/24", s)}
			}
			p = netip.PrefixFrom(ip, ip.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// warnExposed warns when the page is plain HTTP on an address other
// machines reach.
func (a *app) warnExposed(listening string, public *url.URL) {
	host, _, _ := net.SplitHostPort(listening)
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsLoopback() || host == "localhost" || public.Scheme == "https" {
		return
	}
	a.ui.warn("%s serves the page over plain HTTP reachable from other machines; put a TLS reverse proxy in front and pass --public-url https://...", listening)
}

// webListening and accessLink print the one-time access link.
func (u *ui) webListening(listen, link string) {
	u.event("web_listening", map[string]any{"listen": listen, "url": link})
	u.printf("Serving the sign-in page on %s (Ctrl-C stops it; SIGHUP prints a new link).\nOpen this address once in a browser to sign in: %s\n", listen, link)
}

func (u *ui) accessLink(link string) {
	u.event("access_link", map[string]any{"url": link})
	u.printf("Open this address once in a browser to sign in: %s\n", link)
}

// listenError is an address the page cannot be served on.
type listenError struct {
	addr string
	err  error
}

func (e *listenError) Error() string {
	return fmt.Sprintf("cannot serve the page on %s: %v", e.addr, e.err)
}
func (e *listenError) Unwrap() error { return e.err }
