package login

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzCallback sends arbitrary requests to the callback: it must never
// complete a login without the right state and Host. Seeds live in
// testdata/fuzz.
func FuzzCallback(f *testing.F) {
	f.Add("/auth/callback?code=c&state=wrong", "127.0.0.1:1455")
	f.Add("/auth/callback?error=access_denied&state="+testState, "127.0.0.1:1455")
	f.Add("/cancel", "localhost:1455")
	f.Fuzz(func(t *testing.T, target, host string) {
		if !strings.HasPrefix(target, "/") {
			return
		}
		r, err := http.NewRequest(http.MethodGet, "http://127.0.0.1:1455"+target, nil)
		if err != nil {
			return
		}
		r.Host = host
		completed := false
		c := newCallback(1455, testState, func(string) error { completed = true; return nil }, func(*StateError) {})
		w := httptest.NewRecorder()
		c.ServeHTTP(w, r)
		if completed && r.URL.Query().Get("state") != testState {
			t.Fatalf("completed with state %q", r.URL.Query().Get("state"))
		}
		if completed && host != "127.0.0.1:1455" && host != "localhost:1455" {
			t.Fatalf("completed with Host %q", host)
		}
	})
}
