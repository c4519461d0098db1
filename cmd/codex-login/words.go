package main

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/trust"
)

// describeWarning words what the trust pool ignored.
func describeWarning(w trust.Warning) string {
	switch w.Kind {
	case trust.WarnMissing:
		return w.Source + " names " + w.Path + ", which does not exist; ignored"
	case trust.WarnUnusable:
		return w.Err.Error() + "; ignored"
	case trust.WarnExpired:
		return "CA certificate \"" + w.Subject + "\" in " + w.Path + " (from " + w.Source + ") expired on " + w.NotAfter.UTC().Format("2006-01-02 15:04 UTC")
	case trust.WarnNoSystemRoots:
		if len(w.Searched) == 0 {
			return "found no system root certificates"
		}
		return "found no system root certificates in " + strings.Join(w.Searched, ", ")
	}
	return "unknown trust warning"
}

// logTrust says, with -v, which certificates are trusted and why.
func (u *ui) logTrust(pool *trust.Pool, s *config.Settings) {
	switch n := pool.SystemCount(); {
	case !s.UseSystemRoots.V:
		u.logf("trusting only the %d configured certificates (use_system_roots = false, from %s)", len(pool.Configured()), s.UseSystemRoots.Source)
	case n < 0: // macOS and Windows: the OS verifies, and cannot list its roots
		u.logf("trusting the system's root certificates and %d configured ones", len(pool.Configured()))
	default:
		u.logf("trusting %d system root certificates and %d configured ones", n, len(pool.Configured()))
	}
	for _, c := range pool.Configured() {
		u.logf("  %q from %s", c.Subject.CommonName, c.Source)
	}
}

// describeRoute says, for -v, how the issuer will be reached.
func describeRoute(c *trust.Client, s *config.Settings) string {
	u, err := url.Parse(s.Issuer.V)
	if err != nil {
		return "unknown"
	}
	r := c.Route(u)
	switch {
	case r.Direct == 0 && c.PACSource() != "":
		return "through proxy " + r.Proxy.Redacted() + ", chosen by the proxy auto-config " + c.PACSource()
	case r.Direct == trust.PACDirect:
		return "direct: the proxy auto-config " + c.PACSource() + " says DIRECT for " + u.Hostname()
	}
	switch r.Direct {
	case 0:
		return "through proxy " + r.Proxy.Redacted() + " (" + s.Proxy.Source + ")"
	case trust.Loopback:
		return "direct (" + u.Hostname() + " is this machine)"
	case trust.NoProxyMatch:
		return "direct: " + u.Hostname() + " matches the no-proxy list (" + s.NoProxy.Source + ")"
	}
	return "direct (no proxy configured)"
}

// describeRefusal words a certificate that Codex's TLS stack (rustls)
// refuses although codex-login accepted it.
func describeRefusal(r trust.Refusal, host string) string {
	switch r.Reason {
	case trust.RefuseLeafIsCA:
		return fmt.Sprintf("Codex will refuse the certificate %q shown for %s: it is marked as a CA (CA:TRUE); ask IT to have the TLS inspection issue end-entity certificates", r.Subject, host)
	case trust.RefuseSHA1:
		return fmt.Sprintf("Codex will refuse the certificate %q shown for %s: it is signed with SHA-1; ask IT to re-issue it with SHA-256", r.Subject, host)
	case trust.RefuseSmallRSA:
		return fmt.Sprintf("Codex will refuse the certificate %q shown for %s: its RSA key has %d bits, under the 2048 Codex needs; ask IT to re-issue it with RSA-2048 or ECDSA", r.Subject, host, r.Bits)
	}
	return fmt.Sprintf("Codex may refuse the certificate %q shown for %s", r.Subject, host)
}
