package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/codex-login/codex-login/pac"
)

// pacFor is a PAC file that sends the .test names to proxies, others DIRECT.
func pacFor(proxies string) string {
	return `function FindProxyForURL(url, host) {
	if (dnsDomainIs(host, ".corp.test")) return "` + proxies + `";
	return "DIRECT";
}`
}

// servePAC serves body as a PAC file on loopback and returns its URL.
func servePAC(t *testing.T, body string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/x-ns-proxy-autoconfig")
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/proxy.pac"
}

func deadAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestLoginThroughAPACFileSkipsItsDeadProxy(t *testing.T) {
	w := newWorld(t, worldOptions{})
	delete(w.env, "HTTPS_PROXY")
	dead := deadAddr(t)
	url := servePAC(t, pacFor("PROXY "+dead+"; PROXY "+w.proxy.URL().Host+"; DIRECT"))
	code, _, stderr := w.login("--ca", w.caFile, "--pac", url, "-v")
	if code != 0 {
		t.Fatalf("login: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, ": http://"+dead+"; http://"+w.proxy.URL().Host+"; DIRECT (evaluated in ") ||
		!strings.Contains(stderr, "chosen by the proxy auto-config "+url) {
		t.Errorf("-v does not say what the PAC file answered and which proxy was chosen:\n%s", stderr)
	}
	w.loadAuth()
}

// Each login has a world of its own: the scripted browser of one login
// must be done before the world's files are removed.
func TestPACFromAFileAndFromTheSystem(t *testing.T) {
	newPACWorld := func(t *testing.T) *world {
		w := newWorld(t, worldOptions{})
		delete(w.env, "HTTPS_PROXY")
		return w
	}
	t.Run("file", func(t *testing.T) {
		w := newPACWorld(t)
		file := filepath.Join(w.dir, "proxy.pac")
		writeTestFile(t, file, pacFor("PROXY "+w.proxy.URL().Host))
		if code, _, stderr := w.login("--ca", w.caFile, "--pac", file); code != 0 {
			t.Fatalf("login with --pac FILE: exit %d\n%s", code, stderr)
		}
	})
	systemPAC := func(w *world) string {
		url := servePAC(t, pacFor("PROXY "+w.proxy.URL().Host))
		w.systemProxy = func(context.Context) (pac.System, error) {
			return pac.System{PACURL: url, Source: "GNOME settings"}, nil
		}
		return url
	}
	t.Run("system", func(t *testing.T) {
		w := newPACWorld(t)
		url := systemPAC(w)
		code, _, stderr := w.login("--ca", w.caFile, "-v")
		if code != 0 || !strings.Contains(stderr, "proxy auto-config from "+url+" (GNOME settings)") {
			t.Fatalf("login with the system's PAC URL: exit %d\n%s", code, stderr)
		}
	})
	t.Run("proxy flag wins", func(t *testing.T) {
		w := newPACWorld(t)
		systemPAC(w)
		code, _, stderr := w.login("--ca", w.caFile, "--proxy", w.proxy.URL().String(), "-v")
		if code != 0 || strings.Contains(stderr, "proxy auto-config") {
			t.Fatalf("--proxy with a system PAC: exit %d\n%s", code, stderr)
		}
	})
}

func TestPACFailures(t *testing.T) {
	w := newWorld(t, worldOptions{})
	delete(w.env, "HTTPS_PROXY")
	old := w.writeOld()
	dead1, dead2 := deadAddr(t), deadAddr(t)
	for _, c := range []struct{ pac, msg, hint string }{
		{servePAC(t, pacFor("PROXY "+dead1+"; PROXY "+dead2)), "none of the proxies", "VPN"},
		{servePAC(t, "function FindProxyForURL(url, host) {\n  return nope(host);\n}"), "line 2", "tell IT"},
		{servePAC(t, "function FindProxyForURL(url, host) {\n  return \"PROXY a\" +;\n}"), "line 2", "broken"},
		{"http://" + dead1 + "/wpad.dat", dead1, "check the proxy auto-config address"},
	} {
		code, _, stderr := w.login("--ca", w.caFile, "--pac", c.pac)
		if code != 1 || !strings.Contains(stderr, c.msg) || !strings.Contains(stderr, c.hint) {
			t.Errorf("--pac %s: exit %d, want 1 saying %q with a hint %q\n%s", c.pac, code, c.msg, c.hint, stderr)
		}
		if w.browserOpened() {
			t.Errorf("--pac %s: the browser opened", c.pac)
		}
		w.assertUnchanged(old)
	}
}
