//go:build e2e

package main_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The real browser of the web cases: Debian's chromium, headless, driven
// over its DevTools pipe by chromedp, going out through a squid and trusting
// the inspection CA the way a user's browser on Linux does: through the NSS
// database in $HOME/.pki/nssdb (never by turning verification off). And the
// reverse proxy in front of the page: Debian's nginx, on loopback.

// e2eChromium is one running chromium.
type e2eChromium struct {
	ctx       context.Context // the browser's first tab
	pid       int
	stop      func()
	shots     string // where screenshots go
	n         int    // screenshots taken
	mu        sync.Mutex
	responses []*network.Response // every response of the first tab
	posts     []string            // every other request than GET of the first tab, with its Origin
	output    *e2eSyncBuffer
	born      time.Time
}

// e2eStartChromium starts chromium with a fresh profile and a fresh HOME
// whose NSS database trusts caFile (nothing when caFile is ""), going out
// through proxy (loopback is always direct: chromium bypasses the proxy for
// it). Screenshots go to shots. It is stopped, and its PID checked gone,
// when the test ends.
func e2eStartChromium(t *testing.T, proxy, caFile, caName, shots string) *e2eChromium {
	t.Helper()
	exe, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium is not installed (testdata/e2e/setup.sh installs it): %v", err)
	}
	home := filepath.Join(t.TempDir(), "browser-home")
	if caFile != "" {
		e2eNSSTrust(t, home, caFile, caName)
	} else if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out := &e2eSyncBuffer{}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("proxy-server", proxy),
		chromedp.WindowSize(1000, 760),
		// No user-data-dir: chromedp makes a fresh one under $TMPDIR, and
		// after the browser exits kills whatever child still uses it and
		// removes it.
		chromedp.Env("HOME="+home, "LANG=C.UTF-8"),
		chromedp.CombinedOutput(out),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	c := &e2eChromium{shots: shots, output: out, born: start}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		c.mu.Lock()
		defer c.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventResponseReceived:
			c.responses = append(c.responses, e.Response)
		case *network.EventRequestWillBeSent:
			if e.Request.Method != "GET" {
				c.posts = append(c.posts, fmt.Sprintf("%s %s, Origin %q", e.Request.Method, e.Request.URL, e2eHeader(e.Request.Headers, "Origin")))
			}
		}
	}))
	c.ctx = ctx
	// The first Run starts the browser; its context must have no timeout.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		acancel()
		t.Fatalf("start chromium: %v\n%s", err, out.String())
	}
	c.pid = chromedp.FromContext(ctx).Browser.Process().Pid
	t.Logf("chromium (pid %d) started in %v", c.pid, time.Since(start).Round(time.Millisecond))
	var once sync.Once
	c.stop = func() {
		once.Do(func() {
			stopped := time.Now()
			// Close the browser gracefully, then wait for the process;
			// kill it by its PID if that takes more than 10s.
			closed := make(chan struct{})
			go func() {
				_ = chromedp.Cancel(ctx)
				cancel()
				acancel()
				close(closed)
			}()
			select {
			case <-closed:
			case <-time.After(10 * time.Second):
				_ = syscall.Kill(c.pid, syscall.SIGKILL)
				t.Errorf("chromium pid %d did not close in 10s; killed", c.pid)
				<-closed
			}
			if err := syscall.Kill(c.pid, 0); !errors.Is(err, syscall.ESRCH) {
				_ = syscall.Kill(c.pid, syscall.SIGKILL)
				t.Errorf("chromium pid %d still exists after it was closed; killed", c.pid)
			}
			t.Logf("chromium stopped in %v", time.Since(stopped).Round(time.Millisecond))
			if t.Failed() {
				t.Logf("chromium output:\n%s", e2eTail(out.String(), 40))
				c.mu.Lock()
				for _, r := range c.responses {
					t.Logf("first tab got %d %s", r.Status, r.URL)
				}
				for _, p := range c.posts {
					t.Logf("first tab sent %s", p)
				}
				c.mu.Unlock()
			}
		})
	}
	t.Cleanup(c.stop)
	return c
}

// e2eNSSTrust makes the NSS database $HOME/.pki/nssdb that chromium reads on
// Linux, and adds caFile to it as a CA trusted for TLS servers: what a user
// does with `certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n NAME -i FILE`
// (or chromium's certificate settings).
func e2eNSSTrust(t *testing.T, home, caFile, caName string) {
	t.Helper()
	db := filepath.Join(home, ".pki", "nssdb")
	if err := os.MkdirAll(db, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"-N", "-d", "sql:" + db, "--empty-password"},
		{"-A", "-d", "sql:" + db, "-n", caName, "-t", "C,,", "-i", caFile},
	} {
		cmd := exec.Command("certutil", args...)
		cmd.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + home}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("certutil %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// run runs actions in the first tab, failing the test with what for.
func (c *e2eChromium) run(t *testing.T, what string, timeout time.Duration, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c.runIn(t, c.ctx, what, timeout, steps...)
}

func (c *e2eChromium) runIn(t *testing.T, ctx context.Context, what string, timeout time.Duration, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		c.shotIn(t, ctx, "failed-"+e2eSlug(what))
		t.Fatalf("browser: %s: %v", what, err)
	}
}

// waitPage waits until the first tab's page has an element matching the
// CSS selector sel and shows it. When the page shows an error message
// (#message.error, with its #hint) instead, it fails at once with its text.
func (c *e2eChromium) waitPage(t *testing.T, what, sel string, timeout time.Duration) {
	t.Helper()
	js := fmt.Sprintf(`(() => {
		if (document.querySelector(%q)) return "ok";
		const m = document.querySelector("#message.error");
		return m ? m.innerText : "";
	})()`, sel)
	ctx, cancel := context.WithTimeout(c.ctx, timeout)
	defer cancel()
	for {
		// A page being replaced has no context to evaluate in: ask again.
		state, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err == nil && state == "ok" {
			break
		}
		if err == nil && state != "" {
			c.shot(t, "failed-"+e2eSlug(what))
			t.Fatalf("browser: %s: the page shows an error instead of %s: %q", what, sel, state)
		}
		select {
		case <-ctx.Done():
			c.shot(t, "failed-"+e2eSlug(what))
			loc, _ := chromedp.Run(c.ctx, chromedp.Location())
			t.Fatalf("browser: %s: no %s on %s after %v (last error %v)", what, sel, loc, timeout, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
	c.run(t, what, timeout, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// shot saves a PNG of the whole page the first tab shows as NN-name.png.
func (c *e2eChromium) shot(t *testing.T, name string) { c.shotIn(t, c.ctx, name) }

func (c *e2eChromium) shotIn(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	c.n++
	path := filepath.Join(c.shots, fmt.Sprintf("%02d-%s.png", c.n, name))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	t.Logf("screenshot %s (%v after the browser started)", path, time.Since(c.born).Round(time.Millisecond))
}

// newTab opens a tab of its own, as a target="_blank" link does.
func (c *e2eChromium) newTab(t *testing.T) (context.Context, context.CancelFunc) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(c.ctx)
	// The first Run opens the tab; its context must have no timeout.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		t.Fatalf("browser: new tab: %v", err)
	}
	return ctx, cancel
}

// address navigates ctx's tab to u, which may fail to load, and returns the
// address the tab shows once it has settled on one that want accepts (the
// current entry of its history: the address bar's, even on an error page),
// and the navigation's error ("" when the page loaded).
func (c *e2eChromium) address(t *testing.T, ctx context.Context, u string, want func(string) bool) (addr, errorText string) {
	t.Helper()
	c.runIn(t, ctx, "open "+u, 30*time.Second, chromedp.Func(func(ctx context.Context, tab *chromedp.Target) error {
		nav, err := cdp.Call(ctx, tab, page.Navigate, page.NavigateParams{URL: u})
		if err != nil {
			return err
		}
		errorText = nav.ErrorText
		var last error
		defer func() {
			if errorText == "" {
				return
			}
			// Let the error page (a network error or a certificate
			// interstitial) paint its text before a screenshot.
			const painted = `document.readyState === "complete" && !!document.body && document.body.innerText.trim() !== ""`
			for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				if ok, err := chromedp.Evaluate[bool](painted)(ctx, tab); err == nil && ok {
					return
				}
			}
		}()
		for {
			// While chromium swaps the tab's renderer for the error page,
			// the tab answers "Not attached to an active page": ask again.
			h, err := cdp.Call(ctx, tab, page.GetNavigationHistory, cdp.Empty{})
			if last = err; err == nil {
				if cur := int(h.CurrentIndex); cur >= 0 && cur < len(h.Entries) {
					if addr = h.Entries[cur].URL; want(addr) {
						return nil
					}
				}
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("the tab shows %q (last error %v): %w", addr, last, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	}))
	return addr, errorText
}

// e2eNginx is a reverse proxy on loopback, started from a configuration in
// the test's temporary directory, stopped by its PID.
type e2eNginx struct {
	URL string // http://127.0.0.1:PORT
	dir string
}

// e2eStartNginx starts nginx on a free loopback port with the server block
// body locations (its "location" blocks), logging into the test's temporary
// directory, and stops it by its PID when the test ends.
func e2eStartNginx(t *testing.T, locations string) *e2eNginx {
	t.Helper()
	exe, err := exec.LookPath("nginx")
	if err != nil {
		if exe, err = exec.LookPath("/usr/sbin/nginx"); err != nil {
			t.Fatalf("nginx is not installed (testdata/e2e/setup.sh installs it): %v", err)
		}
	}
	dir := filepath.Join(t.TempDir(), "nginx")
	for _, d := range []string{"", "temp"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	port := e2eFreePort(t)
	user := ""
	if os.Getuid() == 0 {
		// Workers would run as nobody, who cannot enter the test's 0700
		// directories: run them as the test's user.
		user = "user root root;\n"
	}
	conf := fmt.Sprintf(`# nginx for the codex-login e2e web case (generated)
%[1]sdaemon off;
worker_processes 1;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log info;
events { worker_connections 64; }
http {
	access_log %[2]s/access.log;
	client_body_temp_path %[2]s/temp/body;
	proxy_temp_path %[2]s/temp/proxy;
	fastcgi_temp_path %[2]s/temp/fastcgi;
	uwsgi_temp_path %[2]s/temp/uwsgi;
	scgi_temp_path %[2]s/temp/scgi;
	server {
		listen 127.0.0.1:%[3]d;
		server_name localhost;
		log_not_found off; # chromium's /favicon.ico
%[4]s
	}
}
`, user, dir, port, locations)
	confFile := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confFile, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	cmd := exec.Command(exe, "-p", dir, "-c", confFile, "-e", filepath.Join(dir, "error.log"))
	out := &e2eSyncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("nginx: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	n := &e2eNginx{URL: fmt.Sprintf("http://127.0.0.1:%d", port), dir: dir}
	stopped := false
	t.Cleanup(func() {
		if stopped {
			return
		}
		// SIGQUIT: graceful stop; the master waits for its workers.
		_ = cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			t.Errorf("nginx (pid %d) did not stop in 10s on SIGQUIT; killed", cmd.Process.Pid)
		}
		if t.Failed() {
			errLog, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			accessLog, _ := os.ReadFile(filepath.Join(dir, "access.log"))
			t.Logf("nginx output: %s\nerror.log:\n%s\naccess.log:\n%s", e2eIndent(out.String()), e2eTail(string(errLog), 30), e2eTail(string(accessLog), 30))
		}
	})
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-exited:
			stopped = true
			errLog, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx exited at start: %v\n%s\n%s\n%s", err, out.String(), errLog, conf)
		default:
		}
		if c, err := e2eDialLoopback(port); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx (pid %d) does not listen on %d after 10s", cmd.Process.Pid, port)
		}
	}
	t.Logf("nginx (pid %d) on %s, started in %v", cmd.Process.Pid, n.URL, time.Since(start).Round(time.Millisecond))
	return n
}

// e2eDialLoopback connects to 127.0.0.1:port.
func e2eDialLoopback(port int) (net.Conn, error) {
	return net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
}

// e2eArtifacts is the directory, emptied, where a case leaves files for
// people to look at after the run: $E2E_ARTIFACTS/NAME (run.sh sets it),
// else .e2e-artifacts/NAME at the top of the repository.
func e2eArtifacts(t *testing.T, name string) string {
	t.Helper()
	base := os.Getenv("E2E_ARTIFACTS")
	if base == "" {
		base = filepath.Join("..", "..", ".e2e-artifacts")
	}
	dir, err := filepath.Abs(filepath.Join(base, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// e2eSlug is s as a file name part.
func e2eSlug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
				b.WriteByte('-')
			}
		}
		if b.Len() >= 40 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}

// text is the text of the first element of the first tab matching the CSS
// selector sel.
func (c *e2eChromium) text(t *testing.T, sel string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		c.shot(t, "failed-text-"+e2eSlug(sel))
		t.Fatalf("browser: text of %s: %v", sel, err)
	}
	return s
}

// attr is the attribute name of the first element matching sel.
func (c *e2eChromium) attr(t *testing.T, sel, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
	defer cancel()
	a, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil || !a.Exists {
		c.shot(t, "failed-attr-"+e2eSlug(sel))
		t.Fatalf("browser: attribute %s of %s: %v (exists %v)", name, sel, err, a.Exists)
	}
	return a.Value
}
