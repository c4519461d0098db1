package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

const testAuthURL = "https://auth.corp.test/oauth/authorize?response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A1457%2Fauth%2Fcallback"

func TestBrowseOverSSHPrintsTheTunnel(t *testing.T) {
	var buf bytes.Buffer
	env := map[string]string{"SSH_CONNECTION": "10.0.0.1 5555 10.0.0.2 22", "USER": "dev"}
	o := opener{ui: &ui{out: &buf}, open: false, getenv: func(k string) string { return env[k] }}
	o.browse(testAuthURL)
	host, _ := os.Hostname()
	out := buf.String()
	if !strings.Contains(out, testAuthURL) || !strings.Contains(out, "ssh -L 1457:127.0.0.1:1457 dev@"+host) {
		t.Fatalf("output:\n%s", out)
	}
}

func TestBrowserCommandSubstitutesOrAppendsTheURL(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses a shell script as the browser")
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "browser.sh")
	os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$0.args\"\n"), 0o755)
	for _, tc := range []struct{ spec, want string }{
		{script + " --new-window", "--new-window\n" + testAuthURL + "\n"},
		{script + " --url=%s --x", "--url=" + testAuthURL + "\n--x\n"},
		{"/nonexistent/browser:" + script, testAuthURL + "\n"},
	} {
		os.Remove(script + ".args")
		if err := startBrowserCommand(tc.spec, testAuthURL); err != nil {
			t.Fatalf("%s: %v", tc.spec, err)
		}
		var got []byte
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if got, _ = os.ReadFile(script + ".args"); len(got) > 0 {
				break
			}
		}
		if string(got) != tc.want {
			t.Errorf("%s: browser got %q, want %q", tc.spec, got, tc.want)
		}
	}
	if err := startBrowserCommand("/nonexistent/browser", testAuthURL); err == nil {
		t.Fatal("a browser that does not exist started")
	}
}
