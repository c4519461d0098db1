//go:build e2e

package main_test

import (
	"regexp"
	"strings"
	"testing"
)

// The NTLM squid: codex-login keeps one connection through the legs,
// answers the malformed CHALLENGE of squid's ntlm_fake_auth, and the real
// Codex reads what it wrote.
func init() {
	e2eCases = append(e2eCases,
		e2eCase{"ntlm_forced", func(t *testing.T, w *e2eWorld) { e2eNTLMLogin(t, w, "--proxy-auth", "ntlm") }},
		e2eCase{"ntlm_auto", func(t *testing.T, w *e2eWorld) { e2eNTLMLogin(t, w) }},
	)
}

var e2eHandshake = regexp.MustCompile(`proxy authentication: NTLM as CORP\\dev, handshake in (\S+)`)

func e2eNTLMLogin(t *testing.T, w *e2eWorld, args ...string) {
	if w.squid.NTLMURL == "" {
		t.Fatal("squid.sh wrote no NTLM_URL")
	}
	r := e2eNewRun(t, w)
	const password = "anything-Pa55"
	proxy := "http://CORP%5Cdev:" + password + "@" + strings.TrimPrefix(w.squid.NTLMURL, "http://")
	r.Args = append([]string{"--ca", w.squid.CA, "--proxy", proxy, "-v"}, args...)
	r.Browser = e2eBrowser{w.squid.URL, w.squid.CA}
	r.expectThroughSquid(t, w, w.squid.ntlmLog, func() { r.Run(t, w) })
	r.wantSuccess(t, w)
	r.checkNotPrinted(t, password)
	m := e2eHandshake.FindStringSubmatch(r.Stderr)
	if m == nil {
		t.Fatalf("-v does not say that NTLM was used:\n%s", r.Stderr)
	}
	mode := "auto"
	if len(args) > 0 {
		mode = strings.Join(args, " ")
	}
	t.Logf("NTLM handshake with squid (%s) took %s; the login took %v", mode, m[1], r.Took)
}
