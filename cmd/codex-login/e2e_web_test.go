//go:build e2e

package main_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The web page (codex-login web) in a real browser: chromium on
// "another machine" opens the page through nginx, signs in at the issuer
// through squid's ssl-bump, and pastes back the address it failed to load.
//
// Port 1455: the page's logins name http://127.0.0.1:1455/auth/callback and
// nothing may listen there, or chromium's redirect would reach it instead of
// failing. The cases of TestE2E run one after another (t.Run, never
// t.Parallel) and the others give codex-login a free --port, so no case
// listens on 1455 while this one runs; the case checks the port is free
// before it starts and that the redirect was refused.
var e2eWebCases = []e2eCase{
	{"web_sign_in_from_another_browser", e2eWebSignIn},
}

func init() { e2eCases = append(e2eCases, e2eWebCases...) }

// e2eWebCSP is the Content-Security-Policy every response of the page has.
const e2eWebCSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func e2eWebSignIn(t *testing.T, w *e2eWorld) {
	started := time.Now()
	r := e2eNewRun(t, w)
	e2eRequireFreeCallbackPort(t, 1455)
	shots := e2eArtifacts(t, "web")

	// nginx on /codex/ in front of codex-login web, path stripped.
	webPort := e2eFreePort(t)
	ng := e2eStartNginx(t, fmt.Sprintf(`		location /codex/ {
			proxy_pass http://127.0.0.1:%d/;
			proxy_set_header Host $http_host;
			proxy_set_header X-Forwarded-Proto $scheme;
			proxy_set_header X-Forwarded-Host $http_host;
			proxy_set_header X-Forwarded-Prefix /codex;
		}`, webPort))
	public := ng.URL + "/codex/"
	srv := e2eStartWeb(t, w, r, webPort, public)
	if !strings.HasPrefix(srv.access, public+"?token=") || len(strings.TrimPrefix(srv.access, public+"?token=")) != 43 {
		t.Fatalf("web_listening url %q is not %s?token=<43 characters>", srv.access, public)
	}

	c := e2eStartChromium(t, w.squid.URL, w.squid.CA, w.squid.CACN, shots)

	// 1. The access link, through nginx: it trades the token for a cookie
	// and moves on to the page.
	c.run(t, "open the access link", 20*time.Second, chromedp.Navigate(srv.access))
	c.waitPage(t, "open the access link", "#status", 20*time.Second)
	c.shot(t, "not-signed-in")
	if s := c.text(t, "#status"); !strings.Contains(s, "Not signed in") {
		t.Errorf("#status says %q, want Not signed in", s)
	}

	// The session cookie, as the browser keeps it: for the public base path
	// (nginx strips it before codex-login web sees the request).
	cookies, err := chromedp.Call(c.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{public}})
	if err != nil {
		t.Fatalf("browser: cookies: %v", err)
	}
	var session *network.Cookie
	for _, k := range cookies.Cookies {
		if k.Name == "codex_login_web" {
			session = k
		}
	}
	if session == nil {
		t.Errorf("the browser has no codex_login_web cookie for %s (%d cookies)", public, len(cookies.Cookies))
	} else if session.Path != "/codex/" || !session.HTTPOnly || session.SameSite != network.CookieSameSiteStrict || session.Secure {
		t.Errorf("codex_login_web: Path %q HttpOnly %v SameSite %q Secure %v, want /codex/, HttpOnly, Strict, not Secure (plain http)",
			session.Path, session.HTTPOnly, session.SameSite, session.Secure)
	}

	// 2. Sign in with ChatGPT: the page shows the authorize link.
	c.run(t, "click #signin", 10*time.Second, chromedp.Click(chromedp.CSS("#signin")))
	c.waitPage(t, "click #signin", "a#authorize-link", 30*time.Second)
	c.shot(t, "authorize-link")
	href := c.attr(t, "a#authorize-link", "href")
	if target, rel := c.attr(t, "a#authorize-link", "target"), c.attr(t, "a#authorize-link", "rel"); target != "_blank" || !strings.Contains(rel, "noopener") {
		t.Errorf("a#authorize-link has target %q rel %q, want _blank and noopener", target, rel)
	}
	if !strings.HasPrefix(href, r.Issuer+"/oauth/authorize?") {
		t.Fatalf("a#authorize-link goes to %q, not to the issuer %s", href, r.Issuer)
	}

	// 3. The link in a tab of its own: the issuer, through squid, signs the
	// user in and sends the tab to the callback on loopback port 1455,
	// which does not load.
	bumped := w.squid.Count(t, w.squid.accessLog, "GET", r.Issuer+"/oauth/authorize")
	tab, closeTab := c.newTab(t)
	addr, loadErr := c.address(t, tab, href, func(a string) bool { return strings.Contains(a, ":1455/auth/callback?") })
	c.shotIn(t, tab, "callback-fails-to-load")
	closeTab()
	t.Logf("the tab shows %s (%s)", addr, loadErr)
	if loadErr != "net::ERR_CONNECTION_REFUSED" {
		t.Errorf("the callback address loaded with %q, want net::ERR_CONNECTION_REFUSED: something listens on 1455", loadErr)
	}
	if u, err := url.Parse(addr); err != nil || u.Query().Get("code") == "" || u.Query().Get("state") == "" {
		t.Fatalf("the address %q holds no code and state", addr)
	}
	if !e2eEventually(3*time.Second, func() bool {
		return w.squid.Count(t, w.squid.accessLog, "GET", r.Issuer+"/oauth/authorize") > bumped
	}) {
		t.Errorf("squid's access log has no bumped GET %s/oauth/authorize: chromium did not go through squid", r.Issuer)
	}

	// 4. Back on the page: paste the address and finish.
	c.run(t, "type the address into #redirect", 10*time.Second,
		chromedp.SendKeys(chromedp.CSS("#redirect"), addr))
	c.shot(t, "address-pasted")
	c.run(t, "click #paste-submit", 10*time.Second, chromedp.Click(chromedp.CSS("#paste-submit")))
	c.waitPage(t, "click #paste-submit", "#message.ok", 30*time.Second)
	c.shot(t, "signed-in")
	msg, email := c.text(t, "#message"), c.text(t, "#email")
	t.Logf("#message: %s; #email: %s", msg, email)
	if email != "dev@corp.test" || !strings.Contains(msg, "dev@corp.test") {
		t.Errorf("#message %q, #email %q: want the account dev@corp.test", msg, email)
	}

	// 5. The access link works once.
	used, closeUsed := c.newTab(t)
	resp, err := chromedp.RunResponse(used, chromedp.Navigate(srv.access))
	if err != nil {
		t.Errorf("open the access link again: %v", err)
	} else if resp.Status != http.StatusForbidden {
		t.Errorf("the access link opened a second time answers %d, want 403", resp.Status)
	}
	c.shotIn(t, used, "access-link-used")
	closeUsed()

	// Every answer of the page, in the browser and to a plain client,
	// carries the security headers.
	docs := 0
	c.mu.Lock()
	for _, resp := range c.responses {
		if !strings.HasPrefix(resp.URL, public) {
			continue
		}
		docs++
		if got := e2eHeader(resp.Headers, "Content-Security-Policy"); got != e2eWebCSP {
			t.Errorf("%s (%d) in the browser: Content-Security-Policy %q, want %q", resp.URL, resp.Status, got, e2eWebCSP)
		}
	}
	c.mu.Unlock()
	if docs < 3 {
		t.Errorf("the browser saw %d responses of the page, want at least 3", docs)
	}
	e2eWebHeaders(t, map[string]int{
		public:                      http.StatusUnauthorized, // no session
		public + "static/app.js":    http.StatusOK,
		public + "static/style.css": http.StatusOK,
		public + "nowhere":          http.StatusNotFound,
	})

	c.stop()

	// The control: the same browser without the CA in its NSS database
	// refuses squid's forged certificate. The trust above was the NSS
	// database's, not verification turned off.
	bare := e2eStartChromium(t, w.squid.URL, "", "", shots)
	bare.n = c.n
	tab, closeTab = bare.newTab(t)
	_, loadErr = bare.address(t, tab, r.Issuer+"/.well-known/openid-configuration", func(a string) bool { return strings.HasPrefix(a, r.Issuer) })
	bare.shotIn(t, tab, "no-ca-certificate-refused")
	closeTab()
	bare.stop()
	if loadErr != "net::ERR_CERT_AUTHORITY_INVALID" {
		t.Errorf("chromium without the CA opened the issuer through squid with %q, want net::ERR_CERT_AUTHORITY_INVALID", loadErr)
	}

	t.Logf("browsers done after %v", time.Since(started).Round(time.Millisecond))
	srv.stop(t)
	r.Stdout, r.Stderr, r.Took = srv.stdout.String(), srv.stderr.String(), time.Since(started)

	// 6. What was saved is what Codex reads.
	r.checkAuthFile(t, w)
	r.checkCodexStatus(t, w)
	t.Logf("codex login status done after %v", time.Since(started).Round(time.Millisecond))
}

// e2eWeb is a running codex-login web.
type e2eWeb struct {
	cmd            *exec.Cmd
	access         string // the access link of its web_listening event
	stdout, stderr *e2eSyncBuffer
	exited         chan struct{}
	err            error
	once           sync.Once
}

// e2eStartWeb starts codex-login web --json on 127.0.0.1:port behind
// public, with the world's squid and inspection CA and the run's HOME and
// CODEX_HOME, and waits for its web_listening event. It is stopped by its
// PID when the test ends, if not before.
func e2eStartWeb(t *testing.T, w *e2eWorld, r *e2eRun, port int, public string) *e2eWeb {
	t.Helper()
	args := []string{"web", "--json", "--listen", fmt.Sprintf("127.0.0.1:%d", port), "--public-url", public,
		"--ca", w.squid.CA, "--proxy", w.squid.URL, "--issuer", r.Issuer, "--timeout", "2m"}
	s := &e2eWeb{cmd: exec.Command(w.bin, args...), stdout: &e2eSyncBuffer{}, stderr: &e2eSyncBuffer{}, exited: make(chan struct{})}
	s.cmd.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + r.home, "LANG=C.UTF-8", "TMPDIR=" + os.TempDir(), "CODEX_HOME=" + r.codexHome}
	s.cmd.Dir, s.cmd.Stderr = r.dir, s.stderr
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("codex-login web: %v", err)
	}
	t.Logf("codex-login %s (pid %d)", strings.Join(args, " "), s.cmd.Process.Pid)
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			s.stdout.Write([]byte(line + "\n"))
			var ev struct{ Type, URL string }
			if json.Unmarshal([]byte(line), &ev) == nil && ev.Type == "web_listening" {
				select {
				case listening <- ev.URL:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, out)
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() { s.stop(t) })
	select {
	case s.access = <-listening:
	case <-s.exited:
		t.Fatalf("codex-login web exited at start: %v\nstdout: %s\nstderr: %s", s.err, e2eIndent(s.stdout.String()), e2eIndent(s.stderr.String()))
	case <-time.After(20 * time.Second):
		t.Fatalf("codex-login web printed no web_listening event in 20s\nstdout: %s\nstderr: %s", e2eIndent(s.stdout.String()), e2eIndent(s.stderr.String()))
	}
	t.Logf("codex-login web listening after %v; access link %s", time.Since(start).Round(time.Millisecond), s.access)
	return s
}

// stop sends SIGTERM and waits: a clean stop exits 0. After 10s it kills
// the process by its PID.
func (s *e2eWeb) stop(t *testing.T) {
	s.once.Do(func() {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
			if s.err != nil {
				t.Errorf("codex-login web did not exit 0 on SIGTERM: %v", s.err)
			}
		case <-time.After(10 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.exited
			t.Errorf("codex-login web (pid %d) did not stop in 10s on SIGTERM; killed", s.cmd.Process.Pid)
		}
		t.Logf("codex-login web stopped\n  stdout: %s\n  stderr: %s", e2eIndent(s.stdout.String()), e2eIndent(s.stderr.String()))
	})
}

// e2eWebHeaders GETs each URL through nginx with a plain client (no
// session), checks the status and the headers every response of the page
// must have.
func e2eWebHeaders(t *testing.T, urls map[string]int) {
	t.Helper()
	want := map[string]string{
		"Content-Security-Policy":      e2eWebCSP,
		"X-Content-Type-Options":       "nosniff",
		"Referrer-Policy":              "no-referrer",
		"X-Frame-Options":              "DENY",
		"Cache-Control":                "no-store",
		"Cross-Origin-Opener-Policy":   "same-origin",
		"Strict-Transport-Security":    "", // plain http: none
		"Access-Control-Allow-Origin":  "",
		"Access-Control-Allow-Headers": "",
	}
	client := &http.Client{Transport: &http.Transport{Proxy: nil}, Timeout: 10 * time.Second}
	for u, status := range urls {
		resp, err := client.Get(u)
		if err != nil {
			t.Errorf("GET %s: %v", u, err)
			continue
		}
		resp.Body.Close()
		if resp.StatusCode != status {
			t.Errorf("GET %s without a session: %d, want %d", u, resp.StatusCode, status)
		}
		for k, v := range want {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("GET %s (%d): %s %q, want %q", u, resp.StatusCode, k, got, v)
			}
		}
	}
}

// e2eHeader is the header k of a response as the browser reports it.
func e2eHeader(h network.Headers, k string) string {
	for name, v := range h {
		if strings.EqualFold(name, k) {
			s, _ := v.(string)
			return s
		}
	}
	return ""
}

// e2eRequireFreeCallbackPort fails the test when something listens on the
// loopback port that a page login's redirect names (on 127.0.0.1 or ::1,
// where chromium sends "localhost").
func e2eRequireFreeCallbackPort(t *testing.T, port int) {
	t.Helper()
	for _, addr := range []string{fmt.Sprintf("127.0.0.1:%d", port), fmt.Sprintf("[::1]:%d", port)} {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			t.Fatalf("something listens on %s: the browser's redirect to the callback would reach it instead of failing; no other case may run meanwhile", addr)
		}
	}
}

// e2eEventually polls cond until it holds or d passes.
func e2eEventually(d time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(d); ; time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

// e2eSyncBuffer is a bytes.Buffer safe for one writer and other readers.
type e2eSyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *e2eSyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *e2eSyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
