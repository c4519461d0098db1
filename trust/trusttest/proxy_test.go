package trusttest

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"
)

type fixture struct {
	origin, inspect *CA
	srv             *httptest.Server
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{}
	var err error
	if f.origin, err = NewCA("Origin CA"); err != nil {
		t.Fatal(err)
	}
	if f.inspect, err = NewCA("Inspection CA"); err != nil {
		t.Fatal(err)
	}
	leaf, err := f.origin.Issue("auth.corp.test")
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		io.WriteString(w, r.Method+" "+r.Host+r.URL.Path+" "+string(body))
	}))
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	f.srv.TLS = &tls.Config{Certificates: []tls.Certificate{leaf}}
	f.srv.StartTLS()
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) options() ProxyOptions {
	return ProxyOptions{
		CA:            f.inspect,
		Upstream:      map[string]string{"auth.corp.test": f.srv.Listener.Addr().String()},
		UpstreamRoots: f.origin.Pool(),
	}
}

func client(p *Proxy, user, pass string, roots *x509.CertPool) *http.Client {
	u := p.URL()
	if user != "" {
		u.User = url.UserPassword(user, pass)
	}
	return &http.Client{Transport: &http.Transport{
		Proxy:           http.ProxyURL(u),
		TLSClientConfig: &tls.Config{RootCAs: roots},
	}}
}

func TestProxy(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name       string
		adjust     func(*ProxyOptions)
		user, pass string
		target     string
		want       string // body, or the start of the error
		connects   int
	}{
		{name: "inspects", want: "POST auth.corp.test:8443/token hi", connects: 1},
		{name: "auth ok", adjust: func(o *ProxyOptions) { o.User, o.Password = "u", "p" }, user: "u", pass: "p",
			want: "POST auth.corp.test:8443/token hi", connects: 1},
		{name: "auth missing", adjust: func(o *ProxyOptions) { o.User, o.Password = "u", "p" }, want: "Proxy Authentication Required"},
		{name: "auth wrong", adjust: func(o *ProxyOptions) { o.User, o.Password = "u", "p" }, user: "u", pass: "q", want: "Proxy Authentication Required"},
		{name: "refuse", adjust: func(o *ProxyOptions) { o.Refuse = true }, want: "Forbidden"},
		{name: "unknown host", target: "https://other.corp.test/", want: "Bad Gateway"},
		{name: "upstream untrusted", adjust: func(o *ProxyOptions) { o.UpstreamRoots = nil }, want: "status 502", connects: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := f.options()
			if tt.adjust != nil {
				tt.adjust(&o)
			}
			p, err := NewProxy(o)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			c := client(p, tt.user, tt.pass, f.inspect.Pool())
			defer c.CloseIdleConnections()
			target := tt.target
			if target == "" {
				target = "https://auth.corp.test:8443/token"
			}
			got := ""
			for range 2 { // twice: the tunnel is kept alive
				resp, err := c.Post(target, "text/plain", strings.NewReader("hi"))
				if err != nil {
					got = err.Error()
					break
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				got = string(body)
				if resp.StatusCode != http.StatusOK {
					got = "status " + resp.Status
				}
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if n := p.Connects("auth.corp.test"); n != tt.connects {
				t.Errorf("Connects = %d, want %d", n, tt.connects)
			}
		})
	}
}

func TestNewProxyRefusesNonLoopback(t *testing.T) {
	ca, err := NewCA("x")
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"192.0.2.1:443", "example.com:443", "127.0.0.1"} {
		if p, err := NewProxy(ProxyOptions{CA: ca, Upstream: map[string]string{"h": addr}}); err == nil {
			p.Close()
			t.Errorf("NewProxy accepted upstream %s", addr)
		}
	}
}

// TestProxyCloseLeaksNothing closes the proxy with a tunnel still open.
func TestProxyCloseLeaksNothing(t *testing.T) {
	f := newFixture(t)
	before := runtime.NumGoroutine()
	p, err := NewProxy(f.options())
	if err != nil {
		t.Fatal(err)
	}
	c := client(p, "", "", f.inspect.Pool())
	resp, err := c.Get("https://auth.corp.test/")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	p.Close()
	p.Close() // twice is fine
	if _, err := c.Get("https://auth.corp.test/"); err == nil {
		t.Error("request through a closed proxy succeeded")
	}
	c.CloseIdleConnections()
	f.srv.CloseClientConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after Close, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}
