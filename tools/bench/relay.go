package main

import (
	"bytes"
	"io"
	"net"
	"sync"
	"time"
)

// relay is a TCP relay in front of squid. The tools under test use it as
// their proxy, so it sees every byte they send to the proxy. It
//
//   - delays every chunk by the current one-way delay, per direction and in
//     order (this kernel has no netem); the first chunk a client sends is
//     held one more round trip, standing for the TCP handshake that the
//     kernel completes at once on loopback;
//   - records when each connection's first byte arrived and the target of
//     its CONNECT line;
//   - can close every connection (a proxy dropping idle tunnels).
type relay struct {
	ln     net.Listener
	target string // squid's host:port

	mu    sync.Mutex
	delay time.Duration
	conns []*relayConn // since the last reset
}

type relayConn struct {
	accepted  time.Time
	firstByte time.Time // zero until the client sent a byte
	connect   string    // the CONNECT target, e.g. auth.openai.com:443
	client    net.Conn
	upstream  net.Conn
}

func newRelay(target string) (*relay, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &relay{ln: ln, target: target}
	go r.serve()
	return r, nil
}

func (r *relay) URL() string { return "http://" + r.ln.Addr().String() }

func (r *relay) Close() { _ = r.ln.Close(); r.KillAll() }

// Reset forgets the connections seen so far (they stay open) and sets the
// one-way delay for new connections.
func (r *relay) Reset(delay time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.conns = nil
	r.delay = delay
}

// KillAll closes every connection seen since the last reset, both sides.
func (r *relay) KillAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.conns {
		_ = c.client.Close()
		_ = c.upstream.Close()
	}
}

// FirstByte is the earliest first byte of the connections since the last
// reset, or the zero time.
func (r *relay) FirstByte() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	var first time.Time
	for _, c := range r.conns {
		if !c.firstByte.IsZero() && (first.IsZero() || c.firstByte.Before(first)) {
			first = c.firstByte
		}
	}
	return first
}

// Count is the number of connections since the last reset whose CONNECT
// target is target, and the targets of the others.
func (r *relay) Count(target string) (n int, others []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.conns {
		if c.connect == target {
			n++
		} else {
			others = append(others, c.connect)
		}
	}
	return n, others
}

func (r *relay) serve() {
	for {
		c, err := r.ln.Accept()
		if err != nil {
			return
		}
		go r.handle(c)
	}
}

func (r *relay) handle(c net.Conn) {
	accepted := time.Now()
	u, err := net.Dial("tcp", r.target)
	if err != nil {
		_ = c.Close()
		return
	}
	rc := &relayConn{accepted: accepted, client: c, upstream: u}
	r.mu.Lock()
	r.conns = append(r.conns, rc)
	delay := r.delay
	r.mu.Unlock()
	go r.pipe(rc, c, u, delay, true)
	r.pipe(rc, u, c, delay, false)
}

type chunk struct {
	b   []byte
	at  time.Time // when it may be written
	eof bool
}

// pipe copies src to dst, each chunk written delay after it was read. up
// is the client-to-squid direction.
func (r *relay) pipe(rc *relayConn, src, dst net.Conn, delay time.Duration, up bool) {
	ch := make(chan chunk, 4096)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ck := range ch {
			if d := time.Until(ck.at); d > 0 {
				time.Sleep(d)
			}
			if ck.eof {
				if tc, ok := dst.(*net.TCPConn); ok {
					_ = tc.CloseWrite()
				} else {
					_ = dst.Close()
				}
				continue
			}
			if _, err := dst.Write(ck.b); err != nil {
				_ = src.Close()
				_ = dst.Close()
			}
		}
	}()
	first := true
	for {
		buf := make([]byte, 32<<10)
		n, err := src.Read(buf)
		now := time.Now()
		if n > 0 {
			at := now.Add(delay)
			if up && first {
				at = at.Add(2 * delay) // the TCP handshake's round trip
				r.mu.Lock()
				rc.firstByte = now
				rc.connect = connectTarget(buf[:n])
				r.mu.Unlock()
			}
			first = false
			ch <- chunk{b: buf[:n], at: at}
		}
		if err != nil {
			if err == io.EOF {
				ch <- chunk{eof: true, at: now.Add(delay)}
			} else {
				_ = dst.Close()
			}
			close(ch)
			<-done
			return
		}
	}
}

// connectTarget is X in a first line "CONNECT X HTTP/1.1", else "".
func connectTarget(b []byte) string {
	line, _, _ := bytes.Cut(b, []byte("\r\n"))
	f := bytes.Fields(line)
	if len(f) >= 2 && string(f[0]) == "CONNECT" {
		return string(f[1])
	}
	if len(f) >= 1 {
		return "(" + string(f[0]) + ")"
	}
	return ""
}
