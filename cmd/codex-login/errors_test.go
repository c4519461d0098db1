package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/login"
	"github.com/codex-login/codex-login/oauth"
	"github.com/codex-login/codex-login/trust"
)

// reportTo reports err as a run that loaded s would, printing to w.
func reportTo(w io.Writer, s *config.Settings, err error) int {
	a := newApp(env{getenv: func(string) string { return "" }, stdout: io.Discard, stderr: w, root: fstest.MapFS{}})
	a.settings, a.loaded = s, true
	if s != nil {
		a.ui.redact.addProxy(s.Proxy.V)
	}
	return a.report(err)
}

// Every typed error reaches its own hint and exit code, through the
// wrapping the layers add.
func TestEveryErrorHasItsHint(t *testing.T) {
	settings := &config.Settings{}
	settings.CredentialsStore = config.Value[string]{V: "ephemeral", Source: "/etc/codex/config.toml", Set: true}
	settings.Proxy = config.Value[string]{V: "http://dev:hunter22@proxy.corp.test:3128", Source: "HTTPS_PROXY", Set: true}
	settings.NoProxy = config.Value[string]{V: ".corp.test", Source: "NO_PROXY", Set: true}
	cases := []struct {
		err  error
		hint string
		code int
	}{
		{usageError{errors.New("unknown flag: --x")}, "codex-login --help", exitUsage},
		{login.ErrCancelled, "", exitUsage},
		{&config.Error{File: "/etc/codex-login/config.toml", Line: 3, Key: "login.x", Msg: "unknown key"}, "edit /etc/codex-login/config.toml", exitFailure},
		{&config.Error{Key: "--port", Msg: "not a port"}, "--help", exitUsage},
		{&trust.FileError{Path: "leaf.pem", Source: "--ca", Reason: `"a" is a server certificate for a, not a CA`, NotCA: true}, "root CA that issued it", exitFailure},
		{&trust.FileError{Path: "x.pem", Source: "CODEX_CA_CERTIFICATE", Reason: trust.ReasonNoCert}, "CODEX_CA_CERTIFICATE", exitFailure},
		{&trust.UntrustedError{Host: "auth.openai.com", Proxy: "http://proxy:8080", CA: "Zscaler Root CA"}, `get "Zscaler Root CA" from IT and run: codex-login --ca`, exitFailure},
		{&trust.UntrustedError{Host: "auth.openai.com", Proxy: "http://proxy:8080", CA: "Zscaler Root CA", Configured: 2}, `none of the configured CA files contains "Zscaler Root CA"`, exitFailure},
		{&trust.ExpiredError{Host: "h", Subject: "s", NotAfter: time.Now(), Now: time.Now()}, "check this computer's clock", exitFailure},
		{&trust.ExpiredError{Host: "h", NotYetValid: true, Now: time.Now()}, "before the certificate of h becomes valid", exitFailure},
		{&trust.HostnameError{Host: "auth.openai.com", Issuer: "Corp CA"}, "does not name it", exitFailure},
		{&trust.WeakCertError{Host: "h", Subject: "s", Reason: "SHA-1"}, "SHA-256", exitFailure},
		{&trust.TLSError{Host: "h", Err: errors.New("EOF")}, "--proxy", exitFailure},
		{&trust.ProxyAuthError{Proxy: "http://proxy:3128", Schemes: []string{"Basic"}}, "--proxy http://USER:PASSWORD@PROXY:PORT", exitFailure},
		{&trust.ProxyAuthError{Proxy: "http://dev:xxxxx@proxy:3128", Schemes: []string{"Basic"}, HadCredentials: true}, "(it comes from HTTPS_PROXY)", exitFailure},
		{&trust.ProxyAuthError{Proxy: "http://proxy:3128", Schemes: []string{"NTLM", "Negotiate"}}, "wants NTLM or Negotiate", exitFailure},
		{&trust.ProxyAuthError{Proxy: "http://proxy:3128", Schemes: []string{"NTLM"}, HadCredentials: true, Rejected: "NTLM", User: `CORP\dev`}, `the proxy refused CORP\dev with NTLM: check the password; write the user as DOMAIN\user (%5C in a URL) or user@domain`, exitFailure},
		{&trust.ProxyAuthError{Proxy: "http://proxy:3128", Schemes: []string{"NTLM"}, Hangup: "NTLM"}, "closed the connection between the legs of NTLM", exitFailure},
		{&trust.ProxyRefusedError{Proxy: "http://proxy:3128", Host: "auth.openai.com", Status: "403 Forbidden"}, "allow it", exitFailure},
		{&trust.ProxyUnreachableError{Proxy: "http://proxy:3128", Err: errors.New("refused")}, "check the proxy address (it comes from HTTPS_PROXY)", exitFailure},
		{&trust.ProxyURLError{Proxy: "http://x", Source: "--proxy", Reason: "is not a valid URL"}, "percent-encoded", exitFailure},
		{&trust.DNSError{Host: "auth.corp.test", Bypassed: true, NoProxy: ".corp.test"}, `no-proxy list ".corp.test" (it comes from NO_PROXY), so it was contacted directly; remove it from that list`, exitFailure},
		{&trust.DNSError{Host: "auth.openai.com"}, "needs a proxy", exitFailure},
		{&trust.ConnectError{Host: "auth.openai.com", Err: errors.New("timeout")}, "needs a proxy", exitFailure},
		{&oauth.HTMLError{Endpoint: "auth.openai.com/oauth/token", Status: 403, Title: "Blocked"}, "open https://auth.openai.com in a browser", exitFailure},
		{&oauth.HTMLError{Endpoint: "auth.openai.com/oauth/token", Status: 403, Title: "Just a moment...", Kind: oauth.KindChallenge}, "bot protection", exitFailure},
		{&oauth.RedirectError{Endpoint: "auth.openai.com/.well-known/openid-configuration", Location: "portal.hotel.test/login"}, "sent the request to portal.hotel.test/login", exitFailure},
		{&oauth.GatewayError{Endpoint: "auth.openai.com/.well-known/openid-configuration", Status: "503"}, "could not reach auth.openai.com", exitFailure},
		{&login.DeniedError{Code: "access_denied", Description: "missing_codex_entitlement"}, "workspace admin", exitDenied},
		{&login.DeniedError{Code: "access_denied"}, "approve the sign-in", exitDenied},
		{&login.WorkspaceError{AccountID: "a", Allowed: []string{"b"}}, "allowed workspaces", exitDenied},
		{&oauth.TokenError{Endpoint: "e", Status: 400, Code: "invalid_grant"}, "already used or has expired", exitFailure},
		{&oauth.TokenError{Endpoint: "e", Status: 500}, "--client-id", exitFailure},
		{&trust.PhaseTimeoutError{Phase: trust.PhaseProxy, Host: "auth.openai.com", Proxy: "http://proxy:3128", Limit: 15 * time.Second}, "never answered; check its address and port (it comes from HTTPS_PROXY)", exitFailure},
		{&trust.PhaseTimeoutError{Phase: trust.PhaseConnect, Host: "auth.openai.com", Proxy: "http://proxy:3128"}, "does not accept connections", exitFailure},
		{&trust.PhaseTimeoutError{Phase: trust.PhaseConnect, Host: "auth.openai.com"}, "needs a proxy", exitFailure},
		{&trust.PhaseTimeoutError{Phase: trust.PhaseTLS, Host: "auth.openai.com", Proxy: "http://proxy:3128"}, "stalled inside the proxy's tunnel", exitFailure},
		{&trust.PhaseTimeoutError{Phase: trust.PhaseReply, Host: "auth.openai.com"}, "never answered", exitFailure},
		{&trust.ProxyHangupError{Proxy: "http://proxy:3128", Host: "auth.openai.com", Phase: trust.PhaseProxy}, "write it as https://HOST:PORT", exitFailure},
		{&trust.ProxyHangupError{Proxy: "http://proxy:3128", Host: "auth.openai.com", Phase: trust.PhaseTLS}, "hung up", exitFailure},
		{&trust.ProxySchemeError{Proxy: "https://proxy:3128"}, "write it as http://HOST:PORT", exitFailure},
		{&trust.SOCKSError{Proxy: "socks5://proxy:1080", Host: "auth.openai.com", Err: errors.New("refused")}, "SOCKS proxy (it comes from HTTPS_PROXY)", exitFailure},
		{&trust.ProxyRefusedError{Proxy: "http://proxy:3128", Host: "auth.openai.com", Status: "503 Service Unavailable", ProxyError: "ERR_DNS_FAIL 0"}, "could not resolve auth.openai.com", exitFailure},
		{&oauth.GatewayError{Endpoint: "auth.openai.com/oauth/token", Status: "502 Bad Gateway", Page: "Server connection to ('auth.openai.com', 443) failed: Connection refused"}, "could not connect to auth.openai.com", exitFailure},
		{&oauth.ResponseError{Endpoint: "e", Status: 200, Problem: "p"}, "--issuer", exitFailure},
		{&login.PortBusyError{Ports: []int{1455, 1457}, Holder: "pid 7 (codex)"}, "stop pid 7 (codex)", exitFailure},
		{&login.PortBusyError{Ports: []int{1455}}, "port 1455", exitFailure},
		{&login.TimeoutError{After: time.Minute}, "raise --timeout", exitFailure},
		{&oauth.IssuerError{Issuer: "http://x", Problem: "must use https"}, "https://", exitUsage},
		{&login.MethodError{Key: "forced_login_method", Setting: `forced_login_method = "api"`}, "--with-api-key", exitFailure},
		{&modeFailure{mode: &codexauth.ModeError{Mode: "cloud"}, source: "/etc/codex/config.toml"}, `"file"`, exitFailure},
		{&modeFailure{mode: &codexauth.ModeError{Mode: "ephemeral"}, source: "/etc/codex/config.toml"}, `"file" (or "auto") (it comes from /etc/codex/config.toml)`, exitFailure},
		{&codexauth.WriteError{Dir: "/home/dev/.codex", Op: "create", Owner: "root", Err: errors.New("permission denied")}, `sudo chown -R "$USER" /home/dev/.codex`, exitFailure},
		{&codexauth.WriteError{Dir: "/ro/.codex", Op: "create", Err: errors.New("read-only file system")}, "--codex-home", exitFailure},
		{&login.CallbackError{Problem: "has no authorization code"}, "again", exitFailure},
		{&oauth.DeviceUnavailableError{Endpoint: "auth.openai.com/api/accounts/deviceauth/usercode"}, "--paste", exitFailure},
		{&login.DeviceExpiredError{After: 15 * time.Minute}, "--device-auth again", exitFailure},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%T", tc.err), func(t *testing.T) {
			var buf bytes.Buffer
			code := reportTo(&buf, settings, fmt.Errorf("outer: %w", tc.err))
			out := buf.String()
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			if !strings.HasPrefix(out, "codex-login: error: ") {
				t.Errorf("no error line:\n%s", out)
			}
			hints := strings.Count(out, "codex-login: hint: ")
			if tc.hint == "" && hints != 0 || tc.hint != "" && (hints != 1 || !strings.Contains(out, tc.hint)) {
				t.Errorf("want one hint containing %q:\n%s", tc.hint, out)
			}
			if strings.Contains(out, "hunter22") {
				t.Errorf("the proxy password was printed:\n%s", out)
			}
		})
	}
}

func TestUnknownErrorStillGetsAHint(t *testing.T) {
	var buf bytes.Buffer
	if code := reportTo(&buf, nil, errors.New("something odd")); code != exitFailure || !strings.Contains(buf.String(), "hint: this failure is unexpected: run codex-login again with -v, and report") {
		t.Fatalf("exit %d:\n%s", code, buf.String())
	}
}

// The last guard: a message that somehow holds the proxy password prints
// it redacted.
func TestReportRedactsProxyPassword(t *testing.T) {
	s := &config.Settings{}
	s.Proxy = config.Value[string]{V: "http://dev:p%40ss%3Aword@proxy:3128", Source: "--proxy", Set: true}
	var buf bytes.Buffer
	reportTo(&buf, s, errors.New(`dial "http://dev:p%40ss%3Aword@proxy:3128" and p@ss:word`))
	if out := buf.String(); strings.Contains(out, "p@ss:word") || strings.Contains(out, "p%40ss%3Aword") || !strings.Contains(out, "xxxxx") {
		t.Fatalf("password not redacted:\n%s", out)
	}
}
