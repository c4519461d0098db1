package trusttest

import (
	"crypto/rand"
	"crypto/rsa"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestListenersAreLoopbackOnly(t *testing.T) {
	f := newFixture(t)
	var urls []*url.URL
	for _, tlsProxy := range []bool{false, true} {
		o := f.options()
		o.TLS = tlsProxy
		p, err := NewProxy(o)
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		urls = append(urls, p.URL())
	}
	s, err := NewSOCKS(SOCKSOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	urls = append(urls, s.URL())
	for _, u := range urls {
		if u.Hostname() != "127.0.0.1" {
			t.Errorf("%s listens beyond 127.0.0.1", u)
		}
	}
	if _, err := NewSOCKS(SOCKSOptions{Upstream: map[string]string{"h": "192.0.2.1:443"}}); err == nil {
		t.Error("NewSOCKS accepted an upstream off loopback")
	}
}

// TestFaults: each fault stops a CONNECT at its own step.
func TestFaults(t *testing.T) {
	f := newFixture(t)
	for fault, want := range map[Fault]string{
		FaultNoAnswer:    "context deadline exceeded",
		FaultHangUp:      "EOF",
		FaultNoHandshake: "TLS handshake timeout",
	} {
		o := f.options()
		o.Fault = fault
		p, err := NewProxy(o)
		if err != nil {
			t.Fatal(err)
		}
		c := client(p, "", "", f.inspect.Pool())
		c.Transport.(*http.Transport).TLSHandshakeTimeout = 300 * time.Millisecond
		c.Timeout = time.Second
		_, err = c.Get("https://auth.corp.test/")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("fault %d: err = %v, want %q", fault, err, want)
		}
		if n, wantN := p.Connects("auth.corp.test"), map[bool]int{true: 1}[fault == FaultNoHandshake]; n != wantN {
			t.Errorf("fault %d: Connects = %d, want %d", fault, n, wantN)
		}
		c.CloseIdleConnections()
		p.Close()
	}
}

// TestBreakTunnels: a broken tunnel fails its next request; a new tunnel
// works.
func TestBreakTunnels(t *testing.T) {
	f := newFixture(t)
	for _, b := range []Break{BreakClose, BreakReset, BreakSilent} {
		p, err := NewProxy(f.options())
		if err != nil {
			t.Fatal(err)
		}
		c := client(p, "", "", f.inspect.Pool())
		c.Timeout = 300 * time.Millisecond
		if err := fetch(c, nil); err != nil {
			t.Fatal(err)
		}
		p.BreakTunnels(b)
		if err := fetch(c, io.NopCloser(strings.NewReader("once"))); err == nil {
			t.Errorf("break %d: the request on the broken tunnel succeeded", b)
		}
		c.CloseIdleConnections()
		if err := fetch(c, nil); err != nil || p.Connects("auth.corp.test") != 2 {
			t.Errorf("break %d: on a new tunnel: %v, %d tunnels", b, err, p.Connects("auth.corp.test"))
		}
		p.Close()
	}
}

// fetch POSTs body (a GET when nil); a body that cannot be rewound is
// never sent again by net/http.
func fetch(c *http.Client, body io.ReadCloser) error {
	method := http.MethodGet
	if body != nil {
		method = http.MethodPost
	}
	req, _ := http.NewRequest(method, "https://auth.corp.test/", body)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

func TestNewCAWithRSAKey(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := NewCAWith("Weak CA", CAOptions{Key: key})
	if err != nil {
		t.Fatal(err)
	}
	if k, ok := ca.Cert.PublicKey.(*rsa.PublicKey); !ok || k.N.BitLen() != 1024 || !ca.Cert.IsCA {
		t.Fatalf("CA key %T, want a 1024-bit RSA CA", ca.Cert.PublicKey)
	}
	leaf, err := ca.Issue("auth.corp.test")
	if err != nil {
		t.Fatal(err)
	}
	if err := leaf.Leaf.CheckSignatureFrom(ca.Cert); err != nil {
		t.Error(err)
	}
}
