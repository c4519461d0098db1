package trust

import (
	"context"
	"crypto/tls"
	"net"
	"net/http/httptrace"
	"net/url"
	"sync"
	"time"
)

// watch is the watchdog of one attempt of a request. net/http/httptrace
// tells it which phase the attempt is in; when a phase outlasts its limit
// it cancels the attempt's context with a *PhaseTimeoutError as cause.
//
// The phases, as the trace shows them: GetConn starts the connect phase
// (DNS and TCP); after the TCP connect to a proxy comes the proxy phase
// (CONNECT and its answer, or the SOCKS handshake), interrupted with an
// https:// proxy by the TLS handshake with the proxy itself; the TLS
// handshake with the host is the TLS phase; GotConn starts the reply
// phase, restarted when the request has been written and again at the
// first byte of the reply.
type watch struct {
	limits Limits
	host   string
	proxy  *url.URL // nil when direct
	parent context.Context
	cancel context.CancelCauseFunc

	mu         sync.Mutex
	gen        int // bumped at every change, so that a late timer does nothing
	timer      *time.Timer
	phase      Phase
	ofProxy    bool // the TLS phase is the handshake with the https:// proxy
	handshakes int  // TLS handshakes since GetConn
	gotConn    bool // the attempt has its connection; later dial events are not its own
	stale      bool // that connection had idled for over StaleAfter
	noStale    bool // this attempt is the retry: normal limits, and no further retry
	replied    bool // a byte of reply has arrived
	expired    *PhaseTimeoutError
	done       bool
	abandoned  bool       // the attempt gave up before it had a connection
	dials      []func()   // cancel the attempt's TCP connects in progress
	conns      []net.Conn // connections dialled for the attempt
}

type watchKey struct{}

// newWatch returns the watchdog of one attempt and the context to send it
// with.
func newWatch(parent context.Context, l Limits, host string, proxy *url.URL, retry bool) (*watch, context.Context) {
	ctx, cancel := context.WithCancelCause(parent)
	w := &watch{limits: l, host: host, proxy: proxy, parent: parent, cancel: cancel, noStale: retry}
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GetConn:              func(string) { w.getConn() },
		ConnectDone:          func(_, _ string, err error) { w.connectDone(err) },
		TLSHandshakeStart:    w.tlsStart,
		TLSHandshakeDone:     func(_ tls.ConnectionState, err error) { w.tlsDone(err) },
		GotConn:              w.gotConnection,
		WroteRequest:         func(i httptrace.WroteRequestInfo) { w.wrote(i.Err) },
		GotFirstResponseByte: w.firstByte,
	})
	return w, context.WithValue(ctx, watchKey{}, w)
}

// enter starts phase p with its limit (0: no clock runs); w.mu is held.
func (w *watch) enter(p Phase, limit time.Duration) {
	w.gen++
	if w.timer != nil {
		w.timer.Stop()
		w.timer = nil
	}
	w.phase = p
	if w.done || limit <= 0 {
		return
	}
	gen := w.gen
	w.timer = time.AfterFunc(limit, func() { w.expire(gen, limit) })
}

func (w *watch) expire(gen int, limit time.Duration) {
	w.mu.Lock()
	if w.done || gen != w.gen {
		w.mu.Unlock()
		return
	}
	e := &PhaseTimeoutError{Phase: w.phase, Host: w.host, Limit: limit,
		OfProxy: w.phase == PhaseTLS && w.ofProxy, Started: w.phase == PhaseReply && w.replied}
	if w.proxy != nil {
		e.Proxy = w.proxy.Redacted()
	}
	w.expired = e
	var conns []net.Conn
	if !w.gotConn {
		// The connection is stuck on its way up: end it, so that the
		// dial, which net/http runs on after the request gave up, ends
		// too instead of joining the pool later.
		w.abandoned = true
		conns = w.conns
		for _, cancel := range w.dials {
			cancel()
		}
	}
	w.mu.Unlock()
	w.cancel(e)
	for _, c := range conns {
		c.Close()
	}
}

func (w *watch) getConn() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.gotConn, w.handshakes, w.ofProxy = false, 0, false
	w.enter(PhaseConnect, w.limits.Connect)
}

func (w *watch) connectDone(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.gotConn || err != nil || w.proxy == nil {
		return // another address may follow; direct, TLS or the request follows at once
	}
	w.enter(PhaseProxy, w.limits.Proxy)
}

func (w *watch) tlsStart() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.gotConn {
		return
	}
	w.handshakes++
	w.ofProxy = w.proxy != nil && w.proxy.Scheme == "https" && w.handshakes == 1
	w.enter(PhaseTLS, w.limits.Handshake)
}

func (w *watch) tlsDone(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.gotConn || err != nil || !w.ofProxy {
		return
	}
	w.enter(PhaseProxy, w.limits.Proxy) // the CONNECT inside the proxy's TLS
}

func (w *watch) gotConnection(info httptrace.GotConnInfo) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.gotConn = true
	w.stale = !w.noStale && info.Reused && info.WasIdle && info.IdleTime > w.limits.StaleAfter
	w.enter(PhaseReply, w.firstByteLimit())
}

func (w *watch) wrote(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err == nil && !w.replied {
		w.enter(PhaseReply, w.firstByteLimit())
	}
}

func (w *watch) firstByte() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.replied = true
	w.enter(PhaseReply, w.limits.FirstByte)
}

func (w *watch) firstByteLimit() time.Duration {
	if w.stale {
		return w.limits.StaleFirstByte
	}
	return w.limits.FirstByte
}

// answered stops the proxy phase's clock: the proxy answered CONNECT.
func (w *watch) answered() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.gotConn && w.phase == PhaseProxy {
		w.enter(PhaseProxy, 0)
	}
}
