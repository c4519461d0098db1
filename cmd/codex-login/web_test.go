package main

import (
	"bytes"
	"context"
	"crypto/tls"
	htmlpkg "html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/codex-login/codex-login/login"
	"github.com/codex-login/codex-login/login/logintest"
)

// startWeb runs codex-login web in-process in w and returns its outputs,
// a way to send it SIGHUP, and a stop that returns its exit code.
func (w *world) startWeb(args ...string) (stdout, stderr *lockedBuffer, hup chan os.Signal, stop func() int) {
	w.t.Helper()
	stdout, stderr, hup = &lockedBuffer{}, &lockedBuffer{}, make(chan os.Signal, 1)
	e := env{getenv: func(k string) string { return w.env[k] }, stdout: stdout, stderr: stderr,
		systemFile: filepath.Join(w.dir, "system-config.toml"), codexSystemDir: filepath.Join(w.dir, "etc-codex"),
		root: fstest.MapFS{}, limits: w.limits, hangup: hup}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	base := []string{"web", "--listen", "127.0.0.1:0", "--issuer", w.issuerURL, "--timeout", "20s"}
	go func() { done <- run(ctx, append(base, args...), e) }()
	stopped := false
	stop = func() int {
		cancel()
		select {
		case code := <-done:
			stopped = true
			return code
		case <-time.After(20 * time.Second):
			w.t.Fatal("codex-login web did not stop")
			return -1
		}
	}
	w.t.Cleanup(func() {
		if !stopped {
			stop()
		}
	})
	return stdout, stderr, hup, stop
}

// waitEvent waits for the --json event typ and returns it.
func waitEvent(t *testing.T, stdout, stderr *lockedBuffer, typ string, n int) map[string]any {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var seen int
		if out := stdout.String(); strings.HasSuffix(out, "\n") {
			for _, e := range jsonEvents(t, out) {
				if e["type"] == typ {
					if seen++; seen == n {
						return e
					}
				}
			}
		}
	}
	t.Fatalf("no %s event:\n%s\n%s", typ, stdout, stderr)
	return nil
}

// The real command serves the page: the access link is traded once, the
// person signs in in a browser elsewhere and pastes the address it fails
// to load, Codex's auth.json is written, SIGHUP gives a new link, and a
// stop exits 0.
func TestWebSignsInThroughThePage(t *testing.T) {
	w := newWorld(t, worldOptions{})
	stdout, stderr, hup, stop := w.startWeb("--json", "-v", "--ca", w.caFile)
	listening := waitEvent(t, stdout, stderr, "web_listening", 1)
	link, _ := listening["url"].(string)
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_-]{43}$`).MatchString(link) || !strings.HasSuffix(link[:strings.Index(link, "/?")], listening["listen"].(string)) {
		t.Fatalf("web_listening %v", listening)
	}
	if !strings.Contains(stderr.String(), "Open this address once in a browser to sign in: "+link) {
		t.Fatalf("stderr:\n%s", stderr)
	}

	jar, _ := cookiejar.New(nil)
	page := &http.Client{Jar: jar, Transport: &http.Transport{}, Timeout: 30 * time.Second}
	var bodies strings.Builder
	get := func(u string) (int, string) {
		resp, err := page.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		bodies.Write(b)
		return resp.StatusCode, string(b)
	}
	base := strings.TrimSuffix(link, link[strings.Index(link, "?"):])
	post := func(action, csrf string, form url.Values) string {
		form.Set("csrf", csrf)
		req, _ := http.NewRequest(http.MethodPost, base+action, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", strings.TrimSuffix(base, "/"))
		resp, err := page.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		bodies.Write(b)
		if resp.StatusCode != http.StatusOK || resp.Request.URL.String() != base {
			t.Fatalf("POST %s ended at %d %s\n%s", action, resp.StatusCode, resp.Request.URL, b)
		}
		return string(b)
	}
	if code, _ := get(base); code != http.StatusUnauthorized {
		t.Fatalf("the page without the link: %d", code)
	}
	if code, _ := get(link); code != http.StatusOK {
		t.Fatalf("the access link: %d", code)
	}
	code, body := get(base)
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if code != http.StatusOK || m == nil || !strings.Contains(body, "Not signed in") {
		t.Fatalf("the page: %d\n%s", code, body)
	}
	body = post("login", m[1], url.Values{})
	a := regexp.MustCompile(`id="authorize-link" href="([^"]+)"`).FindStringSubmatch(body)
	if a == nil {
		t.Fatalf("no sign-in link:\n%s", body)
	}
	body = post("complete", m[1], url.Values{"redirect": {w.browserRedirect(htmlpkg.UnescapeString(a[1]))}})
	if !strings.Contains(body, `id="message" class="ok"`) || !strings.Contains(body, "Signed in to Codex as dev@corp.test (plus)") || !strings.Contains(body, `<strong id="email">dev@corp.test</strong>`) {
		t.Fatalf("after the paste:\n%s", body)
	}
	checkAuthFile(t, w.authPath(), w.issuerURL)
	success := waitEvent(t, stdout, stderr, "success", 1)
	if success["email"] != "dev@corp.test" || success["path"] != w.authPath() {
		t.Fatalf("success event %v", success)
	}

	if code, _ := get(link); code != http.StatusForbidden {
		t.Fatalf("the access link a second time: %d", code)
	}
	hup <- syscall.SIGHUP
	next, _ := waitEvent(t, stdout, stderr, "access_link", 1)["url"].(string)
	if next == link || !strings.HasPrefix(next, base+"?token=") {
		t.Fatalf("new link %q", next)
	}
	post("login", m[1], url.Values{}) // a stop ends a sign-in under way
	if code := stop(); code != 0 {
		t.Fatalf("exit %d after a stop:\n%s", code, stderr)
	}
	logged := false
	for _, line := range strings.Split(stderr.String(), "\n") {
		if strings.HasPrefix(line, "codex-login: GET /") {
			logged = true
			if strings.Contains(line, "?") || strings.Contains(line, "token") {
				t.Fatalf("a request log holds the query: %s", line)
			}
		}
	}
	if !logged {
		t.Fatalf("-v logged no request:\n%s", stderr)
	}
	w.assertNoSecrets(stdout.String()+stderr.String()+bodies.String(), w.issuer.Secrets()...)
	t.Logf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
}

// browserRedirect plays a browser on another machine: it signs in
// through its own route and returns the address it is sent back to.
func (w *world) browserRedirect(authorizeURL string) string {
	w.t.Helper()
	pem, err := os.ReadFile(w.browser.CA)
	if err != nil {
		w.t.Fatal(err)
	}
	proxy, _ := url.Parse(w.browser.Proxy)
	c := &http.Client{
		Transport:     &http.Transport{Proxy: http.ProxyURL(proxy), TLSClientConfig: &tls.Config{RootCAs: poolFromPEM(pem)}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       20 * time.Second,
	}
	req, _ := http.NewRequest(http.MethodGet, authorizeURL, nil)
	req.Header.Set("User-Agent", logintest.BrowserAgent)
	resp, err := c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.Header.Get("Location")
}

// An unwritable CODEX_HOME stops codex-login web before it serves, with
// the error and hint a login would give.
func TestWebChecksTheStoreBeforeServing(t *testing.T) {
	w := newWorld(t, worldOptions{})
	blocker := filepath.Join(w.dir, "not-a-dir")
	os.WriteFile(blocker, nil, 0o600)
	w.env["CODEX_HOME"] = filepath.Join(blocker, "codex")
	stdout, stderr, _, stop := w.startWeb("--json", "--ca", w.caFile)
	code := stop()
	if code != exitFailure || !strings.Contains(stderr.String(), "codex-login: error: ") || !strings.Contains(stderr.String(), "codex-login: hint: ") {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if strings.Contains(stdout.String(), "web_listening") || strings.Contains(stderr.String(), "Open this address") {
		t.Fatalf("served anyway:\n%s", stdout)
	}
	t.Logf("stderr:\n%s", stderr)
}

// Plain HTTP on an address other machines reach is warned about, unless
// the public URL is https.
func TestWebWarnsWhenExposed(t *testing.T) {
	for _, tc := range []struct {
		listen, public string
		warn           bool
	}{
		{"127.0.0.1:8455", "http://127.0.0.1:8455/", false},
		{"[::1]:8455", "http://[::1]:8455/", false},
		{"localhost:8455", "http://localhost:8455/", false},
		{"0.0.0.0:8455", "http://0.0.0.0:8455/", true},
		{"10.1.2.3:8455", "http://agent.example.test/", true},
		{"10.1.2.3:8455", "https://agent.example.test/codex/", false},
	} {
		var stderr bytes.Buffer
		a := newApp(env{getenv: func(string) string { return "" }, stderr: &stderr, stdout: io.Discard, root: fstest.MapFS{}})
		u, _ := url.Parse(tc.public)
		a.warnExposed(tc.listen, u)
		if got := strings.Contains(stderr.String(), "plain HTTP reachable from other machines; put a TLS reverse proxy in front and pass --public-url https://"); got != tc.warn {
			t.Errorf("%s, %s: warned %v:\n%s", tc.listen, tc.public, got, stderr.String())
		}
	}
}

// The public URL and its base path come from the flags.
func TestWebPublicURL(t *testing.T) {
	for _, tc := range []struct {
		f    webFlags
		want string
	}{
		{webFlags{}, "http://127.0.0.1:8455/"},
		{webFlags{publicURL: "https://agent.example.test/codex"}, "https://agent.example.test/codex/"},
		{webFlags{publicURL: "https://agent.example.test/codex/", basePath: "/login/"}, "https://agent.example.test/login/"},
		{webFlags{basePath: "codex"}, ""},
		{webFlags{publicURL: "ftp://x/"}, ""},
		{webFlags{publicURL: "https://agent.example.test/?a=b"}, ""},
	} {
		u, err := publicURL(tc.f, "127.0.0.1:8455")
		if tc.want == "" {
			if err == nil {
				t.Errorf("%+v: %v, want a usage error", tc.f, u)
			}
			continue
		}
		if err != nil || u.String() != tc.want {
			t.Errorf("%+v: %v, %v; want %s", tc.f, u, err, tc.want)
		}
	}
	// A wildcard listening address is no address a browser can open: the
	// machine's name stands in for it.
	name, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	for _, listening := range []string{"0.0.0.0:8455", "[::]:8455"} {
		if u, err := publicURL(webFlags{}, listening); err != nil || u.String() != "http://"+net.JoinHostPort(name, "8455")+"/" {
			t.Errorf("listening on %s: %v, %v; want this machine's name %s", listening, u, err, name)
		}
	}
	if _, err := parseTrustedProxies([]string{"10.0.0.0/8", "192.0.2.1", "::1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := parseTrustedProxies([]string{"proxy.example"}); err == nil {
		t.Fatal("a host name was taken as a trusted proxy")
	}
}

// The page's errors come with the command line's hints, put for a person
// on the page.
func TestWebExplain(t *testing.T) {
	b := &webBackend{a: newApp(env{getenv: func(string) string { return "" }, stderr: io.Discard, stdout: io.Discard, root: fstest.MapFS{}})}
	for _, tc := range []struct {
		err           error
		message, hint string
	}{
		{&login.PasteError{Problem: "is not an address that can be read"}, "The pasted text is not", "copy the whole address"},
		{&login.StateError{}, "The sign-in redirect belongs to another login attempt", "the sign-in started last"},
		{&notSignedInError{location: "/x/auth.json"}, "Not signed in", "sign in on this page"},
		{&login.DeviceExpiredError{}, "", "sign in with a code again on this page"},
	} {
		o := b.Explain(tc.err)
		if o.OK || !strings.HasPrefix(o.Message, tc.message) || !strings.Contains(o.Hint, tc.hint) || strings.Contains(o.Hint, "codex-login") {
			t.Errorf("%T: %+v", tc.err, o)
		}
	}
}
