package logintest

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/codex-login/codex-login/trust/trusttest"
)

// Server is a handler served over TLS with a certificate from a test CA.
type Server struct {
	Addr string // host:port it listens on, e.g. 127.0.0.1:41234

	srv   *http.Server
	done  chan struct{}
	conns atomic.Int64
	seen  sync.Map // net.Conn → struct{}: connections already counted
	once  sync.Once
}

// StartTLS serves i over TLS on 127.0.0.1:0 with a leaf certificate for
// names (DNS names or IP addresses, e.g. "auth.corp.test", "127.0.0.1")
// signed by ca.
func StartTLS(i *Issuer, ca *trusttest.CA, names ...string) (*Server, error) {
	return ListenTLS("127.0.0.1:0", i, ca, names...)
}

// ListenTLS is StartTLS for any handler and listen address.
func ListenTLS(addr string, h http.Handler, ca *trusttest.CA, names ...string) (*Server, error) {
	if len(names) == 0 {
		return nil, errors.New("start TLS server: no names for its certificate")
	}
	cert, err := ca.Issue(names...)
	if err != nil {
		return nil, fmt.Errorf("issue certificate for %s: %w", names[0], err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	cfg := &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
		NextProtos:   []string{"http/1.1"},
	}
	s := &Server{Addr: ln.Addr().String(), done: make(chan struct{})}
	s.srv = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 30 * time.Second,
		ConnState:         s.connState,
		// Handshake failures are what many tests provoke on purpose.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(tls.NewListener(ln, cfg))
	}()
	return s, nil
}

// connState counts a connection the first time it carries a request, which
// is after its TLS handshake succeeded.
func (s *Server) connState(c net.Conn, state http.ConnState) {
	switch state {
	case http.StateActive:
		if _, loaded := s.seen.LoadOrStore(c, struct{}{}); !loaded {
			s.conns.Add(1)
		}
	case http.StateClosed, http.StateHijacked:
		s.seen.Delete(c)
	}
}

// Conns returns the number of TLS connections that completed a handshake
// and sent at least one request.
func (s *Server) Conns() int {
	return int(s.conns.Load())
}

// URL returns https://host:port for the server's port, e.g.
// s.URL("auth.corp.test") for https://auth.corp.test:41234.
func (s *Server) URL(host string) string {
	_, port, _ := net.SplitHostPort(s.Addr)
	return "https://" + net.JoinHostPort(host, port)
}

// Close stops the server and waits for its connections and handlers to end.
func (s *Server) Close() {
	s.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.srv.Shutdown(ctx)
		_ = s.srv.Close()
		<-s.done
	})
}
