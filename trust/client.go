package trust

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
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
	NoProxy     string  // NO_PROXY syntax
	ProxySource string  // where Proxy came from ("--proxy", "HTTPS_PROXY", ...), for messages
	Limits      *Limits // nil: the default limit of every phase
	// ProxyAuth is how to authenticate to the proxy: "auto" (the default:
	// Basic with the URL's credentials, NTLM or Negotiate when the proxy
	// asks for them), "basic", "ntlm", "negotiate" or "none".
	ProxyAuth string
	// ProxyCredentials, when set, gives the user name (DOMAIN\user or
	// user@domain) and password for a scheme that needs them when the
	// proxy URL has none; it is called at most once per run.
	ProxyCredentials func(ctx context.Context, proxy *url.URL) (user, password string, err error)
	// PAC, when set, lists the proxies for a URL in order, from a proxy
	// auto-config file (nil entries are DIRECT); Proxy and NoProxy are then
	// not used. The first candidate that answers is used for that host for
	// the rest of the run.
	PAC       func(ctx context.Context, u *url.URL) ([]*url.URL, error)
	PACSource string // where the PAC file came from, for messages
}

// Client is the HTTP client every request of codex-login goes through.
type Client struct {
	HTTP *http.Client

	pool        *Pool
	proxy       *url.URL // nil when direct
	proxySource string
	noProxy     string
	proxyFn     func(*url.URL) (*url.URL, error)
	limits      Limits
	dialTCP     func(ctx context.Context, network, addr string) (net.Conn, error) // replaced by tests
	proxyAuth   string
	creds       func(ctx context.Context, proxy *url.URL) (user, password string, err error)
	pac         func(ctx context.Context, u *url.URL) ([]*url.URL, error)
	pacSource   string

	mu     sync.Mutex
	chains map[string][]*x509.Certificate // by host: the chain of the last TLS connection
	auths  map[string]*proxyAuth          // by proxy host:port
	// pacChoices: by scheme://host:port, the proxy the PAC file chose.
	pacChoices map[string]pacChoice
	// plainProxies: host:port of the plain-http proxies the Transport
	// sends CONNECT to; their connections need no certificate yet.
	plainProxies map[string]bool
}

// notePlainProxy remembers addr as a plain-http proxy's.
func (c *Client) notePlainProxy(addr string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.plainProxies == nil {
		c.plainProxies = map[string]bool{}
	}
	c.plainProxies[addr] = true
}

// isPlainProxy reports whether addr is a plain-http proxy's (see
// notePlainProxy).
func (c *Client) isPlainProxy(addr string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.plainProxies[addr]
}

// NewClient builds the client: proxy chosen by golang.org/x/net/http/httpproxy
// from o (never from the environment, which the config package reads),
// TLS 1.2 or later verified against o.Pool, a time limit for each phase
// of a request (see Limits), TCP keep-alives that find a dead connection
// fast, and a kept-alive connection, so the one opened by the pre-flight
// serves the token exchange minutes later; when that connection turns out
// dead, the request is sent again on a new one, but never once a byte of
// reply has come. Every transport error is passed through Explain.
func NewClient(o Options) (*Client, error) {
	pool := o.Pool
	if pool == nil {
		var err error
		if pool, err = NewPool(true, nil); err != nil {
			return nil, err
		}
	}
	c := &Client{pool: pool, noProxy: o.NoProxy, proxySource: o.ProxySource, limits: o.Limits.withDefaults(),
		chains: map[string][]*x509.Certificate{}, auths: map[string]*proxyAuth{}, creds: o.ProxyCredentials}
	switch c.proxyAuth = strings.ToLower(o.ProxyAuth); c.proxyAuth {
	case "":
		c.proxyAuth = ProxyAuthAuto
	case ProxyAuthAuto, ProxyAuthBasic, ProxyAuthNTLM, ProxyAuthNegotiate, ProxyAuthNone:
	default:
		return nil, fmt.Errorf("proxy authentication %q: use auto, basic, ntlm, negotiate or none", o.ProxyAuth)
	}
	cfg := &httpproxy.Config{NoProxy: o.NoProxy}
	if o.Proxy != "" {
		u, err := parseProxy(o.Proxy, o.ProxySource)
		if err != nil {
			return nil, err
		}
		if c.proxyAuth == ProxyAuthNone {
			u.User = nil
		}
		c.proxy = u
		cfg.HTTPProxy, cfg.HTTPSProxy = u.String(), u.String()
	}
	c.proxyFn = cfg.ProxyFunc()
	if o.PAC != nil {
		c.pac, c.pacSource, c.pacChoices = o.PAC, o.PACSource, map[string]pacChoice{}
		c.proxyFn = c.pacProxy
	}
	c.dialTCP = newDialer(c.limits).DialContext
	c.HTTP = &http.Client{Transport: &roundTripper{base: c.transport(), c: c}}
	return c, nil
}

// transport is the Transport under the client's round tripper: proxy
// chosen by c.proxyFn, connections dialled by c.dial, verified against
// c.pool.
func (c *Client) transport() *http.Transport {
	return &http.Transport{
		Proxy: func(r *http.Request) (*url.URL, error) {
			p, err := c.proxyFn(r.URL)
			if err == nil && c.tunnelled(p) {
				return nil, nil // c.dial opens the tunnel itself
			}
			if err == nil && p != nil && p.Scheme == "http" {
				c.notePlainProxy(proxyAddr(p))
			}
			return p, err
		},
		DialContext: c.dial,
		TLSClientConfig: &tls.Config{
			// The pool may still be reading the system roots: dial and
			// OnProxyConnectResponse wait for it before any handshake.
			RootCAs:    c.pool.certPool(),
			MinVersion: tls.VersionTLS12,
		},
		OnProxyConnectResponse: func(ctx context.Context, proxy *url.URL, req *http.Request, resp *http.Response) error {
			if err := onConnectResponse(ctx, proxy, req, resp); err != nil {
				return err
			}
			return c.pool.waitContext(ctx) // the TLS handshake comes next
		},
		// The phase limits are enforced by the round tripper; this one
		// only bounds a handshake that no request waits for any more.
		TLSHandshakeTimeout:    2 * c.limits.Handshake,
		MaxResponseHeaderBytes: 1 << 20,
		IdleConnTimeout:        30 * time.Minute,
		MaxIdleConnsPerHost:    2,
		ExpectContinueTimeout:  time.Second,
	}
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
	PACDirect                           // the proxy auto-config file said DIRECT
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
	if c.pac != nil {
		return Route{Direct: PACDirect}
	}
	if c.proxy == nil {
		return Route{Direct: NoProxyConfigured}
	}
	return Route{Direct: NoProxyMatch}
}

// Pool returns the certificates the client trusts.
func (c *Client) Pool() *Pool { return c.pool }

// PeerChain returns the verified chain (leaf first) of the last TLS
// connection the client made to host (a name, with or without port), nil
// if none. Behind a TLS-inspecting proxy it is the proxy's forged chain.
func (c *Client) PeerChain(host string) []*x509.Certificate {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.chains[hostKey(host)]
}

// recordChain remembers the chain of a reply's connection to host.
func (c *Client) recordChain(host string, cs *tls.ConnectionState) {
	if cs == nil {
		return
	}
	chain := cs.PeerCertificates
	if len(cs.VerifiedChains) > 0 {
		chain = cs.VerifiedChains[0]
	}
	c.mu.Lock()
	c.chains[hostKey(host)] = chain
	c.mu.Unlock()
}

func hostKey(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.ToLower(strings.Trim(host, "[]"))
}
