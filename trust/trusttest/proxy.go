package trusttest

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"time"
)

// ProxyOptions configures a TLS-inspecting proxy like the ones corporate
// networks run (Zscaler, Netskope, Blue Coat, squid with ssl-bump).
type ProxyOptions struct {
	CA            *CA               // the inspection CA that forges a leaf per host (SNI, else CONNECT host)
	Upstream      map[string]string // CONNECT host (name without port) → loopback "127.0.0.1:port" it really dials
	UpstreamRoots *x509.CertPool    // what the proxy trusts upstream; nil trusts nothing (verification is never skipped)
	User          string            // with Password, non-empty: demand Basic auth (407, Proxy-Authenticate: Basic realm="corp")
	Password      string
	Refuse        bool             // answer every CONNECT with 403 Forbidden
	TLS           bool             // an https:// proxy: clients reach it over TLS, with a certificate for 127.0.0.1 from CA
	Fault         Fault            // misbehave at one step of every CONNECT
	Answer        http.HandlerFunc // when set, answers every CONNECT instead of tunnelling: a block page, squid's 503 with X-Squid-Error
	// NTLM demands NTLM instead of Basic for User (DOMAIN\user or
	// user@domain) and Password, run on one connection as real proxies
	// do; NTLMLogins tells what the client sent.
	NTLM          bool
	NTLMMalformed bool // send the CHALLENGE squid's ntlm_fake_auth sends (a TargetName past the end)
	NTLMHangup    bool // close the connection after the CHALLENGE, as a proxy that cannot do NTLM
}

// Proxy is a TLS-inspecting HTTP proxy on loopback. It only tunnels
// CONNECT: it answers 200, completes the TLS handshake itself with a leaf
// forged by the CA, and forwards the HTTP/1.1 requests it decrypts
// (keep-alive) to the mapped upstream over TLS verified with
// UpstreamRoots. Hosts that are not in Upstream get 502; nothing off
// loopback is ever dialled.
type Proxy struct {
	o        ProxyOptions
	ln       net.Listener
	front    *http.Server // answers CONNECT
	back     *http.Server // serves the decrypted tunnels
	tunnels  *connListener
	upstream *http.Transport
	wg       sync.WaitGroup

	mu       sync.Mutex
	closed   bool
	connects map[string]int
	leaves   map[string]*tls.Certificate
	raw      map[net.Conn]bool // hijacked connections, closed by Close
	ntlm     ntlmState
}

// NewProxy starts a proxy on 127.0.0.1:0.
func NewProxy(o ProxyOptions) (*Proxy, error) {
	if o.CA == nil {
		return nil, errors.New("trusttest: ProxyOptions.CA is nil")
	}
	for host, addr := range o.Upstream {
		h, _, err := net.SplitHostPort(addr)
		if ip := net.ParseIP(h); err != nil || ip == nil || !ip.IsLoopback() {
			return nil, fmt.Errorf("trusttest: upstream %s for %s is not a loopback address", addr, host)
		}
	}
	roots := o.UpstreamRoots
	if roots == nil {
		roots = x509.NewCertPool()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("trusttest: listen: %w", err)
	}
	if o.TLS {
		cert, err := o.CA.Issue("127.0.0.1")
		if err != nil {
			ln.Close()
			return nil, fmt.Errorf("trusttest: proxy certificate: %w", err)
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	}
	p := &Proxy{
		o: o, ln: ln,
		tunnels:  &connListener{ch: make(chan net.Conn), done: make(chan struct{}), addr: ln.Addr()},
		connects: map[string]int{},
		leaves:   map[string]*tls.Certificate{},
		raw:      map[net.Conn]bool{},
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	p.upstream = &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, _ := net.SplitHostPort(addr)
			to, ok := o.Upstream[host]
			if !ok {
				return nil, fmt.Errorf("trusttest: no upstream for %s", host)
			}
			return dialer.DialContext(ctx, "tcp", to)
		},
		TLSClientConfig:     &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		DisableCompression:  true,
		TLSHandshakeTimeout: 10 * time.Second,
	}
	quiet := log.New(io.Discard, "", 0)
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme = "https"
			pr.Out.URL.Host, _ = pr.In.Context().Value(tunnelHost{}).(string)
			pr.Out.Host = pr.In.Host
		},
		Transport: p.upstream,
		ErrorLog:  quiet,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			http.Error(w, "trusttest proxy: upstream: "+err.Error(), http.StatusBadGateway)
		},
	}
	p.back = &http.Server{
		Handler:           rp,
		ErrorLog:          quiet,
		ReadHeaderTimeout: 10 * time.Second,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			if t, ok := c.(*tunnelConn); ok {
				ctx = context.WithValue(ctx, tunnelHost{}, t.host)
			}
			return ctx
		},
	}
	p.front = &http.Server{Handler: http.HandlerFunc(p.connect), ErrorLog: quiet, ReadHeaderTimeout: 10 * time.Second,
		ConnContext: p.ntlmConnContext}
	p.wg.Add(2)
	go func() { defer p.wg.Done(); _ = p.front.Serve(ln) }()
	go func() { defer p.wg.Done(); _ = p.back.Serve(p.tunnels) }()
	return p, nil
}

// URL returns http://127.0.0.1:port (https:// with TLS), without credentials.
func (p *Proxy) URL() *url.URL {
	if p.o.TLS {
		return &url.URL{Scheme: "https", Host: p.ln.Addr().String()}
	}
	return &url.URL{Scheme: "http", Host: p.ln.Addr().String()}
}

// Connects returns how many CONNECT tunnels the proxy accepted for host
// (a name without port).
func (p *Proxy) Connects(host string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.connects[host]
}

// Close stops the proxy and closes every connection it holds.
func (p *Proxy) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	for c := range p.raw {
		c.Close()
	}
	p.mu.Unlock()
	p.front.Close()
	p.tunnels.Close()
	p.back.Close()
	p.wg.Wait()
	p.upstream.CloseIdleConnections()
}

// connect answers one CONNECT and hands the decrypted tunnel to p.back.
func (p *Proxy) connect(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		http.Error(w, "this proxy only tunnels CONNECT", http.StatusMethodNotAllowed)
		return
	}
	if p.o.NTLM {
		if !p.ntlmAuthorized(w, r) {
			return
		}
	} else if p.o.User != "" && !p.authorized(r.Header.Get("Proxy-Authorization")) {
		w.Header().Set("Proxy-Authenticate", `Basic realm="corp"`)
		http.Error(w, "proxy authentication required", http.StatusProxyAuthRequired)
		return
	}
	if p.o.Answer != nil {
		p.o.Answer(w, r)
		return
	}
	if p.o.Fault != NoFault {
		p.misbehave(w, r)
		return
	}
	if p.o.Refuse {
		http.Error(w, "forbidden by corporate policy", http.StatusForbidden)
		return
	}
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		http.Error(w, "CONNECT needs host:port", http.StatusBadRequest)
		return
	}
	if _, ok := p.o.Upstream[host]; !ok {
		http.Error(w, "unknown host "+host, http.StatusBadGateway)
		return
	}
	hijacked, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "cannot hijack", http.StatusInternalServerError)
		return
	}
	conn := &faultConn{Conn: hijacked}
	if !p.track(conn, host) {
		return
	}
	if _, err := io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		p.untrack(conn)
		return
	}
	var plain net.Conn = conn
	if n := brw.Reader.Buffered(); n > 0 {
		peeked, _ := brw.Reader.Peek(n)
		plain = &bufferedConn{Conn: conn, r: io.MultiReader(bytes.NewReader(peeked), conn)}
	}
	tc := tls.Server(plain, &tls.Config{GetCertificate: p.leafFor(host), MinVersion: tls.VersionTLS12})
	t := &tunnelConn{Conn: tc, host: r.Host, done: func() { p.untrack(conn) }}
	if !p.tunnels.push(t) {
		t.Close()
	}
}
