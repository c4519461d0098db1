package trust

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"

	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"time"
)

// maxLegs bounds the round trips of one authenticated CONNECT.
const maxLegs = 4

// tunnelProxy returns the proxy whose CONNECT to addr the client dials
// itself, nil when the Transport reaches addr on its own (directly, or
// through Go's CONNECT).
func (c *Client) tunnelProxy(addr string) *url.URL {
	p, err := c.proxyFn(&url.URL{Scheme: "https", Host: addr})
	if err != nil || !c.tunnelled(p) {
		return nil
	}
	return p
}

// dialTunnel opens a CONNECT tunnel to target through proxy, answering
// its challenges (NTLM, Negotiate, Basic) on one TCP connection, which
// the Transport then uses as if it were a direct connection to target:
// TLS with the host happens inside, as through Go's own CONNECT. The
// connection is dialled, limited and watched like any other.
func (c *Client) dialTunnel(ctx context.Context, proxy *url.URL, target string) (net.Conn, error) {
	c.mu.Lock()
	offered := c.authFor(proxy).tunnel
	c.mu.Unlock()
	auths, err := c.newAuthenticators(proxy, offered)
	if err != nil || len(auths) == 0 {
		return nil, &ProxyAuthError{Proxy: proxy.Redacted(), Schemes: offered, HadCredentials: proxy.User != nil, Err: err}
	}
	conn, err := c.dialConn(ctx, "tcp", proxyAddr(proxy))
	if err != nil {
		return nil, &net.OpError{Op: "proxyconnect", Net: "tcp", Err: err}
	}
	if proxy.Scheme == "https" {
		if conn, err = c.proxyTLS(ctx, conn, proxy); err != nil {
			return nil, &net.OpError{Op: "proxyconnect", Net: "tcp", Err: err}
		}
	}
	var last error
	for _, a := range auths {
		tunnel, sent, err := c.connect(ctx, conn, proxy, target, a)
		if err == nil {
			return tunnel, nil
		}
		if sent {
			conn.Close()
			return nil, err
		}
		last = err // it failed before sending anything: the next scheme may do
	}
	conn.Close()
	return nil, last
}

// connect runs the legs of a's scheme for one CONNECT on conn. sent
// reports whether anything was sent.
func (c *Client) connect(ctx context.Context, conn net.Conn, proxy *url.URL, target string, a authenticator) (_ net.Conn, sent bool, _ error) {
	fail := func(f func(*ProxyAuthError)) error {
		e := &ProxyAuthError{Proxy: proxy.Redacted(), Schemes: []string{a.scheme()}, HadCredentials: proxy.User != nil}
		if id, ok := a.(identified); ok {
			e.HadCredentials, e.User = true, id.identity()
		}
		f(e)
		return e
	}
	start := time.Now()
	br := bufio.NewReader(conn)
	var challenge []byte
	for leg := 1; ; leg++ {
		token, err := a.step(ctx, challenge)
		if err != nil {
			// The error of a step names the scheme's problem, never a token.
			return nil, sent, fail(func(e *ProxyAuthError) { e.Err = fmt.Errorf("%s: %w", a.scheme(), err) })
		}
		req := &http.Request{
			Method: http.MethodConnect, URL: &url.URL{Opaque: target}, Host: target,
			Header: http.Header{"Proxy-Authorization": {a.scheme() + " " + base64.StdEncoding.EncodeToString(token)}},
		}
		sent = true
		if err := req.Write(conn); err != nil {
			if leg > 1 {
				return nil, sent, fail(func(e *ProxyAuthError) { e.Hangup = a.scheme() })
			}
			return nil, sent, err
		}
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			if leg > 1 && hungUp(err) {
				return nil, sent, fail(func(e *ProxyAuthError) { e.Hangup = a.scheme() })
			}
			return nil, sent, err
		}
		switch resp.StatusCode {
		case http.StatusOK:
			c.authenticated(ctx, proxy, resp, a, time.Since(start))
			if br.Buffered() > 0 {
				peeked, _ := br.Peek(br.Buffered())
				return &prefixConn{Conn: conn, r: io.MultiReader(bytes.NewReader(peeked), conn)}, sent, nil
			}
			return conn, sent, nil
		case http.StatusProxyAuthRequired:
			values := resp.Header.Values("Proxy-Authenticate")
			next, _ := challengeFor(values, a.scheme())
			drained := drain(resp.Body)
			if next == nil || leg >= maxLegs {
				traceReply(ctx, proxy, resp)
				return nil, sent, fail(func(e *ProxyAuthError) {
					e.Schemes, e.Rejected = authSchemes(values), a.scheme()
				})
			}
			if resp.Close || !drained {
				traceReply(ctx, proxy, resp)
				return nil, sent, fail(func(e *ProxyAuthError) { e.Hangup = a.scheme() })
			}
			challenge = next
		default:
			return nil, sent, onConnectResponse(ctx, proxy, req, resp)
		}
	}
}

// authenticated records the scheme a CONNECT succeeded with, and shows
// it in an inspected request's "connect" step.
func (c *Client) authenticated(ctx context.Context, proxy *url.URL, resp *http.Response, a authenticator, took time.Duration) {
	who := ""
	if id, ok := a.(identified); ok {
		who = id.identity()
	}
	c.mu.Lock()
	au := c.authFor(proxy)
	au.used, au.took, au.as = a.scheme(), took, who
	c.mu.Unlock()
	as := a.scheme()
	if who != "" {
		as += " as " + who
	}
	if t, ok := ctx.Value(tracerKey{}).(*tracer); ok {
		t.connectReplyAs(proxy, resp, " ("+as+")")
	}
}

// traceReply shows a final answer in an inspected request's "connect"
// step and stops the proxy phase's clock.
func traceReply(ctx context.Context, proxy *url.URL, resp *http.Response) {
	if t, ok := ctx.Value(tracerKey{}).(*tracer); ok {
		t.connectReply(proxy, resp)
	}
	if w, ok := ctx.Value(watchKey{}).(*watch); ok {
		w.answered()
	}
}

// drain reads the body of a 407 so that the next leg can follow on the
// same connection; false when it is too long to keep the connection.
func drain(body io.ReadCloser) bool {
	defer body.Close()
	n, err := io.Copy(io.Discard, io.LimitReader(body, maxPage+1))
	return err == nil && n <= maxPage
}

// proxyTLS runs the TLS handshake with an https:// proxy itself, under
// the trace hooks the Transport would call.
func (c *Client) proxyTLS(ctx context.Context, conn net.Conn, proxy *url.URL) (net.Conn, error) {
	trace := httptrace.ContextClientTrace(ctx)
	if trace != nil && trace.TLSHandshakeStart != nil {
		trace.TLSHandshakeStart()
	}
	tc := tls.Client(conn, &tls.Config{ServerName: proxy.Hostname(), RootCAs: c.pool.CertPool(), MinVersion: tls.VersionTLS12})
	err := tc.HandshakeContext(ctx)
	if trace != nil && trace.TLSHandshakeDone != nil {
		trace.TLSHandshakeDone(tc.ConnectionState(), err)
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return tc, nil
}

// proxyAddr is the host:port of a proxy URL.
func proxyAddr(proxy *url.URL) string {
	if proxy.Port() != "" {
		return proxy.Host
	}
	port := "80"
	switch proxy.Scheme {
	case "https":
		port = "443"
	case "socks4", "socks5", "socks5h":
		port = "1080"
	}
	return net.JoinHostPort(proxy.Hostname(), port)
}

// prefixConn reads what was buffered past the CONNECT answer first.
type prefixConn struct {
	net.Conn
	r io.Reader
}

func (c *prefixConn) Read(b []byte) (int, error) { return c.r.Read(b) }
