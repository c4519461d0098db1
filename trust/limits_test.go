package trust

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codex-login/codex-login/trust/trusttest"
)

// short are the limits of tests: long enough for loopback, short enough
// that a test waiting for one takes a fraction of a second.
var short = &Limits{
	Connect: 300 * time.Millisecond, Proxy: 350 * time.Millisecond, Handshake: 400 * time.Millisecond,
	FirstByte: 450 * time.Millisecond, StaleFirstByte: 250 * time.Millisecond,
}

// silentServer accepts TCP connections on loopback and never says a word.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	})
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

// blockingDial stands for a TCP connect that never completes (a firewall
// that drops SYNs): it waits for its context.
func blockingDial(ctx context.Context, _, _ string) (net.Conn, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestEachPhaseHasItsLimit makes every phase hang and measures the time
// to the error that names it: each limit, plus little.
func TestEachPhaseHasItsLimit(t *testing.T) {
	silent := silentServer(t)
	tests := []struct {
		name    string
		proxy   func(t *testing.T, n *corpNet) string // the proxy URL, "" for direct
		fault   trusttest.Fault
		tlsProx bool
		url     string
		block   bool // the TCP connect never completes
		direct  bool
		want    PhaseTimeoutError
		text    string
	}{
		{name: "connect direct", block: true, direct: true, url: "https://auth.corp.test/",
			want: PhaseTimeoutError{Phase: PhaseConnect, Limit: short.Connect}, text: "cannot connect to auth.corp.test within 300ms"},
		{name: "connect to the proxy", block: true, proxy: fixed("http://proxy.corp.test:3128"),
			want: PhaseTimeoutError{Phase: PhaseConnect, Limit: short.Connect}, text: "cannot connect to proxy http://proxy.corp.test:3128 within 300ms"},
		{name: "CONNECT unanswered", fault: trusttest.FaultNoAnswer,
			want: PhaseTimeoutError{Phase: PhaseProxy, Limit: short.Proxy}, text: "did not answer CONNECT for auth.corp.test within 350ms"},
		{name: "CONNECT unanswered by an https proxy", fault: trusttest.FaultNoAnswer, tlsProx: true,
			want: PhaseTimeoutError{Phase: PhaseProxy, Limit: short.Proxy}, text: "did not answer CONNECT"},
		{name: "TLS through the tunnel", fault: trusttest.FaultNoHandshake,
			want: PhaseTimeoutError{Phase: PhaseTLS, Limit: short.Handshake}, text: "TLS handshake with auth.corp.test through proxy http://127.0.0.1:"},
		{name: "TLS direct", direct: true, url: "https://" + silent + "/",
			want: PhaseTimeoutError{Phase: PhaseTLS, Limit: short.Handshake}, text: "TLS handshake with 127.0.0.1 did not finish within 400ms"},
		{name: "TLS with the https proxy", proxy: fixed("https://" + silent),
			want: PhaseTimeoutError{Phase: PhaseTLS, Limit: short.Handshake, OfProxy: true}, text: "TLS handshake with proxy https://127.0.0.1:"},
		{name: "no reply", url: "https://auth.corp.test/hang",
			want: PhaseTimeoutError{Phase: PhaseReply, Limit: short.FirstByte}, text: "auth.corp.test sent no reply through proxy http://127.0.0.1:"},
		{name: "SOCKS handshake unanswered", proxy: socksWith(trusttest.SOCKSOptions{Fault: trusttest.FaultNoAnswer}),
			want: PhaseTimeoutError{Phase: PhaseProxy, Limit: short.Proxy}, text: "SOCKS proxy socks5h://127.0.0.1:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newCorpNet(t, trusttest.ProxyOptions{Fault: tt.fault, TLS: tt.tlsProx})
			proxy := n.proxyURL("", "")
			switch {
			case tt.proxy != nil:
				proxy = tt.proxy(t, n)
			case tt.direct:
				proxy = ""
			}
			c, err := NewClient(Options{Pool: pool(t, false, n.inspect, n.origin), Proxy: proxy, Limits: short})
			if err != nil {
				t.Fatal(err)
			}
			if tt.block {
				c.dialTCP = blockingDial
			}
			target := tt.url
			if target == "" {
				target = "https://auth.corp.test/"
			}
			start := time.Now()
			_, err = get(t, c, target)
			took := time.Since(start)
			var e *PhaseTimeoutError
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *PhaseTimeoutError", err, err)
			}
			t.Logf("%v after %v", err, took.Round(time.Millisecond))
			if e.Phase != tt.want.Phase || e.Limit != tt.want.Limit || e.OfProxy != tt.want.OfProxy || e.Started {
				t.Errorf("got %+v, want %+v", *e, tt.want)
			}
			if (proxy == "") != (e.Proxy == "") || !strings.Contains(err.Error(), tt.text) {
				t.Errorf("Error() = %q, want it to say %q (proxy %q)", err, tt.text, proxy)
			}
			if took < e.Limit-50*time.Millisecond || took > e.Limit+time.Second {
				t.Errorf("took %v for a limit of %v", took, e.Limit)
			}
		})
	}
}

func fixed(u string) func(*testing.T, *corpNet) string {
	return func(*testing.T, *corpNet) string { return u }
}

func socksWith(o trusttest.SOCKSOptions) func(*testing.T, *corpNet) string {
	return func(t *testing.T, n *corpNet) string {
		o.Upstream = map[string]string{"auth.corp.test": n.originAddr}
		s, err := trusttest.NewSOCKS(o)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		return s.URL().String()
	}
}

// TestReplyStallAfterItBegan: a body that stops coming is an error after
// the first-byte limit, not a wait as long as the caller's context.
func TestReplyStallAfterItBegan(t *testing.T) {
	n := newCorpNet(t, trusttest.ProxyOptions{})
	c, err := NewClient(Options{Pool: pool(t, false, n.inspect), Proxy: n.proxyURL("", ""), Limits: short})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.HTTP.Get("https://auth.corp.test/stall")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	start := time.Now()
	body, err := io.ReadAll(resp.Body)
	took := time.Since(start)
	var e *PhaseTimeoutError
	if !errors.As(err, &e) || e.Phase != PhaseReply || !e.Started || string(body) != "partial" {
		t.Fatalf("read %q, %v; want the start of the reply and a *PhaseTimeoutError that says it had begun", body, err)
	}
	if took > short.FirstByte+time.Second {
		t.Errorf("took %v for a limit of %v", took, short.FirstByte)
	}
	t.Log(err)
}

// TestCallerContextStillWins: the caller's own cancellation or deadline
// comes back as itself, not as a phase that ran out of time.
func TestCallerContextStillWins(t *testing.T) {
	n := newCorpNet(t, trusttest.ProxyOptions{Fault: trusttest.FaultNoAnswer})
	c, err := NewClient(Options{Pool: pool(t, false, n.inspect), Proxy: n.proxyURL("", "")})
	if err != nil {
		t.Fatal(err)
	}
	deadline, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	canceled, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel2)
	for want, ctx := range map[error]context.Context{context.DeadlineExceeded: deadline, context.Canceled: canceled} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "https://auth.corp.test/", nil)
		start := time.Now()
		_, err := c.HTTP.Do(req)
		if !errors.Is(err, want) || time.Since(start) > time.Second {
			t.Errorf("err = %v after %v, want %v at once", err, time.Since(start), want)
		}
	}
}

// TestDefaultLimits: without Limits, each phase has the limit its
// constant documents; a Limits sets only the fields it names.
func TestDefaultLimits(t *testing.T) {
	c, err := NewClient(Options{Pool: &Pool{}})
	if err != nil {
		t.Fatal(err)
	}
	want := Limits{ConnectTimeout, ProxyTimeout, HandshakeTimeout, FirstByteTimeout, StaleFirstByte, StaleAfter}
	if c.limits != want {
		t.Errorf("limits = %+v, want %+v", c.limits, want)
	}
	c, _ = NewClient(Options{Pool: &Pool{}, Limits: &Limits{Proxy: time.Second}})
	if want.Proxy = time.Second; c.limits != want {
		t.Errorf("limits = %+v, want %+v", c.limits, want)
	}
	e := &PhaseTimeoutError{Phase: PhaseProxy, Host: "auth.openai.com", Proxy: (&url.URL{Scheme: "http", Host: "proxy.corp.test:3128"}).Redacted(), Limit: ProxyTimeout}
	if got := e.Error(); got != "proxy http://proxy.corp.test:3128 did not answer CONNECT for auth.openai.com within 15s" {
		t.Errorf("Error() = %q", got)
	}
}
