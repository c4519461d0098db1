package trust

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/codex-login/codex-login/trust/trusttest"
)

// TestInspectTLSProxy: with an https:// proxy, the handshake with the
// proxy itself comes before CONNECT, and the chain is still the host's.
func TestInspectTLSProxy(t *testing.T) {
	n := newInspectNet(t, "Corp Inspection CA", trusttest.ProxyOptions{TLS: true})
	in := inspect(t, Options{Pool: pool(t, false, n.inspect), Proxy: n.proxy.URL().String()}, discovery)
	logSteps(t, in)
	if in.Err != nil || stepNames(in) != "tcp tls connect tls http" {
		t.Fatalf("steps %q, err %v; want tcp tls connect tls http", stepNames(in), in.Err)
	}
	if !strings.HasPrefix(in.Steps[1].Detail, "proxy "+n.proxy.URL().Host+": TLS") || in.Chain[0].Subject.CommonName != "auth.corp.test" {
		t.Errorf("proxy tls Detail %q, leaf %q", in.Steps[1].Detail, in.Chain[0].Subject.CommonName)
	}
}

func TestInspectSOCKS(t *testing.T) {
	n := newInspectNet(t, "Corp Inspection CA", trusttest.ProxyOptions{})
	s, err := trusttest.NewSOCKS(trusttest.SOCKSOptions{Upstream: map[string]string{"auth.corp.test": n.originAddr}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	in := inspect(t, Options{Pool: pool(t, false, n.origin), Proxy: s.URL().String()}, discovery)
	logSteps(t, in)
	if in.Err != nil || stepNames(in) != "tcp connect tls http" || in.Steps[1].Detail != "SOCKS 5 to auth.corp.test:443" {
		t.Fatalf("steps %q, err %v; want tcp connect tls http", stepNames(in), in.Err)
	}
	if in.Product != "" || in.Verified[len(in.Verified)-1].Subject.CommonName != "Corp Test Origin CA" {
		t.Errorf("Product %q: SOCKS relays the server's own chain", in.Product)
	}
}

// TestInspectDirectComparesRoutes: the issuer's name resolves only at the
// proxy; the direct route fails at DNS, the proxied one works.
func TestInspectDirectComparesRoutes(t *testing.T) {
	n := newInspectNet(t, "Corp Inspection CA", trusttest.ProxyOptions{})
	c, err := NewClient(Options{Pool: pool(t, false, n.inspect), Proxy: n.proxy.URL().String(), Limits: short})
	if err != nil {
		t.Fatal(err)
	}
	defer c.HTTP.CloseIdleConnections()
	d := newDialer(c.limits)
	d.Resolver = &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		return nil, errors.New("no name server here")
	}}
	c.dialTCP = d.DialContext

	direct := c.InspectDirect(context.Background(), mustURL(t, discovery))
	logSteps(t, direct)
	var e *DNSError
	if !errors.As(direct.Err, &e) || stepNames(direct) != "dns!" || direct.Route.Proxy != nil || direct.Route.Direct != NoProxyConfigured {
		t.Fatalf("direct: steps %q, err %v, route %+v; want *DNSError at dns", stepNames(direct), direct.Err, direct.Route)
	}
	proxied := c.Inspect(context.Background(), mustURL(t, discovery))
	if proxied.Err != nil || proxied.Route.Proxy == nil {
		t.Fatalf("proxied: steps %q, err %v", stepNames(proxied), proxied.Err)
	}
}
