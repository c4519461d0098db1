//go:build e2e

package main_test

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The flows for a browser on another machine, through squid, each checked
// with the real Codex CLI: the device code, and the pasted address.
var e2eFlowCases = []e2eCase{
	{"device_code_through_squid", func(t *testing.T, w *e2eWorld) {
		r := e2eNewRun(t, w)
		r.Args = []string{"--ca", w.squid.CA, "--proxy", w.squid.URL, "--device-auth"}
		r.NoAPIKey = true
		approved := make(chan string, 1)
		go func() { // the user, on a phone, types the code shown
			for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				if codes := w.issuer.UserCodes(); len(codes) > 0 {
					code := codes[len(codes)-1]
					w.issuer.Approve(code)
					approved <- code
					return
				}
			}
			approved <- ""
		}()
		r.expectThroughSquid(t, w, w.squid.accessLog, func() { r.Run(t, w) })
		code := <-approved
		if r.Exit != 0 || code == "" || !strings.Contains(r.Stderr, code) || !strings.Contains(r.Stderr, "/codex/device") {
			t.Fatalf("exit %d, code %q: the code and the page were not shown", r.Exit, code)
		}
		if r.BrowserOpened() {
			t.Errorf("a browser was opened for a device login")
		}
		r.checkAuthFile(t, w)
		r.checkCodexStatus(t, w)
	}},
	{"pasted_address_through_squid", func(t *testing.T, w *e2eWorld) {
		// The browser is on another machine: it signs in through squid and
		// fails to load the address it is sent back to; the user pastes it.
		r := e2eNewRun(t, w)
		r.Args = []string{"--ca", w.squid.CA, "--proxy", w.squid.URL, "--paste"}
		pasted := filepath.Join(r.dir, "pasted")
		r.Env["BROWSER"] = e2ePasteBrowser(t, r, w.squid.URL, w.squid.CA, pasted)
		pr, pw := io.Pipe()
		r.Stdin = pr
		go func() {
			defer pw.Close()
			for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				if addr, err := os.ReadFile(pasted); err == nil && len(addr) > 0 {
					fmt.Fprintf(pw, "garbage first\n  '%s'  \n", strings.TrimSpace(string(addr)))
					return // stdin ends: the login goes on with what was pasted
				}
			}
		}()
		r.expectThroughSquid(t, w, w.squid.accessLog, func() { r.Run(t, w) })
		if r.Exit != 0 || !strings.Contains(r.Stderr, "paste it here") || !strings.Contains(r.Stderr, "warning: the pasted text") {
			t.Fatalf("exit %d: the paste was not asked for, or the garbage line not refused", r.Exit)
		}
		r.checkAuthFile(t, w)
		r.checkCodexStatus(t, w)
	}},
}

func init() { e2eCases = append(e2eCases, e2eFlowCases...) }

// e2ePasteBrowser is a browser on another machine: curl signs in through
// the proxy and writes the address it was sent back to (which it could
// not load) into the file pasted.
func e2ePasteBrowser(t *testing.T, r *e2eRun, proxy, ca, pasted string) string {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Fatal(err)
	}
	script := fmt.Sprintf(`#!/bin/sh
for url; do :; done
'%s' -sS --max-time 20 --proxy '%s' --cacert '%s' -o /dev/null -w '%%{redirect_url}' "$url" >'%s.tmp' && mv '%s.tmp' '%s'
`, curl, proxy, ca, pasted, pasted, pasted)
	path := filepath.Join(r.dir, "paste-browser.sh")
	if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}
