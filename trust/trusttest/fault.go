package trusttest

import (
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"sync/atomic"
)

// Fault makes a Proxy misbehave at one step of every CONNECT, as broken
// or overloaded proxies do.
type Fault int

const (
	NoFault          Fault = iota
	FaultNoAnswer          // read CONNECT and never answer it
	FaultHangUp            // close the connection on reading CONNECT
	FaultNoHandshake       // answer 200, then say nothing: the TLS handshake never completes
)

// Break is what BreakTunnels does to the tunnels that are open.
type Break int32

const (
	BreakClose  Break = iota + 1 // close the tunnel when the client next sends on it
	BreakReset                   // the same, with a TCP reset
	BreakSilent                  // swallow what the client sends and send nothing, keeping the connection: a tunnel dropped without a word
)

// BreakTunnels does b to every tunnel open now, as proxies and firewalls
// treat a tunnel left idle while the user signs in. Tunnels opened later
// work.
func (p *Proxy) BreakTunnels(b Break) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.raw {
		if fc, ok := c.(*faultConn); ok {
			fc.mode.Store(int32(b))
		}
	}
}

// faultConn is the client's side of a tunnel, which BreakTunnels can
// break.
type faultConn struct {
	net.Conn
	mode atomic.Int32
}

func (c *faultConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	switch Break(c.mode.Load()) {
	case BreakClose:
		c.Conn.Close()
		return 0, io.EOF
	case BreakReset:
		resetClose(c.Conn)
		return 0, io.EOF
	case BreakSilent:
		for err == nil {
			_, err = c.Conn.Read(b)
		}
		return 0, err
	}
	return n, err
}

func (c *faultConn) Write(b []byte) (int, error) {
	if Break(c.mode.Load()) == BreakSilent {
		return len(b), nil
	}
	return c.Conn.Write(b)
}

// resetClose closes c with a TCP reset rather than an orderly close.
func resetClose(c net.Conn) {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}

// misbehave answers one CONNECT according to the proxy's Fault.
func (p *Proxy) misbehave(w http.ResponseWriter, r *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	switch p.o.Fault {
	case FaultHangUp:
		conn.Close()
		return
	case FaultNoHandshake:
		host, _, _ := net.SplitHostPort(r.Host)
		if !p.track(conn, host) {
			return
		}
		if _, err := io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
			p.untrack(conn)
			return
		}
	default:
		if !p.track(conn, "") {
			return
		}
	}
	io.Copy(io.Discard, conn) // until the client gives up or Close ends it
	p.untrack(conn)
}
