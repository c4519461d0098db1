package trusttest

import (
	"bufio"
	"net"
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
	r *bufio.Reader
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
