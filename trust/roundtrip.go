package trust

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
)

// roundTripper is the client's RoundTripper: the Transport, with a
// watchdog on every phase of each request, one more attempt on a new
// connection for a request that a stale connection swallowed, and every
// error turned into one that says what went wrong.
type roundTripper struct {
	base *http.Transport
	c    *Client
}

func (rt *roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	proxy := rt.c.ProxyFor(r.URL)
	if rt.c.tunnelled(proxy) {
		if err := rt.c.ensureCredentials(r.Context(), proxy); err != nil && r.Context().Err() != nil {
			return nil, r.Context().Err()
		}
	}
	resp, w, err := rt.attempt(r, proxy, false)
	var pae *ProxyAuthError
	if err != nil && errors.As(err, &pae) && pae.Rejected == "" && pae.Hangup == "" && pae.Err == nil &&
		replayable(r) && rt.c.switchToTunnel(proxy, pae.Schemes) {
		// The proxy asks for NTLM or Negotiate, which need one connection
		// through their legs: from now on the client dials its CONNECTs
		// itself. Nothing reached the host, so the request goes again.
		if cerr := rt.c.ensureCredentials(r.Context(), proxy); cerr != nil && r.Context().Err() != nil {
			return nil, r.Context().Err()
		}
		if again, rerr := rewind(r); rerr == nil {
			resp, w, err = rt.attempt(again, proxy, false)
		}
	}
	if err != nil && w.mayRetry() && replayable(r) && r.Context().Err() == nil {
		// The connection had idled for long and no byte of reply came:
		// the tunnel is most likely dead (a proxy or firewall dropped it
		// without a word). Nothing was answered, so the request may go
		// once more, on a new connection, with the usual limits.
		rt.base.CloseIdleConnections()
		if again, rerr := rewind(r); rerr == nil {
			resp, w, err = rt.attempt(again, proxy, true)
		}
	}
	if err != nil {
		return nil, rt.explain(err, r, proxy, w)
	}
	rt.c.recordChain(r.URL.Host, resp.TLS)
	return resp, nil
}

// attempt sends r once under a watchdog.
func (rt *roundTripper) attempt(r *http.Request, proxy *url.URL, retry bool) (*http.Response, *watch, error) {
	w, ctx := newWatch(r.Context(), rt.c.limits, r.URL.Hostname(), proxy, retry)
	resp, err := rt.base.RoundTrip(r.WithContext(ctx))
	if err != nil {
		w.finish(true)
		if e := w.timedOut(); e != nil {
			return nil, w, e
		}
		return nil, w, err
	}
	if resp.Body == nil || resp.Body == http.NoBody {
		w.finish(false)
		return resp, w, nil
	}
	w.pause()
	resp.Body = &watchedBody{rc: resp.Body, w: w}
	return resp, w, nil
}

// replayable reports whether r's body can be sent again.
func replayable(r *http.Request) bool {
	return r.Body == nil || r.Body == http.NoBody || r.GetBody != nil
}

// rewind returns a copy of r with a fresh body.
func rewind(r *http.Request) (*http.Request, error) {
	again := r.Clone(r.Context())
	if r.Body == nil || r.Body == http.NoBody {
		return again, nil
	}
	body, err := r.GetBody()
	if err != nil {
		return nil, err
	}
	again.Body = body
	return again, nil
}

// explain turns err into a typed error, using what the watchdog saw: the
// phase tells a proxy that hung up apart from a TLS failure.
func (rt *roundTripper) explain(err error, r *http.Request, proxy *url.URL, w *watch) error {
	var pe *PhaseTimeoutError
	if errors.As(err, &pe) {
		return pe
	}
	host := r.URL.Hostname()
	if proxy != nil && !isSOCKS(proxy.Scheme) && hungUp(err) {
		phase, ofProxy, replied := w.where()
		if phase == PhaseProxy || phase == PhaseTLS && !ofProxy || phase == PhaseReply && !replied {
			return &ProxyHangupError{Proxy: proxy.Redacted(), Host: host, Phase: phase}
		}
	}
	bypassed := rt.c.proxy != nil && proxy == nil
	err = Explain(err, host, proxy, bypassed, rt.c.pool)
	if d, ok := err.(*DNSError); ok && d.Bypassed {
		d.NoProxy = rt.c.noProxy
	}
	return err
}

// hungUp reports whether err is the peer closing or resetting a
// connection that was up (not the dial to the proxy, which
// ProxyUnreachableError reports).
func hungUp(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "proxyconnect" {
		return false
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	return errors.As(err, &op) && (op.Op == "read" || op.Op == "write") && !op.Timeout()
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// Transport.
func (rt *roundTripper) CloseIdleConnections() { rt.base.CloseIdleConnections() }

// watchedBody is a reply's body under the watchdog: each read may wait
// for the reply to go on at most Limits.FirstByte.
type watchedBody struct {
	rc io.ReadCloser
	w  *watch
}

func (b *watchedBody) Read(p []byte) (int, error) {
	b.w.arm()
	n, err := b.rc.Read(p)
	b.w.pause()
	if err != nil && err != io.EOF {
		if e := b.w.timedOut(); e != nil {
			return n, e
		}
	}
	return n, err
}

func (b *watchedBody) Close() error {
	err := b.rc.Close()
	b.w.finish(false)
	return err
}

// pause stops the clock: the reply's header is in, and its body is read
// only when the caller asks.
func (w *watch) pause() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.enter(PhaseReply, 0)
}

// arm starts the clock for one read of the body.
func (w *watch) arm() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.enter(PhaseReply, w.limits.FirstByte)
}

// finish ends the attempt and releases its context. An attempt that
// failed before it had a connection stops its TCP connects.
func (w *watch) finish(failed bool) {
	w.mu.Lock()
	w.enter(w.phase, 0)
	w.done = true
	if failed && !w.gotConn {
		w.abandoned = true
		for _, cancel := range w.dials {
			cancel()
		}
	}
	w.mu.Unlock()
	w.cancel(context.Canceled)
}

// timedOut returns the phase that ran out of time, nil when none did or
// when the caller's own context ended first (its error then stands).
func (w *watch) timedOut() *PhaseTimeoutError {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.expired == nil || w.parent.Err() != nil {
		return nil
	}
	return w.expired
}

// mayRetry reports whether the attempt ran out of time waiting for the
// first byte of reply on a connection that had idled for long.
func (w *watch) mayRetry() bool {
	e := w.timedOut()
	w.mu.Lock()
	defer w.mu.Unlock()
	return e != nil && e.Phase == PhaseReply && !w.replied && w.stale && !w.noStale
}

// where returns the phase the attempt was in when it ended.
func (w *watch) where() (phase Phase, ofProxy, replied bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.phase, w.ofProxy, w.replied
}
