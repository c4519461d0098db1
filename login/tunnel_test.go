package login_test

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/login"
	"github.com/codex-login/codex-login/login/logintest"
	"github.com/codex-login/codex-login/oauth"
	"github.com/codex-login/codex-login/trust"
	"github.com/codex-login/codex-login/trust/trusttest"
)

// While the user signs in, the inspecting proxy closes, resets or silently
// drops the tunnel the pre-flight opened. Every login still succeeds, on
// exactly one new tunnel, and the issuer sees each exchange once.
func TestRunSurvivesATunnelBrokenWhileSigningIn(t *testing.T) {
	const tries = 10
	for name, b := range map[string]trusttest.Break{
		"closed": trusttest.BreakClose,
		"reset":  trusttest.BreakReset,
		"silent": trusttest.BreakSilent,
	} {
		t.Run(name, func(t *testing.T) {
			origin, _ := trusttest.NewCA("Tunnel Test Origin CA")
			inspect, _ := trusttest.NewCA("Tunnel Test Inspection CA")
			iss := logintest.NewIssuer(logintest.Options{AllowAnyPort: true})
			srv, err := logintest.StartTLS(iss, origin, "auth.corp.test")
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			iss.SetURL(srv.URL("auth.corp.test"))
			proxy, err := trusttest.NewProxy(trusttest.ProxyOptions{CA: inspect, Upstream: map[string]string{"auth.corp.test": srv.Addr}, UpstreamRoots: origin.Pool()})
			if err != nil {
				t.Fatal(err)
			}
			defer proxy.Close()
			pool, err := trust.NewPool(false, []trust.Location{{Path: "inspect.pem", Source: "test", Data: inspect.PEM()}})
			if err != nil {
				t.Fatal(err)
			}
			// Every wait counts as a long one, so a silent tunnel is given up
			// after a short first-byte limit.
			limits := &trust.Limits{StaleAfter: time.Nanosecond, StaleFirstByte: 300 * time.Millisecond}
			// The browser keeps no tunnel open, so only codex-login's is broken.
			viaProxy := func(r *http.Request) (*url.URL, error) {
				if r.URL.Hostname() == "127.0.0.1" {
					return nil, nil // the callback, as a browser bypasses the proxy for loopback
				}
				return proxy.URL(), nil
			}
			browser := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: viaProxy,
				TLSClientConfig: &tls.Config{RootCAs: inspect.Pool()}, DisableKeepAlives: true}}
			survived := 0
			for i := range tries {
				client, err := trust.NewClient(trust.Options{Pool: pool, Proxy: proxy.URL().String(), Limits: limits})
				if err != nil {
					t.Fatal(err)
				}
				before := proxy.Connects("auth.corp.test")
				ev := &events{t: t, browse: func(u string) {
					proxy.BreakTunnels(b) // the user is in the browser: the pre-flight's tunnel dies
					go func() {
						if _, err := logintest.Browse(browser, u); err != nil {
							t.Logf("browser: %v", err)
						}
					}()
				}}
				_, err = login.Run(context.Background(), login.Options{
					OAuth:   &oauth.Client{HTTP: client.HTTP, Issuer: srv.URL("auth.corp.test"), ClientID: logintest.DefaultClientID},
					Store:   &codexauth.FileStore{Home: t.TempDir()},
					Ports:   []int{freePort(t)},
					Timeout: 20 * time.Second,
					Events:  ev,
				})
				client.HTTP.CloseIdleConnections()
				// The browser's own tunnel goes through the same proxy: count
				// codex-login's as the tunnels opened minus the browser's one.
				if tunnels := proxy.Connects("auth.corp.test") - before - 1; err == nil && tunnels == 2 {
					survived++
				} else {
					t.Errorf("try %d: %v, %d tunnels for codex-login", i, err, tunnels)
				}
			}
			t.Logf("%s tunnel: %d of %d logins survived", name, survived, tries)
		})
	}
}
