package logintest

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/codex-login/codex-login/trust/trusttest"
)

const (
	testHost     = "auth.corp.test"
	testRedirect = "http://127.0.0.1:1455/auth/callback"
	// verifier and testChallenge are a PKCE pair computed outside Go
	// (Python's hashlib and base64), so the fake's S256 is checked against
	// an independent implementation.
	verifier      = "dBjftJeZ4CZP-mPXkgcFPIE3e5bqzDs4YZ1iC3vE6Kf"
	testChallenge = "gkqijOxC5hlHMqFk_tU2019BL65DFmYH_WQ9aXcPEQs"
)

// authorizeQuery returns the parameters Codex sends, in good order.
func authorizeQuery() url.Values {
	return url.Values{
		"response_type":              {"code"},
		"client_id":                  {DefaultClientID},
		"redirect_uri":               {testRedirect},
		"code_challenge":             {testChallenge},
		"code_challenge_method":      {"S256"},
		"state":                      {"st4te-value"},
		"scope":                      {"openid profile email offline_access api.connectors.read api.connectors.invoke"},
		"id_token_add_organizations": {"true"},
		"codex_cli_simplified_flow":  {"true"},
		"originator":                 {"codex_cli_rs"},
	}
}

// serve sends one request to h as if it came to https://auth.corp.test,
// with the headers Codex sends (no User-Agent; Originator on revoke).
func serve(h http.Handler, method, target, contentType, body string) *httptest.ResponseRecorder {
	return serveWith(h, method, target, contentType, body, nil)
}

func serveWith(h http.Handler, method, target, contentType, body string, header http.Header) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "https://"+testHost+target, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if target == "/oauth/revoke" {
		r.Header.Set("Originator", "codex_cli_rs")
	}
	for k, v := range header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// authorize runs the authorize endpoint and returns the query of the
// redirect it answers with.
func authorize(t *testing.T, i *Issuer, q url.Values) url.Values {
	t.Helper()
	w := serve(i, "GET", "/oauth/authorize?"+q.Encode(), "", "")
	if w.Code != http.StatusFound {
		t.Fatalf("authorize: status %d, body %s", w.Code, w.Body)
	}
	loc, err := url.Parse(w.Header().Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != q.Get("redirect_uri") {
		t.Fatalf("authorize redirected to %s, want %s", got, q.Get("redirect_uri"))
	}
	return loc.Query()
}

// newCode runs a good authorize request and returns the code.
func newCode(t *testing.T, i *Issuer) string {
	t.Helper()
	code := authorize(t, i, authorizeQuery()).Get("code")
	if code == "" {
		t.Fatal("authorize gave no code")
	}
	return code
}

// codeForm is Codex's authorization code exchange.
func codeForm(code string) url.Values {
	return url.Values{
		"grant_type":    {"authorization_code"},
		"client_id":     {DefaultClientID},
		"code":          {code},
		"redirect_uri":  {testRedirect},
		"code_verifier": {verifier},
	}
}

func postForm(i *Issuer, v url.Values) *httptest.ResponseRecorder {
	return serve(i, "POST", "/oauth/token", "application/x-www-form-urlencoded", v.Encode())
}

func postJSON(i *Issuer, path string, v any) *httptest.ResponseRecorder {
	b, _ := json.Marshal(v)
	return serve(i, "POST", path, "application/json", string(b))
}

type tokens struct {
	IDToken      string `json:"id_token"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

// login runs authorize and the code exchange and returns the tokens.
func login(t *testing.T, i *Issuer) tokens {
	t.Helper()
	w := postForm(i, codeForm(newCode(t, i)))
	if w.Code != http.StatusOK {
		t.Fatalf("code exchange: status %d, body %s", w.Code, w.Body)
	}
	var tk tokens
	if err := json.Unmarshal(w.Body.Bytes(), &tk); err != nil {
		t.Fatal(err)
	}
	return tk
}

// wantError checks an RFC 6749 error reply.
func wantError(t *testing.T, w *httptest.ResponseRecorder, status int, code, descPart string) {
	t.Helper()
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("status %d, body not JSON: %s", w.Code, w.Body)
	}
	if w.Code != status || e.Error != code || !strings.Contains(e.Description, descPart) {
		t.Errorf("got %d %q %q, want %d %q with %q", w.Code, e.Error, e.Description, status, code, descPart)
	}
}

// startTLS serves i on loopback with a fresh CA and returns a client that
// trusts only that CA and reaches auth.corp.test at the server without any
// DNS lookup.
func startTLS(t *testing.T, i *Issuer) (*Server, *http.Client) {
	t.Helper()
	ca, err := trusttest.NewCA("Corp Test Origin CA")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := StartTLS(i, ca, testHost, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	d := &net.Dialer{}
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: ca.Pool()},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			switch host {
			case testHost:
				addr = srv.Addr
			case "127.0.0.1":
			default:
				return nil, fmt.Errorf("test dials only loopback, not %s", host)
			}
			return d.DialContext(ctx, network, addr)
		},
	}
	t.Cleanup(tr.CloseIdleConnections)
	return srv, &http.Client{Transport: noAgent{tr}}
}

// noAgent sends requests without a User-Agent, as Codex does.
type noAgent struct{ base http.RoundTripper }

func (n noAgent) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if r.Header.Get("User-Agent") == "" {
		r.Header.Set("User-Agent", "")
	}
	return n.base.RoundTrip(r)
}

func (n noAgent) CloseIdleConnections() { n.base.(*http.Transport).CloseIdleConnections() }
