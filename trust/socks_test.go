package trust

import (
	"errors"
	"strings"
	"testing"

	"github.com/codex-login/codex-login/trust/trusttest"
)

// TestSOCKS goes through Go's own SOCKS 5 support: a relay that works,
// refusals named as SOCKS names them, a proxy that hangs up, and one that
// is not there.
func TestSOCKS(t *testing.T) {
	dead := closedPort(t)
	tests := []struct {
		name  string
		o     trusttest.SOCKSOptions
		proxy string // instead of the SOCKS proxy's URL
		check func(t *testing.T, err error)
	}{
		{name: "relays"},
		{name: "connection refused", o: trusttest.SOCKSOptions{Reply: 5}, check: wantSOCKSReply("connection refused")},
		{name: "not allowed", o: trusttest.SOCKSOptions{Reply: 2}, check: wantSOCKSReply("connection not allowed by ruleset")},
		{name: "unknown host", o: trusttest.SOCKSOptions{Upstream: map[string]string{}}, check: wantSOCKSReply("host unreachable")},
		{name: "hang-up", o: trusttest.SOCKSOptions{Fault: trusttest.FaultHangUp}, check: func(t *testing.T, err error) {
			var e *SOCKSError
			if !errors.As(err, &e) || e.Reply != "" || !hungUp(e.Err) || e.Host != "auth.corp.test" {
				t.Fatalf("err = %v, want *SOCKSError for a proxy that hung up", err)
			}
		}},
		{name: "nothing listens", proxy: "socks5://" + dead, check: func(t *testing.T, err error) {
			var e *ProxyUnreachableError
			if !errors.As(err, &e) || e.Proxy != "socks5://"+dead {
				t.Fatalf("err = %v, want *ProxyUnreachableError", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newCorpNet(t, trusttest.ProxyOptions{})
			if tt.o.Upstream == nil {
				tt.o.Upstream = map[string]string{"auth.corp.test": n.originAddr}
			}
			s, err := trusttest.NewSOCKS(tt.o)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			proxy := s.URL().String()
			if tt.proxy != "" {
				proxy = tt.proxy
			}
			c, err := NewClient(Options{Pool: pool(t, false, n.origin), Proxy: proxy, Limits: short})
			if err != nil {
				t.Fatal(err)
			}
			defer c.HTTP.CloseIdleConnections()
			body, err := get(t, c, "https://auth.corp.test/")
			if tt.check == nil {
				if err != nil || body != "hello from auth.corp.test" || s.Connects("auth.corp.test") != 1 {
					t.Fatalf("GET = %q, %v; %d relays", body, err, s.Connects("auth.corp.test"))
				}
				return
			}
			if err == nil {
				t.Fatal("GET succeeded")
			}
			t.Log(err)
			tt.check(t, err)
		})
	}
}

func wantSOCKSReply(reply string) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var e *SOCKSError
		if !errors.As(err, &e) || e.Reply != reply || !strings.HasPrefix(e.Proxy, "socks5h://127.0.0.1:") {
			t.Fatalf("err = %v, want *SOCKSError with reply %q", err, reply)
		}
	}
}
