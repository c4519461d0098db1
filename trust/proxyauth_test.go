package trust

import (
	"context"
	"encoding/hex"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/Azure/go-ntlmssp"

	"github.com/codex-login/codex-login/trust/trusttest"
)

// squidChallenge is the CHALLENGE squid 5.7's ntlm_fake_auth sent: a
// TargetName offset far past the end, no TargetInfo.
const squidChallenge = "4e544c4d535350000200000009000900aeaaaaaa078208a25bdf8a34997b8f9e0000000000003a00574f524b47524f5550"

func TestNormalizeChallenge(t *testing.T) {
	squid, _ := hex.DecodeString(squidChallenge)
	if _, err := ntlmssp.NewAuthenticateMessage(squid, `CORP\dev`, "pw", nil); err == nil {
		t.Log("go-ntlmssp now accepts the malformed challenge by itself")
	}
	fixed, err := normalizeChallenge(squid)
	if err != nil {
		t.Fatal(err)
	}
	if string(fixed[24:32]) != string(squid[24:32]) {
		t.Errorf("server challenge changed")
	}
	if _, err := ntlmssp.NewAuthenticateMessage(fixed, `CORP\dev`, "pw", nil); err != nil {
		t.Errorf("after normalizing: %v", err)
	}

	for _, bad := range [][]byte{nil, []byte("NTLMSSP\x00\x01\x00\x00\x00"), squid[:31], []byte(strings.Repeat("x", 48))} {
		if _, err := normalizeChallenge(bad); err == nil {
			t.Errorf("normalizeChallenge(%x) accepted it", bad)
		}
	}
	// A well-formed challenge keeps its fields.
	good := append(append([]byte(nil), squid[:40]...), make([]byte, 8)...)
	copy(good[12:20], []byte{4, 0, 4, 0, 48, 0, 0, 0})
	copy(good[40:48], []byte{4, 0, 4, 0, 52, 0, 0, 0})
	good = append(good, 'C', 'O', 0, 0, 0, 0, 0, 0) // name "CO", EOL pair
	again, err := normalizeChallenge(good)
	if err != nil || string(again) != string(good) {
		t.Errorf("well-formed challenge rewritten:\n%x\n%x (%v)", good, again, err)
	}
}

func TestClientNTLMProxy(t *testing.T) {
	const user = `CORP\dev`
	tests := []struct {
		name      string
		proxy     trusttest.ProxyOptions
		auth      string
		pass      string
		urlCreds  bool
		check     func(t *testing.T, err error)
		wantConns int // TCP connections the NTLM legs used
	}{
		{name: "ntlm", auth: "ntlm", pass: proxyPassword, urlCreds: true},
		{name: "auto", pass: proxyPassword, urlCreds: true},
		{name: "auto with prompt", pass: proxyPassword},
		{name: "squid challenge", auth: "ntlm", pass: proxyPassword, urlCreds: true, proxy: trusttest.ProxyOptions{NTLMMalformed: true}},
		{name: "wrong password", auth: "ntlm", pass: "wrong", urlCreds: true, check: func(t *testing.T, err error) {
			var e *ProxyAuthError
			if !errors.As(err, &e) || e.Rejected != "NTLM" {
				t.Fatalf("err = %v, want *ProxyAuthError{Rejected: NTLM}", err)
			}
			if strings.Contains(err.Error(), "wrong") {
				t.Errorf("the password is in %q", err)
			}
		}},
		{name: "hangup between legs", auth: "ntlm", pass: proxyPassword, urlCreds: true, proxy: trusttest.ProxyOptions{NTLMHangup: true},
			check: func(t *testing.T, err error) {
				var e *ProxyAuthError
				if !errors.As(err, &e) || e.Hangup != "NTLM" {
					t.Fatalf("err = %v, want *ProxyAuthError{Hangup: NTLM}", err)
				}
				if !strings.Contains(err.Error(), "closed the connection in the middle of NTLM") {
					t.Errorf("Error() = %q", err)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.proxy
			o.NTLM, o.User, o.Password = true, user, proxyPassword
			n := newCorpNet(t, o)
			proxy := n.proxyURL("", "")
			if tt.urlCreds {
				proxy = n.proxyURL(user, tt.pass)
			}
			asked := 0
			c, err := NewClient(Options{Pool: pool(t, true, n.inspect), Proxy: proxy, ProxyAuth: tt.auth,
				ProxyCredentials: func(_ context.Context, p *url.URL) (string, string, error) {
					asked++
					return user, tt.pass, nil
				}})
			if err != nil {
				t.Fatal(err)
			}
			defer c.HTTP.CloseIdleConnections()
			start := time.Now()
			_, err = get(t, c, "https://auth.corp.test/")
			took := time.Since(start)
			if tt.check != nil {
				tt.check(t, err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("GET through NTLM took %v", took)
			if want := map[bool]int{true: 0, false: 1}[tt.urlCreds]; asked != want {
				t.Errorf("ProxyCredentials called %d times, want %d", asked, want)
			}
			logins := n.proxy.NTLMLogins()
			if len(logins) != 1 || !logins[0].OK || logins[0].User != "dev" || logins[0].Domain != "CORP" || logins[0].Legs != 2 {
				t.Fatalf("logins = %+v, want one of CORP\\dev in 2 legs", logins)
			}
			if got := c.ProxyScheme(n.proxy.URL()); got != "NTLM" {
				t.Errorf("ProxyScheme = %q, want NTLM", got)
			}
			// The kept-alive tunnel serves the next request.
			if _, err := get(t, c, "https://auth.corp.test/"); err != nil {
				t.Fatal(err)
			}
			if got := len(n.proxy.NTLMLogins()); got != 1 {
				t.Errorf("%d NTLM handshakes for two requests, want 1", got)
			}
			in := c.Inspect(context.Background(), &url.URL{Scheme: "https", Host: "auth.corp.test", Path: "/"})
			if in.Err != nil {
				t.Fatal(in.Err)
			}
			var connect string
			for _, s := range in.Steps {
				if s.Name == "connect" {
					connect = s.Detail
				}
			}
			if !strings.HasSuffix(connect, `200 Connection established (NTLM as CORP\dev)`) {
				t.Errorf("connect step = %q", connect)
			}
		})
	}
}

func TestProxyAuthSetting(t *testing.T) {
	if _, err := NewClient(Options{Proxy: "http://127.0.0.1:3128", ProxyAuth: "kerberos"}); err == nil {
		t.Error("ProxyAuth kerberos accepted")
	}
	c, err := NewClient(Options{Proxy: "http://CORP%5Cdev:pw@127.0.0.1:3128", ProxyAuth: "none"})
	if err != nil {
		t.Fatal(err)
	}
	if p := c.ProxyFor(&url.URL{Scheme: "https", Host: "auth.corp.test"}); p == nil || p.User != nil {
		t.Errorf("ProxyAuth none: proxy %v, want one without credentials", p)
	}
	if got := c.ProxyScheme(c.ProxyFor(&url.URL{Scheme: "https", Host: "auth.corp.test"})); got != "" {
		t.Errorf("ProxyScheme = %q, want none", got)
	}
}
