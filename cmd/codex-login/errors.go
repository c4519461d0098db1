package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/login"
	"github.com/codex-login/codex-login/trust"
)

// Exit codes.
const (
	exitFailure = 1 // anything that went wrong
	exitUsage   = 2 // bad command line, or the login was cancelled
	exitDenied  = 4 // the issuer refused the sign-in
)

// failure carries the settings a hint may need to name a source.
type failure struct {
	err      error
	settings *config.Settings
}

func (f *failure) Error() string { return f.err.Error() }
func (f *failure) Unwrap() error { return f.err }

func withContext(err error, s *config.Settings) error {
	return &failure{err: err, settings: s}
}

// report prints err and its hint, and returns the exit code.
func report(w io.Writer, err error) int {
	var secrets []string
	var s *config.Settings
	var f *failure
	if errors.As(err, &f) {
		s = f.settings
		secrets = proxySecrets(s.Proxy.V)
	}
	hint, code := explain(err, s)
	out := &ui{out: w, secrets: secrets}
	out.printf("codex-login: error: %s\n", err)
	if hint != "" {
		out.printf("codex-login: hint: %s\n", hint)
	}
	return code
}

// explain owns every hint: one line that fixes the failure.
func explain(err error, s *config.Settings) (string, int) {
	var (
		usage     usageError
		cfgErr    *config.Error
		fileErr   *trust.FileError
		untrusted *trust.UntrustedError
		expired   *trust.ExpiredError
		hostname  *trust.HostnameError
		weak      *trust.WeakCertError
		tlsErr    *trust.TLSError
		proxyAuth *trust.ProxyAuthError
		refused   *trust.ProxyRefusedError
		unreach   *trust.ProxyUnreachableError
		proxyURL  *trust.ProxyURLError
		dnsErr    *trust.DNSError
		connErr   *trust.ConnectError
		denied    *login.DeniedError
		workspace *login.WorkspaceError
		tokenErr  *login.TokenError
		htmlErr   *login.HTMLError
		gateway   *login.GatewayError
		respErr   *login.ResponseError
		portBusy  *login.PortBusyError
		timeout   *login.TimeoutError
		issuerErr *login.IssuerError
		method    *login.MethodError
		cbErr     *login.CallbackError
	)
	switch {
	case errors.As(err, &usage):
		return "run: codex-login --help", exitUsage
	case errors.Is(err, login.ErrCancelled):
		return "", exitUsage
	case errors.As(err, &cfgErr) && cfgErr.File == "":
		return "run: codex-login --help", exitUsage
	case errors.As(err, &cfgErr):
		return fmt.Sprintf("edit %s; the [login] keys are ca_certificate, use_system_roots, proxy, no_proxy, issuer, client_id, callback_port, open_browser, timeout", cfgErr.File), exitFailure
	case errors.As(err, &fileErr):
		if fileErr.NotCA {
			return "that is a server's own certificate; pass the root CA that issued it (ask IT for the corporate root certificate)", exitFailure
		}
		return fmt.Sprintf("fix or remove the path given by %s; it must name a PEM or DER certificate file", fileErr.Source), exitFailure
	case errors.As(err, &untrusted):
		return untrustedHint(untrusted, s), exitFailure
	case errors.As(err, &expired):
		if expired.NotYetValid {
			return fmt.Sprintf("check this computer's clock: it says %s, before the certificate of %s becomes valid", expired.Now.UTC().Format("2006-01-02 15:04 MST"), expired.Host), exitFailure
		}
		return fmt.Sprintf("check this computer's clock (it says %s); if it is right, tell IT that the certificate %q presented for %s expired on %s", expired.Now.UTC().Format("2006-01-02"), expired.Subject, expired.Host, expired.NotAfter.UTC().Format("2006-01-02")), exitFailure
	case errors.As(err, &hostname):
		return fmt.Sprintf("if %s is the right issuer, tell IT that the certificate presented for it (issued by %q) does not name it", hostname.Host, hostname.Issuer), exitFailure
	case errors.As(err, &weak):
		return "ask IT to re-issue the inspection certificate with SHA-256 and an RSA-2048 or ECDSA key; Codex refuses this one too", exitFailure
	case errors.As(err, &proxyAuth):
		return proxyAuthHint(proxyAuth, s), exitFailure
	case errors.As(err, &refused):
		return fmt.Sprintf("the proxy does not let this machine reach %s; ask IT to allow it", refused.Host), exitFailure
	case errors.As(err, &proxyURL):
		return "write the proxy as http://HOST:PORT or http://USER:PASSWORD@HOST:PORT, with special characters in the user name and password percent-encoded", exitFailure
	case errors.As(err, &unreach):
		return fmt.Sprintf("check the proxy address%s, or unset it if this network needs no proxy", sourceOf(s, "proxy")), exitFailure
	case errors.As(err, &dnsErr):
		if dnsErr.Bypassed {
			return fmt.Sprintf("%s matches the no-proxy list %q%s, so it was contacted directly; remove it from that list so it goes through the proxy", dnsErr.Host, dnsErr.NoProxy, sourceOf(s, "no_proxy")), exitFailure
		}
		return "this network probably needs a proxy: run with --proxy http://PROXY:PORT or set HTTPS_PROXY", exitFailure
	case errors.As(err, &connErr):
		return "this network probably needs a proxy: run with --proxy http://PROXY:PORT or set HTTPS_PROXY", exitFailure
	case errors.As(err, &tlsErr):
		if tlsErr.Proxy == "" {
			return "if this network inspects TLS through a proxy, run with --proxy http://PROXY:PORT (or set HTTPS_PROXY)", exitFailure
		}
		return "run with -v to see the route; if it persists, ask IT whether the proxy allows this host", exitFailure
	case errors.As(err, &htmlErr):
		return fmt.Sprintf("something between you and %s (usually the proxy's block page or a captive portal) answered instead; open https://%s in a browser on this machine to see it, then ask IT to allow it", hostOf(htmlErr.Endpoint), hostOf(htmlErr.Endpoint)), exitFailure
	case errors.As(err, &gateway):
		return fmt.Sprintf("the proxy could not reach %s; check that %s is the right issuer, or ask IT to allow it", hostOf(gateway.Endpoint), hostOf(gateway.Endpoint)), exitFailure
	case errors.As(err, &denied):
		if denied.NoEntitlement() {
			return "ask your ChatGPT workspace admin to enable Codex for your workspace", exitDenied
		}
		return "run codex-login again and approve the sign-in in the browser", exitDenied
	case errors.As(err, &workspace):
		return "run codex-login again and choose one of the allowed workspaces in the browser", exitDenied
	case errors.As(err, &tokenErr):
		if tokenErr.Code == "invalid_grant" {
			return "the sign-in code was already used or has expired; run codex-login again", exitFailure
		}
		return "run codex-login again; if it fails the same way, run with -v and send the output to IT", exitFailure
	case errors.As(err, &respErr):
		return "check that the issuer is right (--issuer); if it is, run with -v and send the output to IT", exitFailure
	case errors.As(err, &portBusy):
		if portBusy.Holder != "" {
			return fmt.Sprintf("stop %s, which holds port %d, and run codex-login again", portBusy.Holder, portBusy.Ports[0]), exitFailure
		}
		return fmt.Sprintf("stop the program listening on port %d (often an unfinished codex login), then run codex-login again", portBusy.Ports[0]), exitFailure
	case errors.As(err, &timeout):
		return "run codex-login again and finish the sign-in in the browser in time (or raise --timeout); on a remote machine, use --no-browser and an ssh -L tunnel to the callback port", exitFailure
	case errors.As(err, &issuerErr):
		return "use an https:// issuer URL", exitUsage
	case errors.As(err, &method):
		if method.Key == "forced_login_method" {
			return "sign in with an API key instead: codex login --with-api-key", exitFailure
		}
		return `set cli_auth_credentials_store = "file" in Codex's config.toml, or sign in with codex login`, exitFailure
	case errors.As(err, &cbErr):
		return "run codex-login again", exitFailure
	}
	return "run again with -v to see each step", exitFailure
}

func untrustedHint(e *trust.UntrustedError, s *config.Settings) string {
	if s != nil && len(s.CA) > 0 {
		return fmt.Sprintf("none of the configured CA files contains %q; ask IT for that root certificate and run: codex-login --ca /path/to/root.pem", e.CA)
	}
	if e.Proxy != "" {
		return fmt.Sprintf("the proxy inspects TLS with its own CA; get %q from IT and run: codex-login --ca /path/to/root.pem", e.CA)
	}
	return fmt.Sprintf("get the corporate root certificate %q from IT and run: codex-login --ca /path/to/root.pem", e.CA)
}

func proxyAuthHint(e *trust.ProxyAuthError, s *config.Settings) string {
	basic := len(e.Schemes) == 0
	for _, sc := range e.Schemes {
		if strings.EqualFold(sc, "basic") {
			basic = true
		}
	}
	switch {
	case !basic:
		return fmt.Sprintf("codex-login speaks Basic to proxies and this one wants %s; ask IT for a proxy port that accepts Basic, or run a local relay such as cntlm or px and pass --proxy http://127.0.0.1:PORT", strings.Join(e.Schemes, " or "))
	case e.HadCredentials:
		return fmt.Sprintf("check the user name and password in the proxy URL%s; special characters in them must be percent-encoded", sourceOf(s, "proxy"))
	}
	return "put your proxy user name and password in the proxy URL: --proxy http://USER:PASSWORD@PROXY:PORT (or the same in HTTPS_PROXY)"
}

// sourceOf names where a setting came from, for hints.
func sourceOf(s *config.Settings, key string) string {
	if s == nil {
		return ""
	}
	var src string
	switch key {
	case "proxy":
		src = s.Proxy.Source
	case "no_proxy":
		src = s.NoProxy.Source
	}
	if src == "" || src == "default" {
		return ""
	}
	return " (it comes from " + src + ")"
}

func hostOf(endpoint string) string {
	host, _, _ := strings.Cut(endpoint, "/")
	return host
}
