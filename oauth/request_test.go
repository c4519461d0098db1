package oauth

import (
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"testing"
)

// callEvery calls every method of c once and fails the test on an error.
func callEvery(t *testing.T, c *Client) {
	t.Helper()
	ctx := t.Context()
	if err := c.Preflight(ctx); err != nil {
		t.Fatalf("preflight: %v", err)
	}
	if _, err := c.ExchangeCode(ctx, "ac_code", RedirectURI(1455), "ver"); err != nil {
		t.Fatalf("exchange: %v", err)
	}
	if _, err := c.ExchangeAPIKey(ctx, "h.p.s"); err != nil {
		t.Fatalf("API key: %v", err)
	}
	if _, err := c.Refresh(ctx, "rt_old"); err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if err := c.Revoke(ctx, "rt_old"); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	d, err := c.DeviceUserCode(ctx)
	if err != nil {
		t.Fatalf("device user code: %v", err)
	}
	if _, err := c.DeviceToken(ctx, d); err != nil {
		t.Fatalf("device token: %v", err)
	}
}

func TestNoRequestSendsAUserAgent(t *testing.T) {
	for _, h2 := range []bool{false, true} {
		t.Run("HTTP/"+map[bool]string{false: "1.1", true: "2"}[h2], func(t *testing.T) {
			s := newStub(t, codexReplies, h2)
			callEvery(t, s.client())
			reqs := s.requests()
			if len(reqs) != 7 {
				t.Fatalf("%d requests, want 7", len(reqs))
			}
			for _, r := range reqs {
				if ua, ok := r.header["User-Agent"]; ok {
					t.Errorf("%s %s sent User-Agent %q", r.method, r.path, ua)
				}
				if want := map[bool]int{false: 1, true: 2}[h2]; r.proto != want {
					t.Errorf("%s %s went over HTTP/%d", r.method, r.path, r.proto)
				}
			}
		})
	}
}

// TestRequestsAsCodexSendsThem pins every header and body that goes out.
func TestRequestsAsCodexSendsThem(t *testing.T) {
	s := newStub(t, codexReplies, false)
	callEvery(t, s.client())
	form := "application/x-www-form-urlencoded"
	want := []struct{ method, path, ctype, accept, originator, body string }{
		{"GET", "/.well-known/openid-configuration", "", "application/json", "", ""},
		{"POST", "/oauth/token", form, "*/*", "",
			"grant_type=authorization_code&client_id=cid&code=ac_code&redirect_uri=http%3A%2F%2F127.0.0.1%3A1455%2Fauth%2Fcallback&code_verifier=ver"},
		{"POST", "/oauth/token", form, "*/*", "",
			"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&client_id=cid&requested_token=openai-api-key&subject_token=h.p.s&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid_token"},
		{"POST", "/oauth/token", "application/json", "*/*", "",
			`{"client_id":"cid","grant_type":"refresh_token","refresh_token":"rt_old"}`},
		{"POST", "/oauth/revoke", "application/json", "*/*", "codex_cli_rs",
			`{"token":"rt_old","token_type_hint":"refresh_token","client_id":"cid"}`},
		{"POST", "/api/accounts/deviceauth/usercode", "application/json", "*/*", "",
			`{"client_id":"cid"}`},
		{"POST", "/api/accounts/deviceauth/token", "application/json", "*/*", "",
			`{"device_auth_id":"deviceauth_1","user_code":"K7QD-9MXF"}`},
	}
	got := s.requests()
	if len(got) != len(want) {
		t.Fatalf("%d requests, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		header := http.Header{"Accept": {w.accept}, "Accept-Encoding": {"gzip"}} // gzip: net/http's own, decoded transparently
		if w.body != "" {
			header["Content-Type"] = []string{w.ctype}
			header["Content-Length"] = []string{strconv.Itoa(len(w.body))}
		}
		if w.originator != "" {
			header["Originator"] = []string{w.originator}
		}
		if g.method != w.method || g.path != w.path || g.body != w.body {
			t.Errorf("request %d:\n got %s %s %s\nwant %s %s %s", i, g.method, g.path, g.body, w.method, w.path, w.body)
		}
		if !reflect.DeepEqual(g.header, header) {
			t.Errorf("%s %s headers\n got %v\nwant %v", g.method, g.path, g.header, header)
		}
	}
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	elsewhere := newStub(t, codexReplies, false)
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+r.URL.Path+"?x=1", http.StatusTemporaryRedirect)
	}, false)
	_, err := s.client().Refresh(t.Context(), "rt_must_stay_at_the_issuer")
	var re *RedirectError
	if !errors.As(err, &re) || re.Location != elsewhere.Listener.Addr().String()+"/oauth/token" {
		t.Fatalf("got %v, want a *RedirectError to the other host without query", err)
	}
	if n := len(elsewhere.requests()); n != 0 {
		t.Fatalf("the refresh token was carried to the redirect's target (%d requests)", n)
	}
}

func TestRefreshKeepsWhatTheReplyOmits(t *testing.T) {
	for _, tc := range []struct {
		body    string
		want    Tokens
		problem string
	}{
		{`{"access_token":"at2","expires_in":3600}`, Tokens{AccessToken: "at2"}, ""},
		{`{"id_token":"h.p.s","access_token":"at2","refresh_token":"rt2"}`, Tokens{IDToken: "h.p.s", AccessToken: "at2", RefreshToken: "rt2"}, ""},
		{`{"expires_in":3600}`, Tokens{}, "it has no token"},
	} {
		s := newStub(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, tc.body) }, false)
		got, err := s.client().Refresh(t.Context(), "rt_old")
		if tc.problem != "" {
			wantProblem(tc.problem)(t, err)
			continue
		}
		if err != nil || got != tc.want {
			t.Fatalf("reply %s: got %+v, %v; want %+v", tc.body, got, err, tc.want)
		}
	}
}

// explainedRouteError stands for the route's own errors, which already name the
// proxy or host and the cause.
type explainedRouteError struct{}

func (explainedRouteError) Error() string {
	return "cannot reach proxy http://proxy.corp.test:3128: connection refused"
}
func (explainedRouteError) Explained() {}

// An error that already says what failed on the route is passed on as it
// is; a bare one is given the endpoint.
func TestTransportErrorNamesTheEndpointOnlyWhenNeeded(t *testing.T) {
	if err := transportError(explainedRouteError{}, "GET", "auth.corp.test/.well-known/openid-configuration", "auth.corp.test"); err.Error() != (explainedRouteError{}).Error() {
		t.Errorf("a route error was rewrapped: %v", err)
	}
	if err := transportError(io.ErrUnexpectedEOF, "POST", "auth.corp.test/oauth/token", "auth.corp.test"); err.Error() != "post auth.corp.test/oauth/token: unexpected EOF" {
		t.Errorf("a bare error: %v", err)
	}
}
