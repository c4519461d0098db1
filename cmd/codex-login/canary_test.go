package main

import (
	"net/url"
	"strings"
	"testing"
)

// A recognisable proxy password and every secret the issuer handled must
// not appear in anything printed, on every command path: the login in each
// output mode, the login subcommand, -v, --json, help and version.
func TestSecretCanaryOnEveryPath(t *testing.T) {
	const pw = "CANARY-pw/Zq9:x@y"
	w := newWorld(t, worldOptions{user: "dev", pw: pw})
	proxy := strings.Replace(w.proxy.URL().String(), "://", "://dev:"+url.QueryEscape(pw)+"@", 1)
	w.env["HTTPS_PROXY"] = proxy
	paths := [][]string{
		{"--ca", w.caFile, "-v"},
		{"--ca", w.caFile, "--json", "-v"},
		{"login", "--ca", w.caFile, "-v", "--no-browser", "--timeout", "1s"},
		{"login", "--ca", w.caFile, "--proxy", proxy, "--json"},
		{"--help"},
		{"login", "--help"},
		{"version"},
	}
	var printed strings.Builder
	for _, args := range paths {
		_, stdout, stderr := w.login(args...)
		printed.WriteString(stdout + stderr)
	}
	secrets := append(w.issuer.Secrets(), pw, url.QueryEscape(pw), url.PathEscape(pw))
	if len(w.issuer.Secrets()) < 10 {
		t.Fatalf("the issuer handled %d secrets: the logins did not run", len(w.issuer.Secrets()))
	}
	w.assertNoSecrets(printed.String(), secrets...)
	if !strings.Contains(printed.String(), "dev:xxxxx@") {
		t.Fatalf("-v did not show the proxy with its password replaced:\n%s", printed.String())
	}
}
