package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/oauth"
	"github.com/codex-login/codex-login/trust"
)

// chain shows the certificates the issuer's side presented, who made them,
// what verified them, and what Codex (stricter than Go) would refuse.
func (d *doctor) chain(ctx context.Context, client *trust.Client, ins *trust.Inspection) {
	var details []string
	for i, c := range ins.Chain {
		info := trust.Describe(c)
		details = append(details, fmt.Sprintf("%d: %q issued by %q, %s, %s, valid %s to %s",
			i, info.Subject, info.Issuer, info.SignatureAlgorithm, info.Key,
			info.NotBefore.UTC().Format("2006-01-02"), info.NotAfter.UTC().Format("2006-01-02")))
		details = append(details, "   SHA-256 "+info.SHA256)
	}
	summary := fmt.Sprintf("%d certificate(s) presented", len(ins.Chain))
	if ins.Product != "" {
		summary += "; made by " + ins.Product + " (TLS inspection)"
	}
	if ins.RootSource != "" {
		summary += "; verified with a root from " + ins.RootSource
	}
	d.ok("chain", summary, details...)
	if len(ins.Refusals) > 0 {
		var why []string
		for _, r := range ins.Refusals {
			why = append(why, describeRefusal(r, ins.URL.Hostname()))
		}
		d.warn("codex-tls", "Codex would refuse this chain: "+strings.Join(why, "; "),
			"ask IT to reissue the inspection CA (CA:FALSE leaves, SHA-256, RSA 2048 or larger); until then Codex itself cannot connect through this proxy")
	}
	for _, p := range ins.Problems {
		d.warn("chain", p.String(), "")
	}
	if ins.Route.Proxy != nil && ins.Err != nil {
		d.direct(ctx, client, ins)
	}
}

// direct compares with what the direct route presents: a different chain
// there means the proxy replaces certificates.
func (d *doctor) direct(ctx context.Context, client *trust.Client, ins *trust.Inspection) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	dir := client.InspectDirect(ctx, ins.URL)
	if len(dir.Chain) == 0 {
		return // the direct route does not reach the issuer: nothing to compare
	}
	if trust.Fingerprint(dir.Chain[0]) != trust.Fingerprint(ins.Chain[0]) {
		d.warn("direct", fmt.Sprintf("without the proxy the issuer presents another chain (issued by %q): the proxy replaces certificates",
			trust.Describe(dir.Chain[0]).Issuer), "trust the proxy's CA: codex-login trust fetch")
	}
}

// endpoints sends harmless requests to the token and device endpoints: an
// unknown code must come back as an OAuth error in JSON, not as a web page.
func (d *doctor) endpoints(ctx context.Context, issuer *oauth.Client) {
	if err := issuer.Preflight(ctx); err != nil {
		d.fail("discovery", err) // a block page, a captive portal, a bot challenge
		return
	}
	d.ok("discovery", "the issuer answers JSON")
	_, err := issuer.ExchangeCode(ctx, "codex-login-doctor", oauth.RedirectURI(oauth.CallbackPorts[0]), "codex-login-doctor-verifier-0000000000000000000000")
	if jsonAnswer(err) {
		d.ok("token", "the token endpoint answers JSON")
	} else {
		d.fail("token", err)
	}
	_, err = issuer.DeviceToken(ctx, oauth.DeviceCode{DeviceAuthID: "codex-login-doctor", UserCode: "DOCT-OR00"})
	var unavailable *oauth.DeviceUnavailableError
	switch {
	case errors.As(err, &unavailable):
		d.ok("device", "the device code endpoint answers, but device login is not enabled for this client (--device-auth will not work)")
	case jsonAnswer(err):
		d.ok("device", "the device code endpoint answers JSON")
	default:
		d.fail("device", err)
	}
}

// jsonAnswer reports whether err (from a request sent with made-up values)
// is the issuer answering in JSON, as it does for a real request.
func jsonAnswer(err error) bool {
	var tok *oauth.TokenError
	return err == nil || errors.As(err, &tok) || errors.Is(err, oauth.ErrPending) || errors.Is(err, oauth.ErrSlowDown)
}

// codex says whether Codex itself would find the proxy and the CA that
// codex-login uses: Codex reads the environment and $CODEX_HOME/.env, not
// codex-login's flags or [login] settings.
func (d *doctor) codex(s *config.Settings, ins *trust.Inspection) {
	gaps := codexGaps(s, ins.Route.Proxy != nil, ins.RootSource)
	if len(gaps) == 0 && ins.Err != nil {
		return // what Codex needs is known only once the issuer was reached
	}
	if len(gaps) == 0 {
		d.ok("codex", "Codex itself finds the same route and trust (environment or "+codexEnvFile(s)+")")
		return
	}
	d.warn("codex", "Codex itself would not "+strings.Join(gaps, ", nor ")+", so its own requests would fail",
		"run: codex-login trust codex (it writes them into "+codexEnvFile(s)+")")
}

// codexGaps lists what Codex would miss of the route codex-login takes:
// a proxy or a CA that come from a flag or a settings file.
func codexGaps(s *config.Settings, proxied bool, rootSource string) []string {
	var gaps []string
	if proxied && !fromEnvironment(s.Proxy.Source) {
		gaps = append(gaps, "use the proxy (it comes from "+s.Proxy.Source+")")
	}
	if rootSource != "" && rootSource != trust.SystemSource && !fromEnvironment(rootSource) {
		gaps = append(gaps, "trust the CA (it comes from "+rootSource+")")
	}
	return gaps
}

// fromEnvironment reports whether a setting's source is one Codex reads
// too: an environment variable, set in the environment or in .env.
func fromEnvironment(source string) bool {
	name, _, _ := strings.Cut(source, " ")
	switch name {
	case "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR", "CODEX_CA_CERTIFICATE":
		return true
	}
	return false
}

func codexEnvFile(s *config.Settings) string { return s.CodexHome + "/.env" }

// verifiedRootSource is the source of the root that the chain the client
// was shown for host verifies to ("" when unknown).
func verifiedRootSource(c *trust.Client, host string) string {
	chain := c.PeerChain(host)
	if len(chain) == 0 {
		return ""
	}
	inter := x509.NewCertPool()
	for _, x := range chain[1:] {
		inter.AddCert(x)
	}
	chains, err := chain[0].Verify(x509.VerifyOptions{Roots: c.Pool().CertPool(), Intermediates: inter, DNSName: host})
	if err != nil || len(chains) == 0 {
		return ""
	}
	if src, ok := c.Pool().Source(chains[0][len(chains[0])-1]); ok {
		return src.Source
	}
	return ""
}
