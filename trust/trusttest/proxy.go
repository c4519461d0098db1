package trusttest

import (
	"context"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
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
	Refuse        bool // answer every CONNECT with 403 Forbidden
	TLS           bool // an https:// proxy: clients reach it over TLS, with a certificate for 127.0.0.1 from CA
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
	p.front = &http.Server{Handler: http.HandlerFunc(p.connect), ErrorLog: quiet, ReadHeaderTimeout: 10 * time.Second}
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
	if p.o.User != "" && !p.authorized(r.Header.Get("Proxy-Authorization")) {
		w.Header().Set("Proxy-Authenticate", `Basic realm="corp"`)
		http.Error(w, "proxy authentication required", http.StatusProxyAuthRequired)
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
	conn, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "cannot hijack", http.StatusInternalServerError)
		return
	}
	if !p.track(conn, host) {
		return
	}
	if _, err := io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		p.untrack(conn)
		return
	}
	var plain net.Conn = conn
	if brw.Reader.Buffered() > 0 {
		plain = &bufferedConn{Conn: conn, r: brw.Reader}
	}
	tc := tls.Server(plain, &tls.Config{GetCertificate: p.leafFor(host), MinVersion: tls.VersionTLS12})
	t := &tunnelConn{Conn: tc, host: r.Host, done: func() { p.untrack(conn) }}
	if !p.tunnels.push(t) {
		t.Close()
	}
}

func (p *Proxy) authorized(header string) bool {
	scheme, cred, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return false
	}
	got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	want := p.o.User + ":" + p.o.Password
	return err == nil && subtle.ConstantTimeCompare(got, []byte(want)) == 1
}

// track counts an accepted tunnel and remembers its connection so Close
// can end it; after Close it closes conn instead.
func (p *Proxy) track(conn net.Conn, host string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		conn.Close()
		return false
	}
	p.connects[host]++
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
