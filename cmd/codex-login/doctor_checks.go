package main

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/login"
	"github.com/codex-login/codex-login/oauth"
	"github.com/codex-login/codex-login/trust"
)

// run runs every check in the order a login meets them. A check that the
// later ones depend on (settings, CAs, issuer) stops the run when it fails.
func (d *doctor) run(ctx context.Context) {
	s, err := d.a.Settings()
	if err != nil {
		d.fail("config", err)
		return
	}
	d.config(s)
	client, err := d.a.Client()
	if err != nil {
		d.fail("ca", err)
		return
	}
	if client.PACSource() != "" {
		d.ok("pac", "proxy auto-config from "+client.PACSource())
	} else {
		d.proxy(ctx, s)
	}
	d.cas(client.Pool(), s)
	issuer, err := d.a.Issuer()
	if err != nil {
		d.fail("issuer", err)
		return
	}
	u, _ := url.Parse(issuer.Issuer)
	d.ok("route", describeRoute(client, s))
	ins := client.Inspect(ctx, u.JoinPath(".well-known", "openid-configuration"))
	d.steps(ins)
	if len(ins.Chain) > 0 {
		d.chain(ctx, client, ins)
	}
	if ins.Err == nil {
		d.endpoints(ctx, issuer)
	}
	d.ports()
	d.store(ctx)
	d.codex(s, ins)
}

// config lists the settings files read.
func (d *doctor) config(s *config.Settings) {
	files := append([]string{}, s.Files...)
	if s.EnvFile != "" {
		files = append(files, s.EnvFile)
	}
	if len(files) == 0 {
		d.ok("config", "no settings file (defaults, environment and flags only)")
	} else {
		d.ok("config", "read "+strings.Join(files, ", "))
	}
	for _, name := range s.EnvOverridden {
		d.warn("config", name+" is set both in this environment and in "+s.EnvFile,
			"remove one of them: codex-login uses the environment's value, Codex the file's")
	}
}

// proxy names the proxy and its source, and fails when nobody listens at
// its address (a stale HTTPS_PROXY from an old setup).
func (d *doctor) proxy(ctx context.Context, s *config.Settings) {
	if s.Proxy.V == "" {
		d.ok("proxy", "none configured")
		return
	}
	p, err := url.Parse(s.Proxy.V)
	if err != nil || p.Host == "" {
		p, err = url.Parse("http://" + s.Proxy.V)
	}
	if err != nil {
		d.add(check{Name: "proxy", Status: statusFail, Summary: "the proxy in " + s.Proxy.Source + " is not a URL", Hint: staleHint("the proxy", s.Proxy.Source)})
		return
	}
	where := p.Redacted() + " (" + s.Proxy.Source + ")"
	host := p.Host
	if p.Port() == "" {
		host = net.JoinHostPort(p.Hostname(), "80")
		if p.Scheme == "https" {
			host = net.JoinHostPort(p.Hostname(), "443")
		}
	}
	dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(dctx, "tcp", host)
	if err != nil {
		d.add(check{Name: "proxy", Status: statusFail, Summary: "nobody answers at " + where + ": " + rootCause(err),
			Hint: staleHint("the proxy", s.Proxy.Source)})
		return
	}
	conn.Close()
	d.ok("proxy", where)
}

// staleHint says how to drop a setting that points nowhere.
func staleHint(what, source string) string {
	name, file, inFile := strings.Cut(source, " in ")
	switch {
	case inFile:
		return fmt.Sprintf("if %s is no longer used, delete the %s line from %s", what, name, file)
	case strings.HasPrefix(source, "--"):
		return "fix or drop " + source
	case strings.ToUpper(source) == source:
		return fmt.Sprintf("if %s is no longer used: unset %s (and remove it from your shell profile)", what, source)
	}
	return "fix or remove it in " + source
}

// rootCause is the innermost part of a dial error, for a person.
func rootCause(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}

// cas lists the trusted certificates by source and what was ignored.
func (d *doctor) cas(pool *trust.Pool, s *config.Settings) {
	var details []string
	for _, c := range pool.Configured() {
		info := trust.Describe(c.Certificate)
		details = append(details, fmt.Sprintf("%q, expires %s, from %s (SHA-256 %s)", info.Subject, info.NotAfter.UTC().Format("2006-01-02"), c.Source, info.SHA256))
		if !info.IsCA {
			d.warn("ca", fmt.Sprintf("%q from %s is not a CA certificate, so it cannot vouch for other certificates", info.Subject, c.Source),
				"use the root CA certificate of the chain instead: codex-login trust fetch")
		}
	}
	system := "the system's root certificates"
	switch n := pool.SystemCount(); {
	case !s.UseSystemRoots.V:
		system = "no system roots (use_system_roots = false)"
	case n >= 0:
		system = fmt.Sprintf("%d system root certificates", n)
	}
	d.ok("ca", fmt.Sprintf("%s and %d configured", system, len(pool.Configured())), details...)
	d.narrowCertFile(pool)
	for _, w := range pool.Warnings() {
		d.warn("ca", describeWarning(w), staleHint(w.Source+" ("+w.Path+")", w.Source))
	}
}

// steps reports each step of reaching the issuer.
func (d *doctor) steps(ins *trust.Inspection) {
	for _, st := range ins.Steps {
		if st.Err != nil {
			d.fail(st.Name, st.Err)
			continue
		}
		d.ok(st.Name, st.Detail)
	}
	if ins.Err != nil && (len(ins.Steps) == 0 || ins.Steps[len(ins.Steps)-1].Err == nil) {
		d.fail("issuer", ins.Err)
	}
}

// ports checks the callback ports the issuer accepts.
func (d *doctor) ports() {
	for _, port := range oauth.CallbackPorts {
		if err := login.CheckPort(port); err != nil {
			d.fail("port", err)
			continue
		}
		d.ok("port", fmt.Sprintf("127.0.0.1:%d is free for the browser callback", port))
	}
}

// store checks that the credentials can be written where Codex reads them.
func (d *doctor) store(ctx context.Context) {
	store, err := d.a.Store()
	if err == nil {
		err = store.Check(ctx)
	}
	if err != nil {
		d.fail("store", err)
		return
	}
	d.ok("store", "credentials can be written to "+store.Location())
}

// narrowCertFile warns of an SSL_CERT_FILE without the public roots:
// codex-login adds it to the system roots, but Codex, curl and Python
// replace their roots with it, and then fail on the public internet.
func (d *doctor) narrowCertFile(pool *trust.Pool) {
	files := map[string]string{} // file → source
	for _, c := range pool.Configured() {
		if strings.HasPrefix(c.Source, "SSL_CERT_FILE") {
			files[c.File] = c.Source
		}
	}
	for file, source := range files {
		certs, err := readCAFile(file)
		if n := len(certs); err == nil && n < narrowBundle {
			d.warn("ca", fmt.Sprintf("%s holds only %d certificate(s): tools that replace their roots with it (Codex, curl, Python) trust nothing else", source, n),
				"point it at a bundle that also holds the system roots: codex-login trust export --out FILE (or codex-login trust codex for Codex)")
		}
	}
}

// narrowBundle: a bundle with fewer certificates than this lacks the public roots.
const narrowBundle = 20
