package trust

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// PACSource is where the client's proxy auto-config file came from, ""
// when it has none.
func (c *Client) PACSource() string { return c.pacSource }

// pacChoice is the proxy a PAC file chose for one host, or why none.
type pacChoice struct {
	proxy *url.URL // nil for DIRECT
	err   error
}

// pacProxy picks the proxy for u from the PAC file's candidates, once per
// host for the run: the first DIRECT, or the first proxy whose address
// answers a TCP connection. Loopback hosts are never proxied.
func (c *Client) pacProxy(u *url.URL) (*url.URL, error) {
	host := u.Hostname()
	if ip := net.ParseIP(host); (ip != nil && ip.IsLoopback()) || host == "localhost" {
		return nil, nil
	}
	key := strings.ToLower(u.Scheme + "://" + u.Host)
	c.mu.Lock()
	choice, ok := c.pacChoices[key]
	c.mu.Unlock()
	if ok {
		return choice.proxy, choice.err
	}
	choice = c.choosePAC(u)
	c.mu.Lock()
	c.pacChoices[key] = choice
	c.mu.Unlock()
	return choice.proxy, choice.err
}

func (c *Client) choosePAC(u *url.URL) pacChoice {
	ctx, cancel := context.WithTimeout(context.Background(), c.limits.Connect+c.limits.Proxy)
	defer cancel()
	candidates, err := c.pac(ctx, u)
	if err != nil {
		return pacChoice{err: &PACError{Source: c.pacSource, Host: u.Host, Err: err}}
	}
	var tried []string
	for _, p := range candidates {
		if p == nil {
			return pacChoice{}
		}
		dctx, dcancel := context.WithTimeout(ctx, c.limits.Connect)
		conn, err := c.dialTCP(dctx, "tcp", proxyAddr(p))
		dcancel()
		if err == nil {
			conn.Close()
			return pacChoice{proxy: p}
		}
		tried = append(tried, p.Redacted()+" ("+rootErr(err)+")")
	}
	return pacChoice{err: &PACUnreachableError{Source: c.pacSource, Host: u.Host, Tried: tried}}
}

// rootErr is the last part of a dial error ("connection refused").
func rootErr(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}

// PACError: the proxy auto-config file could not be used for a host (it
// could not be fetched, or its script failed).
type PACError struct {
	Source string // where the PAC file came from
	Host   string
	Err    error
}

func (e *PACError) Error() string {
	return fmt.Sprintf("proxy auto-config %s, for %s: %v", e.Source, e.Host, e.Err)
}

func (e *PACError) Unwrap() error { return e.Err }
func (*PACError) Explained()      {}

// PACUnreachableError: every proxy the PAC file named for a host is
// unreachable, and it named no DIRECT.
type PACUnreachableError struct {
	Source string
	Host   string
	Tried  []string // each proxy and why it failed
}

func (e *PACUnreachableError) Error() string {
	return fmt.Sprintf("none of the proxies the proxy auto-config %s names for %s answers: %s", e.Source, e.Host, strings.Join(e.Tried, "; "))
}

func (*PACUnreachableError) Explained() {}
