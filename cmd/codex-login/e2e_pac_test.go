//go:build e2e

package main_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// PAC routes through the real squid: a PAC file served over http on
// loopback sends the .test names to squid and the rest DIRECT; the second
// one names a dead proxy first.
var e2ePACCases = []e2eCase{
	{"pac_sends_corp_test_to_squid", func(t *testing.T, w *e2eWorld) {
		e2ePACLogin(t, w, "PROXY "+e2eSquidHost(t, w)+"; DIRECT")
	}},
	{"pac_first_proxy_dead_falls_back_to_squid", func(t *testing.T, w *e2eWorld) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		dead := l.Addr().String()
		l.Close()
		r := e2ePACLogin(t, w, "PROXY "+dead+"; PROXY "+e2eSquidHost(t, w)+"; DIRECT")
		if !strings.Contains(r.Stderr, "http://"+dead+"; http://"+e2eSquidHost(t, w)) {
			t.Errorf("-v does not show the PAC's answer with the dead proxy first")
		}
	}},
}

func init() { e2eCases = append(e2eCases, e2ePACCases...) }

func e2eSquidHost(t *testing.T, w *e2eWorld) string {
	u, err := url.Parse(w.squid.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// e2ePACLogin signs in with --pac pointing at a PAC file that answers
// answer for *.corp.test, checks the exchange went through squid, and runs
// the real codex login status.
func e2ePACLogin(t *testing.T, w *e2eWorld, answer string) *e2eRun {
	script := "function FindProxyForURL(url, host) {\n" +
		"  if (shExpMatch(host, \"*.corp.test\")) return \"" + answer + "\";\n" +
		"  return \"DIRECT\";\n}\n"
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Content-Type", "application/x-ns-proxy-autoconfig")
		rw.Write([]byte(script))
	}))
	t.Cleanup(srv.Close)
	r := e2eNewRun(t, w)
	r.Args = []string{"--ca", w.squid.CA, "--pac", srv.URL + "/proxy.pac", "-v"}
	r.Browser = e2eBrowser{w.squid.URL, w.squid.CA}
	r.expectThroughSquid(t, w, w.squid.accessLog, func() { r.Run(t, w) })
	if r.Exit != 0 || !strings.Contains(r.Stderr, "chosen by the proxy auto-config "+srv.URL) {
		t.Fatalf("login with --pac: exit %d", r.Exit)
	}
	for _, line := range strings.Split(r.Stderr, "\n") {
		if strings.Contains(line, "evaluated in") {
			t.Logf("PAC evaluation: %s", strings.TrimSpace(line))
		}
	}
	r.checkAuthFile(t, w)
	r.checkCodexStatus(t, w)
	return r
}
