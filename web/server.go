// Package web is a sign-in page for a server whose users' browsers are
// elsewhere: a coding agent served behind a reverse proxy, a shared VM. A
// person opens the one-time access link the operator hands them, signs in
// with ChatGPT in their own browser, and pastes back the address that
// browser fails to load (or enters a device code). The credentials are
// saved on the server, where Codex reads them.
//
// The page is server-rendered HTML that works without JavaScript. Nothing
// is served without a session, and a session is only had by trading a
// one-time access token for a cookie. The words of errors, hints and
// results come from the Backend, so that the program embedding the page
// keeps them with its other words.
package web

import (
	"context"
	"crypto/sha256"
	"embed"
	"errors"
	"html/template"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/codex-login/codex-login/login"
)

// Backend is what the page does, supplied by the program that serves it.
// Its methods are called from several goroutines at once.
type Backend interface {
	// StartBrowser starts a browser login with no loopback listener
	// (login.Options.NoListen); ctx bounds the whole login.
	StartBrowser(ctx context.Context) (*login.Session, error)
	// StartDevice starts a device code login; ctx bounds the whole login.
	StartDevice(ctx context.Context) (*login.Session, error)
	// Ended is told once how each login ended (res or err, as
	// login.Session.Wait returns them) and says what to show.
	Ended(res *login.Result, err error) Outcome
	// Status says who is signed in, never with a token.
	Status(ctx context.Context) Status
	// Refresh refreshes the tokens now and says how it went.
	Refresh(ctx context.Context) Outcome
	// SignOut removes the credentials and says how it went.
	SignOut(ctx context.Context) Outcome
	// Explain turns an error (a start that failed, a wrong paste) into
	// what failed and the one fix, with every secret removed.
	Explain(err error) Outcome
}

// Outcome is what the page shows once: a result, or what failed and the
// one fix.
type Outcome struct {
	OK      bool
	Message string
	Hint    string
}

// Status is who is signed in. It holds no secret.
type Status struct {
	SignedIn bool
	Email    string
	Plan     string
	Expires  string // when the access token expires, in words
	Store    string // where the credentials live
	Problem  string // why Codex cannot use the credentials there, if it cannot
}

// Config configures a Server.
type Config struct {
	// PublicURL is the address users' browsers use for the page, such as
	// https://agent.example.com/codex/. Its path is the base path; the
	// server takes requests with that prefix kept or stripped by a proxy.
	PublicURL *url.URL
	// TrustedProxies are the peers, besides loopback ones, whose
	// X-Forwarded-Proto, -Host and -Prefix headers are believed.
	TrustedProxies []netip.Prefix
	// Logf, when set, is told of each request (its path, never its query)
	// and of each login. Nothing secret is passed to it.
	Logf    func(format string, args ...any)
	Backend Backend
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Limits of the server.
const (
	sessionLifetime = 12 * time.Hour
	maxSessions     = 100
	maxAccessTokens = 16
	maxBody         = 16 << 10 // a form: the pasted address and the CSRF token
	completeWait    = 45 * time.Second
)

const cookieName = "codex_login_web"

//go:embed static templates
var files embed.FS

var pages = template.Must(template.ParseFS(files, "templates/*.html"))

// Server is the sign-in page, an http.Handler. Close ends its logins.
type Server struct {
	cfg    Config
	base   string          // the public base path, ending in "/"
	ctx    context.Context // bounds every login
	cancel context.CancelFunc

	mu       sync.Mutex
	tokens   map[[32]byte]time.Time // unused access tokens, by SHA-256
	visitors map[[32]byte]*visitor  // sessions, by SHA-256 of the cookie
	current  *attempt               // the login in progress, if any
}

// New returns a Server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Backend == nil {
		return nil, errors.New("web: Config.Backend is required")
	}
	if cfg.PublicURL == nil || (cfg.PublicURL.Scheme != "http" && cfg.PublicURL.Scheme != "https") || cfg.PublicURL.Host == "" {
		return nil, errors.New("web: Config.PublicURL must be an absolute http or https URL")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	s := &Server{
		cfg:      cfg,
		base:     basePath(cfg.PublicURL.Path),
		tokens:   map[[32]byte]time.Time{},
		visitors: map[[32]byte]*visitor{},
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

// basePath is p as a base path: starting and ending with "/".
func basePath(p string) string {
	p = "/" + strings.Trim(p, "/") + "/"
	if p == "//" {
		return "/"
	}
	return p
}

// Close cancels the login in progress, if any.
func (s *Server) Close() { s.cancel() }

// Serve answers requests on ln until ctx ends, then cancels the login in
// progress and stops, giving requests under way a few seconds to finish.
// A stop is not an error.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      completeWait + 15*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		BaseContext:       func(net.Listener) context.Context { return s.ctx },
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		s.Close()
		return err
	case <-ctx.Done():
	}
	s.Close() // ends the login, and with it requests that wait for it
	stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(stop); err != nil {
		srv.Close()
	}
	<-done // http.ErrServerClosed
	return nil
}

// request is what one request knows of where the page is.
type request struct {
	https  bool
	origin string // scheme://host of the page, as users' browsers see it
	base   string // the public base path, ending in "/"
	rel    string // the path below the base, without its leading "/"
}

// place works out the public address of r: the configured one, or what a
// trusted proxy says in X-Forwarded-Proto, -Host and -Prefix. ok is false
// for a path outside the base.
func (s *Server) place(r *http.Request) (req request, ok bool) {
	scheme, host, base := s.cfg.PublicURL.Scheme, s.cfg.PublicURL.Host, s.base
	if s.trusted(r.RemoteAddr) {
		if p := strings.ToLower(firstValue(r.Header.Get("X-Forwarded-Proto"))); p == "http" || p == "https" {
			scheme = p
		}
		if h := firstValue(r.Header.Get("X-Forwarded-Host")); h != "" && validHost(h) {
			host = h
		}
		if p := firstValue(r.Header.Get("X-Forwarded-Prefix")); p != "" && validPrefix(p) {
			base = basePath(p)
		}
	}
	req = request{https: scheme == "https", origin: scheme + "://" + host, base: base}
	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, base):
		req.rel = path[len(base):]
	case path+"/" == base:
		req.rel = ""
	case strings.HasPrefix(path, "/"):
		req.rel = path[1:] // the proxy stripped the base path
	default:
		return req, false
	}
	return req, true
}

func firstValue(h string) string {
	v, _, _ := strings.Cut(h, ",")
	return strings.TrimSpace(v)
}

func validHost(h string) bool {
	u, err := url.Parse("http://" + h)
	return err == nil && u.Host == h && u.User == nil && u.Path == ""
}

func validPrefix(p string) bool {
	return strings.HasPrefix(p, "/") && !strings.ContainsAny(p, "?#\\\"'<> ") && !strings.Contains(p, "..") && !strings.HasPrefix(p, "//")
}

// trusted reports whether the peer at addr may speak for the browser:
// loopback, or one of the trusted proxies.
func (s *Server) trusted(addr string) bool {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return false
	}
	ip := ap.Addr().Unmap()
	if ip.IsLoopback() {
		return true
	}
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// hash is how tokens and cookies are kept: never as they are sent.
func hash(v string) [32]byte { return sha256.Sum256([]byte(v)) }
