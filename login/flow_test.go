package login_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/login"
	"github.com/codex-login/codex-login/login/logintest"
	"github.com/codex-login/codex-login/oauth"
	"github.com/codex-login/codex-login/trust/trusttest"
)

// env is a fake issuer on 127.0.0.1 over TLS, reached directly by a client
// that trusts only the test CA.
type env struct {
	issuer   *logintest.Issuer
	server   *logintest.Server // what codex-login talks to
	front    *logintest.Server // the same issuer, for the browser only
	browsers sync.WaitGroup    // scripted browsers still running
	client   *http.Client
	home     string
	url      string
}

func newEnv(t testing.TB, o logintest.Options) *env {
	t.Helper()
	ca, err := trusttest.NewCA("Flow Test Origin CA")
	if err != nil {
		t.Fatal(err)
	}
	o.AllowAnyPort = true
	iss := logintest.NewIssuer(o)
	srv, err := logintest.StartTLS(iss, ca, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	front, err := logintest.StartTLS(iss, ca, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(front.Close)
	e := &env{issuer: iss, server: srv, front: front, home: filepath.Join(t.TempDir(), "codex"), url: srv.URL("127.0.0.1")}
	iss.SetURL(e.url)
	e.client = &http.Client{Transport: &http.Transport{TLSClientConfig: tlsConfig(ca), IdleConnTimeout: time.Minute}}
	t.Cleanup(e.client.CloseIdleConnections)
	return e
}

// options for a login whose browser is played by logintest.Browse.
func (e *env) options(t testing.TB) login.Options {
	browser := e.browserClient(false)
	t.Cleanup(browser.CloseIdleConnections)
	t.Cleanup(e.browsers.Wait) // a browser may still be reading its last page
	ev := &events{t: t, browse: func(u string) {
		e.browsers.Add(1)
		go func() {
			defer e.browsers.Done()
			if _, err := logintest.Browse(browser, u); err != nil {
				t.Logf("browser: %v", err)
			}
		}()
	}}
	return login.Options{
		OAuth:   &oauth.Client{HTTP: e.client, Issuer: e.url, ClientID: logintest.DefaultClientID},
		Store:   &codexauth.FileStore{Home: e.home},
		Ports:   []int{freePort(t)},
		Timeout: 20 * time.Second,
		Events:  ev,
	}
}

// events records what a login reports, and plays the browser.
type events struct {
	t        testing.TB
	browse   func(url string)
	mu       sync.Mutex
	secrets  []string
	warnings []error
	codes    []string               // device user codes shown
	device   func(uri, code string) // plays the user who enters a device code
}

func (ev *events) Secret(v string) {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	ev.secrets = append(ev.secrets, v)
}

func (ev *events) AuthorizeURL(u string, _ int) { ev.browse(u) }
func (ev *events) Waiting()                     {}
func (ev *events) DeviceCode(uri, code string, _ time.Time) {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	ev.codes = append(ev.codes, code)
	if ev.device != nil {
		ev.device(uri, code)
	}
}
func (ev *events) Logf(f string, a ...any) { ev.t.Logf(f, a...) }

func (ev *events) Warn(err error) {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	ev.warnings = append(ev.warnings, err)
}

// setBrowse replaces the browser of o.
func setBrowse(o *login.Options, browse func(string)) { o.Events.(*events).browse = browse }

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// writeOld puts an earlier login's auth.json in place and returns its bytes.
func (e *env) writeOld(t testing.TB) []byte {
	t.Helper()
	old := []byte(`{
  "auth_mode": "chatgpt",
  "OPENAI_API_KEY": null,
  "tokens": {
    "id_token": "eyJhbGciOiJub25lIn0.eyJlbWFpbCI6Im9sZEBjb3JwLnRlc3QifQ.c2ln",
    "access_token": "old-access",
    "refresh_token": "rt_old",
    "oauth_provenance": {"issuer": "` + e.url + `", "client_id": "` + logintest.DefaultClientID + `"},
    "account_id": "acct-old"
  },
  "last_refresh": "2026-01-01T00:00:00.000000000Z"
}`)
	if err := os.MkdirAll(e.home, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(e.home, "auth.json"), old, 0o600); err != nil {
		t.Fatal(err)
	}
	return old
}

func (e *env) assertUnchanged(t *testing.T, old []byte) {
	t.Helper()
	got, err := os.ReadFile(filepath.Join(e.home, "auth.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, old) {
		t.Fatalf("a failed login changed auth.json:\n%s", got)
	}
	if got := e.issuer.Revoked(); len(got) != 0 {
		t.Fatalf("a failed login revoked %d refresh tokens", len(got))
	}
}

func TestRunWritesAuthFileWithOneTLSConnection(t *testing.T) {
	e := newEnv(t, logintest.Options{})
	e.writeOld(t)
	res, err := login.Run(context.Background(), e.options(t))
	if err != nil {
		t.Fatal(err)
	}
	if res.Email != "dev@corp.test" || res.AccountID != "acct-corp-test" || res.Plan != "plus" || !res.APIKey {
		t.Fatalf("result %+v", res)
	}
	f, err := (&codexauth.FileStore{Home: e.home}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tk := f.Tokens
	switch {
	case f.AuthMode != "chatgpt", f.OpenAIAPIKey == nil, !strings.HasPrefix(*f.OpenAIAPIKey, "sk-"):
		t.Fatalf("auth_mode %q, api key set %v", f.AuthMode, f.OpenAIAPIKey != nil)
	case tk.OAuthProvenance == nil || tk.OAuthProvenance.Issuer != e.url || tk.OAuthProvenance.ClientID != logintest.DefaultClientID:
		t.Fatalf("provenance %+v", tk.OAuthProvenance)
	case tk.AccountID == nil || *tk.AccountID != "acct-corp-test", len(tk.LoginOwnerID) != 43:
		t.Fatalf("account %v owner %q", tk.AccountID, tk.LoginOwnerID)
	case tk.RefreshToken == "rt_old", tk.AccessToken == "":
		t.Fatal("tokens not replaced")
	}
	// A revocation can sign out every session of the account: the old
	// refresh token is replaced, not revoked.
	if got := e.issuer.Revoked(); len(got) != 0 {
		t.Fatalf("revoked %d refresh tokens, want none", len(got))
	}
	// Pre-flight, code exchange and API-key exchange share one connection.
	if n := e.server.Conns(); n != 1 {
		t.Fatalf("the login opened %d TLS connections to the issuer, want 1", n)
	}
}

func TestRunFailuresLeaveAuthFileUntouched(t *testing.T) {
	cases := []struct {
		name  string
		o     logintest.Options
		tweak func(*login.Options, *env)
		check func(error) bool
	}{
		{"denied", logintest.Options{DenyError: "access_denied", DenyDescription: "missing_codex_entitlement"}, nil, func(err error) bool {
			var d *login.DeniedError
			return errors.As(err, &d) && d.NoEntitlement()
		}},
		{"workspace", logintest.Options{}, func(o *login.Options, _ *env) { o.WorkspaceIDs = []string{"other"} }, func(err error) bool {
			// The issuer itself refuses a workspace the account is not in.
			var d *login.DeniedError
			return errors.As(err, &d)
		}},
		{"workspace checked by codex-login", logintest.Options{IgnoreWorkspace: true}, func(o *login.Options, _ *env) { o.WorkspaceIDs = []string{"other"} }, func(err error) bool {
			var w *login.WorkspaceError
			return errors.As(err, &w) && w.AccountID == "acct-corp-test"
		}},
		{"timeout", logintest.Options{}, func(o *login.Options, _ *env) { o.Timeout = 500 * time.Millisecond; setBrowse(o, func(string) {}) }, func(err error) bool {
			var te *login.TimeoutError
			return errors.As(err, &te) && te.After == 500*time.Millisecond
		}},
		{"cancelled by another login", logintest.Options{}, func(o *login.Options, _ *env) {
			port := o.Ports[0]
			setBrowse(o, func(string) { go http.Get(fmt.Sprintf("http://127.0.0.1:%d/cancel", port)) })
		}, func(err error) bool { return errors.Is(err, login.ErrCancelled) }},
		{"code exchange refused", logintest.Options{}, func(o *login.Options, e *env) {
			setBrowse(o, tamperingBrowser(e))
		}, func(err error) bool {
			var te *oauth.TokenError
			return errors.As(err, &te) && te.Code == "invalid_grant"
		}},
		{"issuer unreachable", logintest.Options{}, func(o *login.Options, _ *env) {
			o.OAuth.Issuer = "https://" + closedAddr()
			setBrowse(o, func(string) { panic("the browser was opened although the issuer cannot be reached") })
		}, func(err error) bool { return err != nil }},
		{"CODEX_HOME cannot be written", logintest.Options{}, func(o *login.Options, e *env) {
			o.Store = &codexauth.FileStore{Home: filepath.Join(e.home, "auth.json", "sub")} // below a file: never creatable
			setBrowse(o, func(string) { panic("the browser was opened although nothing can be saved") })
		}, func(err error) bool {
			var we *codexauth.WriteError
			return errors.As(err, &we)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.o)
			old := e.writeOld(t)
			o := e.options(t)
			if tc.tweak != nil {
				tc.tweak(&o, e)
			}
			res, err := login.Run(context.Background(), o)
			if err == nil || !tc.check(err) {
				t.Fatalf("Run = %+v, %v", res, err)
			}
			e.assertUnchanged(t, old)
		})
	}
}

// browserClient reaches the issuer through its front server, so that
// e.server counts only codex-login's own connections.
func (e *env) browserClient(noRedirects bool) *http.Client {
	tr := &http.Transport{TLSClientConfig: e.client.Transport.(*http.Transport).TLSClientConfig.Clone()}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr == e.server.Addr {
			addr = e.front.Addr
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	c := &http.Client{Transport: tr}
	if noRedirects {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return c
}

// closedAddr is a loopback address where nothing listens.
func closedAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func tlsConfig(ca *trusttest.CA) *tls.Config {
	return &tls.Config{RootCAs: ca.Pool(), MinVersion: tls.VersionTLS12}
}

// tamperingBrowser swaps the authorization code before calling back, so
// the token endpoint refuses it.
func tamperingBrowser(e *env) func(string) {
	c := e.browserClient(true)
	get := func(u string) (*http.Response, error) {
		req, err := http.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("User-Agent", logintest.BrowserAgent)
		return c.Do(req)
	}
	return func(authorize string) {
		go func() {
			resp, err := get(authorize)
			if err != nil {
				return
			}
			resp.Body.Close()
			cb, err := url.Parse(resp.Header.Get("Location"))
			if err != nil {
				return
			}
			q := cb.Query()
			q.Set("code", "not-the-code")
			cb.RawQuery = q.Encode()
			if resp, err := get(cb.String()); err == nil {
				resp.Body.Close()
			}
		}()
	}
}

func TestRunUsesSecondPortWhenFirstStaysBusy(t *testing.T) {
	e := newEnv(t, logintest.Options{})
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	var cancels atomic.Int32
	go http.Serve(busy, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/cancel" {
			cancels.Add(1)
		}
	}))
	o := e.options(t)
	second := o.Ports[0]
	o.Ports = []int{busy.Addr().(*net.TCPAddr).Port, second}
	res, err := login.Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Port != second || cancels.Load() != 1 {
		t.Fatalf("port %d (want %d), /cancel sent %d times (want 1)", res.Port, second, cancels.Load())
	}

	o.Ports = o.Ports[:1]
	_, err = login.Run(context.Background(), o)
	var pb *login.PortBusyError
	if !errors.As(err, &pb) || !strings.Contains(pb.Holder, fmt.Sprint(os.Getpid())) {
		t.Fatalf("err = %v; want a PortBusyError naming this process", err)
	}
}

func TestRunCancelsAnOlderLoginOnTheSamePort(t *testing.T) {
	e := newEnv(t, logintest.Options{})
	older := e.options(t)
	setBrowse(&older, func(string) {})
	done := make(chan error, 1)
	go func() { _, err := login.Run(context.Background(), older); done <- err }()
	waitListening(t, older.Ports[0])

	newer := e.options(t)
	newer.Ports = []int{older.Ports[0], freePort(t)}
	res, err := login.Run(context.Background(), newer)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, login.ErrCancelled) {
		t.Fatalf("older login ended with %v, want cancelled", err)
	}
	if res.Port != older.Ports[0] {
		t.Fatalf("newer login used port %d, want the freed %d", res.Port, older.Ports[0])
	}
}

func TestRunParentCancel(t *testing.T) {
	e := newEnv(t, logintest.Options{})
	old := e.writeOld(t)
	ctx, cancel := context.WithCancel(context.Background())
	o := e.options(t)
	setBrowse(&o, func(string) { cancel() })
	if _, err := login.Run(ctx, o); !errors.Is(err, login.ErrCancelled) {
		t.Fatalf("err = %v, want cancelled", err)
	}
	e.assertUnchanged(t, old)
}

func TestCallbackRejectsOversizedRequest(t *testing.T) {
	e := newEnv(t, logintest.Options{})
	o := e.options(t)
	port := o.Ports[0]
	status := make(chan int, 1)
	o.Timeout = 3 * time.Second
	setBrowse(&o, func(string) {
		go func() {
			req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("http://127.0.0.1:%d/auth/callback", port), nil)
			req.Header.Set("X-Big", strings.Repeat("a", 64<<10))
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				status <- 0
				return
			}
			resp.Body.Close()
			status <- resp.StatusCode
		}()
	})
	_, err := login.Run(context.Background(), o)
	var te *login.TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v, want the login to keep waiting until its timeout", err)
	}
	if got := <-status; got != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("oversized request got %d, want 431", got)
	}
}

func waitListening(t *testing.T, port int) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("nothing listens on %d", port)
}

// The API key is best effort: when the exchange fails the login still
// succeeds, with OPENAI_API_KEY null.
func TestRunWithoutAPIKey(t *testing.T) {
	e := newEnv(t, logintest.Options{APIKeyFailure: true})
	res, err := login.Run(context.Background(), e.options(t))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(e.home, "auth.json"))
	if err != nil {
		t.Fatal(err)
	}
	if res.APIKey || !strings.Contains(string(data), `"OPENAI_API_KEY": null,`) {
		t.Fatalf("api key %v; file:\n%s", res.APIKey, data)
	}
}

// An account outside the forced workspace is not saved, and its fresh
// refresh token is not revoked: a revocation can sign out the account's
// other sessions.
func TestRunRefusedAccountIsNeitherSavedNorRevoked(t *testing.T) {
	e := newEnv(t, logintest.Options{IgnoreWorkspace: true})
	o := e.options(t)
	o.WorkspaceIDs = []string{"other"}
	if _, err := login.Run(context.Background(), o); err == nil {
		t.Fatal("an account outside the forced workspace was saved")
	}
	if got := e.issuer.Revoked(); len(got) != 0 {
		t.Fatalf("revoked %d refresh tokens, want none", len(got))
	}
	if _, err := os.Stat(filepath.Join(e.home, "auth.json")); err == nil {
		t.Fatal("auth.json was written")
	}
}

// Every secret the login holds is handed to Events before anything could
// print it: the verifier, the code, the tokens and the API key.
func TestRunReportsEverySecret(t *testing.T) {
	e := newEnv(t, logintest.Options{})
	o := e.options(t)
	if _, err := login.Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	f, err := (&codexauth.FileStore{Home: e.home}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(o.Events.(*events).secrets, "\n")
	for name, v := range map[string]string{"id_token": f.Tokens.IDToken, "access_token": f.Tokens.AccessToken,
		"refresh_token": f.Tokens.RefreshToken, "api key": *f.OpenAIAPIKey} {
		if !strings.Contains(got, v) {
			t.Errorf("the %s was not reported as a secret", name)
		}
	}
	if n := len(o.Events.(*events).secrets); n < 6 {
		t.Errorf("%d secrets reported, want the verifier, the code, three tokens and the key", n)
	}
}

// A callback with another login's state is refused, reported as a
// warning, and the login goes on to succeed with the right one.
func TestRunWarnsOfAnotherLoginsCallback(t *testing.T) {
	e := newEnv(t, logintest.Options{})
	o := e.options(t)
	port := o.Ports[0]
	real := o.Events.(*events).browse
	setBrowse(&o, func(u string) {
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/auth/callback?code=stolen&state=another-login", port))
		if err == nil {
			resp.Body.Close()
		}
		real(u)
	})
	if _, err := login.Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	var se *login.StateError
	if w := o.Events.(*events).warnings; len(w) != 1 || !errors.As(w[0], &se) || se.Missing {
		t.Fatalf("warnings %v, want one StateError", w)
	}
}

// pasteBrowser signs in with a browser that cannot reach this machine: it
// follows the sign-in to the redirect and writes that address to the
// paste pipe, as a person copies it from the address bar.
func pasteBrowser(t *testing.T, e *env, pw io.Writer, extra string) func(string) {
	c := e.browserClient(true)
	return func(authorize string) {
		go func() {
			req, _ := http.NewRequest(http.MethodGet, authorize, nil)
			req.Header.Set("User-Agent", logintest.BrowserAgent)
			resp, err := c.Do(req)
			if err != nil {
				t.Logf("browser: %v", err)
				return
			}
			resp.Body.Close()
			fmt.Fprintf(pw, "%s  \"%s\"\n", extra, resp.Header.Get("Location"))
		}()
	}
}

// --paste: no listener at all; the pasted address completes the login,
// after a line of garbage and one from another login were refused.
func TestRunWithPasteOnly(t *testing.T) {
	e := newEnv(t, logintest.Options{})
	o := e.options(t)
	pr, pw := io.Pipe()
	defer pw.Close()
	o.Paste, o.NoListen = pr, true
	browse := pasteBrowser(t, e, pw, "")
	setBrowse(&o, func(u string) {
		go func() {
			fmt.Fprintln(pw, "not an address")
			fmt.Fprintln(pw, "http://127.0.0.1:1455/auth/callback?code=x&state=another-login")
			browse(u)
		}()
	})
	res, err := login.Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Port != o.Ports[0] {
		t.Fatalf("port %d", res.Port)
	}
	if w := o.Events.(*events).warnings; len(w) != 2 {
		t.Fatalf("warnings %v, want the garbage and the other login's state", w)
	}
	if _, err := os.Stat(filepath.Join(e.home, "auth.json")); err != nil {
		t.Fatal(err)
	}
}
