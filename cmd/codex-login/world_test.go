package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/login/logintest"
	"github.com/codex-login/codex-login/pac"
	"github.com/codex-login/codex-login/trust"
	"github.com/codex-login/codex-login/trust/trusttest"
)

// issuerHost is reachable only through the test proxy: nothing resolves it.
const issuerHost = "auth.corp.test"

// world is a fake issuer behind a TLS-inspecting proxy, with CAs made for
// this test, a CODEX_HOME and a scripted browser.
type world struct {
	t            *testing.T
	issuer       *logintest.Issuer
	server       *logintest.Server
	proxy        *trusttest.Proxy // the one codex-login uses
	proxyCA      *trusttest.CA
	caFile       string // the proxy's CA, PEM
	dir          string
	home         string // CODEX_HOME
	env          map[string]string
	browser      browserConfig
	issuerURL    string
	defaultPorts bool // leave the callback on 1455/1457 instead of a free port
	issuerFlag   bool // pass --issuer (default); a case may name the issuer elsewhere
	limits       *trust.Limits
	stdin        io.Reader                                 // what is typed or pasted; nil: stdin is not a terminal
	keyring      codexauth.Keyring                         // nil: the run has no keyring
	password     func() (string, error)                    // what is typed at a password prompt; nil: no prompt
	systemProxy  func(context.Context) (pac.System, error) // the OS proxy settings; nil: none
}

type worldOptions struct {
	issuer       logintest.Options
	user, pw     string // proxy Basic credentials it demands
	ntlm         bool   // the proxy demands NTLM (user as DOMAIN\user) instead of Basic
	defaultPorts bool
	httpsProxy   bool // the proxy is reached over TLS (https://)
	refuse       bool // the proxy answers every CONNECT with 403
	fault        trusttest.Fault
	answer       http.HandlerFunc // the proxy answers every CONNECT with this
	shortLimits  bool             // connection phases limited to a second or two
	proxyCAKey   crypto.Signer    // the inspection CA's key; nil for ECDSA P-256
	proxyCAName  string           // the inspection CA's name; default "Corp Inspection CA"
}

func newWorld(t *testing.T, o worldOptions) *world {
	t.Helper()
	originCA, err := trusttest.NewCA("Corp Test Origin CA")
	if err != nil {
		t.Fatal(err)
	}
	if o.proxyCAName == "" {
		o.proxyCAName = "Corp Inspection CA"
	}
	proxyCA, err := trusttest.NewCAWith(o.proxyCAName, trusttest.CAOptions{Key: o.proxyCAKey})
	if err != nil {
		t.Fatal(err)
	}
	o.issuer.AllowAnyPort = !o.defaultPorts
	iss := logintest.NewIssuer(o.issuer)
	srv, err := logintest.StartTLS(iss, originCA, issuerHost)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	newProxy := func(user, pw string, ntlm, overTLS, refuse bool, fault trusttest.Fault, answer http.HandlerFunc) *trusttest.Proxy {
		p, err := trusttest.NewProxy(trusttest.ProxyOptions{
			CA:            proxyCA,
			Upstream:      map[string]string{issuerHost: srv.Addr},
			UpstreamRoots: originCA.Pool(),
			User:          user,
			Password:      pw,
			NTLM:          ntlm,
			TLS:           overTLS,
			Refuse:        refuse,
			Fault:         fault,
			Answer:        answer,
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		return p
	}
	w := &world{t: t, issuerFlag: true, limits: shortLimits(o.shortLimits), issuer: iss, server: srv, proxy: newProxy(o.user, o.pw, o.ntlm, o.httpsProxy, o.refuse, o.fault, o.answer), proxyCA: proxyCA, dir: t.TempDir(), defaultPorts: o.defaultPorts}
	w.issuerURL = srv.URL(issuerHost)
	iss.SetURL(w.issuerURL)
	w.home = filepath.Join(w.dir, "codex")
	if w.caFile, err = proxyCA.WriteCert(w.dir, "corp.pem"); err != nil {
		t.Fatal(err)
	}
	// The browser has its own route to the issuer, so the codex-login proxy
	// counts only codex-login's tunnels.
	browserProxy := newProxy("", "", false, false, false, trusttest.NoFault, nil)
	w.browser = browserConfig{Proxy: browserProxy.URL().String(), CA: w.caFile, Marker: filepath.Join(w.dir, "browser-opened")}
	t.Cleanup(w.waitBrowser) // runs before the temporary directory is removed
	w.env = map[string]string{
		"HOME":        w.dir,
		"CODEX_HOME":  w.home,
		"HTTPS_PROXY": w.proxy.URL().String(),
		"BROWSER":     w.browserCommand(),
	}
	return w
}

// shortLimits are connection phase limits for cases that wait for one to
// expire; nil keeps trust's defaults.
func shortLimits(short bool) *trust.Limits {
	if !short {
		return nil
	}
	return &trust.Limits{Connect: 2 * time.Second, Proxy: 2 * time.Second, Handshake: 2 * time.Second, FirstByte: 3 * time.Second}
}

// browserCommand is $BROWSER: this test binary, running TestHelperBrowser.
func (w *world) browserCommand() string {
	cfg := filepath.Join(w.dir, "browser.json")
	data, _ := json.Marshal(w.browser)
	if err := os.WriteFile(cfg, data, 0o600); err != nil {
		w.t.Fatal(err)
	}
	return os.Args[0] + " -test.run=^TestHelperBrowser$ " + cfg
}

// login runs codex-login in-process with the world's environment plus the
// given args, and returns the exit code and what it printed.
func (w *world) login(args ...string) (code int, stdout, stderr string) {
	w.t.Helper()
	var out, errOut bytes.Buffer
	base := []string{"--timeout", "20s"}
	if w.issuerFlag {
		base = append(base, "--issuer", w.issuerURL)
	}
	if !contains(args, "--port") && !w.defaultPorts {
		base = append(base, "--port", fmt.Sprint(freePort(w.t)))
	}
	getenv := func(k string) string { return w.env[k] }
	e := env{getenv: getenv, stdout: &out, stderr: &errOut, systemFile: filepath.Join(w.dir, "system-config.toml"),
		codexSystemDir: filepath.Join(w.dir, "etc-codex"), root: fstest.MapFS{}, limits: w.limits,
		stdin: w.stdin, terminal: func() (int, int, bool) { return 0, 0, w.stdin != nil }, keyring: w.keyring,
		readPassword: w.password, systemProxy: w.systemProxy}
	// Each login waits for the browser it opened, so that a second login
	// in the same world never races the first one's browser.
	os.Remove(w.browser.Marker)
	os.Remove(w.browser.Marker + ".done")
	code = run(context.Background(), append(base, args...), e)
	w.waitBrowser()
	w.t.Logf("codex-login %s → %d\n%s", strings.Join(args, " "), code, errOut.String())
	return code, out.String(), errOut.String()
}

func (w *world) authPath() string { return filepath.Join(w.home, "auth.json") }

// writeOld installs an earlier login's auth.json and returns its bytes.
func (w *world) writeOld() []byte {
	w.t.Helper()
	old := []byte(`{"auth_mode":"chatgpt","OPENAI_API_KEY":null,"tokens":{"id_token":"eyJhbGciOiJub25lIn0.eyJlbWFpbCI6Im9sZEBjb3JwLnRlc3QifQ.c2ln","access_token":"old-at","refresh_token":"rt_old","oauth_provenance":{"issuer":"` + w.issuerURL + `","client_id":"` + logintest.DefaultClientID + `"},"account_id":"acct-old"},"last_refresh":"2026-01-01T00:00:00.000000000Z"}`)
	os.MkdirAll(w.home, 0o700)
	if err := os.WriteFile(w.authPath(), old, 0o600); err != nil {
		w.t.Fatal(err)
	}
	return old
}

func (w *world) assertUnchanged(old []byte) {
	w.t.Helper()
	got, err := os.ReadFile(w.authPath())
	if err != nil || !bytes.Equal(got, old) {
		w.t.Fatalf("auth.json changed by a failed login (err %v):\n%s", err, got)
	}
}

// waitBrowser waits for a browser that was started to finish writing.
func (w *world) waitBrowser() {
	for deadline := time.Now().Add(10 * time.Second); w.browserOpened() && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(w.browser.Marker + ".done"); err == nil {
			return
		}
	}
}

func (w *world) browserOpened() bool {
	_, err := os.Stat(w.browser.Marker)
	return err == nil
}

// assertNoSecrets fails if output holds a token from auth.json or a password.
func (w *world) assertNoSecrets(output string, extra ...string) {
	w.t.Helper()
	secrets := extra
	if f, err := (&codexauth.FileStore{Home: w.home}).Load(context.Background()); err == nil && f != nil && f.Tokens != nil {
		secrets = append(secrets, f.Tokens.IDToken, f.Tokens.AccessToken, f.Tokens.RefreshToken)
		if f.OpenAIAPIKey != nil {
			secrets = append(secrets, *f.OpenAIAPIKey)
		}
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(output, s) {
			w.t.Fatalf("output contains a secret (%.6s...)", s)
		}
	}
}

// browserConfig is what the scripted browser needs to reach the issuer.
type browserConfig struct {
	Proxy, CA, Marker string
	// Paste: the browser is on another machine. It signs in, and instead
	// of loading the address it is sent back to, it leaves that address in
	// Marker+".paste" for the test to paste.
	Paste bool
}

// pastedAddress is what a paste browser left to paste, "" until then.
func (w *world) pastedAddress() string {
	data, _ := os.ReadFile(w.browser.Marker + ".paste")
	return strings.TrimSpace(string(data))
}

// TestHelperBrowser is not a test: it is the browser that $BROWSER starts.
// It follows the authorize URL through its own proxy to the callback.
func TestHelperBrowser(t *testing.T) {
	args := flag.Args()
	if len(args) != 2 {
		t.Skip("run as $BROWSER only")
	}
	var cfg browserConfig
	data, err := os.ReadFile(args[0])
	if err == nil {
		err = json.Unmarshal(data, &cfg)
	}
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(cfg.Marker, []byte("opened"), 0o600)
	defer os.WriteFile(cfg.Marker+".done", nil, 0o600) // the last write: the test may clean up after it
	pem, err := os.ReadFile(cfg.CA)
	if err != nil {
		t.Fatal(err)
	}
	proxyURL, _ := url.Parse(cfg.Proxy)
	viaProxy := func(r *http.Request) (*url.URL, error) {
		if r.URL.Hostname() == "127.0.0.1" || r.URL.Hostname() == "localhost" {
			return nil, nil // the callback, like a browser's proxy bypass for loopback
		}
		return proxyURL, nil
	}
	tr := &http.Transport{Proxy: viaProxy, TLSClientConfig: &tls.Config{RootCAs: poolFromPEM(pem)}}
	if cfg.Paste {
		c := &http.Client{Transport: tr, Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		req, _ := http.NewRequest(http.MethodGet, args[1], nil)
		req.Header.Set("User-Agent", logintest.BrowserAgent)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		os.WriteFile(cfg.Marker+".paste.tmp", []byte(resp.Header.Get("Location")), 0o600)
		os.Rename(cfg.Marker+".paste.tmp", cfg.Marker+".paste")
		return
	}
	if _, err := logintest.Browse(&http.Client{Transport: tr, Timeout: 20 * time.Second}, args[1]); err != nil {
		os.WriteFile(cfg.Marker, []byte(err.Error()), 0o600)
		t.Fatal(err)
	}
}

func poolFromPEM(pem []byte) *x509.CertPool {
	p := x509.NewCertPool()
	p.AppendCertsFromPEM(pem)
	return p
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
