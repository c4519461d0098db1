package web_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/login"
	"github.com/codex-login/codex-login/login/logintest"
	"github.com/codex-login/codex-login/oauth"
	"github.com/codex-login/codex-login/trust/trusttest"
	"github.com/codex-login/codex-login/web"
)

// fixture is a page in front of a fake issuer, with a CODEX_HOME. Every
// response and log line it sees is kept, to prove that none holds a secret.
type fixture struct {
	t       *testing.T
	issuer  *logintest.Issuer
	url     string
	client  *http.Client // trusts the issuer's CA
	home    string
	backend *backend
	server  *web.Server

	mu   sync.Mutex
	seen strings.Builder // every body, header and log line
}

type fixtureOptions struct {
	issuer  logintest.Options
	public  string // the public URL; default http://127.0.0.1:8455/
	proxies []string
}

func newFixture(t *testing.T, o fixtureOptions) *fixture {
	t.Helper()
	ca, err := trusttest.NewCA("Web Test Origin CA")
	if err != nil {
		t.Fatal(err)
	}
	if o.issuer.DeviceInterval == "" {
		o.issuer.DeviceInterval = "1"
	}
	iss := logintest.NewIssuer(o.issuer)
	srv, err := logintest.StartTLS(iss, ca, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	f := &fixture{t: t, issuer: iss, url: srv.URL("127.0.0.1"), home: filepath.Join(t.TempDir(), "codex")}
	iss.SetURL(f.url)
	f.client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.Pool()}}}
	t.Cleanup(f.client.CloseIdleConnections)
	store := &codexauth.FileStore{Home: f.home}
	f.backend = &backend{store: store, options: login.Options{
		OAuth:   &oauth.Client{HTTP: f.client, Issuer: f.url, ClientID: logintest.DefaultClientID},
		Store:   store,
		Timeout: 20 * time.Second,
	}}
	f.backend.options.Events = f.backend
	if o.public == "" {
		o.public = "http://127.0.0.1:8455/"
	}
	public, err := url.Parse(o.public)
	if err != nil {
		t.Fatal(err)
	}
	var proxies []netip.Prefix
	for _, p := range o.proxies {
		proxies = append(proxies, netip.MustParsePrefix(p))
	}
	f.server, err = web.New(web.Config{PublicURL: public, TrustedProxies: proxies, Backend: f.backend, Logf: f.logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.checkNoSecrets)
	t.Cleanup(f.server.Close)
	return f
}

func (f *fixture) logf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fmt.Fprintf(&f.seen, "log: "+format+"\n", args...)
}

// checkNoSecrets fails if a code, verifier, token or API key the issuer
// handed out appears in any response or log line.
func (f *fixture) checkNoSecrets() {
	f.mu.Lock()
	seen := f.seen.String()
	f.mu.Unlock()
	secrets := f.issuer.Secrets()
	secrets = append(secrets, f.issuer.APIKeys()...)
	for _, s := range secrets {
		if s != "" && strings.Contains(seen, s) {
			f.t.Errorf("a response or log line holds a secret (%.6s...)", s)
		}
	}
	if strings.Contains(seen, "token=") {
		f.t.Errorf("a response or log line holds an access token:\n%s", seen)
	}
}

// wantHeaders are on every response.
var wantHeaders = map[string]string{
	"Content-Security-Policy":    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	"X-Content-Type-Options":     "nosniff",
	"Referrer-Policy":            "no-referrer",
	"X-Frame-Options":            "DENY",
	"Cache-Control":              "no-store",
	"Cross-Origin-Opener-Policy": "same-origin",
}

// do sends r to the page from peer (default a non-loopback address, so
// that forwarded headers are not believed), checks the security headers
// and keeps what came back.
func (f *fixture) do(r *http.Request) *httptest.ResponseRecorder {
	f.t.Helper()
	if r.RemoteAddr == "192.0.2.1:1234" { // httptest's default
		r.RemoteAddr = "198.51.100.7:40000"
	}
	w := httptest.NewRecorder()
	f.server.ServeHTTP(w, r)
	for k, v := range wantHeaders {
		if got := w.Header().Get(k); got != v {
			f.t.Errorf("%s %s: %s is %q, want %q", r.Method, r.URL.Path, k, got, v)
		}
	}
	f.mu.Lock()
	fmt.Fprintf(&f.seen, "%d %v\n%s\n", w.Code, w.Header(), w.Body.String())
	f.mu.Unlock()
	return w
}

func (f *fixture) get(target string) *httptest.ResponseRecorder {
	f.t.Helper()
	return f.do(httptest.NewRequest(http.MethodGet, target, nil))
}

// tokenPath is the path and query of a new access link.
func (f *fixture) tokenPath() string {
	u, err := url.Parse(f.server.NewAccessLink())
	if err != nil {
		f.t.Fatal(err)
	}
	return u.RequestURI()
}

// person is one browser with a session.
type person struct {
	f      *fixture
	cookie *http.Cookie
	token  string // the session's CSRF token, once read
}

// enter trades a new access link for a session.
func (f *fixture) enter() *person {
	f.t.Helper()
	w := f.get(f.tokenPath())
	if w.Code != http.StatusOK {
		f.t.Fatalf("access link: %d\n%s", w.Code, w.Body)
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 1 {
		f.t.Fatalf("access link set %d cookies", len(cookies))
	}
	return &person{f: f, cookie: cookies[0]}
}

func (p *person) request(method, target string, body string) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if method == http.MethodPost {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r.AddCookie(&http.Cookie{Name: p.cookie.Name, Value: p.cookie.Value})
	return r
}

// page is the body of the page as p sees it now.
func (p *person) page() string {
	p.f.t.Helper()
	w := p.f.do(p.request(http.MethodGet, "/", ""))
	if w.Code != http.StatusOK {
		p.f.t.Fatalf("page: %d\n%s", w.Code, w.Body)
	}
	return w.Body.String()
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (p *person) csrf() string {
	p.f.t.Helper()
	if p.token != "" {
		return p.token
	}
	m := csrfField.FindStringSubmatch(p.page())
	if m == nil {
		p.f.t.Fatal("the page has no CSRF field")
	}
	p.token = m[1]
	return p.token
}

// post sends a form the way the page does, and expects 303 to the page.
func (p *person) post(action string, form url.Values) {
	p.f.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", p.csrf())
	r := p.request(http.MethodPost, "/"+action, form.Encode())
	r.Header.Set("Origin", "http://127.0.0.1:8455")
	w := p.f.do(r)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/" {
		p.f.t.Fatalf("POST %s: %d, Location %q\n%s", action, w.Code, w.Header().Get("Location"), w.Body)
	}
}

var authorizeLink = regexp.MustCompile(`id="authorize-link" href="([^"]+)"`)

// authorizeURL is the sign-in link on p's page, "" when there is none.
func (p *person) authorizeURL(page string) string {
	m := authorizeLink.FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// signIn plays the person's browser on another machine: sign in at the
// authorize URL and return the loopback address it is sent to, which
// fails to load there.
func (f *fixture) signIn(authorizeURL string) string {
	f.t.Helper()
	c := &http.Client{Transport: f.client.Transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequest(http.MethodGet, authorizeURL, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("User-Agent", logintest.BrowserAgent)
	resp, err := c.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if !strings.Contains(loc, "/auth/callback?") {
		f.t.Fatalf("authorize answered %d, Location %q", resp.StatusCode, loc)
	}
	return loc
}

func (f *fixture) authPath() string { return filepath.Join(f.home, "auth.json") }

// waitFor polls p's page until it contains want.
func (p *person) waitFor(want string) string {
	p.f.t.Helper()
	var page string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if page = p.page(); strings.Contains(page, want) {
			return page
		}
	}
	p.f.t.Fatalf("the page never showed %q:\n%s", want, page)
	return ""
}

// backend is a Backend over login and a FileStore, with test words.
type backend struct {
	store   *codexauth.FileStore
	options login.Options
	mu      sync.Mutex
	ended   []error
}

func (b *backend) StartBrowser(ctx context.Context) (*login.Session, error) {
	o := b.options
	o.NoListen = true
	return login.Start(ctx, o)
}

func (b *backend) StartDevice(ctx context.Context) (*login.Session, error) {
	return login.StartDevice(ctx, b.options)
}

func (b *backend) Ended(res *login.Result, err error) web.Outcome {
	b.mu.Lock()
	b.ended = append(b.ended, err)
	b.mu.Unlock()
	if err != nil {
		return b.Explain(err)
	}
	return web.Outcome{OK: true, Message: fmt.Sprintf("Signed in to Codex as %s (%s)", res.Email, res.Plan)}
}

func (b *backend) Status(ctx context.Context) web.Status {
	st := web.Status{Store: b.store.Location()}
	a, err := b.store.Load(ctx)
	if err != nil || a == nil || a.Tokens == nil {
		return st
	}
	c, _ := codexauth.ParseIDToken(a.Tokens.IDToken)
	st.SignedIn, st.Email, st.Plan, st.Expires = true, c.Email, c.Plan, "in an hour"
	return st
}

func (b *backend) Refresh(ctx context.Context) web.Outcome {
	return web.Outcome{OK: true, Message: "Refreshed the tokens"}
}

func (b *backend) SignOut(ctx context.Context) web.Outcome {
	if _, err := b.store.Delete(ctx); err != nil {
		return b.Explain(err)
	}
	return web.Outcome{OK: true, Message: "Signed out"}
}

func (b *backend) Explain(err error) web.Outcome {
	return web.Outcome{Message: err.Error(), Hint: "the one fix"}
}

func (b *backend) Secret(string)                        {}
func (b *backend) AuthorizeURL(string, int)             {}
func (b *backend) DeviceCode(string, string, time.Time) {}
func (b *backend) Waiting()                             {}
func (b *backend) Warn(error)                           {}
func (b *backend) Logf(string, ...any)                  {}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// httptestRequest is a request from peer with headers.
func httptestRequest(method, target, peer string, headers map[string]string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	r.RemoteAddr = peer
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	return r
}
