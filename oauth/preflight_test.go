package oauth

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func TestPreflight(t *testing.T) {
	cases := []struct {
		name  string
		reply func(w http.ResponseWriter, r *http.Request)
		check func(t *testing.T, err error)
	}{
		{"discovery document", codexReplies, func(t *testing.T, err error) {
			if err != nil {
				t.Fatal(err)
			}
		}},
		{"web page with 200", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html><title>Welcome to Hotel WiFi</title></html>")
		}, htmlErr("page", "Welcome to Hotel WiFi", 200)},
		{"bot challenge", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cf-Mitigated", "challenge")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, "<title>Just a moment...</title>")
		}, htmlErr("challenge", "Just a moment...", 403)},
		{"captive portal redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://portal.hotel.test/login?mac=00:11:22", http.StatusFound)
		}, func(t *testing.T, err error) {
			var re *RedirectError
			if !errors.As(err, &re) || re.Location != "portal.hotel.test/login" || !strings.HasSuffix(re.Endpoint, "/.well-known/openid-configuration") {
				t.Fatalf("got %#v", err)
			}
		}},
		{"200 that is not JSON", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "OK")
		}, wantResponseError},
		{"200 with a JSON array", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "[]")
		}, wantResponseError},
		{"200 with null", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "null")
		}, wantResponseError},
		{"204", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNoContent)
		}, wantResponseError},
		{"404 JSON", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"error":"not_found"}`)
		}, wantResponseError},
		{"gateway", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Squid-Error", "ERR_CONNECT_FAIL 111")
			w.WriteHeader(http.StatusServiceUnavailable)
		}, func(t *testing.T, err error) {
			var ge *GatewayError
			if !errors.As(err, &ge) || ge.ProxyError != "ERR_CONNECT_FAIL 111" {
				t.Fatalf("got %#v", err)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStub(t, tc.reply, false)
			tc.check(t, s.client().Preflight(t.Context()))
		})
	}
}

func wantResponseError(t *testing.T, err error) {
	t.Helper()
	var re *ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("got %#v (%v)", err, err)
	}
}

// The user's wait after signing in is the token requests alone: they go
// over the connection the pre-flight opened.
func TestPreflightConnectionIsReusedByTheExchange(t *testing.T) {
	for _, h2 := range []bool{false, true} {
		s := newStub(t, codexReplies, h2)
		c := s.client()
		if err := c.Preflight(t.Context()); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ExchangeCode(t.Context(), "ac_code", RedirectURI(1455), "ver"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ExchangeAPIKey(t.Context(), "h.p.s"); err != nil {
			t.Fatal(err)
		}
		if n := s.conns.Load(); n != 1 {
			t.Fatalf("HTTP/2 %v: %d connections, want 1", h2, n)
		}
	}
}

// When the route drops the idle connection while the user signs in, the
// token request that got no byte of reply goes again on a new connection,
// once; a request whose reply had started is never sent again.
func TestDroppedIdleConnection(t *testing.T) {
	for _, tc := range []struct {
		name      string
		partial   string // what the dropped connection says before it closes
		wantTries int
		wantErr   bool
	}{
		{"no reply at all", "", 2, false},
		{"reply cut off", "HTTP/1.1 200 OK\r\nContent-Type: app", 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var tries atomic.Int64
			s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/oauth/token" && tries.Add(1) == 1 {
					conn, _, err := http.NewResponseController(w).Hijack()
					if err != nil {
						t.Error(err)
						return
					}
					io.WriteString(conn, tc.partial)
					conn.Close()
					return
				}
				codexReplies(w, r)
			}, false)
			c := s.client()
			if err := c.Preflight(t.Context()); err != nil {
				t.Fatal(err)
			}
			_, err := c.ExchangeCode(t.Context(), "ac_code", RedirectURI(1455), "ver")
			if (err != nil) != tc.wantErr || tries.Load() != int64(tc.wantTries) {
				t.Fatalf("error %v after %d tries; want error %v after %d", err, tries.Load(), tc.wantErr, tc.wantTries)
			}
			// The transport's error does not name the host: the endpoint is added.
			if err != nil && !strings.HasPrefix(err.Error(), "post "+s.Listener.Addr().String()+"/oauth/token: ") {
				t.Fatalf("error %q does not name the endpoint", err)
			}
		})
	}
}
