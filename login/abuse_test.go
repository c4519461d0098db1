package login

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// serveCallback runs a callback on a loopback port with short timeouts, as
// the abuse tests need, and returns its base URL and the count of
// completed logins.
func serveCallback(t *testing.T) (*callback, string, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	var completed atomic.Int32
	cb := newCallback(port, testState, func(string) error { completed.Add(1); return nil }, func(*StateError) {})
	cb.srv.ReadHeaderTimeout = 300 * time.Millisecond
	cb.srv.ReadTimeout = 500 * time.Millisecond
	go cb.serve(ln)
	t.Cleanup(func() { cb.close(0) })
	return cb, fmt.Sprintf("http://127.0.0.1:%d", port), &completed
}

func getStatus(t *testing.T, url string) int {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// A client that sends its headers too slowly is cut off, and the login
// still completes for the real browser.
func TestCallbackCutsOffSlowHeaders(t *testing.T) {
	_, base, completed := serveCallback(t)
	conn, err := net.Dial("tcp", base[len("http://"):])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /auth/callback?code=C&state=%s HTTP/1.1\r\nHost: %s\r\n", testState, base[len("http://"):])
	start := time.Now()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	io.Copy(io.Discard, conn) // returns when the server hangs up
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("a slow client held its connection for %v", took)
	}
	if completed.Load() != 0 {
		t.Fatal("an incomplete request completed the login")
	}
	if got := getStatus(t, base+"/auth/callback?code=C&state="+testState); got != http.StatusFound || completed.Load() != 1 {
		t.Fatalf("the real callback after a slow client: %d, %d completions", got, completed.Load())
	}
}

// Hundreds of idle connections do not keep the browser's callback out.
func TestCallbackSurvivesManyConnections(t *testing.T) {
	_, base, completed := serveCallback(t)
	var conns []net.Conn
	for range 300 {
		c, err := net.Dial("tcp", base[len("http://"):])
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	start := time.Now()
	if got := getStatus(t, base+"/auth/callback?code=C&state="+testState); got != http.StatusFound || completed.Load() != 1 {
		t.Fatalf("callback behind 300 idle connections: %d, %d completions", got, completed.Load())
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("the callback took %v behind idle connections", took)
	}
}

// A flood of callbacks with other states is refused one by one and never
// completes or ends the login.
func TestCallbackRefusesAFloodOfWrongStates(t *testing.T) {
	cb, base, completed := serveCallback(t)
	for i := range 500 {
		if got := getStatus(t, fmt.Sprintf("%s/auth/callback?code=C%d&state=guess-%d", base, i, i)); got != http.StatusBadRequest {
			t.Fatalf("wrong state %d: %d", i, got)
		}
	}
	select {
	case err := <-cb.result:
		t.Fatalf("the login ended: %v", err)
	default:
	}
	if completed.Load() != 0 {
		t.Fatal("a wrong state completed the login")
	}
}
