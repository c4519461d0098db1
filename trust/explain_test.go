package trust

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codex-login/codex-login/trust/trusttest"
)

// TestExplainDirect makes real TLS failures against servers on 127.0.0.1.
func TestExplainDirect(t *testing.T) {
	ca := newCA(t, "Corp Test Origin CA")
	other := newCA(t, "Someone Else CA")
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	issue := func(ca *trusttest.CA, o trusttest.LeafOptions, names ...string) tls.Certificate {
		c, err := ca.IssueWith(o, names...)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	past := trusttest.LeafOptions{NotBefore: time.Now().Add(-72 * time.Hour), NotAfter: time.Now().Add(-24 * time.Hour)}
	future := trusttest.LeafOptions{NotBefore: time.Now().Add(24 * time.Hour), NotAfter: time.Now().Add(72 * time.Hour)}
	oldRoot := caWith(t, "Old Corp Root", time.Now().Add(-72*time.Hour), time.Now().Add(-time.Hour))
	renewed := newCA(t, "Old Corp Root") // same name, new key

	tests := []struct {
		name  string
		cert  tls.Certificate
		trust []*trusttest.CA
		check func(t *testing.T, err error)
	}{
		{"expired", issue(ca, past, "127.0.0.1"), []*trusttest.CA{ca}, func(t *testing.T, err error) {
			var e *ExpiredError
			if !errors.As(err, &e) || e.NotYetValid || e.Subject != "127.0.0.1" || !strings.Contains(err.Error(), "expired on") {
				t.Fatalf("err = %v, want *ExpiredError", err)
			}
		}},
		{"not yet valid", issue(ca, future, "127.0.0.1"), []*trusttest.CA{ca}, func(t *testing.T, err error) {
			var e *ExpiredError
			if !errors.As(err, &e) || !e.NotYetValid || !strings.Contains(err.Error(), "clock") {
				t.Fatalf("err = %v, want *ExpiredError{NotYetValid}", err)
			}
		}},
		{"hostname", issue(ca, trusttest.LeafOptions{}, "auth.corp.test", "10.0.0.1"), []*trusttest.CA{ca}, func(t *testing.T, err error) {
			var e *HostnameError
			if !errors.As(err, &e) || fmt.Sprint(e.Names) != "[auth.corp.test 10.0.0.1]" || e.Issuer != "Corp Test Origin CA" || e.Host != "127.0.0.1" {
				t.Fatalf("err = %v (%#v), want *HostnameError", err, e)
			}
		}},
		{"SHA-1 signature", leafWith(t, ca, x509.ECDSAWithSHA1, ecKey, "127.0.0.1"), []*trusttest.CA{ca}, func(t *testing.T, err error) {
			var e *WeakCertError
			if !errors.As(err, &e) || !strings.Contains(e.Reason, "ECDSA-SHA1") {
				t.Fatalf("err = %v, want *WeakCertError for SHA-1", err)
			}
		}},
		{"RSA 1024 from an untrusted CA", leafWith(t, other, x509.ECDSAWithSHA256, rsaKey, "127.0.0.1"), []*trusttest.CA{ca}, func(t *testing.T, err error) {
			var e *WeakCertError
			if !errors.As(err, &e) || !strings.Contains(e.Reason, "1024-bit RSA key") {
				t.Fatalf("err = %v, want *WeakCertError for the key", err)
			}
		}},
		{"untrusted", issue(other, trusttest.LeafOptions{}, "127.0.0.1"), []*trusttest.CA{ca}, func(t *testing.T, err error) {
			var e *UntrustedError
			if !errors.As(err, &e) || e.CA != "Someone Else CA" || e.Proxy != "" || len(e.Stale) != 0 {
				t.Fatalf("err = %v, want *UntrustedError", err)
			}
		}},
		{"configured root expired", issue(oldRoot, trusttest.LeafOptions{}, "127.0.0.1"), []*trusttest.CA{oldRoot}, func(t *testing.T, err error) {
			var e *ExpiredError
			if !errors.As(err, &e) || e.Subject != "Old Corp Root" {
				t.Fatalf("err = %v, want *ExpiredError for the root", err)
			}
		}},
		{"configured root renewed", issue(renewed, trusttest.LeafOptions{}, "127.0.0.1"), []*trusttest.CA{caWith(t, "Old Corp Root", time.Now().Add(-time.Hour), time.Now().Add(time.Hour))},
			func(t *testing.T, err error) {
				var e *UntrustedError
				if !errors.As(err, &e) || len(e.Stale) != 1 || e.Stale[0].Source != "--ca" {
					t.Fatalf("err = %v, want *UntrustedError with a stale CA", err)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serveTLS(t, tt.cert)
			c, err := NewClient(Options{Pool: pool(t, false, tt.trust...)})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.HTTP.Get(srv.URL)
			if err == nil {
				t.Fatal("GET succeeded")
			}
			t.Log(err) // the text a person reads
			tt.check(t, err)
		})
	}
}

// TestExplainConnect covers failures before any certificate is seen.
func TestExplainConnect(t *testing.T) {
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	hangup := hangupServer(t)
	dead := closedPort(t)
	proxyCert, err := newCA(t, "Proxy CA").Issue("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	tlsProxy := serveTLS(t, proxyCert).Listener.Addr().String()

	tests := []struct {
		name, url, proxy string
		check            func(t *testing.T, err error)
	}{
		{"connection refused", "https://" + dead + "/", "", func(t *testing.T, err error) {
			var e *ConnectError
			if !errors.As(err, &e) || !strings.HasPrefix(e.Host, "127.0.0.1") {
				t.Fatalf("err = %v, want *ConnectError", err)
			}
		}},
		{"plain HTTP server", "https://" + plain.Listener.Addr().String() + "/", "", func(t *testing.T, err error) {
			var e *TLSError
			var rh tls.RecordHeaderError
			if !errors.As(err, &e) || !errors.As(err, &rh) {
				t.Fatalf("err = %v, want *TLSError wrapping a RecordHeaderError", err)
			}
		}},
		{"hang-up mid-handshake", "https://" + hangup + "/", "", func(t *testing.T, err error) {
			var e *TLSError
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *TLSError", err)
			}
		}},
		{"proxy unreachable", "https://auth.corp.test/", "http://dev:" + proxyPassword + "@" + dead, func(t *testing.T, err error) {
			var e *ProxyUnreachableError
			if !errors.As(err, &e) || e.Proxy != "http://dev:xxxxx@"+dead {
				t.Fatalf("err = %v, want *ProxyUnreachableError with the redacted proxy", err)
			}
			if strings.Contains(err.Error(), proxyPassword) {
				t.Errorf("error shows the password: %v", err)
			}
		}},
		{"https proxy untrusted", "https://auth.corp.test/", "https://" + tlsProxy, func(t *testing.T, err error) {
			var e *UntrustedError
			if !errors.As(err, &e) || e.Host != tlsProxy || e.CA != "Proxy CA" {
				t.Fatalf("err = %v, want *UntrustedError for the proxy itself", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(Options{Pool: &Pool{}, Proxy: tt.proxy, ProxySource: "--proxy"})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.HTTP.Get(tt.url)
			if err == nil {
				t.Fatal("GET succeeded")
			}
			t.Log(err) // the text a person reads
			tt.check(t, err)
		})
	}
}

// TestClientDNSBypass: a name in NO_PROXY is resolved here, and the error
// says so. The dialer is replaced: no name is ever really looked up.
func TestClientDNSBypass(t *testing.T) {
	c, err := NewClient(Options{Pool: &Pool{}, Proxy: "http://127.0.0.1:1", NoProxy: ".corp.test"})
	if err != nil {
		t.Fatal(err)
	}
	c.dialTCP = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
	}
	_, err = c.HTTP.Get("https://auth.corp.test/")
	var e *DNSError
	if !errors.As(err, &e) || !e.Bypassed || e.NoProxy != ".corp.test" || e.Host != "auth.corp.test" {
		t.Fatalf("err = %v (%#v), want *DNSError bypassing the proxy", err, e)
	}
	if want := `cannot resolve auth.corp.test (it bypasses the proxy, no_proxy is ".corp.test")`; e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
}

func TestExplainErrors(t *testing.T) {
	proxy, _ := url.Parse("http://dev:" + proxyPassword + "@proxy.corp.example:3128")
	dns := &net.DNSError{Err: "no such host", Name: "auth.corp.test", IsNotFound: true}
	typed := &ConnectError{Host: "x"}
	other := errors.New("something else")
	tests := []struct {
		name     string
		err      error
		proxy    *url.URL
		bypassed bool
		want     string // type of the result
	}{
		{"nil", nil, nil, false, "<nil>"},
		{"canceled", fmt.Errorf("dial: %w", context.Canceled), nil, false, "*fmt.wrapError"},
		{"deadline", context.DeadlineExceeded, proxy, false, "context.deadlineExceededError"},
		{"DNS direct", &net.OpError{Op: "dial", Err: dns}, nil, false, "*trust.DNSError"},
		{"DNS bypassed", dns, nil, true, "*trust.DNSError"},
		{"DNS of the proxy", &net.OpError{Op: "proxyconnect", Err: &net.OpError{Op: "dial", Err: dns}}, proxy, false, "*trust.ProxyUnreachableError"},
		{"already explained", &url.Error{Op: "Get", URL: "https://x/", Err: typed}, nil, false, "*trust.ConnectError"},
		{"nothing to say", other, nil, false, "*errors.errorString"},
		{"alert through proxy", &net.OpError{Op: "remote error", Err: errors.New("tls: handshake failure")}, proxy, false, "*trust.TLSError"},
	}
	for _, tt := range tests {
		got := Explain(tt.err, "auth.corp.test", tt.proxy, tt.bypassed, nil)
		if typ := fmt.Sprintf("%T", got); typ != tt.want {
			t.Errorf("%s: Explain = %T (%v), want %s", tt.name, got, got, tt.want)
		}
		if got != nil && strings.Contains(got.Error(), proxyPassword) {
			t.Errorf("%s: error shows the password: %v", tt.name, got)
		}
	}
	if got := Explain(dns, "auth.corp.test", nil, true, nil).(*DNSError); !got.Bypassed {
		t.Error("DNSError.Bypassed not set")
	}
}

func TestAuthSchemes(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{`Basic realm="corp"`}, "Basic"},
		{[]string{"NTLM", "Negotiate", `basic realm="a, b"`}, "NTLM,Negotiate,Basic"},
		{[]string{`Digest realm="x", qop="auth,auth-int", nonce="n", Basic realm="y"`}, "Digest,Basic"},
		{[]string{"Negotiate abc==, NTLM"}, "Negotiate,NTLM"},
		{[]string{`Basic realm="x\"y, z"`, "Basic"}, "Basic"},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := strings.Join(authSchemes(tt.in), ","); got != tt.want {
			t.Errorf("authSchemes(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// hangupServer accepts connections and closes them at once.
func hangupServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	})
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return ln.Addr().String()
}
