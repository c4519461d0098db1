package trust

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// tracerKey is the context key under which onConnectResponse finds the
// tracer of an inspected request.
type tracerKey struct{}

// tracer turns what net/http/httptrace and the CONNECT hook report about
// one inspected request into Steps. The connection is dialled apart from
// the request, so events may come from another goroutine, and late ones
// (after finish) are ignored.
type tracer struct {
	proxy  *url.URL // nil when direct
	host   string   // the URL's host
	target string   // host:port the tunnel is asked for
	https  bool     // a TLS handshake with the host follows the tunnel

	mu         sync.Mutex
	steps      []Step
	start      time.Time // of the last step
	open       bool      // the last step is still going on
	handshakes int
	chain      []*x509.Certificate // of the last handshake that failed, else the host's
	verified   []*x509.Certificate
	chainHost  string // whom chain came from: the host, or an https:// proxy
	done       bool
}

func newTracer(u *url.URL, proxy *url.URL) *tracer {
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return &tracer{proxy: proxy, host: u.Hostname(), target: net.JoinHostPort(u.Hostname(), port), https: u.Scheme == "https"}
}

func (t *tracer) hooks() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		DNSStart:          func(i httptrace.DNSStartInfo) { t.event(func() { t.begin("dns", i.Host) }) },
		DNSDone:           func(i httptrace.DNSDoneInfo) { t.event(func() { t.dnsDone(i) }) },
		ConnectStart:      func(_, addr string) { t.event(func() { t.connectStart(addr) }) },
		ConnectDone:       func(_, addr string, err error) { t.event(func() { t.connectDone(addr, err) }) },
		TLSHandshakeStart: func() { t.event(t.tlsStart) },
		TLSHandshakeDone:  func(s tls.ConnectionState, err error) { t.event(func() { t.tlsDone(s, err) }) },
		GotConn:           func(httptrace.GotConnInfo) { t.event(func() { t.begin("http", "GET") }) },
	}
}

// event runs f with the lock held, unless the request is over.
func (t *tracer) event(f func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.done {
		f()
	}
}

// begin starts a step; the one going on, if any, has succeeded.
func (t *tracer) begin(name, detail string) {
	t.end("", nil)
	t.steps = append(t.steps, Step{Name: name, Detail: detail})
	t.start, t.open = time.Now(), true
}

// end ends the step going on, if any, replacing its detail when one is given.
func (t *tracer) end(detail string, err error) {
	if !t.open {
		return
	}
	s := &t.steps[len(t.steps)-1]
	s.Took, s.Err, t.open = time.Since(t.start), err, false
	if detail != "" {
		s.Detail = detail
	}
}

// going reports whether step name is going on.
func (t *tracer) going(name string) bool {
	return t.open && t.steps[len(t.steps)-1].Name == name
}

func (t *tracer) dnsDone(i httptrace.DNSDoneInfo) {
	if !t.going("dns") {
		return
	}
	var addrs []string
	for _, a := range i.Addrs {
		addrs = append(addrs, a.String())
	}
	if len(addrs) == 0 {
		t.end("", i.Err)
		return
	}
	t.end(t.steps[len(t.steps)-1].Detail+" → "+strings.Join(addrs, ", "), i.Err)
}

// connectStart begins the TCP step at the first address tried; others
// may follow while it goes on.
func (t *tracer) connectStart(addr string) {
	if !t.going("tcp") {
		t.begin("tcp", addr)
	}
}

// connectDone ends the TCP step at the first connection made (a failed
// address may be followed by another). Through a proxy the tunnel is
// asked for next, unless an https:// proxy's own handshake comes first.
func (t *tracer) connectDone(addr string, err error) {
	if err != nil || !t.going("tcp") {
		return
	}
	t.end(addr, nil)
	if t.proxy != nil && t.proxy.Scheme != "https" && (t.https || isSOCKS(t.proxy.Scheme)) {
		t.beginTunnel()
	}
}

func (t *tracer) beginTunnel() {
	ask := "CONNECT "
	if isSOCKS(t.proxy.Scheme) {
		ask = "SOCKS 5 to "
	}
	t.begin("connect", ask+t.target)
}

// ofProxy reports whether the current handshake is the one with an
// https:// proxy itself.
func (t *tracer) ofProxy() bool {
	return t.proxy != nil && t.proxy.Scheme == "https" && t.handshakes == 1
}

func (t *tracer) tlsStart() {
	t.handshakes++
	if t.ofProxy() {
		t.begin("tls", "proxy "+t.proxy.Host)
		return
	}
	t.begin("tls", t.host)
}

func (t *tracer) tlsDone(s tls.ConnectionState, err error) {
	if !t.going("tls") {
		return
	}
	var cve *tls.CertificateVerificationError
	switch {
	case errors.As(err, &cve):
		t.chain, t.verified, t.chainHost = cve.UnverifiedCertificates, nil, t.host
		if t.ofProxy() {
			t.chainHost = t.proxy.Hostname()
		}
	case err == nil && !t.ofProxy():
		t.chain, t.verified, t.chainHost = s.PeerCertificates, nil, t.host
		if len(s.VerifiedChains) > 0 {
			t.verified = s.VerifiedChains[0]
		}
	}
	detail := ""
	if err == nil {
		detail = tls.VersionName(s.Version) + ", " + tls.CipherSuiteName(s.CipherSuite)
		if t.ofProxy() {
			detail = "proxy " + t.proxy.Host + ": " + detail
		}
	}
	t.end(detail, err)
	if err == nil && t.ofProxy() && t.https {
		t.beginTunnel()
	}
}

// connectReply records the proxy's answer to CONNECT; any answer but 200
// leaves the step to fail with the error the client makes of it.
func (t *tracer) connectReply(proxy *url.URL, resp *http.Response) {
	t.connectReplyAs(proxy, resp, "")
}

// connectReplyAs is connectReply with how the proxy was authenticated
// to (" (NTLM as CORP\\dev)") after the status line.
func (t *tracer) connectReplyAs(proxy *url.URL, resp *http.Response, as string) {
	t.event(func() {
		if !t.going("connect") {
			return
		}
		line := printable(resp.Proto+" "+resp.Status, maxPageText, proxySecrets(proxy)) + as
		t.steps[len(t.steps)-1].Detail = line
		if resp.StatusCode == http.StatusOK {
			t.end("", nil)
		}
	})
}

// finish ends the trace: the step going on ends with detail (the HTTP
// step's status) and err; a failed request fails the step it failed in
// with the client's explained error (or, when it failed between steps,
// the step that was due), and no step follows it.
func (t *tracer) finish(detail string, err error) []Step {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.done = true
	if err == nil {
		t.end(detail, nil)
		return append([]Step(nil), t.steps...)
	}
	failed := slices.IndexFunc(t.steps, func(s Step) bool { return s.Err != nil })
	if failed < 0 {
		if !t.open {
			t.steps = append(t.steps, Step{Name: t.due()})
		}
		failed = len(t.steps) - 1
	}
	if t.open && failed == len(t.steps)-1 {
		t.end(detail, nil)
	}
	t.steps[failed].Err = err
	return append([]Step(nil), t.steps[:failed+1]...)
}

// due names the step a request that failed between steps failed in.
func (t *tracer) due() string {
	switch {
	case len(t.steps) > 0:
		return "http"
	case t.proxy == nil && net.ParseIP(t.host) == nil:
		return "dns"
	}
	return "tcp"
}

// peer returns the chain seen in the handshakes, for a request that got
// no reply, and whom it came from.
func (t *tracer) peer() (chain, verified []*x509.Certificate, host string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.chain, t.verified, t.chainHost
}
