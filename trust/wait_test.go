package trust

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/codex-login/codex-login/trust/trusttest"
)

// idled are short limits under which every kept-alive connection counts
// as having idled for too long, as after a user's long sign-in.
var idled = &Limits{
	Connect: 300 * time.Millisecond, Proxy: 300 * time.Millisecond, Handshake: 300 * time.Millisecond,
	FirstByte: 500 * time.Millisecond, StaleFirstByte: 250 * time.Millisecond, StaleAfter: time.Nanosecond,
}

// post sends a token-exchange-like POST, replayable as the oauth package
// makes them: a body net/http can rewind and an X-Idempotency-Key.
func post(c *Client, url, body string) (string, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header["X-Idempotency-Key"] = nil
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	return string(got), err
}

// TestTunnelSurvivesTheWait: the pre-flight opens a tunnel, the proxy
// breaks it while the user signs in, and the token exchange still
// succeeds on one new tunnel, reaching the issuer once.
func TestTunnelSurvivesTheWait(t *testing.T) {
	for name, b := range map[string]trusttest.Break{
		"still alive":                     0, // costs no new tunnel
		"closed when the request arrives": trusttest.BreakClose,
		"reset when the request arrives":  trusttest.BreakReset,
		"silent in both directions":       trusttest.BreakSilent,
	} {
		t.Run(name, func(t *testing.T) {
			n := newCorpNet(t, trusttest.ProxyOptions{})
			c, err := NewClient(Options{Pool: pool(t, false, n.inspect), Proxy: n.proxyURL("", ""), Limits: idled})
			if err != nil {
				t.Fatal(err)
			}
			defer c.HTTP.CloseIdleConnections()
			if _, err := get(t, c, "https://auth.corp.test/.well-known/openid-configuration"); err != nil {
				t.Fatal(err)
			}
			n.proxy.BreakTunnels(b)
			got, err := post(c, "https://auth.corp.test/oauth/token", "code=1")
			if err != nil || got != "got code=1" {
				t.Fatalf("POST = %q, %v", got, err)
			}
			want := 2
			if b == 0 {
				want = 1
			}
			if tunnels, posts := n.proxy.Connects("auth.corp.test"), n.posts.Load(); tunnels != want || posts != 1 {
				t.Errorf("%d tunnels and %d POSTs at the issuer, want %d and 1", tunnels, posts, want)
			}
		})
	}
}

// TestNoRetryUnlessIdledOrReplayable: a silent tunnel that had not idled
// for long, or a request whose body cannot be sent again, gives an error
// after the first-byte limit rather than a second attempt.
func TestNoRetryUnlessIdledOrReplayable(t *testing.T) {
	fresh := *idled
	fresh.StaleAfter = time.Hour
	for name, tc := range map[string]struct {
		limits *Limits
		body   io.Reader
	}{
		"connection used recently": {&fresh, strings.NewReader("code=1")},
		"body cannot be rewound":   {idled, io.MultiReader(strings.NewReader("code=1"))},
	} {
		t.Run(name, func(t *testing.T) {
			n := newCorpNet(t, trusttest.ProxyOptions{})
			c, err := NewClient(Options{Pool: pool(t, false, n.inspect), Proxy: n.proxyURL("", ""), Limits: tc.limits})
			if err != nil {
				t.Fatal(err)
			}
			defer c.HTTP.CloseIdleConnections()
			if _, err := get(t, c, "https://auth.corp.test/"); err != nil {
				t.Fatal(err)
			}
			n.proxy.BreakTunnels(trusttest.BreakSilent)
			req, _ := http.NewRequest(http.MethodPost, "https://auth.corp.test/oauth/token", tc.body)
			start := time.Now()
			_, err = c.HTTP.Do(req)
			var e *PhaseTimeoutError
			if !errors.As(err, &e) || e.Phase != PhaseReply || e.Started {
				t.Fatalf("err = %v, want *PhaseTimeoutError waiting for the reply", err)
			}
			if took := time.Since(start); took > e.Limit+time.Second {
				t.Errorf("took %v for a limit of %v", took, e.Limit)
			}
			if tunnels := n.proxy.Connects("auth.corp.test"); tunnels != 1 {
				t.Errorf("%d tunnels, want 1: nothing was sent again", tunnels)
			}
		})
	}
}

// TestStartedReplyIsNeverResent: once a byte of reply has come, a reply
// that stalls is an error, even on a connection that had idled; the
// request is not sent again.
func TestStartedReplyIsNeverResent(t *testing.T) {
	ca := newCA(t, "Corp Test Origin CA")
	cert, err := ca.Issue("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu       sync.Mutex
		requests int
		conns    = map[string]bool{} // by the client's address
	)
	srv := serveTLSWith(t, cert, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests++
		first := requests == 1
		conns[r.RemoteAddr] = true
		mu.Unlock()
		if first {
			io.WriteString(w, "ok")
			return
		}
		// The status line only, then nothing: a reply that began.
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		brw.WriteString("HTTP/1.1 200 OK\r\n")
		brw.Flush()
		bufio.NewReader(conn).ReadByte() // until the client gives up
	})
	c, err := NewClient(Options{Pool: pool(t, false, ca), Limits: idled})
	if err != nil {
		t.Fatal(err)
	}
	defer c.HTTP.CloseIdleConnections()
	if _, err := get(t, c, srv.URL); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = post(c, srv.URL+"/oauth/token", "code=1")
	var e *PhaseTimeoutError
	if !errors.As(err, &e) || e.Phase != PhaseReply || !e.Started || e.Limit != idled.FirstByte {
		t.Fatalf("err = %v, want *PhaseTimeoutError for a reply that began", err)
	}
	if took := time.Since(start); took > e.Limit+time.Second {
		t.Errorf("took %v for a limit of %v", took, e.Limit)
	}
	mu.Lock()
	defer mu.Unlock()
	if requests != 2 || len(conns) != 1 {
		t.Errorf("the server saw %d requests on %d connections, want 2 on 1", requests, len(conns))
	}
}

// TestAbandonedDialLeavesNothing: a connect that ran out of time is
// ended, not left to finish later in the background.
func TestAbandonedDialLeavesNothing(t *testing.T) {
	c, err := NewClient(Options{Pool: &Pool{}, Limits: short})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var ended []error
	c.dialTCP = func(ctx context.Context, network, addr string) (net.Conn, error) {
		<-ctx.Done()
		mu.Lock()
		defer mu.Unlock()
		ended = append(ended, ctx.Err())
		return nil, ctx.Err()
	}
	if _, err := c.HTTP.Get("https://auth.corp.test/"); err == nil {
		t.Fatal("GET succeeded")
	}
	time.Sleep(50 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if len(ended) != 1 {
		t.Errorf("%d dials ended, want 1", len(ended))
	}
}
