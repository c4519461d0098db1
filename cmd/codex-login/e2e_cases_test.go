//go:build e2e

package main_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// e2eCase is one scenario of the suite; each runs the real binary once (or
// more) in a fresh CODEX_HOME.
type e2eCase struct {
	name string
	run  func(t *testing.T, w *e2eWorld)
}

var e2eCases = []e2eCase{
	{"ca_through_squid", func(t *testing.T, w *e2eWorld) {
		r := e2eNewRun(t, w)
		r.Args = []string{"--ca", w.squid.CA, "--proxy", w.squid.URL}
		r.Browser = e2eBrowser{w.squid.URL, w.squid.CA}
		r.expectThroughSquid(t, w, w.squid.accessLog, func() { r.Run(t, w) })
		r.wantSuccess(t, w)
	}},
	{"one_tls_connection_per_login", func(t *testing.T, w *e2eWorld) {
		// The browser uses the other squid, so the plain squid's log holds
		// only codex-login's tunnels: pre-flight, code exchange and API-key
		// exchange must share one.
		r := e2eNewRun(t, w)
		r.Args = []string{"--ca", w.squid.CA, "--proxy", w.squid.URL}
		r.Browser = e2eBrowser{w.squid.AuthURLWith(w.squid.User, w.squid.Password), w.squid.CA}
		host := strings.TrimPrefix(r.Issuer, "https://")
		before := w.squid.Count(t, w.squid.accessLog, "CONNECT", host)
		r.Run(t, w)
		r.wantSuccess(t, w)
		n := 0
		for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline) && n == 0; time.Sleep(50 * time.Millisecond) {
			n = w.squid.Count(t, w.squid.accessLog, "CONNECT", host) - before // logged when the tunnel closes
		}
		if n != 1 {
			t.Errorf("codex-login opened %d tunnels to %s through squid, want 1", n, host)
		}
	}},
	{"no_ca_fails_before_browser", func(t *testing.T, w *e2eWorld) {
		r := e2eNewRun(t, w)
		old := r.seedAuthFile(t)
		r.Args = []string{"--proxy", w.squid.URL}
		r.Browser = e2eBrowser{w.squid.URL, w.squid.CA}
		r.Run(t, w)
		r.wantFailure(t, old, `"`+w.squid.CACN+`"`, e2eName)
	}},
	{"basic_auth_without_credentials_407", func(t *testing.T, w *e2eWorld) {
		r := e2eNewRun(t, w)
		old := r.seedAuthFile(t)
		r.Args = []string{"--ca", w.squid.CA, "--proxy", w.squid.AuthURL}
		r.Browser = e2eBrowser{w.squid.AuthURLWith(w.squid.User, w.squid.Password), w.squid.CA}
		r.Run(t, w)
		r.wantFailure(t, old, "Basic", "authentication")
		r.checkNotPrinted(t, w.squid.Password)
	}},
	{"basic_auth_wrong_password_not_printed", func(t *testing.T, w *e2eWorld) {
		r := e2eNewRun(t, w)
		old := r.seedAuthFile(t)
		wrong := "wrong-" + w.squid.Password
		r.Args = []string{"--ca", w.squid.CA, "--proxy", w.squid.AuthURLWith(w.squid.User, wrong)}
		r.Browser = e2eBrowser{w.squid.AuthURLWith(w.squid.User, w.squid.Password), w.squid.CA}
		r.Run(t, w)
		// 407 again: it names the scheme and the proxy, not the password.
		r.wantFailure(t, old, "Basic", strings.TrimPrefix(w.squid.AuthURL, "http://"))
		r.checkNotPrinted(t, wrong, url.QueryEscape(wrong))
	}},
	{"basic_auth_with_credentials", func(t *testing.T, w *e2eWorld) {
		r := e2eNewRun(t, w)
		proxy := w.squid.AuthURLWith(w.squid.User, w.squid.Password)
		r.Args = []string{"--ca", w.squid.CA, "--proxy", proxy, "-v"} // -v prints the route: still no password
		r.Browser = e2eBrowser{proxy, w.squid.CA}
		r.expectThroughSquid(t, w, w.squid.authLog, func() { r.Run(t, w) })
		r.wantSuccess(t, w)
		r.checkNotPrinted(t, w.squid.Password)
	}},
	{"HTTPS_PROXY", func(t *testing.T, w *e2eWorld) {
		r := e2eNewRun(t, w)
		r.Args = []string{"--ca", w.squid.CA}
		r.Env = map[string]string{"HTTPS_PROXY": w.squid.URL, "NO_PROXY": "localhost,example.com,.other.test"}
		r.Browser = e2eBrowser{w.squid.URL, w.squid.CA}
		r.expectThroughSquid(t, w, w.squid.accessLog, func() { r.Run(t, w) })
		r.wantSuccess(t, w)
	}},
	{"https_proxy_lowercase", func(t *testing.T, w *e2eWorld) {
		r := e2eNewRun(t, w)
		r.Args = []string{"--ca", w.squid.CA}
		r.Env = map[string]string{"https_proxy": w.squid.URL}
		r.Browser = e2eBrowser{w.squid.URL, w.squid.CA}
		r.expectThroughSquid(t, w, w.squid.accessLog, func() { r.Run(t, w) })
		r.wantSuccess(t, w)
	}},
	{"HTTPS_PROXY_with_credentials", func(t *testing.T, w *e2eWorld) {
		r := e2eNewRun(t, w)
		proxy := w.squid.AuthURLWith(w.squid.User, w.squid.Password)
		r.Args = []string{"--ca", w.squid.CA, "-v"}
		r.Env = map[string]string{"HTTPS_PROXY": proxy}
		r.Browser = e2eBrowser{proxy, w.squid.CA}
		r.expectThroughSquid(t, w, w.squid.authLog, func() { r.Run(t, w) })
		r.wantSuccess(t, w)
		r.checkNotPrinted(t, w.squid.Password)
	}},
	{"proxy_flag_beats_HTTPS_PROXY", func(t *testing.T, w *e2eWorld) {
		r := e2eNewRun(t, w)
		r.Args = []string{"--ca", w.squid.CA, "--proxy", w.squid.URL}
		r.Env = map[string]string{"HTTPS_PROXY": w.squid.AuthURL} // would answer 407
		r.Browser = e2eBrowser{w.squid.URL, w.squid.CA}
		r.expectThroughSquid(t, w, w.squid.accessLog, func() { r.Run(t, w) })
		r.wantSuccess(t, w)
	}},
	{"NO_PROXY_match_goes_direct_and_succeeds", func(t *testing.T, w *e2eWorld) {
		// auth.corp.test is in /etc/hosts: direct works, with the origin's CA.
		r := e2eNewRun(t, w)
		r.Args = []string{"--ca", w.originCA}
		r.Env = map[string]string{"HTTPS_PROXY": w.squid.URL, "NO_PROXY": "localhost,corp.test"}
		r.Browser = e2eBrowser{"", w.originCA}
		r.expectDirect(t, w, func() { r.Run(t, w) })
		r.wantSuccess(t, w)
	}},
	{"NO_PROXY_match_goes_direct_and_fails", func(t *testing.T, w *e2eWorld) {
		// login.corp.test resolves only through squid: direct, it does not.
		r := e2eNewRun(t, w)
		r.Issuer = w.issuerURL(e2eSecondName)
		old := r.seedAuthFile(t)
		r.Args = []string{"--ca", w.squid.CA}
		r.Env = map[string]string{"HTTPS_PROXY": w.squid.URL, "NO_PROXY": e2eSecondName}
		r.Browser = e2eBrowser{w.squid.URL, w.squid.CA}
		r.expectDirect(t, w, func() { r.Run(t, w) })
		r.wantFailure(t, old, e2eSecondName, "NO_PROXY")
	}},
	{"second_name_through_squid", func(t *testing.T, w *e2eWorld) {
		// The same issuer name without NO_PROXY: the failure above was NO_PROXY's.
		r := e2eNewRun(t, w)
		r.Issuer = w.issuerURL(e2eSecondName)
		r.Args = []string{"--ca", w.squid.CA}
		r.Env = map[string]string{"HTTPS_PROXY": w.squid.URL}
		r.Browser = e2eBrowser{w.squid.URL, w.squid.CA}
		r.expectThroughSquid(t, w, w.squid.accessLog, func() { r.Run(t, w) })
		r.wantSuccess(t, w)
	}},
	{"no_proxy_flag_and_codex_home_flag", func(t *testing.T, w *e2eWorld) {
		r := e2eNewRun(t, w)
		r.CodexHomeFlag = true
		r.Args = []string{"--ca", w.originCA, "--proxy", w.squid.URL, "--no-proxy", "corp.test"}
		r.Browser = e2eBrowser{"", w.originCA}
		r.expectDirect(t, w, func() { r.Run(t, w) })
		r.wantSuccess(t, w)
	}},
	{"proxy_and_ca_only_in_codex_home_env", func(t *testing.T, w *e2eWorld) {
		// Codex loads $CODEX_HOME/.env; a proxy and a CA named only there
		// are used, and -v says where they came from.
		r := e2eNewRun(t, w)
		if err := os.MkdirAll(r.codexHome, 0o700); err != nil {
			t.Fatal(err)
		}
		dotenv := "# from IT\nHTTPS_PROXY=" + w.squid.URL + "\nSSL_CERT_FILE='" + w.squid.CA + "'\n"
		envFile := filepath.Join(r.codexHome, ".env")
		if err := os.WriteFile(envFile, []byte(dotenv), 0o600); err != nil {
			t.Fatal(err)
		}
		r.Args = []string{"-v"}
		r.Browser = e2eBrowser{w.squid.URL, w.squid.CA}
		r.expectThroughSquid(t, w, w.squid.accessLog, func() { r.Run(t, w) })
		r.wantSuccess(t, w)
		if !strings.Contains(r.Stderr, "HTTPS_PROXY in "+envFile) {
			t.Errorf("-v does not name %s as the proxy's source", envFile)
		}
	}},
}
