package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/codex-login/codex-login/login/logintest"
)

// lockedBuffer is stderr as the test reads it while codex-login writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// On an SSH host with no tunnel: no browser is tried, the URL, the tunnel
// line and the way to paste are shown; the user signs in on their laptop,
// whose browser fails to load the address it is sent back to, and pastes
// that address into the terminal.
func TestSSHSessionWithoutATunnel(t *testing.T) {
	w := newWorld(t, worldOptions{defaultPorts: true})
	delete(w.env, "BROWSER")
	w.env["SSH_CONNECTION"] = "192.0.2.7 50022 192.0.2.1 22"
	w.env["USER"] = "dev"
	pr, pw := io.Pipe()
	defer pw.Close()
	var stderr lockedBuffer
	e := env{getenv: func(k string) string { return w.env[k] }, stdout: io.Discard, stderr: &stderr,
		systemFile: filepath.Join(w.dir, "none.toml"), root: fstest.MapFS{}, stdin: pr,
		terminal: func() (int, int, bool) { return 80, 24, true }}
	go func() { // the user, at the laptop
		re := regexp.MustCompile(`https://\S+/oauth/authorize\?\S+`)
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if u := re.FindString(stderr.String()); u != "" && strings.Contains(stderr.String(), "paste it here") {
				io.WriteString(pw, laptopSignIn(t, w, u)+"\n")
				return
			}
		}
	}()
	code := run(context.Background(), []string{"--ca", w.caFile, "--issuer", w.issuerURL, "--timeout", "20s"}, e)
	out := stderr.String()
	t.Logf("what the user sees:\n%s", out)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"Open this URL in a browser to sign in", "ssh -L 1455:127.0.0.1:1455 dev@", "paste it here", "Signed in to Codex as dev@corp.test"} {
		if !strings.Contains(out, want) {
			t.Errorf("the session does not show %q", want)
		}
	}
	if strings.Contains(out, "could not open a browser") {
		t.Error("a browser was tried on an SSH host")
	}
}

// laptopSignIn signs in at u with a browser that cannot reach the SSH host
// and returns the address it was sent back to, as the user copies it.
func laptopSignIn(t *testing.T, w *world, u string) string {
	proxy, _ := url.Parse(w.browser.Proxy)
	c := &http.Client{Timeout: 10 * time.Second,
		Transport:     &http.Transport{Proxy: http.ProxyURL(proxy), TLSClientConfig: &tls.Config{RootCAs: w.proxyCA.Pool()}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("User-Agent", logintest.BrowserAgent)
	resp, err := c.Do(req)
	if err != nil {
		t.Error(err)
		return ""
	}
	resp.Body.Close()
	return resp.Header.Get("Location")
}
