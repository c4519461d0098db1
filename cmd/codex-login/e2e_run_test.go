//go:build e2e

package main_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// e2eBrowser says how the scripted browser reaches the issuer: through a
// proxy trusting its CA, or direct trusting the origin CA.
type e2eBrowser struct {
	Proxy string // "" = direct
	CA    string
}

// e2eRun is one run of the binary under test, in a fresh case directory.
type e2eRun struct {
	dir, home, codexHome string
	Args                 []string          // after the common ones (--issuer, --port, --timeout)
	Env                  map[string]string // added to a clean environment
	Issuer               string            // issuer URL; default https://auth.corp.test:PORT
	Browser              e2eBrowser
	CodexHomeFlag        bool      // --codex-home DIR instead of CODEX_HOME=DIR
	Stdin                io.Reader // what the user types or pastes; nil: nothing
	NoAPIKey             bool      // the flow asks no API key (device code): OPENAI_API_KEY must be null
	Command              string    // a subcommand (refresh, logout, ...): then only Args are passed
	Bin                  string    // the binary to run; default the one under test
	Bare                 bool      // pass only Args: no --issuer, --port or --timeout

	Exit           int
	Stdout, Stderr string
	Took           time.Duration
}

// e2eNewRun prepares a run against auth.corp.test with a fresh HOME and CODEX_HOME.
func e2eNewRun(t *testing.T, w *e2eWorld) *e2eRun {
	dir := t.TempDir()
	r := &e2eRun{
		dir: dir, home: filepath.Join(dir, "user-home"), codexHome: filepath.Join(dir, "codex-home"),
		Env: map[string]string{}, Issuer: w.issuerURL(e2eName),
	}
	if err := os.Mkdir(r.home, 0o700); err != nil {
		t.Fatal(err)
	}
	return r
}

// Run runs the binary and waits for it (and for the browser it opened).
func (r *e2eRun) Run(t *testing.T, w *e2eWorld) {
	t.Helper()
	port := e2eFreePort(t)
	args := append([]string{"--issuer", r.Issuer, "--port", strconv.Itoa(port), "--timeout", "20s"}, r.Args...)
	if r.Command != "" {
		args = append([]string{r.Command}, r.Args...)
	}
	if r.Bare {
		args = slices.Clone(r.Args)
	}
	bin := w.bin
	if r.Bin != "" {
		bin = r.Bin
	}
	env := []string{
		"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + r.home, "LANG=C.UTF-8", "TMPDIR=" + os.TempDir(),
		"BROWSER=" + r.browserScript(t),
	}
	if r.CodexHomeFlag {
		args = append(args, "--codex-home", r.codexHome)
	} else {
		env = append(env, "CODEX_HOME="+r.codexHome)
	}
	for k, v := range r.Env {
		env = append(env, k+"="+v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env, cmd.Dir, cmd.Stdin = env, r.dir, r.Stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	requests := len(w.issuer.Requests())
	start := time.Now()
	err := cmd.Run()
	r.Took = time.Since(start)
	r.Stdout, r.Stderr = stdout.String(), stderr.String()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		r.Exit = exit.ExitCode()
	default:
		t.Fatalf("run %s: %v", bin, err)
	}
	t.Logf("codex-login %s\n  env %s\n  exit %d in %v\n  stdout: %s\n  stderr: %s",
		strings.Join(args, " "), strings.Join(e2eEnvList(r.Env), " "), r.Exit, r.Took.Round(time.Millisecond),
		e2eIndent(r.Stdout), e2eIndent(r.Stderr))
	r.waitBrowser(t)
	if r.BrowserOpened() {
		log, _ := r.BrowserResult()
		t.Logf("browser (curl): %s", e2eIndent(log))
	} else {
		t.Logf("browser: not opened")
	}
	t.Logf("issuer saw: %s", e2eIndent(strings.Join(w.issuer.Requests()[requests:], "\n")))
}

// browserScript writes the scripted browser: it records its PID, opens the
// URL (its last argument) with curl the way the case says, and records
// curl's exit status, the final HTTP status and the last page.
func (r *e2eRun) browserScript(t *testing.T) string {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Fatal(err)
	}
	route := "--noproxy '*'"
	if r.Browser.Proxy != "" {
		route = fmt.Sprintf("--proxy '%s' --noproxy 127.0.0.1,localhost", r.Browser.Proxy)
	}
	script := fmt.Sprintf(`#!/bin/sh
# scripted browser for this case: follows the authorize redirect to the callback
echo $$ >'%[1]s/browser.pid'
for url; do :; done
'%[2]s' -sS -L --max-time 20 %[3]s --cacert '%[4]s' -o '%[1]s/browser.body' -w '%%{http_code}\n' "$url" >'%[1]s/browser.log' 2>&1
echo "curl exit $?" >>'%[1]s/browser.log'
mv '%[1]s/browser.log' '%[1]s/browser.done'
`, r.dir, curl, route, r.Browser.CA)
	path := filepath.Join(r.dir, "browser.sh")
	if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}

// BrowserOpened reports whether the binary started the browser.
func (r *e2eRun) BrowserOpened() bool {
	_, err := os.Stat(filepath.Join(r.dir, "browser.pid"))
	return err == nil
}

// BrowserResult is what the browser logged and the last page it got.
func (r *e2eRun) BrowserResult() (log, body string) {
	l, _ := os.ReadFile(filepath.Join(r.dir, "browser.done"))
	b, _ := os.ReadFile(filepath.Join(r.dir, "browser.body"))
	return string(l), string(b)
}

// waitBrowser waits for a browser the binary started (the binary does not
// wait for it) and kills it by its PID if it is still running after 25s.
func (r *e2eRun) waitBrowser(t *testing.T) {
	if !r.BrowserOpened() {
		// A browser started just before the binary failed may not have
		// written its PID yet: give it a moment before saying it never ran.
		time.Sleep(300 * time.Millisecond)
		if !r.BrowserOpened() {
			return
		}
	}
	deadline := time.Now().Add(25 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(filepath.Join(r.dir, "browser.done")); err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	b, _ := os.ReadFile(filepath.Join(r.dir, "browser.pid"))
	if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
		// curl first: once the script is gone, curl is no longer its child.
		if children, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid)); err == nil {
			for _, c := range strings.Fields(string(children)) {
				if cpid, err := strconv.Atoi(c); err == nil {
					_ = syscall.Kill(cpid, syscall.SIGKILL)
				}
			}
		}
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	t.Errorf("the browser (pid %s) did not finish in 25s; killed", strings.TrimSpace(string(b)))
}

// e2eFreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func e2eFreePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// e2eEnvList is m as sorted KEY=value strings.
func e2eEnvList(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	slices.Sort(out)
	return out
}

// e2eIndent indents the lines after the first of s for t.Logf.
func e2eIndent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return "(empty)"
	}
	return strings.ReplaceAll(s, "\n", "\n    ")
}
