package oauth

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/codex-login/codex-login/login/logintest"
)

// seen is one request as a server received it.
type seen struct {
	method, path string
	proto        int // 1 or 2
	header       http.Header
	body         string
}

// stub is an httptest server that records every request, counts the
// connections it accepts, and answers with a handler.
type stub struct {
	*httptest.Server
	conns atomic.Int64

	mu   sync.Mutex
	reqs []seen
}

// newStub serves answer; with tlsH2, over TLS with HTTP/2.
func newStub(t *testing.T, answer http.HandlerFunc, tlsH2 bool) *stub {
	t.Helper()
	s := &stub{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, seen{r.Method, r.URL.Path, r.ProtoMajor, r.Header.Clone(), string(body)})
		s.mu.Unlock()
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		answer(w, r)
	}))
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.conns.Add(1)
		}
	}
	if tlsH2 {
		s.EnableHTTP2 = true
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	return s
}

func (s *stub) requests() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.reqs...)
}

func (s *stub) client() *Client {
	return &Client{HTTP: s.Client(), Issuer: s.URL, ClientID: "cid"}
}

// codexReplies answers every endpoint the way the issuer does when all
// goes well.
func codexReplies(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/.well-known/openid-configuration":
		io.WriteString(w, `{"issuer":"https://auth.corp.test","token_endpoint":"https://auth.corp.test/oauth/token"}`)
	case "/oauth/token":
		if strings.Contains(r.Header.Get("Content-Type"), "json") || strings.Contains(readAll(r), "authorization_code") {
			io.WriteString(w, `{"id_token":"h.p.s","access_token":"at","refresh_token":"rt_next","expires_in":3600}`)
			return
		}
		io.WriteString(w, `{"access_token":"sk-proj-1"}`)
	case "/oauth/revoke":
		io.WriteString(w, `{}`)
	case "/api/accounts/deviceauth/usercode":
		io.WriteString(w, `{"device_auth_id":"deviceauth_1","user_code":"K7QD-9MXF","interval":"5"}`)
	case "/api/accounts/deviceauth/token":
		io.WriteString(w, `{"authorization_code":"ac_1","code_verifier":"ver","code_challenge":"ch"}`)
	default:
		http.NotFound(w, r)
	}
}

func readAll(r *http.Request) string {
	b, _ := io.ReadAll(r.Body)
	return string(b)
}

// fakeIssuer serves a strict fake issuer over plain http on loopback and
// returns it with a Client for it.
func fakeIssuer(t *testing.T, o logintest.Options) (*logintest.Issuer, *Client) {
	t.Helper()
	iss := logintest.NewIssuer(o)
	s := httptest.NewServer(iss)
	t.Cleanup(s.Close)
	return iss, &Client{HTTP: s.Client(), Issuer: s.URL, ClientID: logintest.DefaultClientID}
}

// signIn plays the user in the browser: it asks the issuer's authorize
// endpoint (in process, as a browser would) for a code for redirectURI.
func signIn(t *testing.T, iss *logintest.Issuer, c *Client, redirectURI string, pkce PKCE) string {
	t.Helper()
	state, err := NewState()
	if err != nil {
		t.Fatal(err)
	}
	u := c.AuthorizeURL(AuthorizeRequest{RedirectURI: redirectURI, Challenge: pkce.Challenge, State: state})
	r := httptest.NewRequest(http.MethodGet, u, nil)
	r.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) test-browser")
	w := httptest.NewRecorder()
	iss.ServeHTTP(w, r)
	loc, err := url.Parse(w.Header().Get("Location"))
	if w.Code != http.StatusFound || err != nil {
		t.Fatalf("authorize: HTTP %d %s", w.Code, w.Body)
	}
	q := loc.Query()
	if q.Get("state") != state || q.Get("code") == "" {
		t.Fatalf("authorize redirected to %s without the code and state", loc.Redacted())
	}
	return q.Get("code")
}

// login signs in and exchanges the code.
func login(t *testing.T, iss *logintest.Issuer, c *Client) Tokens {
	t.Helper()
	pkce, err := NewPKCE()
	if err != nil {
		t.Fatal(err)
	}
	code := signIn(t, iss, c, RedirectURI(CallbackPorts[0]), pkce)
	tokens, err := c.ExchangeCode(t.Context(), code, RedirectURI(CallbackPorts[0]), pkce.Verifier)
	if err != nil {
		t.Fatal(err)
	}
	return tokens
}
