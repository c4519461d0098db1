package logintest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// callbackApp is a minimal stand-in for codex-login's loopback callback: it
// checks state, redeems the code, trades the id_token for an API key and
// sends the browser to /success.
type callbackApp struct {
	client   *http.Client
	issuer   string
	redirect string
	state    string

	mu     sync.Mutex
	tokens tokens
	apiKey string
}

func (a *callbackApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case r.URL.Path == "/success":
		fmt.Fprint(w, "Signed in to Codex")
	case r.URL.Path != "/auth/callback":
		http.NotFound(w, r)
	case q.Get("state") != a.state:
		http.Error(w, "state mismatch", http.StatusBadRequest)
	case q.Get("error") != "":
		http.Error(w, "sign-in failed: "+q.Get("error")+": "+q.Get("error_description"), http.StatusForbidden)
	default:
		if err := a.finish(q.Get("code")); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		http.Redirect(w, r, "/success", http.StatusFound)
	}
}

func (a *callbackApp) finish(code string) error {
	v := codeForm(code)
	v.Set("redirect_uri", a.redirect)
	var tk tokens
	if err := a.post(v, &tk); err != nil {
		return err
	}
	var key struct {
		AccessToken string `json:"access_token"`
	}
	if err := a.post(apiKeyForm(tk.IDToken), &key); err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tokens, a.apiKey = tk, key.AccessToken
	return nil
}

func (a *callbackApp) post(v url.Values, dst any) error {
	resp, err := a.client.PostForm(a.issuer+"/oauth/token", v)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("token endpoint: %s", resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(dst)
}

// startBrowserLogin wires an issuer on TLS, a loopback callback app and the
// authorize URL Codex would open.
func startBrowserLogin(t *testing.T, o Options) (*Issuer, *Server, *http.Client, *callbackApp, string) {
	t.Helper()
	o.AllowAnyPort = true
	i := NewIssuer(o)
	srv, client := startTLS(t, i)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	app := &callbackApp{
		client:   client,
		issuer:   srv.URL(testHost),
		redirect: "http://" + ln.Addr().String() + "/auth/callback",
		state:    "st4te-value",
	}
	cb := &http.Server{Handler: app}
	go func() { _ = cb.Serve(ln) }()
	t.Cleanup(func() { _ = cb.Close() })
	q := authorizeQuery()
	q.Set("redirect_uri", app.redirect)
	return i, srv, client, app, app.issuer + "/oauth/authorize?" + q.Encode()
}

func TestBrowseLogin(t *testing.T) {
	i, srv, client, app, authURL := startBrowserLogin(t, Options{})
	body, err := Browse(client, authURL)
	if err != nil {
		t.Fatal(err)
	}
	if body != "Signed in to Codex" {
		t.Errorf("final page %q", body)
	}
	app.mu.Lock()
	tk, key := app.tokens, app.apiKey
	app.mu.Unlock()
	if tk.RefreshToken == "" || !strings.HasPrefix(key, "sk-proj-") {
		t.Fatalf("login got tokens %v and key %v", tk.RefreshToken != "", key != "")
	}
	want := []string{
		"GET /oauth/authorize",
		"POST /oauth/token grant_type=authorization_code",
		"POST /oauth/token grant_type=urn:ietf:params:oauth:grant-type:token-exchange",
	}
	got := i.Requests() // before decodeJWT, which asks for the JWKS
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Requests() = %q, want %q", got, want)
	}
	for _, secret := range []string{tk.IDToken, tk.AccessToken, tk.RefreshToken, key, verifier, "ac_"} {
		for _, r := range got {
			if strings.Contains(r, secret) {
				t.Errorf("Requests() reveals a secret in %q", r)
			}
		}
	}
	_, c := decodeJWT(t, i, tk.IDToken)
	if c["iss"] != srv.URL(testHost) {
		t.Errorf("iss %v, want %s", c["iss"], srv.URL(testHost))
	}
	if n := srv.Conns(); n < 1 || n > 3 {
		t.Errorf("Conns() = %d, want between 1 and 3", n)
	}
}

func TestBrowseDenied(t *testing.T) {
	_, _, client, _, authURL := startBrowserLogin(t, Options{DenyError: "access_denied", DenyDescription: "missing_codex_entitlement"})
	_, err := Browse(client, authURL)
	if err == nil || !strings.Contains(err.Error(), "403") || !strings.Contains(err.Error(), "missing_codex_entitlement") {
		t.Errorf("Browse() error = %v, want the callback's 403 page", err)
	}
}

func TestBrowseRefusesForeignRedirect(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://phish.test/steal?code=ac_secret", http.StatusFound)
	}))
	defer ts.Close()
	_, err := Browse(ts.Client(), ts.URL+"/oauth/authorize")
	if err == nil || !strings.Contains(err.Error(), "refusing") || !strings.Contains(err.Error(), "phish.test") {
		t.Errorf("Browse() error = %v, want a refused redirect", err)
	}
	if err != nil && strings.Contains(err.Error(), "ac_secret") {
		t.Errorf("Browse() error reveals the code: %v", err)
	}
}

func TestBrowseReportsFailure(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth/authorize" {
			http.Redirect(w, r, "/broken?code=ac_secret", http.StatusFound)
			return
		}
		http.Error(w, "<h1>upstream   exploded</h1>", http.StatusBadGateway)
	}))
	defer ts.Close()
	_, err := Browse(ts.Client(), ts.URL+"/oauth/authorize")
	if err == nil || !strings.Contains(err.Error(), "502") || !strings.Contains(err.Error(), "<h1>upstream exploded</h1>") ||
		!strings.Contains(err.Error(), "/broken") || strings.Contains(err.Error(), "ac_secret") {
		t.Errorf("Browse() error = %v, want status, page and snippet, without the code", err)
	}
}
