package trust

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/codex-login/codex-login/trust/trusttest"
)

// pacList is a PAC file's answer for every URL, and counts its calls.
func pacList(calls *atomic.Int32, proxies ...string) func(context.Context, *url.URL) ([]*url.URL, error) {
	return func(context.Context, *url.URL) ([]*url.URL, error) {
		calls.Add(1)
		var out []*url.URL
		for _, p := range proxies {
			if p == "DIRECT" {
				out = append(out, nil)
				continue
			}
			u, _ := url.Parse(p)
			out = append(out, u)
		}
		return out, nil
	}
}

func TestPACSkipsAnUnreachableProxy(t *testing.T) {
	n := newCorpNet(t, trusttest.ProxyOptions{})
	dead := "http://" + closedPort(t)
	var calls atomic.Int32
	c, err := NewClient(Options{Pool: pool(t, false, n.inspect), PAC: pacList(&calls, dead, n.proxyURL("", "")), PACSource: "http://wpad.corp.test/wpad.dat"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if body, err := get(t, c, "https://auth.corp.test/"); err != nil || !strings.Contains(body, "hello from auth.corp.test") {
			t.Fatalf("GET through the PAC's second proxy: %q, %v", body, err)
		}
	}
	if calls.Load() != 1 {
		t.Errorf("the PAC file was evaluated %d times for one host, want once", calls.Load())
	}
	u, _ := url.Parse("https://auth.corp.test/")
	if r := c.Route(u); r.Proxy == nil || r.Proxy.Host != n.proxy.URL().Host {
		t.Errorf("Route = %+v, want the reachable proxy", r)
	}
}

func TestPACWithOnlyDeadProxiesNamesThem(t *testing.T) {
	dead1, dead2 := "http://"+closedPort(t), "http://"+closedPort(t)
	var calls atomic.Int32
	c, err := NewClient(Options{PAC: pacList(&calls, dead1, dead2), PACSource: "/etc/proxy.pac"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.HTTP.Get("https://auth.corp.test/")
	var un *PACUnreachableError
	if !errors.As(err, &un) || len(un.Tried) != 2 || !strings.Contains(un.Error(), strings.TrimPrefix(dead1, "http://")) || un.Source != "/etc/proxy.pac" {
		t.Fatalf("GET = %v, want a *PACUnreachableError naming both proxies", err)
	}
}

func TestPACDirectAndScriptFailure(t *testing.T) {
	var calls atomic.Int32
	c, err := NewClient(Options{PAC: pacList(&calls, "DIRECT"), PACSource: "pac"})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("https://auth.corp.test/")
	if r := c.Route(u); r.Proxy != nil || r.Direct != PACDirect {
		t.Errorf("Route = %+v, want PACDirect", r)
	}
	broken := func(context.Context, *url.URL) ([]*url.URL, error) {
		return nil, errors.New("line 3: ReferenceError: FindProxy is not defined")
	}
	c, err = NewClient(Options{PAC: broken, PACSource: "http://wpad/wpad.dat"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.HTTP.Get("https://auth.corp.test/")
	var pe *PACError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), "http://wpad/wpad.dat") {
		t.Fatalf("GET = %v, want a *PACError with the script's line", err)
	}
}
