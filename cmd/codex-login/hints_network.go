package main

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/oauth"
	"github.com/codex-login/codex-login/pac"
	"github.com/codex-login/codex-login/trust"
)

const needProxyHint = "this network probably needs a proxy: run with --proxy http://PROXY:PORT or set HTTPS_PROXY"

// networkHint explains CA files, certificates, proxies and what answered
// instead of the issuer.
func networkHint(err error, s *config.Settings) (string, int, bool) {
	var (
		fileErr   *trust.FileError
		untrusted *trust.UntrustedError
		expired   *trust.ExpiredError
		hostname  *trust.HostnameError
		weak      *trust.WeakCertError
		noSAN     *trust.NoSANError
		pacFetch  *pac.FetchError
		pacScript *pac.ScriptError
		pacErr    *trust.PACError
		pacDead   *trust.PACUnreachableError
		missing   *trust.MissingIntermediateError
		tlsErr    *trust.TLSError
		proxyAuth *trust.ProxyAuthError
		refused   *trust.ProxyRefusedError
		unreach   *trust.ProxyUnreachableError
		proxyURL  *trust.ProxyURLError
		dnsErr    *trust.DNSError
		connErr   *trust.ConnectError
		phase     *trust.PhaseTimeoutError
		hangup    *trust.ProxyHangupError
		scheme    *trust.ProxySchemeError
		socks     *trust.SOCKSError
		htmlErr   *oauth.HTMLError
		redirect  *oauth.RedirectError
		gateway   *oauth.GatewayError
	)
	switch {
	case errors.As(err, &fileErr):
		if fileErr.NotCA {
			return "that is a server's own certificate; pass the root CA that issued it (ask IT for the corporate root certificate)", exitFailure, true
		}
		return fmt.Sprintf("fix or remove the path given by %s; it must name a PEM or DER certificate file", fileErr.Source), exitFailure, true
	case errors.As(err, &untrusted):
		return untrustedHint(untrusted, s), exitFailure, true
	case errors.As(err, &expired):
		if expired.NotYetValid {
			return fmt.Sprintf("check this computer's clock: it says %s, before the certificate of %s becomes valid", expired.Now.UTC().Format("2006-01-02 15:04 MST"), expired.Host), exitFailure, true
		}
		return fmt.Sprintf("check this computer's clock (it says %s); if it is right, tell IT that the certificate %q presented for %s expired on %s", expired.Now.UTC().Format("2006-01-02"), expired.Subject, expired.Host, expired.NotAfter.UTC().Format("2006-01-02")), exitFailure, true
	case errors.As(err, &hostname):
		return fmt.Sprintf("if %s is the right issuer, tell IT that the certificate presented for it (issued by %q) does not name it", hostname.Host, hostname.Issuer), exitFailure, true
	case errors.As(err, &pacFetch):
		return fmt.Sprintf("check the proxy auto-config address %s (it must answer directly, without a proxy), or name the proxy yourself: --proxy http://PROXY:PORT", pacFetch.Source), exitFailure, true
	case errors.As(err, &pacScript):
		return "the proxy auto-config file is broken: tell IT the line above; until it is fixed, name the proxy yourself: --proxy http://PROXY:PORT", exitFailure, true
	case errors.As(err, &pacErr):
		return "the proxy auto-config file fails for this host: tell IT; until it is fixed, name the proxy yourself: --proxy http://PROXY:PORT", exitFailure, true
	case errors.As(err, &pacDead):
		return "none of these proxies can be reached from here: connect to the corporate network (VPN?), or name a proxy that works: --proxy http://PROXY:PORT", exitFailure, true
	case errors.As(err, &noSAN):
		return fmt.Sprintf("the certificate %q names %s only in its Common Name, which no current client accepts; tell IT (or the server's owner) to reissue it with a subjectAltName", noSAN.Subject, noSAN.Host), exitFailure, true
	case errors.As(err, &missing):
		return fmt.Sprintf("the server must send the intermediate certificate %q with its own; tell its owner, or get that intermediate and run: codex-login --ca FILE", missing.Issuer), exitFailure, true
	case errors.As(err, &weak):
		return "ask IT to re-issue the inspection certificate with SHA-256 and an RSA-2048 or ECDSA key; Codex refuses this one too", exitFailure, true
	case errors.As(err, &proxyAuth):
		return proxyAuthHint(proxyAuth, s), exitFailure, true
	case errors.As(err, &phase):
		return phaseHint(phase, s), exitFailure, true
	case errors.As(err, &hangup):
		if hangup.Phase == trust.PhaseProxy && strings.HasPrefix(hangup.Proxy, "http://") {
			return fmt.Sprintf("check the proxy address%s: a port that speaks TLS hangs up like this (write it as https://HOST:PORT); otherwise ask IT whether the proxy lets this machine reach %s", sourceOf(s, "proxy"), hangup.Host), exitFailure, true
		}
		return fmt.Sprintf("the proxy hung up instead of answering; ask IT whether it lets this machine reach %s", hangup.Host), exitFailure, true
	case errors.As(err, &scheme) && scheme.Speaks == "https":
		return fmt.Sprintf("this proxy port speaks TLS: write it as https://HOST:PORT, not http://%s", sourceOf(s, "proxy")), exitFailure, true
	case errors.As(err, &scheme):
		return fmt.Sprintf("this proxy speaks plain HTTP: write it as http://HOST:PORT, not https://%s", sourceOf(s, "proxy")), exitFailure, true
	case errors.As(err, &socks):
		return fmt.Sprintf("check the SOCKS proxy%s: it must allow connections to %s (or use the HTTP proxy IT gives you)", sourceOf(s, "proxy"), socks.Host), exitFailure, true
	case errors.As(err, &refused):
		if cause := classifyProxy(refused.ProxyError, refused.Page); cause != causeUnknown {
			return proxyCauseHint(cause, hostName(refused.Host)), exitFailure, true
		}
		return fmt.Sprintf("the proxy does not let this machine reach %s; ask IT to allow it", refused.Host), exitFailure, true
	case errors.As(err, &proxyURL):
		return "write the proxy as http://HOST:PORT or http://USER:PASSWORD@HOST:PORT, with special characters in the user name and password percent-encoded", exitFailure, true
	case errors.As(err, &unreach):
		return fmt.Sprintf("check the proxy address%s, or unset it if this network needs no proxy", sourceOf(s, "proxy")), exitFailure, true
	case errors.As(err, &dnsErr):
		if dnsErr.Bypassed {
			return fmt.Sprintf("%s matches the no-proxy list %q%s, so it was contacted directly; remove it from that list so it goes through the proxy", dnsErr.Host, dnsErr.NoProxy, sourceOf(s, "no_proxy")), exitFailure, true
		}
		return needProxyHint, exitFailure, true
	case errors.As(err, &connErr):
		return needProxyHint, exitFailure, true
	case errors.As(err, &tlsErr):
		if tlsErr.Proxy == "" {
			return "if this network inspects TLS through a proxy, run with --proxy http://PROXY:PORT (or set HTTPS_PROXY)", exitFailure, true
		}
		return fmt.Sprintf("the proxy broke off TLS with %s; ask IT whether the proxy allows %s, or needs an inspection exception for it", tlsErr.Host, tlsErr.Host), exitFailure, true
	case errors.As(err, &htmlErr):
		return htmlHint(htmlErr), exitFailure, true
	case errors.As(err, &redirect):
		return fmt.Sprintf("something between you and %s sent the request to %s (usually a captive portal or the proxy's sign-in page); open https://%s in a browser on this machine, sign in to the network if asked, then run codex-login again", hostOf(redirect.Endpoint), redirect.Location, hostOf(redirect.Endpoint)), exitFailure, true
	case errors.As(err, &gateway):
		return proxyCauseHint(classifyProxy(gateway.ProxyError, gateway.Page), hostName(gateway.Endpoint)), exitFailure, true
	}
	return "", 0, false
}

func htmlHint(e *oauth.HTMLError) string {
	host := hostOf(e.Endpoint)
	if e.Kind == oauth.KindChallenge {
		return fmt.Sprintf("the bot protection in front of %s challenged this request instead of answering; try again in a few minutes, and if it persists ask IT whether the proxy's address is blocked", host)
	}
	return fmt.Sprintf("something between you and %s (usually the proxy's block page or a captive portal) answered instead; open https://%s in a browser on this machine to see it, then ask IT to allow it", host, host)
}

// phaseHint says what to do about a phase of the connection that took too
// long, knowing whether a proxy was in the way.
func phaseHint(e *trust.PhaseTimeoutError, s *config.Settings) string {
	switch {
	case e.Phase == trust.PhaseConnect && e.Proxy != "":
		return fmt.Sprintf("the proxy does not accept connections from here; check its address and port%s, and whether a VPN must be on", sourceOf(s, "proxy"))
	case e.Phase == trust.PhaseConnect:
		return needProxyHint
	case e.Phase == trust.PhaseProxy:
		return fmt.Sprintf("the proxy accepted the connection but never answered; check its address and port%s (an https:// port given as http:// does this), or ask IT whether it is overloaded", sourceOf(s, "proxy"))
	case e.Phase == trust.PhaseTLS && e.Proxy != "":
		return fmt.Sprintf("the TLS handshake with %s stalled inside the proxy's tunnel; ask IT whether the proxy allows %s", e.Host, e.Host)
	case e.Phase == trust.PhaseTLS:
		return "something on the way stalls TLS; if this network has a proxy, run with --proxy http://PROXY:PORT (or set HTTPS_PROXY)"
	}
	return fmt.Sprintf("%s took the request but never answered; run codex-login again, and if it persists ask IT whether the route to %s holds requests back", e.Host, e.Host)
}

func untrustedHint(e *trust.UntrustedError, s *config.Settings) string {
	if e.Configured > 0 {
		return fmt.Sprintf("none of the configured CA files contains %q; ask IT for that root certificate and run: codex-login --ca /path/to/root.pem", e.CA)
	}
	if e.Proxy != "" && sendsItsCA(e.Chain) {
		return fmt.Sprintf("the proxy inspects TLS with its own CA %q: run codex-login trust fetch to see its fingerprint and save it once IT confirms it, then sign in with codex-login --ca FILE", e.CA)
	}
	if e.Proxy != "" {
		return fmt.Sprintf("the proxy inspects TLS with its own CA; get %q from IT and run: codex-login --ca /path/to/root.pem", e.CA)
	}
	return fmt.Sprintf("get the corporate root certificate %q from IT and run: codex-login --ca /path/to/root.pem", e.CA)
}

// sendsItsCA reports whether the presented chain ends with a CA
// certificate, which trust fetch can save.
func sendsItsCA(chain []*x509.Certificate) bool {
	return len(chain) > 1 && chain[len(chain)-1].IsCA
}

func proxyAuthHint(e *trust.ProxyAuthError, s *config.Settings) string {
	basic := len(e.Schemes) == 0
	for _, sc := range e.Schemes {
		if strings.EqualFold(sc, "basic") {
			basic = true
		}
	}
	var krb *trust.KerberosError
	user := e.User
	if user == "" {
		user = "the user"
	}
	switch {
	case e.Rejected != "":
		return fmt.Sprintf(`the proxy refused %s with %s: check the password; write the user as DOMAIN\user (%%5C in a URL) or user@domain`, user, e.Rejected)
	case e.Hangup != "":
		return fmt.Sprintf("the proxy closed the connection between the legs of %s, which need one connection: a load balancer in front of it may not keep connections; ask IT for a proxy address that does, or try --proxy-auth basic", e.Hangup)
	case errors.As(e.Err, &krb) && krb.Kind != trust.KerberosNoTicket:
		return kerberosHint(krb)
	case e.Err != nil && slices.Contains(e.Schemes, "Negotiate") && !slices.Contains(e.Schemes, "NTLM"):
		return "get a Kerberos ticket first (sign in to the domain, or run kinit USER@REALM), or give --proxy-auth ntlm with DOMAIN%5CUSER:PASSWORD in the proxy URL if the proxy accepts NTLM"
	case !basic && slices.Contains(e.Schemes, "NTLM"):
		return fmt.Sprintf(`this proxy wants %s: put your user name and password in the proxy URL: --proxy http://DOMAIN%%5CUSER:PASSWORD@PROXY:PORT (or the same in HTTPS_PROXY), or run codex-login in a terminal to be asked`, strings.Join(e.Schemes, " or "))
	case !basic:
		return fmt.Sprintf("this proxy wants %s, which codex-login cannot answer here: run a local relay such as cntlm or px and pass --proxy http://127.0.0.1:PORT, or ask IT for a proxy port that accepts Basic or NTLM", strings.Join(e.Schemes, " or "))
	case e.HadCredentials:
		return fmt.Sprintf("check the user name and password in the proxy URL%s; special characters in them must be percent-encoded", sourceOf(s, "proxy"))
	}
	return "put your proxy user name and password in the proxy URL: --proxy http://USER:PASSWORD@PROXY:PORT (or the same in HTTPS_PROXY)"
}

func hostOf(endpoint string) string {
	host, _, _ := strings.Cut(endpoint, "/")
	return host
}

// hostName is the host of an endpoint, without its port.
func hostName(endpoint string) string {
	host := hostOf(endpoint)
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}

// kerberosHint is the one thing to do about a Kerberos failure.
func kerberosHint(e *trust.KerberosError) string {
	switch e.Kind {
	case trust.KerberosExpired:
		return "your Kerberos ticket expired: run kinit (or set KRB5CCNAME to the credential cache that has a fresh ticket)"
	case trust.KerberosCacheType:
		return "get a ticket in a file cache: KRB5CCNAME=FILE:/tmp/krb5cc_$(id -u) kinit, then run codex-login with that KRB5CCNAME"
	case trust.KerberosClockSkew:
		return "set this machine's clock right (enable NTP), then run again"
	case trust.KerberosKDCUnreachable:
		return "check the realm's kdc entries in krb5.conf (KRB5_CONFIG) and that the KDC is reachable from here (VPN?)"
	case trust.KerberosUnknownPrincipal:
		return "use the proxy's full host name, the one its Kerberos principal is registered for, in --proxy (not an IP address or alias)"
	case trust.KerberosRejected:
		return "run kinit again for a fresh ticket; if it persists, ask IT whether the proxy's keytab is current"
	case trust.KerberosConfig:
		return "fix the file, or point KRB5_CONFIG at a working krb5.conf"
	}
	return "check the Kerberos setup with: klist, then kinit"
}
