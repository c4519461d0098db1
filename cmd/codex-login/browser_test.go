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
		place: browser.Place{SSH: true, User: "dev", Host: "build-7"}}
	u.AuthorizeURL(testAuthURL, 1457)
	out := buf.String()
	if !strings.Contains(out, testAuthURL) || !strings.Contains(out, "ssh -L 1457:127.0.0.1:1457 dev@build-7") {
		t.Fatalf("output:\n%s", out)
	}
}
