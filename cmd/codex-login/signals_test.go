//go:build unix

package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// startBin starts the built binary with the world's environment plus extra
// and returns it with its stderr.
func startBin(t *testing.T, bin string, w *world, extra map[string]string, args ...string) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--issuer", w.issuerURL, "--port", fmt.Sprint(freePort(t)), "--ca", w.caFile}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range w.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	for k, v := range extra {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd, stderr
}

// syncBuffer is a buffer the process writes into while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitExit waits for cmd and returns its exit code and how long it took.
func waitExit(t *testing.T, cmd *exec.Cmd, since time.Time) (int, time.Duration) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode(), time.Since(since)
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, time.Since(since)
	case <-time.After(10 * time.Second):
		t.Fatal("codex-login did not stop within 10 s of the signal")
		return 0, 0
	}
}

// silentProxy accepts connections and never answers.
func silentProxy(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	return "http://" + ln.Addr().String()
}

// Ctrl-C or SIGTERM ends a login as cancelled (exit 2) in every phase, at
// once, and changes nothing.
func TestSignalsCancelInEveryPhase(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	phases := []struct {
		name  string
		setup func(t *testing.T, w *world) map[string]string
		ready string // stderr says this once the phase is reached ("" for: after a moment)
	}{
		{"pre-flight at a silent proxy", func(t *testing.T, w *world) map[string]string {
			return map[string]string{"HTTPS_PROXY": silentProxy(t)}
		}, ""},
		{"waiting for the browser", func(t *testing.T, w *world) map[string]string {
			return map[string]string{"BROWSER": "true"}
		}, "/oauth/authorize"},
		{"waiting for Codex's lock", func(t *testing.T, w *world) map[string]string {
			holdLock(t, filepath.Join(w.home, "auth.lock"))
			return nil
		}, "waiting for " + "LOCK"},
	}
	for _, p := range phases {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
			t.Run(p.name+"/"+sig.String(), func(t *testing.T) {
				t.Parallel()
				w := newWorld(t, worldOptions{})
				old := w.writeOld()
				cmd, stderr := startBin(t, bin, w, p.setup(t, w))
				ready := strings.ReplaceAll(p.ready, "LOCK", filepath.Join(w.home, "auth.lock"))
				waitFor(t, stderr, ready)
				start := time.Now()
				cmd.Process.Signal(sig)
				code, took := waitExit(t, cmd, start)
				if code != exitUsage || !strings.Contains(stderr.String(), "cancelled") {
					t.Fatalf("exit %d after %v, want %d and \"cancelled\":\n%s", code, took, exitUsage, stderr)
				}
				if took > 3*time.Second {
					t.Fatalf("took %v to stop", took)
				}
				w.assertUnchanged(old)
			})
		}
	}
}

// A lock Codex holds past --timeout: the login says what it waits for,
// gives up at the deadline, and writes nothing, even once the lock is free.
func TestLockHeldPastTheTimeoutWritesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	w := newWorld(t, worldOptions{})
	old := w.writeOld()
	release := holdLock(t, filepath.Join(w.home, "auth.json.lock"))
	cmd, stderr := startBin(t, bin, w, nil, "--timeout", "3s")
	code, _ := waitExit(t, cmd, time.Now())
	release()
	if code != exitFailure || !strings.Contains(stderr.String(), "waiting for "+filepath.Join(w.home, "auth.json.lock")) {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	time.Sleep(200 * time.Millisecond)
	w.assertUnchanged(old)
}

// waitFor waits until stderr holds s (or, for "", half a second).
func waitFor(t *testing.T, stderr *syncBuffer, s string) {
	t.Helper()
	if s == "" {
		time.Sleep(500 * time.Millisecond)
		return
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(stderr.String(), s) {
			return
		}
	}
	t.Fatalf("stderr never said %q:\n%s", s, stderr)
}

// holdLock takes an exclusive flock on path, as a running Codex would,
// until the returned function (or the test's end) releases it.
func holdLock(t *testing.T, path string) func() {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o700)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	release := func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }
	t.Cleanup(release)
	return release
}
