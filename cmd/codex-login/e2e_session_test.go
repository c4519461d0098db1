//go:build e2e

package main_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// After the login: refresh and logout through squid, at the issuer that
// issued the tokens, each checked with the real Codex CLI.
var e2eSessionCases = []e2eCase{
	{"refresh_and_logout_through_squid", func(t *testing.T, w *e2eWorld) {
		r := e2eNewRun(t, w)
		r.Args = []string{"--ca", w.squid.CA, "--proxy", w.squid.URL}
		r.Browser = e2eBrowser{w.squid.URL, w.squid.CA}
		r.Run(t, w)
		r.wantSuccess(t, w)
		before, err := os.ReadFile(filepath.Join(r.codexHome, "auth.json"))
		if err != nil {
			t.Fatal(err)
		}

		refresh := *r
		refresh.Command, refresh.Args = "refresh", []string{"--ca", w.squid.CA, "--proxy", w.squid.URL}
		refresh.expectThroughSquid(t, w, w.squid.accessLog, func() { refresh.Run(t, w) })
		after, _ := os.ReadFile(filepath.Join(r.codexHome, "auth.json"))
		if refresh.Exit != 0 || !strings.Contains(refresh.Stderr, "Refreshed the tokens of dev@corp.test") || string(after) == string(before) {
			t.Fatalf("refresh: exit %d, file changed %v", refresh.Exit, string(after) != string(before))
		}
		a := r.checkAuthFile(t, w) // still Codex's layout, the new tokens, nothing printed
		r.checkCodexStatus(t, w)

		logout := *r
		logout.Command, logout.Args = "logout", []string{"--ca", w.squid.CA, "--proxy", w.squid.URL}
		logout.Run(t, w)
		if logout.Exit != 0 || !slices.Contains(w.issuer.Revoked(), a.Tokens.RefreshToken) {
			t.Fatalf("logout: exit %d; the refreshed token was not revoked", logout.Exit)
		}
		if _, err := os.Stat(filepath.Join(r.codexHome, "auth.json")); err == nil {
			t.Fatal("logout left auth.json")
		}
		for _, lock := range []string{"auth.lock", "auth.json.lock"} {
			if _, err := os.Stat(filepath.Join(r.codexHome, lock)); err != nil {
				t.Errorf("logout removed %s", lock)
			}
		}
		for _, out := range []string{refresh.Stdout + refresh.Stderr, logout.Stdout + logout.Stderr} {
			for _, s := range w.issuer.Secrets() {
				if strings.Contains(out, s) {
					t.Fatalf("a secret (%.6s...) was printed", s)
				}
			}
		}
	}},
}

func init() { e2eCases = append(e2eCases, e2eSessionCases...) }
