package trusttest

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"sync"
	"time"
)

// SOCKSOptions configures a SOCKS 5 proxy (RFC 1928, no authentication).
type SOCKSOptions struct {
	Upstream map[string]string // host name (or IP) → loopback "127.0.0.1:port" it really dials
	// Reply, when not zero, refuses every CONNECT with this SOCKS 5 reply
	// code: 2 not allowed by ruleset, 4 host unreachable, 5 connection
	// refused. A host not in Upstream gets 4.
	Reply byte
	Fault Fault // FaultNoAnswer: never answer the greeting; FaultHangUp: close on reading it
}

// SOCKS is a SOCKS 5 proxy on loopback that relays bytes to the mapped
// upstream without looking at them (no TLS inspection). Nothing off
// loopback is ever dialled.
type SOCKS struct {
	o  SOCKSOptions
	ln net.Listener
	wg sync.WaitGroup

	mu       sync.Mutex
	closed   bool
	conns    map[net.Conn]bool
	connects map[string]int
}

// NewSOCKS starts a SOCKS 5 proxy on 127.0.0.1:0.
func NewSOCKS(o SOCKSOptions) (*SOCKS, error) {
	for host, addr := range o.Upstream {
		h, _, err := net.SplitHostPort(addr)
		if ip := net.ParseIP(h); err != nil || ip == nil || !ip.IsLoopback() {
			return nil, fmt.Errorf("trusttest: upstream %s for %s is not a loopback address", addr, host)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("trusttest: listen: %w", err)
	}
	s := &SOCKS{o: o, ln: ln, conns: map[net.Conn]bool{}, connects: map[string]int{}}
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if !s.track(c) {
				return
			}
			s.wg.Go(func() { s.serve(c) })
		}
	})
	return s, nil
}

// URL returns socks5h://127.0.0.1:port.
func (s *SOCKS) URL() *url.URL { return &url.URL{Scheme: "socks5h", Host: s.ln.Addr().String()} }

// Connects returns how many CONNECTs to host the proxy relayed.
func (s *SOCKS) Connects(host string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connects[host]
}

// Close stops the proxy and closes every connection it holds.
func (s *SOCKS) Close() {
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.ln.Close()
	s.wg.Wait()
}

func (s *SOCKS) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		c.Close()
		return false
	}
	s.conns[c] = true
	return true
}

func (s *SOCKS) untrack(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	c.Close()
}

func (s *SOCKS) serve(c net.Conn) {
	defer s.untrack(c)
	switch s.o.Fault {
	case FaultNoAnswer:
		io.Copy(io.Discard, c)
		return
	case FaultHangUp:
		return
	}
	host, err := readSOCKSRequest(c)
	if err != nil {
		return
	}
	addr, ok := s.o.Upstream[host]
	reply := s.o.Reply
	if reply == 0 && !ok {
		reply = 4 // host unreachable
	}
	var up net.Conn
	if reply == 0 {
		if up, err = net.DialTimeout("tcp", addr, 10*time.Second); err != nil {
			reply = 5 // connection refused
		}
	}
	// Reply: VER REP RSV ATYP=IPv4 BND.ADDR BND.PORT.
	if _, err := c.Write([]byte{5, reply, 0, 1, 127, 0, 0, 1, 0, 0}); err != nil || reply != 0 {
		if up != nil {
			up.Close()
		}
		return
	}
	s.mu.Lock()
	s.connects[host]++
	s.mu.Unlock()
	if !s.track(up) {
		return
	}
	defer s.untrack(up)
	s.wg.Go(func() { io.Copy(up, c); up.Close() })
	io.Copy(c, up)
}

// readSOCKSRequest answers the greeting (no authentication) and returns
// the host of the CONNECT request that follows.
func readSOCKSRequest(c net.Conn) (string, error) {
	var head [2]byte
	if _, err := io.ReadFull(c, head[:]); err != nil || head[0] != 5 {
		return "", errors.New("not SOCKS 5")
	}
	if _, err := io.ReadFull(c, make([]byte, head[1])); err != nil {
		return "", err
	}
	if _, err := c.Write([]byte{5, 0}); err != nil {
		return "", err
	}
	var req [4]byte // VER CMD RSV ATYP
	if _, err := io.ReadFull(c, req[:]); err != nil || req[1] != 1 {
		return "", errors.New("not a CONNECT")
	}
	var host []byte
	switch req[3] {
	case 1:
		host = make([]byte, 4)
	case 4:
		host = make([]byte, 16)
	case 3:
		var n [1]byte
		if _, err := io.ReadFull(c, n[:]); err != nil {
			return "", err
		}
		host = make([]byte, n[0])
	}
	if _, err := io.ReadFull(c, host); err != nil {
		return "", err
	}
	if _, err := io.ReadFull(c, make([]byte, 2)); err != nil { // the port: Upstream decides
		return "", err
	}
	if req[3] == 3 {
		return string(host), nil
	}
	return net.IP(host).String(), nil
}
