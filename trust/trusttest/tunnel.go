package trusttest

import (
	"crypto/subtle"
	"crypto/tls"
	"encoding/base64"
	"io"
	"net"
	"strings"
	"sync"
)

// tunnelHost is the context key under which the back server finds the
// CONNECT host:port of a tunnel.
type tunnelHost struct{}

// tunnelConn is a decrypted CONNECT tunnel, as the back server sees it.
type tunnelConn struct {
	net.Conn // *tls.Conn
	host     string
	once     sync.Once
	done     func()
}

func (c *tunnelConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.done)
	return err
}

// bufferedConn reads what the CONNECT reader buffered before the rest.
type bufferedConn struct {
	net.Conn
	r io.Reader
}

func (c *bufferedConn) Read(b []byte) (int, error) { return c.r.Read(b) }

// connListener hands hijacked tunnels to an http.Server, which has no way
// to serve a single connection otherwise.
type connListener struct {
	ch   chan net.Conn
	done chan struct{}
	once sync.Once
	addr net.Addr
}

func (l *connListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ch:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// push gives c to the server; false once the listener is closed.
func (l *connListener) push(c net.Conn) bool {
	select {
	case l.ch <- c:
		return true
	case <-l.done:
		return false
	}
}

func (l *connListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *connListener) Addr() net.Addr { return l.addr }

func (p *Proxy) authorized(header string) bool {
	scheme, cred, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return false
	}
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	want := p.o.User + ":" + p.o.Password
	return err == nil && subtle.ConstantTimeCompare(got, []byte(want)) == 1
}

// track counts an accepted tunnel (unless host is "") and remembers its
// connection so Close can end it; after Close it closes conn instead.
func (p *Proxy) track(conn net.Conn, host string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		conn.Close()
		return false
	}
	if host != "" {
		p.connects[host]++
	}
	p.raw[conn] = true
	return true
}

func (p *Proxy) untrack(conn net.Conn) {
	p.mu.Lock()
	delete(p.raw, conn)
	p.mu.Unlock()
	conn.Close()
}

// leafFor forges (once per name) a leaf for the SNI name, or for the
// CONNECT host when the client sent none (an IP address).
func (p *Proxy) leafFor(host string) func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
		name := hello.ServerName
		if name == "" {
			name = host
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		if c, ok := p.leaves[name]; ok {
			return c, nil
		}
		c, err := p.o.CA.Issue(name)
		if err != nil {
			return nil, err
		}
		p.leaves[name] = &c
		return &c, nil
	}
}
