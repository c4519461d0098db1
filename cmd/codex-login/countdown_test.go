//go:build unix

package main

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/codex-login/codex-login/browser"
)

// On a terminal, the device code goes to the clipboard (through the
// desktop's tool) and the time left is counted down on one line, which
// ends when the login does.
func TestDeviceCodeIsCopiedAndCountedDown(t *testing.T) {
	dir := t.TempDir()
	copied := filepath.Join(dir, "copied")
	if err := os.WriteFile(filepath.Join(dir, "pbcopy"), []byte("#!/bin/sh\nexec /bin/cat > '"+copied+"'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	var out bytes.Buffer
	u := &ui{out: &out, redact: &redactor{}, getenv: func(string) string { return "" },
		terminal: func() (int, int, bool) { return 80, 24, true }}
	u.DeviceCode("https://auth.corp.test/codex/device", "ABCD-1234", time.Now().Add(15*time.Minute))
	time.Sleep(1200 * time.Millisecond)
	u.endLine()
	got := out.String()
	if data, _ := os.ReadFile(copied); string(data) != "ABCD-1234" {
		t.Fatalf("the clipboard got %q", data)
	}
	if !strings.Contains(got, "(The code is on your clipboard.)") || strings.Count(got, "\rThe code expires in 1") < 2 || !strings.HasSuffix(got, "\n") {
		t.Fatalf("output:\n%q", got)
	}
	u.endLine() // a second end changes nothing
	if out.String() != got {
		t.Fatal("ending the countdown twice printed again")
	}
}

// Over SSH the desktop's clipboard is the wrong machine's: the code goes
// to the user's terminal through OSC 52 instead, and nothing claims it
// was copied. Without a terminal there is no countdown, only the time.
func TestDeviceCodeOverSSHAndWithoutATerminal(t *testing.T) {
	var out bytes.Buffer
	u := &ui{out: &out, redact: &redactor{}, getenv: func(string) string { return "" }, place: browser.Place{SSH: true},
		terminal: func() (int, int, bool) { return 80, 24, true }}
	u.DeviceCode("https://auth.corp.test/codex/device", "ABCD-1234", time.Now().Add(15*time.Minute))
	u.endLine()
	if osc := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte("ABCD-1234")) + "\x07"; !strings.Contains(out.String(), osc) || strings.Contains(out.String(), "clipboard") {
		t.Fatalf("output:\n%q", out.String())
	}
	out.Reset()
	u = &ui{out: &out, redact: &redactor{}, getenv: func(string) string { return "" }}
	u.DeviceCode("https://auth.corp.test/codex/device", "ABCD-1234", time.Now().Add(15*time.Minute))
	if got := out.String(); !strings.Contains(got, "The code expires at ") || strings.Contains(got, "\r") {
		t.Fatalf("output without a terminal:\n%q", got)
	}
}
