package trust

import (
	"bufio"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/codex-login/codex-login/trust/trusttest"
)

// hijack takes over a CONNECT the test answers by hand.
func hijack(w http.ResponseWriter) net.Conn {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	return conn
}

// TestProxyFailuresAreTold: each way a proxy fails gives its own typed
// error, with the facts a hint needs.
func TestProxyFailuresAreTold(t *testing.T) {
	inspect := newCA(t, "Corp Inspection CA")
	squidPage := `<html><head><title>ERROR: The requested URL could not be retrieved</title></head><body>` +
		strings.Repeat("x", 100<<10) + `</body></html>`
	tests := []struct {
		name   string
		answer http.HandlerFunc
		fault  trusttest.Fault
		check  func(t *testing.T, err error)
	}{
		{name: "squid cannot resolve", answer: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Squid-Error", "ERR_DNS_FAIL 0")
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, squidPage)
		}, check: func(t *testing.T, err error) {
			var e *ProxyRefusedError
			if !errors.As(err, &e) || e.StatusCode != 503 || e.ProxyError != "ERR_DNS_FAIL 0" ||
				e.Page != "ERROR: The requested URL could not be retrieved" || e.Host != "auth.corp.test" {
				t.Fatalf("err = %v (%+v), want *ProxyRefusedError with squid's facts", err, e)
			}
		}},
		{name: "block page echoing the password", answer: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, "Access denied\x1b[2J for "+r.Header.Get("Proxy-Authorization")+" ("+proxyPassword+")\n\tby policy")
		}, check: func(t *testing.T, err error) {
			var e *ProxyRefusedError
			if !errors.As(err, &e) || e.StatusCode != 403 || e.Page != "Access denied[2J for Basic xxxxx (xxxxx) by policy" {
				t.Fatalf("err = %v (%q), want *ProxyRefusedError with a clean page", err, e.Page)
			}
		}},
		{name: "refusal that never ends", answer: func(w http.ResponseWriter, r *http.Request) {
			conn := hijack(w)
			defer conn.Close()
			io.WriteString(conn, "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\nblocked by policy")
			io.Copy(io.Discard, conn) // the body never ends; the client closes
		}, check: func(t *testing.T, err error) {
			var e *ProxyRefusedError
			if !errors.As(err, &e) || e.Page != "blocked by policy" {
				t.Fatalf("err = %v, want *ProxyRefusedError with what came of the page", err)
			}
		}},
		{name: "hang-up before answering CONNECT", fault: trusttest.FaultHangUp, check: wantHangup(PhaseProxy)},
		{name: "hang-up during the TLS handshake", answer: func(w http.ResponseWriter, r *http.Request) {
			conn := hijack(w)
			io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
			conn.Close()
		}, check: wantHangup(PhaseTLS)},
		{name: "hang-up before the reply", answer: tunnelThenHangUp(t, inspect), check: wantHangup(PhaseReply)},
		{name: "TLS port behind an http:// URL", answer: func(w http.ResponseWriter, r *http.Request) {
			conn := hijack(w)
			conn.Write([]byte{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28}) // a TLS alert
			conn.Close()
		}, check: func(t *testing.T, err error) {
			var e *ProxySchemeError
			if !errors.As(err, &e) || e.Speaks != "https" || !strings.Contains(e.Proxy, "http://dev:xxxxx@127.0.0.1") {
				t.Fatalf("err = %v, want *ProxySchemeError saying it speaks TLS", err)
			}
		}},
		{name: "nginx TLS port behind an http:// URL", answer: func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "The plain HTTP request was sent to HTTPS port", http.StatusBadRequest)
		}, check: func(t *testing.T, err error) {
			var e *ProxySchemeError
			if !errors.As(err, &e) || e.Speaks != "https" {
				t.Fatalf("err = %v, want *ProxySchemeError saying it speaks TLS", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newCorpNet(t, trusttest.ProxyOptions{CA: inspect, Answer: tt.answer, Fault: tt.fault})
			c, err := NewClient(Options{Pool: pool(t, false, n.inspect), Proxy: n.proxyURL("dev", proxyPassword), Limits: short})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = get(t, c, "https://auth.corp.test/")
			if err == nil {
				t.Fatal("GET succeeded")
			}
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("took %v", took)
			}
			if strings.Contains(err.Error(), proxyPassword) {
				t.Errorf("error shows the password: %v", err)
			}
			t.Log(err)
			tt.check(t, err)
		})
	}
}

func wantHangup(phase Phase) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var e *ProxyHangupError
		if !errors.As(err, &e) || e.Phase != phase || e.Host != "auth.corp.test" || !strings.Contains(e.Proxy, "xxxxx") {
			t.Fatalf("err = %v (%T), want *ProxyHangupError in phase %s", err, err, phase)
		}
	}
}

// tunnelThenHangUp answers CONNECT, completes TLS as the issuer would,
// reads the request and hangs up without a word.
func tunnelThenHangUp(t *testing.T, ca *trusttest.CA) http.HandlerFunc {
	cert, err := ca.Issue("auth.corp.test")
	if err != nil {
		t.Fatal(err)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		conn := hijack(w)
		defer conn.Close()
		io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
		tc := tls.Server(conn, &tls.Config{Certificates: []tls.Certificate{cert}})
		http.ReadRequest(bufio.NewReader(tc))
	}
}

// TestProxySchemeMismatch: an https:// URL for a proxy that speaks plain
// HTTP says so, instead of a TLS error.
func TestProxySchemeMismatch(t *testing.T) {
	n := newCorpNet(t, trusttest.ProxyOptions{})
	c, err := NewClient(Options{Pool: pool(t, false, n.inspect), Proxy: "https://" + n.proxy.URL().Host, Limits: short})
	if err != nil {
		t.Fatal(err)
	}
	_, err = get(t, c, "https://auth.corp.test/")
	var e *ProxySchemeError
	if !errors.As(err, &e) || e.Speaks != "http" || e.Proxy != "https://"+n.proxy.URL().Host {
		t.Fatalf("err = %v (%T), want *ProxySchemeError saying it speaks plain HTTP", err, err)
	}
	t.Log(err)
}

// TestHTTPURLForTLSProxy: an http:// URL for a proxy that only speaks TLS
// and hangs up on plain text without an alert (as Go's TLS server does)
// can only be told as a proxy that hung up.
func TestHTTPURLForTLSProxy(t *testing.T) {
	n := newCorpNet(t, trusttest.ProxyOptions{TLS: true})
	c, err := NewClient(Options{Pool: pool(t, false, n.inspect), Proxy: "http://" + n.proxy.URL().Host, Limits: short})
	if err != nil {
		t.Fatal(err)
	}
	_, err = get(t, c, "https://auth.corp.test/")
	var e *ProxyHangupError
	if !errors.As(err, &e) || e.Phase != PhaseProxy {
		t.Fatalf("err = %v (%T), want *ProxyHangupError before the answer to CONNECT", err, err)
	}
}
