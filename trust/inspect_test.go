package trust

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/codex-login/codex-login/trust/trusttest"
)

// inspectNet is an issuer reachable only as auth.corp.test, behind a
// TLS-inspecting proxy whose CA is named like a real product's.
type inspectNet struct {
	origin, inspect *trusttest.CA
	proxy           *trusttest.Proxy
	originAddr      string
}

func newInspectNet(t *testing.T, caName string, o trusttest.ProxyOptions) *inspectNet {
	t.Helper()
	n := &inspectNet{origin: newCA(t, "Corp Test Origin CA"), inspect: newCA(t, caName)}
	leaf, err := n.origin.Issue("auth.corp.test")
	if err != nil {
		t.Fatal(err)
	}
	n.originAddr = serveTLSWith(t, leaf, issuerPages).Listener.Addr().String()
	o.CA = n.inspect
	o.Upstream = map[string]string{"auth.corp.test": n.originAddr}
	o.UpstreamRoots = n.origin.Pool()
	if n.proxy, err = trusttest.NewProxy(o); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.proxy.Close)
	return n
}

// issuerPages answers like an issuer's discovery document, or with a
// proxy's block page, or a redirect.
func issuerPages(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/blocked":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<html><head><title>Website blocked by corporate policy</title></head><body>Access denied</body></html>")
	case "/moved":
		http.Redirect(w, r, "https://elsewhere.corp.test/", http.StatusFound)
	default:
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"issuer":"https://auth.corp.test"}`)
	}
}

const discovery = "https://auth.corp.test/.well-known/openid-configuration"

func inspect(t *testing.T, o Options, rawURL string) *Inspection {
	t.Helper()
	c, err := NewClient(o)
	if err != nil {
		t.Fatal(err)
	}
	defer c.HTTP.CloseIdleConnections()
	return c.Inspect(context.Background(), mustURL(t, rawURL))
}

// stepNames lists the steps, a failed one marked with "!".
func stepNames(in *Inspection) string {
	var out []string
	for _, s := range in.Steps {
		if s.Err != nil {
			out = append(out, s.Name+"!")
			continue
		}
		out = append(out, s.Name)
	}
	return strings.Join(out, " ")
}

func logSteps(t *testing.T, in *Inspection) {
	t.Helper()
	for _, s := range in.Steps {
		t.Logf("%-8s %-60s %v %v", s.Name, s.Detail, s.Took, s.Err)
	}
}

func TestInspectThroughTrustedProxy(t *testing.T) {
	n := newInspectNet(t, "Zscaler Root CA", trusttest.ProxyOptions{User: "dev", Password: proxyPassword})
	proxy := n.proxy.URL()
	in := inspect(t, Options{Pool: pool(t, false, n.inspect), Proxy: "http://dev:" + proxyPassword + "@" + proxy.Host,
		ProxySource: "HTTPS_PROXY"}, discovery)
	logSteps(t, in)
	if in.Err != nil || stepNames(in) != "tcp connect tls http" {
		t.Fatalf("steps %q, err %v; want tcp connect tls http", stepNames(in), in.Err)
	}
	want := []string{proxy.Host, "HTTP/1.1 200 Connection established", "TLS 1.3, TLS_", "200 application/json"}
	for i, s := range in.Steps {
		if !strings.HasPrefix(s.Detail, want[i]) {
			t.Errorf("step %s: Detail %q, want %q", s.Name, s.Detail, want[i])
		}
		if strings.Contains(s.Detail, proxyPassword) {
			t.Errorf("step %s shows the proxy password", s.Name)
		}
	}
	if in.Route.Proxy == nil || in.Route.Proxy.String() != "http://dev:xxxxx@"+proxy.Host || in.ProxySource != "HTTPS_PROXY" {
		t.Errorf("Route.Proxy = %v from %q, want the redacted proxy from HTTPS_PROXY", in.Route.Proxy, in.ProxySource)
	}
	if len(in.Chain) != 2 || len(in.Verified) != 2 || !in.Verified[1].Equal(n.inspect.Cert) || in.RootSource != "--ca" {
		t.Errorf("Chain %d, Verified %d, RootSource %q; want the forged chain verified to the --ca root", len(in.Chain), len(in.Verified), in.RootSource)
	}
	if in.Product != "Zscaler" || in.Status != 200 || in.ContentType != "application/json" || in.Refusals != nil || in.Problems != nil {
		t.Errorf("Product %q, Status %d %q, Refusals %v, Problems %v", in.Product, in.Status, in.ContentType, in.Refusals, in.Problems)
	}
}

func TestInspectUntrustedProxy(t *testing.T) {
	n := newInspectNet(t, "Zscaler Root CA", trusttest.ProxyOptions{})
	in := inspect(t, Options{Pool: pool(t, false, n.origin), Proxy: n.proxy.URL().String()}, discovery)
	logSteps(t, in)
	var e *UntrustedError
	if !errors.As(in.Err, &e) || e.CA != "Zscaler Root CA" || stepNames(in) != "tcp connect tls!" {
		t.Fatalf("steps %q, err %v; want *UntrustedError at tls", stepNames(in), in.Err)
	}
	if in.Steps[2].Err != in.Err {
		t.Errorf("tls step error %v, want the explained one", in.Steps[2].Err)
	}
	if len(in.Chain) != 2 || in.Chain[0].Subject.CommonName != "auth.corp.test" || !in.Chain[1].Equal(n.inspect.Cert) {
		t.Errorf("Chain = %d certificates, want the forged leaf and the proxy's CA", len(in.Chain))
	}
	if in.Product != "Zscaler" || in.Verified != nil || in.RootSource != "" || in.Status != 0 {
		t.Errorf("Product %q, Verified %d, RootSource %q, Status %d", in.Product, len(in.Verified), in.RootSource, in.Status)
	}
}

func TestInspectDirectRoute(t *testing.T) {
	ca := newCA(t, "Corp Test Origin CA")
	leaf, err := ca.Issue("localhost")
	if err != nil {
		t.Fatal(err)
	}
	srv := serveTLSWith(t, leaf, issuerPages)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	in := inspect(t, Options{Pool: pool(t, false, ca)}, "https://localhost:"+port+"/.well-known/openid-configuration")
	logSteps(t, in)
	if in.Err != nil || stepNames(in) != "dns tcp tls http" {
		t.Fatalf("steps %q, err %v; want dns tcp tls http", stepNames(in), in.Err)
	}
	if d := in.Steps[0].Detail; !strings.HasPrefix(d, "localhost → ") || !strings.Contains(d, "127.0.0.1") {
		t.Errorf("dns Detail = %q", d)
	}
	if in.Route.Direct != Loopback || in.Route.Proxy != nil || in.ProxySource != "" || in.Product != "" {
		t.Errorf("Route %+v, ProxySource %q, Product %q", in.Route, in.ProxySource, in.Product)
	}
}

func TestInspectFailingProxies(t *testing.T) {
	dead := closedPort(t)
	tests := []struct {
		name, proxy string // "" for the inspecting proxy
		o           trusttest.ProxyOptions
		steps       string
		check       func(t *testing.T, in *Inspection)
	}{
		{name: "nothing listens", proxy: "http://" + dead, steps: "tcp!", check: func(t *testing.T, in *Inspection) {
			var e *ProxyUnreachableError
			if !errors.As(in.Err, &e) || in.Chain != nil {
				t.Errorf("err = %v, want *ProxyUnreachableError", in.Err)
			}
		}},
		{name: "refuses", o: trusttest.ProxyOptions{Refuse: true}, steps: "tcp connect!", check: func(t *testing.T, in *Inspection) {
			var e *ProxyRefusedError
			if !errors.As(in.Err, &e) || in.Steps[1].Detail != "HTTP/1.1 403 Forbidden" {
				t.Errorf("err = %v, connect Detail %q; want *ProxyRefusedError and the status", in.Err, in.Steps[1].Detail)
			}
		}},
		{name: "hangs up", o: trusttest.ProxyOptions{Fault: trusttest.FaultHangUp}, steps: "tcp connect!", check: func(t *testing.T, in *Inspection) {
			var e *ProxyHangupError
			if !errors.As(in.Err, &e) || in.Steps[1].Detail != "CONNECT auth.corp.test:443" {
				t.Errorf("err = %v, connect Detail %q; want *ProxyHangupError", in.Err, in.Steps[1].Detail)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newInspectNet(t, "Corp Inspection CA", tt.o)
			proxy := tt.proxy
			if proxy == "" {
				proxy = n.proxy.URL().String()
			}
			in := inspect(t, Options{Pool: pool(t, false, n.inspect), Proxy: proxy, Limits: short}, discovery)
			logSteps(t, in)
			if stepNames(in) != tt.steps || in.Err == nil || in.Steps[len(in.Steps)-1].Err != in.Err {
				t.Fatalf("steps %q, err %v; want %q failing with the explained error", stepNames(in), in.Err, tt.steps)
			}
			tt.check(t, in)
		})
	}
}

func TestInspectReplies(t *testing.T) {
	n := newInspectNet(t, "Corp Inspection CA", trusttest.ProxyOptions{})
	o := Options{Pool: pool(t, false, n.inspect), Proxy: n.proxy.URL().String()}

	blocked := inspect(t, o, "https://auth.corp.test/blocked")
	if blocked.Err != nil || blocked.Status != 200 || blocked.ContentType != "text/html" || blocked.Page != "Website blocked by corporate policy" {
		t.Errorf("block page: Status %d %q, Page %q, err %v", blocked.Status, blocked.ContentType, blocked.Page, blocked.Err)
	}
	if d := blocked.Steps[len(blocked.Steps)-1].Detail; d != "200 text/html" {
		t.Errorf("http Detail = %q", d)
	}
	moved := inspect(t, o, "https://auth.corp.test/moved")
	if moved.Err != nil || moved.Status != http.StatusFound {
		t.Errorf("redirect: Status %d, err %v; want 302 not followed", moved.Status, moved.Err)
	}
}
