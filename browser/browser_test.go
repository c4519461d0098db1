package browser

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

const testAuthURL = "https://auth.corp.test/oauth/authorize?response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A1457%2Fauth%2Fcallback"

func TestBrowserCommandSubstitutesOrAppendsTheURL(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses a shell script as the browser")
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "browser.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$0.args\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ spec, want string }{
		{script + " --new-window", "--new-window\n" + testAuthURL + "\n"},
		{script + " --url=%s --x", "--url=" + testAuthURL + "\n--x\n"},
		{"/nonexistent/browser:" + script, testAuthURL + "\n"},
	} {
		os.Remove(script + ".args")
		env := map[string]string{"BROWSER": tc.spec}
		if err := Open(testAuthURL, func(k string) string { return env[k] }); err != nil {
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
}

func TestBrowserCommandFailures(t *testing.T) {
	if err := startCommand("/nonexistent/browser", testAuthURL); err == nil {
		t.Error("a browser that does not exist started")
	}
	if err := startCommand(" : ", testAuthURL); !errors.Is(err, ErrEmptyList) {
		t.Errorf("an empty list: %v", err)
	}
}

func TestNoDisplayOnLinuxOpensNothing(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("only Linux needs DISPLAY or WAYLAND_DISPLAY")
	}
	if err := Open(testAuthURL, func(string) string { return "" }); !errors.Is(err, ErrNoDisplay) {
		t.Fatalf("got %v, want ErrNoDisplay", err)
	}
}
