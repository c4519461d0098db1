//go:build e2e

package main_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// e2eIdleRuns is how many logins the idle-timeout case makes: all must pass.
const e2eIdleRuns = 5

// e2eIdleCases: squid closes the tunnel that the pre-flight opened while the
// user is still signing in in the browser, as a proxy with a short idle
// timeout does. The login must still succeed, with one new tunnel.
var e2eIdleCases = []e2eCase{
	{"tunnel_closed_by_squid_idle_timeout", func(t *testing.T, w *e2eWorld) {
		idle := e2eIdleSquidOf(t, w)
		// The browser follows the authorize URL only after the idle squid
		// has closed codex-login's tunnel: twice the timeout, since squid
		// looks for idle connections about once a second.
		delay := 2 * idle.timeout
		var took []string
		for i := 1; i <= e2eIdleRuns; i++ {
			t.Run(strconv.Itoa(i), func(t *testing.T) {
				r := e2eNewRun(t, w)
				r.Args = []string{"--ca", w.squid.CA, "--proxy", idle.url}
				// The browser goes through the plain squid, so the idle
				// squid's log holds only codex-login's tunnels.
				r.Browser = e2eBrowser{w.squid.URL, w.squid.CA}
				r.Env["BROWSER"] = e2eDelayedBrowser(t, r, delay)
				host := strings.TrimPrefix(r.Issuer, "https://")
				before := len(idle.entries(t, host))
				defer func() {
					if t.Failed() {
						idle.logTail(t)
					}
				}()
				r.expectThroughSquid(t, w, idle.accessLog, func() { r.Run(t, w) })
				took = append(took, fmt.Sprintf("%d: exit %d in %v", i, r.Exit, r.Took.Round(time.Millisecond)))
				t.Logf("login %d: exit %d in %v (the browser waited %v; squid closes idle client connections after %v)",
					i, r.Exit, r.Took.Round(time.Millisecond), delay, idle.timeout)
				r.wantSuccess(t, w)
				// Squid logs a bumped CONNECT when it bumps the tunnel, and
				// a request inside it when the reply is done. Expected:
				// CONNECT, GET (the pre-flight), then, once the idle
				// timeout has closed that tunnel, CONNECT, POST, POST (the
				// two exchanges) on a second one.
				var log []e2eIdleEntry
				for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
					if log = idle.entries(t, host)[before:]; e2eIdleCount(log, "POST") >= 2 {
						break
					}
				}
				time.Sleep(200 * time.Millisecond) // anything more would have been logged by now too
				log = idle.entries(t, host)[before:]
				t.Logf("the idle squid logged:\n%s", e2eIdleFormat(log))
				connects, posts := e2eIdleIndexes(log, "CONNECT"), e2eIdleIndexes(log, "POST")
				gets := e2eIdleIndexes(log, "GET")
				switch {
				case len(connects) != 2:
					t.Errorf("codex-login opened %d tunnels to %s through the idle squid, want 2: the pre-flight's, closed while idle, and one new", len(connects), host)
				case len(gets) == 0 || len(posts) == 0 || !(connects[0] < gets[0] && gets[0] < connects[1] && connects[1] < posts[0]):
					t.Errorf("the idle squid did not log the pre-flight on the first tunnel and the exchanges on the second")
				default:
					t.Logf("the second tunnel was opened %v after the first", log[connects[1]].at.Sub(log[connects[0]].at).Round(time.Millisecond))
				}
				if len(posts) != 2 {
					t.Errorf("the idle squid passed on %d token requests, want 2 (each exchange once)", len(posts))
				}
			})
		}
		t.Logf("logins through a squid that closes idle connections after %v: %s", idle.timeout, strings.Join(took, "; "))
	}},
}

// The idle cases run after the others, in the same world.
func init() { e2eCases = append(e2eCases, e2eIdleCases...) }

// e2eIdleSquid is the third squid of testdata/e2e/squid.sh: no
// authentication, and a short idle timeout for client connections.
type e2eIdleSquid struct {
	url, accessLog string
	timeout        time.Duration
}

// e2eIdleSquidOf reads the idle squid's address and log from the env file
// squid.sh wrote for the world's squids.
func e2eIdleSquidOf(t *testing.T, w *e2eWorld) *e2eIdleSquid {
	t.Helper()
	env := e2eReadEnv(t, filepath.Join(w.squid.dir, "env"))
	secs, err := strconv.Atoi(env["IDLE_TIMEOUT"])
	if env["IDLE_PROXY_URL"] == "" || env["IDLE_ACCESS_LOG"] == "" || err != nil || secs <= 0 {
		t.Fatalf("squid.sh started no idle squid (IDLE_PROXY_URL %q, IDLE_ACCESS_LOG %q, IDLE_TIMEOUT %q)",
			env["IDLE_PROXY_URL"], env["IDLE_ACCESS_LOG"], env["IDLE_TIMEOUT"])
	}
	return &e2eIdleSquid{url: env["IDLE_PROXY_URL"], accessLog: env["IDLE_ACCESS_LOG"], timeout: time.Duration(secs) * time.Second}
}

// e2eIdleEntry is one line of squid's access log (native format: time
// elapsed-ms client code/status bytes method URL ...).
type e2eIdleEntry struct {
	at          time.Time
	method, url string
}

// entries returns the idle squid's log lines about host, in log order: for
// CONNECT the URL is host:port, for a request inside a bumped tunnel
// https://host:port/path.
func (s *e2eIdleSquid) entries(t *testing.T, host string) []e2eIdleEntry {
	t.Helper()
	b, err := os.ReadFile(s.accessLog)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	var out []e2eIdleEntry
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 7 || !(strings.HasPrefix(f[6], host) || strings.HasPrefix(f[6], "https://"+host+"/")) {
			continue
		}
		secs, _ := strconv.ParseFloat(f[0], 64)
		out = append(out, e2eIdleEntry{at: time.UnixMilli(int64(secs * 1000)), method: f[5], url: f[6]})
	}
	return out
}

// e2eIdleIndexes returns the positions of the entries with method.
func e2eIdleIndexes(log []e2eIdleEntry, method string) []int {
	var out []int
	for i, e := range log {
		if e.method == method {
			out = append(out, i)
		}
	}
	return out
}

func e2eIdleCount(log []e2eIdleEntry, method string) int { return len(e2eIdleIndexes(log, method)) }

func e2eIdleFormat(log []e2eIdleEntry) string {
	var lines []string
	for _, e := range log {
		lines = append(lines, fmt.Sprintf("  %s %s %s", e.at.Format("15:04:05.000"), e.method, e.url))
	}
	return strings.Join(lines, "\n")
}

// logTail logs the end of the idle squid's access and cache logs.
func (s *e2eIdleSquid) logTail(t *testing.T) {
	dir := filepath.Dir(s.accessLog)
	for _, name := range []string{"access.log", "cache.log"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			t.Logf("idle squid %s:\n%s", name, e2eTail(string(b), 30))
		}
	}
}

// e2eDelayedBrowser wraps the run's scripted browser (which Run writes to
// DIR/browser.sh) in one that waits first, as a person signing in does, and
// returns its path for $BROWSER.
func e2eDelayedBrowser(t *testing.T, r *e2eRun, delay time.Duration) string {
	t.Helper()
	script := fmt.Sprintf(`#!/bin/sh
# scripted browser that takes its time: waits, then runs this case's browser
sleep %.3f
exec '%s' "$@"
`, delay.Seconds(), filepath.Join(r.dir, "browser.sh"))
	path := filepath.Join(r.dir, "browser-delayed.sh")
	if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}
