package trust

import (
	"crypto/tls"
	"net"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// Options configures the one HTTP client.
type Options struct {
	Pool *Pool // nil: the system roots only
	// Proxy is the proxy for https (and http) requests, "" for direct.
	// Schemes http, https, socks5 and socks5h; a bare host:port means http.
	// Basic credentials may be given as user:password@ in it.
	Proxy       string
	NoProxy     string // NO_PROXY syntax
	ProxySource string // where Proxy came from ("--proxy", "HTTPS_PROXY", ...), for messages
}

// Client is the HTTP client every request of codex-login goes through.
type Client struct {
	HTTP *http.Client

	pool    *Pool
	proxy   *url.URL // nil when direct
	noProxy string
	proxyFn func(*url.URL) (*url.URL, error)
}

// NewClient builds the client: proxy chosen by golang.org/x/net/http/httpproxy
// from o (never from the environment, which the config package reads),
// TLS 1.2 or later verified against o.Pool, and timeouts that let the
// connection opened by the pre-flight be reused for the token exchange
// minutes later. Every transport error is passed through Explain.
func NewClient(o Options) (*Client, error) {
	pool := o.Pool
	if pool == nil {
		var err error
		if pool, err = NewPool(true, nil); err != nil {
			return nil, err
		}
	}
	c := &Client{pool: pool, noProxy: o.NoProxy}
	cfg := &httpproxy.Config{NoProxy: o.NoProxy}
	if o.Proxy != "" {
		u, err := parseProxy(o.Proxy, o.ProxySource)
		if err != nil {
			return nil, err
		}
		c.proxy = u
		cfg.HTTPProxy, cfg.HTTPSProxy = u.String(), u.String()
	}
	c.proxyFn = cfg.ProxyFunc()

	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	t := &http.Transport{
		Proxy:       func(r *http.Request) (*url.URL, error) { return c.proxyFn(r.URL) },
		DialContext: dialer.DialContext,
		TLSClientConfig: &tls.Config{
			RootCAs:    pool.CertPool(),
			MinVersion: tls.VersionTLS12,
		},
		OnProxyConnectResponse: onConnectResponse,
		TLSHandshakeTimeout:    30 * time.Second,
		ResponseHeaderTimeout:  60 * time.Second,
		IdleConnTimeout:        30 * time.Minute,
		MaxIdleConnsPerHost:    2,
		ExpectContinueTimeout:  time.Second,
	}
	c.HTTP = &http.Client{Transport: &explainer{base: t, c: c}}
	return c, nil
}

// ProxyFor returns the proxy a request to u goes through, nil for direct
// (no proxy configured, u matches NoProxy, or u is localhost or a
// loopback address, which httpproxy never proxies).
func (c *Client) ProxyFor(u *url.URL) *url.URL {
	p, err := c.proxyFn(u)
	if err != nil {
		return nil
	}
	return p
}

// Route is how requests to one URL leave this machine.
type Route struct {
	Proxy  *url.URL // the proxy, nil when direct
	Direct Direct   // why the route is direct; 0 through a proxy
}

// Direct says why a route does not use a proxy.
type Direct int

const (
	NoProxyConfigured Direct = iota + 1 // no proxy is set
	Loopback                            // the host is this machine, which is never proxied
	NoProxyMatch                        // the host matches the no-proxy list
)

// Route returns how a request to u goes: through which proxy, or direct
// and why.
func (c *Client) Route(u *url.URL) Route {
	if p := c.ProxyFor(u); p != nil {
		return Route{Proxy: p}
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); (ip != nil && ip.IsLoopback()) || host == "localhost" {
		return Route{Direct: Loopback}
	}
	if c.proxy == nil {
		return Route{Direct: NoProxyConfigured}
	}
	return Route{Direct: NoProxyMatch}
}

// Pool returns the certificates the client trusts.
func (c *Client) Pool() *Pool { return c.pool }

// explainer is the client's RoundTripper: the Transport, with every error
// turned into one that says what went wrong.
type explainer struct {
	base *http.Transport
	c    *Client
}

func (e *explainer) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := e.base.RoundTrip(r)
	if err == nil {
		return resp, nil
	}
	proxy := e.c.ProxyFor(r.URL)
	bypassed := e.c.proxy != nil && proxy == nil
	err = Explain(err, r.URL.Hostname(), proxy, bypassed, e.c.pool)
	if d, ok := err.(*DNSError); ok && d.Bypassed {
		d.NoProxy = e.c.noProxy
	}
	return nil, err
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// Transport.
func (e *explainer) CloseIdleConnections() { e.base.CloseIdleConnections() }
