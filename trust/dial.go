package trust

import (
	"context"
	"errors"
	"net"
	"time"
)

// TCP keep-alive on every connection: a tunnel that a proxy, NAT or
// firewall dropped while the user signed in is found in seconds rather
// than when the next request waits for its reply in vain.
const (
	keepAliveIdle     = 15 * time.Second
	keepAliveInterval = 5 * time.Second
	keepAliveCount    = 3
	// userTimeout bounds, where the OS supports it (Linux), how long sent
	// data may stay unacknowledged before the connection is given up.
	userTimeout = 20 * time.Second
)

func newDialer(l Limits) *net.Dialer {
	return &net.Dialer{
		// The watchdog enforces l.Connect; this only bounds a dial that
		// no request waits for any more.
		Timeout: 2 * l.Connect,
		KeepAliveConfig: net.KeepAliveConfig{
			Enable: true, Idle: keepAliveIdle, Interval: keepAliveInterval, Count: keepAliveCount,
		},
		Control: control,
	}
}

var errAbandoned = errors.New("the request gave up on this connection")

// dial is the Transport's DialContext. net/http dials apart from the
// request (a connection may serve a later one), with the request's
// context values but not its cancellation; dial hands each connection to
// the request's watchdog, which ends it when its phase runs out of time.
//
// A connection on which TLS comes next waits for the pool first: the
// system roots may still be being read (StartPool), while the TCP connect
// and the tunnel were set up. A plain-http proxy's connection does not:
// its CONNECT goes first, and OnProxyConnectResponse waits.
func (c *Client) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	var conn net.Conn
	var err error
	if p := c.tunnelProxy(addr); p != nil {
		conn, err = c.dialTunnel(ctx, p, addr)
	} else {
		conn, err = c.dialConn(ctx, network, addr)
		if err == nil && c.isPlainProxy(addr) {
			return conn, nil
		}
	}
	if err == nil {
		if err = c.pool.waitContext(ctx); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return conn, err
}

// dialConn connects to addr under the request's watchdog.
func (c *Client) dialConn(ctx context.Context, network, addr string) (net.Conn, error) {
	w, _ := ctx.Value(watchKey{}).(*watch)
	if w == nil {
		return c.dialTCP(ctx, network, addr)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // once connected, the context no longer matters
	if !w.addDial(cancel) {
		return nil, errAbandoned
	}
	conn, err := c.dialTCP(ctx, network, addr)
	if err == nil && !w.adopt(conn) {
		conn.Close()
		return nil, errAbandoned
	}
	return conn, err
}

// addDial registers a TCP connect of the attempt; false when the attempt
// already gave up.
func (w *watch) addDial(cancel func()) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.abandoned {
		return false
	}
	w.dials = append(w.dials, cancel)
	return true
}

// adopt registers a connection dialled for the attempt; false when the
// attempt already gave up.
func (w *watch) adopt(conn net.Conn) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.abandoned {
		return false
	}
	w.conns = append(w.conns, conn)
	return true
}
