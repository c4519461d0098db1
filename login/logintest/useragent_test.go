package logintest

import (
	"net/http"
	"strings"
	"testing"
)

// The issuer answers Go's default User-Agent the way a bot filter does, on
// every endpoint, and records the refusal.
func TestGoUserAgentIsChallenged(t *testing.T) {
	i := NewIssuer(Options{})
	for _, target := range []string{"/.well-known/openid-configuration", "/oauth/token", "/oauth/revoke", "/api/accounts/deviceauth/usercode"} {
		method := "POST"
		if strings.HasPrefix(target, "/.well-known") {
			method = "GET"
		}
		w := serveWith(i, method, target, "application/json", "{}", http.Header{"User-Agent": {"Go-http-client/1.1"}})
		if w.Code != http.StatusForbidden || w.Header().Get("Cf-Mitigated") != "challenge" || !strings.Contains(w.Body.String(), "<title>Just a moment...</title>") {
			t.Errorf("%s %s with Go's User-Agent: %d %v %q", method, target, w.Code, w.Header(), w.Body)
		}
	}
	if got := i.Requests(); len(got) != 4 || !strings.HasPrefix(got[0], "CHALLENGED GET ") {
		t.Errorf("requests recorded as %q", got)
	}
	if w := serve(i, "GET", "/.well-known/openid-configuration", "", ""); w.Code != http.StatusOK {
		t.Errorf("without a User-Agent: %d", w.Code)
	}
}
