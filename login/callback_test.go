package login

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/codex-login/codex-login/oauth"
)

const testState = "state-0123456789"

type callbackCase struct {
	cb          *callback
	completed   []string
	wrongStates []*StateError
}

func newTestCallback(t *testing.T, completeErr error) *callbackCase {
	cc := &callbackCase{}
	cc.cb = newCallback(1455, testState, func(code string) error {
		cc.completed = append(cc.completed, code)
		return completeErr
	}, func(e *StateError) { cc.wrongStates = append(cc.wrongStates, e) })
	return cc
}

func (cc *callbackCase) get(target, host string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.Host = host
	w := httptest.NewRecorder()
	cc.cb.ServeHTTP(w, r)
	return w
}

func (cc *callbackCase) outcome() (error, bool) {
	select {
	case err := <-cc.cb.result:
		return err, true
	default:
		return nil, false
	}
}

func TestCallbackSuccessThenSecondCallbackRefused(t *testing.T) {
	cc := newTestCallback(t, nil)
	w := cc.get("/auth/callback?code=CODE1&state="+testState, "127.0.0.1:1455")
	if w.Code != http.StatusFound || w.Header().Get("Location") != "/success" {
		t.Fatalf("got %d to %q, want 302 to /success", w.Code, w.Header().Get("Location"))
	}
	if err, done := cc.outcome(); !done || err != nil {
		t.Fatalf("outcome %v, %v; want success", err, done)
	}
	w = cc.get("/auth/callback?code=CODE2&state="+testState, "127.0.0.1:1455")
	if w.Code != http.StatusConflict || len(cc.completed) != 1 {
		t.Fatalf("second callback: %d, exchanges %v", w.Code, cc.completed)
	}
	w = cc.get("/success", "127.0.0.1:1455")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Signed in to Codex") {
		t.Fatalf("/success: %d %s", w.Code, w.Body)
	}
}

func TestCallbackWrongStateKeepsWaiting(t *testing.T) {
	cc := newTestCallback(t, nil)
	for _, target := range []string{
		"/auth/callback?code=C&state=wrong",
		"/auth/callback?code=C",
		"/auth/callback?error=access_denied&state=wrong",
	} {
		if w := cc.get(target, "127.0.0.1:1455"); w.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", target, w.Code)
		}
	}
	if _, done := cc.outcome(); done || len(cc.completed) != 0 {
		t.Fatal("a callback with the wrong state ended the login")
	}
	if n := len(cc.wrongStates); n != 3 || cc.wrongStates[0].Missing || !cc.wrongStates[1].Missing {
		t.Fatalf("%d wrong-state reports %+v, want 3, the second without state", n, cc.wrongStates)
	}
	if w := cc.get("/auth/callback?code=C&state="+testState, "127.0.0.1:1455"); w.Code != http.StatusFound {
		t.Fatalf("the right callback after wrong ones: %d", w.Code)
	}
}

func TestCallbackErrors(t *testing.T) {
	cases := []struct {
		name, query string
		status      int
		check       func(error) bool
	}{
		{"denied", "error=access_denied&error_description=nope", 403, func(err error) bool {
			var d *DeniedError
			return errors.As(err, &d) && !d.NoEntitlement() && d.Description == "nope"
		}},
		{"no entitlement", "error=access_denied&error_description=missing_codex_entitlement", 403, func(err error) bool {
			var d *DeniedError
			return errors.As(err, &d) && d.NoEntitlement() && strings.Contains(err.Error(), "Codex is not enabled")
		}},
		{"missing code", "", 400, func(err error) bool {
			var c *CallbackError
			return errors.As(err, &c)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cc := newTestCallback(t, nil)
			w := cc.get("/auth/callback?state="+testState+"&"+tc.query, "127.0.0.1:1455")
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d", w.Code, tc.status)
			}
			err, done := cc.outcome()
			if !done || !tc.check(err) {
				t.Fatalf("outcome %v (done %v)", err, done)
			}
			if len(cc.completed) != 0 {
				t.Fatal("exchange ran")
			}
		})
	}
}

func TestCallbackExchangeFailureIsShownEscaped(t *testing.T) {
	cc := newTestCallback(t, &oauth.TokenError{Endpoint: "auth.corp.test/oauth/token", Status: 400, Code: "invalid_grant", Description: "<script>alert(1)</script>"})
	w := cc.get("/auth/callback?code=C&state="+testState, "127.0.0.1:1455")
	if w.Code != http.StatusBadGateway {
		t.Fatalf("status %d", w.Code)
	}
	if strings.Contains(w.Body.String(), "<script>") || !strings.Contains(w.Body.String(), "&lt;script&gt;") {
		t.Fatalf("error page not escaped: %s", w.Body)
	}
	if err, done := cc.outcome(); !done || err == nil {
		t.Fatal("a failed exchange did not end the login with an error")
	}
}

func TestCallbackHostAndMethodAndPaths(t *testing.T) {
	cc := newTestCallback(t, nil)
	for _, host := range []string{"evil.test:1455", "127.0.0.1:1456", "127.0.0.1", "[::1]:1455"} {
		if w := cc.get("/auth/callback?code=C&state="+testState, host); w.Code != http.StatusBadRequest {
			t.Errorf("Host %q: %d, want 400", host, w.Code)
		}
	}
	if w := cc.get("/auth/callback?code=C&state="+testState, "localhost:1455"); w.Code != http.StatusFound {
		t.Errorf("Host localhost:1455: %d, want 302", w.Code)
	}
	cc = newTestCallback(t, nil)
	if w := cc.get("/favicon.ico", "127.0.0.1:1455"); w.Code != http.StatusNotFound {
		t.Errorf("unknown path: %d", w.Code)
	}
	r := httptest.NewRequest(http.MethodPost, "/auth/callback?code=C&state="+testState, strings.NewReader("x"))
	r.Host = "127.0.0.1:1455"
	w := httptest.NewRecorder()
	cc.cb.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", w.Code)
	}
	if w := cc.get("/cancel", "127.0.0.1:1455"); w.Code != 200 {
		t.Errorf("/cancel: %d", w.Code)
	}
	if err, done := cc.outcome(); !done || !errors.Is(err, ErrCancelled) {
		t.Fatalf("/cancel outcome %v", err)
	}
}
