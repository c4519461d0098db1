package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/codex-login/codex-login/browser"
)

const testAuthURL = "https://auth.corp.test/oauth/authorize?response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A1457%2Fauth%2Fcallback"

func TestAuthorizeURLOverSSHPrintsTheTunnel(t *testing.T) {
	var buf bytes.Buffer
	u := &ui{out: &buf, redact: &redactor{}, getenv: func(string) string { return "" },
		place: browser.Place{SSH: true, User: "dev", Host: "build-7"}, listen: true}
	u.AuthorizeURL(testAuthURL, 1457)
	out := buf.String()
	if !strings.Contains(out, testAuthURL) || !strings.Contains(out, "ssh -L 1457:127.0.0.1:1457 dev@build-7") {
		t.Fatalf("output:\n%s", out)
	}
}

// Where the browser is probably on another machine, none is opened here:
// the URL, the way back (paste, or the tunnel) and a QR code are shown.
func TestAuthorizeURLWhereNoBrowserCanOpen(t *testing.T) {
	tests := []struct {
		name   string
		place  browser.Place
		listen bool
		qr     bool
		want   []string
		not    []string
	}{
		{"container", browser.Place{Container: "docker", Display: true}, true, false,
			[]string{"Open this URL in a browser", "copy that address from the browser's address bar and paste it here"}, []string{"Opening your browser", "ssh -L"}},
		{"ssh with a listener", browser.Place{SSH: true, User: "dev", Host: "build-7"}, true, false,
			[]string{"ssh -L 1455:127.0.0.1:1455 dev@build-7", "paste it here"}, []string{"Opening your browser"}},
		{"ssh with --paste", browser.Place{SSH: true, User: "dev", Host: "build-7"}, false, false,
			[]string{"fails to load; that is expected", "paste it here, then press Enter"}, []string{"ssh -L"}},
		{"linux without a display", browser.Place{}, true, true,
			[]string{"Open this URL in a browser", "█"}, []string{"Opening your browser"}},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		u := &ui{out: &buf, redact: &redactor{}, getenv: func(string) string { return "" }, place: tt.place,
			openBrowser: true, paste: true, listen: tt.listen, qr: tt.qr}
		u.AuthorizeURL(testAuthURL, 1455)
		out := buf.String()
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", tt.name, w, out)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(out, w) {
				t.Errorf("%s: output has %q:\n%s", tt.name, w, out)
			}
		}
	}
}
