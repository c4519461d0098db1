package trust

import (
	"fmt"
	"strings"
	"time"
)

// Each phase of a request has its own time limit, whatever the deadline of
// the request's context (which may be the whole sign-in, many minutes): a
// proxy that never answers is reported in seconds, with the phase it hung
// in.
const (
	ConnectTimeout   = 15 * time.Second // TCP connect to the proxy or the host (DNS included when direct)
	ProxyTimeout     = 15 * time.Second // the proxy's answer to CONNECT (or the SOCKS handshake), after the TCP connect
	HandshakeTimeout = 15 * time.Second // the TLS handshake (with an https:// proxy, each of the two handshakes)
	FirstByteTimeout = 30 * time.Second // the first byte of the reply after the request was written; also the longest pause once a reply has begun
	StaleFirstByte   = 10 * time.Second // the same, on a connection that sat idle for over StaleAfter: then one retry on a new connection
	StaleAfter       = time.Minute      // how long a kept-alive connection may idle before its tunnel is suspect
)

// Limits overrides the time limits of the phases; a zero field keeps the
// default of the constant of the same name.
type Limits struct {
	Connect, Proxy, Handshake, FirstByte, StaleFirstByte time.Duration
	StaleAfter                                           time.Duration
}

// withDefaults returns l with every zero field set to its default.
func (l *Limits) withDefaults() Limits {
	var out Limits
	if l != nil {
		out = *l
	}
	set := func(d *time.Duration, def time.Duration) {
		if *d <= 0 {
			*d = def
		}
	}
	set(&out.Connect, ConnectTimeout)
	set(&out.Proxy, ProxyTimeout)
	set(&out.Handshake, HandshakeTimeout)
	set(&out.FirstByte, FirstByteTimeout)
	set(&out.StaleFirstByte, StaleFirstByte)
	set(&out.StaleAfter, StaleAfter)
	return out
}

// Phase is a step of a request, each with its own time limit.
type Phase string

const (
	PhaseConnect Phase = "connect" // TCP connect (and DNS) to the proxy, or to the host when direct
	PhaseProxy   Phase = "proxy"   // the proxy's answer to CONNECT, or the SOCKS handshake
	PhaseTLS     Phase = "tls"     // a TLS handshake
	PhaseReply   Phase = "reply"   // from writing the request to the end of the reply
)

// PhaseTimeoutError: a phase took longer than its limit. The attempt was
// abandoned; when it had been sent on a connection that idled too long
// and no byte of reply had come, it was sent once more on a new
// connection before this error.
type PhaseTimeoutError struct {
	Phase Phase
	Host  string
	Proxy string // redacted URL, "" when direct
	Limit time.Duration
	// OfProxy: with PhaseTLS, the handshake was the one with the
	// https:// proxy itself, not the one with Host.
	OfProxy bool
	// Started: with PhaseReply, the reply had begun and then stalled;
	// such a request is never sent again.
	Started bool
}

func (e *PhaseTimeoutError) Error() string {
	switch e.Phase {
	case PhaseConnect:
		if e.Proxy != "" {
			return fmt.Sprintf("cannot connect to proxy %s within %s", e.Proxy, e.Limit)
		}
		return fmt.Sprintf("cannot connect to %s within %s", e.Host, e.Limit)
	case PhaseProxy:
		if isSOCKS(e.Proxy) {
			return fmt.Sprintf("SOCKS proxy %s did not finish its handshake for %s within %s", e.Proxy, e.Host, e.Limit)
		}
		return fmt.Sprintf("proxy %s did not answer CONNECT for %s within %s", e.Proxy, e.Host, e.Limit)
	case PhaseTLS:
		if e.OfProxy {
			return fmt.Sprintf("TLS handshake with proxy %s did not finish within %s", e.Proxy, e.Limit)
		}
		return fmt.Sprintf("TLS handshake with %s%s did not finish within %s", e.Host, via(e.Proxy), e.Limit)
	}
	if e.Started {
		return fmt.Sprintf("the reply of %s%s stopped for %s before it was complete", e.Host, via(e.Proxy), e.Limit)
	}
	return fmt.Sprintf("%s sent no reply%s within %s", e.Host, via(e.Proxy), e.Limit)
}

// Timeout reports true, as net.Error timeouts do.
func (e *PhaseTimeoutError) Timeout() bool { return true }

func isSOCKS(proxy string) bool { return strings.HasPrefix(proxy, "socks5") }
