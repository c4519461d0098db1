package trust

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/codex-login/codex-login/trust/trusttest"
)

const proxyPassword = "s3cr3t-pa55"

func TestClientThroughInspectingProxy(t *testing.T) {
	tests := []struct {
		name       string
		proxy      trusttest.ProxyOptions
		user, pass string
		trustProxy bool
		target     string
		check      func(t *testing.T, err error)
	}{
		{name: "proxy CA not trusted", check: func(t *testing.T, err error) {
			var e *UntrustedError
			if !errors.As(err, &e) || e.CA != "Corp Inspection CA" || e.Host != "auth.corp.test" || len(e.Chain) == 0 {
				t.Fatalf("err = %v, want *UntrustedError naming Corp Inspection CA", err)
			}
			if !strings.Contains(err.Error(), `issued by "Corp Inspection CA", which is not trusted here`) {
				t.Errorf("Error() = %q", err)
			}
		}},
		{name: "proxy CA trusted", trustProxy: true},
		{name: "auth missing", proxy: trusttest.ProxyOptions{User: "dev", Password: proxyPassword}, trustProxy: true,
			check: func(t *testing.T, err error) {
				var e *ProxyAuthError
				if !errors.As(err, &e) || e.HadCredentials || strings.Join(e.Schemes, ",") != "Basic" {
					t.Fatalf("err = %v (%#v), want *ProxyAuthError{Schemes: [Basic]}", err, e)
				}
			}},
		{name: "auth wrong", proxy: trusttest.ProxyOptions{User: "dev", Password: "other"}, user: "dev", pass: proxyPassword, trustProxy: true,
			check: func(t *testing.T, err error) {
				var e *ProxyAuthError
				if !errors.As(err, &e) || !e.HadCredentials {
					t.Fatalf("err = %v, want *ProxyAuthError with HadCredentials", err)
				}
				if !strings.Contains(e.Proxy, "dev:xxxxx@") {
					t.Errorf("Proxy = %q, want the redacted URL", e.Proxy)
				}
			}},
		{name: "auth right", proxy: trusttest.ProxyOptions{User: "dev", Password: proxyPassword}, user: "dev", pass: proxyPassword, trustProxy: true},
		{name: "refused", proxy: trusttest.ProxyOptions{Refuse: true}, trustProxy: true, check: func(t *testing.T, err error) {
			var e *ProxyRefusedError
			if !errors.As(err, &e) || e.Status != "403 Forbidden" || e.Host != "auth.corp.test" {
				t.Fatalf("err = %v, want *ProxyRefusedError 403 for auth.corp.test", err)
			}
		}},
		{name: "unknown host", trustProxy: true, target: "https://elsewhere.corp.test/", check: func(t *testing.T, err error) {
			var e *ProxyRefusedError
			if !errors.As(err, &e) || e.Status != "502 Bad Gateway" {
				t.Fatalf("err = %v, want *ProxyRefusedError 502", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newCorpNet(t, tt.proxy)
			p := pool(t, true)
			if tt.trustProxy {
				p = pool(t, true, n.inspect)
			}
			c, err := NewClient(Options{Pool: p, Proxy: n.proxyURL(tt.user, tt.pass), ProxySource: "--proxy"})
			if err != nil {
				t.Fatal(err)
			}
			defer c.HTTP.CloseIdleConnections()
			target := tt.target
			if target == "" {
				target = "https://auth.corp.test/"
			}
			body, err := get(t, c, target)
			if tt.check == nil {
				if err != nil || body != "hello from auth.corp.test" {
					t.Fatalf("GET = %q, %v", body, err)
				}
				// The connection is kept alive: one tunnel for two requests.
				if _, err := get(t, c, target); err != nil {
					t.Fatal(err)
				}
				if got := n.proxy.Connects("auth.corp.test"); got != 1 {
					t.Errorf("Connects = %d, want 1", got)
				}
				return
			}
			if err == nil {
				t.Fatalf("GET %s succeeded", target)
			}
			if strings.Contains(err.Error(), proxyPassword) {
				t.Errorf("error shows the proxy password: %v", err)
			}
			t.Log(err) // the text a person reads
			tt.check(t, err)
		})
	}
}

func TestClientDirect(t *testing.T) {
	ca := newCA(t, "Corp Test Origin CA")
	ok, err := ca.Issue("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	srv := serveTLS(t, ok)
	c, err := NewClient(Options{Pool: pool(t, false, ca)})
	if err != nil {
		t.Fatal(err)
	}
	if body, err := get(t, c, srv.URL); err != nil || body == "" {
		t.Fatalf("GET = %q, %v", body, err)
	}
	if c.ProxyFor(mustURL(t, srv.URL)) != nil {
		t.Error("ProxyFor != nil without a proxy")
	}
}

func TestNewClientProxyURL(t *testing.T) {
	tests := []struct {
		in, want string // want "" = *ProxyURLError
	}{
		{"proxy.corp.example:3128", "http://proxy.corp.example:3128"},
		{"127.0.0.1:3128", "http://127.0.0.1:3128"},
		{"http://u:p@proxy:8080/", "http://u:p@proxy:8080/"},
		{"https://proxy:443", "https://proxy:443"},
		{"socks5h://127.0.0.1:1080", "socks5h://127.0.0.1:1080"},
		{"ftp://proxy:21", ""},
		{"http://proxy:99999", ""},
		{"http://proxy:8080/proxy.pac", ""},
		{"http://u:" + proxyPassword + "%zz@proxy:8080", ""},
		{"http://u:" + proxyPassword + "@", ""},
	}
	for _, tt := range tests {
		c, err := NewClient(Options{Pool: &Pool{}, Proxy: tt.in, ProxySource: "HTTPS_PROXY"})
		if tt.want == "" {
			var e *ProxyURLError
			if !errors.As(err, &e) || e.Source != "HTTPS_PROXY" {
				t.Errorf("NewClient(%q) = %v, want *ProxyURLError", tt.in, err)
			} else if strings.Contains(err.Error(), proxyPassword) {
				t.Errorf("NewClient(%q): error shows the password: %v", tt.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("NewClient(%q): %v", tt.in, err)
			continue
		}
		if got := c.proxy.String(); got != tt.want {
			t.Errorf("NewClient(%q): proxy %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestProxyForNoProxy(t *testing.T) {
	c, err := NewClient(Options{Pool: &Pool{}, Proxy: "http://proxy.corp.example:3128", NoProxy: ".corp.test,intranet.example"})
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"https://auth.openai.com/oauth/token": "http://proxy.corp.example:3128",
		"https://auth.corp.test/":             "",
		"https://deep.auth.corp.test:8443/":   "",
		"https://intranet.example/":           "",
		"https://127.0.0.1:1455/":             "", // httpproxy never proxies loopback
		"https://localhost/":                  "",
	} {
		got := ""
		if u := c.ProxyFor(mustURL(t, in)); u != nil {
			got = u.String()
		}
		if got != want {
			t.Errorf("ProxyFor(%s) = %q, want %q", in, got, want)
		}
	}
}

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestRouteSaysWhyDirect(t *testing.T) {
	proxied, err := NewClient(Options{Pool: &Pool{}, Proxy: "http://proxy.corp.test:3128", NoProxy: ".internal.test"})
	if err != nil {
		t.Fatal(err)
	}
	direct, err := NewClient(Options{Pool: &Pool{}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		c         *Client
		url       string
		wantProxy string
		want      Direct
	}{
		{proxied, "https://auth.corp.test", "proxy.corp.test:3128", 0},
		{proxied, "https://login.internal.test", "", NoProxyMatch},
		{proxied, "http://127.0.0.1:8080", "", Loopback},
		{proxied, "http://localhost:8080", "", Loopback},
		{direct, "https://auth.corp.test", "", NoProxyConfigured},
		{direct, "http://[::1]:8080", "", Loopback},
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.url)
		r := tt.c.Route(u)
		got := ""
		if r.Proxy != nil {
			got = r.Proxy.Host
		}
		if got != tt.wantProxy || r.Direct != tt.want {
			t.Errorf("Route(%s) = %+v, want proxy %q direct %d", tt.url, r, tt.wantProxy, tt.want)
		}
	}
}
