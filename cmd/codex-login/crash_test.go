//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/codex-login/codex-login/codexauth"
)

const (
	crashIterations = 400              // at most this many killed logins
	crashBudget     = 60 * time.Second // and no longer than this in all
	crashCalibrate  = 5                // unkilled logins that measure a typical login
	crashTempPrefix = ".auth.json.tmp-"
)

// TestCrashDuringLogin kills the real binary with SIGKILL at random moments
// of a real login (pre-flight, browser, callback, exchanges, writing) and
// checks after every kill that auth.json is either the complete previous
// file or a complete new one, never a mix, a partial file or a wider mode;
// and that the temporary files a killed writer leaves are removed by the
// next run that saves.
//
// It takes about a minute, so it runs only with CODEX_LOGIN_CRASH=1
// (testdata/test.sh sets it).
func TestCrashDuringLogin(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it hundreds of times")
	}
	if os.Getenv("CODEX_LOGIN_CRASH") != "1" {
		t.Skip("set CODEX_LOGIN_CRASH=1 to run (about a minute)")
	}
	bin := filepath.Join(t.TempDir(), "codex-login")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// The binary does not wait for the browser it starts: once the binary
	// is gone, the browser is re-parented to this process, which waits for
	// it (crashReap), so that no run leaves a process behind.
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		t.Fatalf("become the subreaper of the binary's browsers: %v", err)
	}
	t.Cleanup(func() { _ = unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0) })

	w := newWorld(t, worldOptions{})
	c := &crashState{t: t, w: w, bin: bin, runs: filepath.Join(t.TempDir(), "runs"), refreshTokens: map[string]bool{}}
	if err := os.Mkdir(c.runs, 0o700); err != nil {
		t.Fatal(err)
	}
	c.current = w.writeOld()

	// A typical login, from start to exit, measured on unkilled runs.
	var took []time.Duration
	for range crashCalibrate {
		r := c.run(-1)
		if r.killed || r.exit != 0 {
			t.Fatalf("an unkilled login failed (exit %d):\n%s", r.exit, r.stderr)
		}
		c.check(r)
		took = append(took, r.took)
	}
	slices.Sort(took)
	typical := took[len(took)/2]
	t.Logf("typical login: %v (unkilled runs: %v)", typical.Round(time.Millisecond), took)

	// Kill at a moment spread uniformly over the whole login and a little
	// after: the last fifth lands mostly after the file was replaced.
	var n, killed, finished, old, fresh, afterKillWithTemp int
	start := time.Now()
	for n < crashIterations && time.Since(start) < crashBudget {
		n++
		r := c.run(rand.N(typical * 12 / 10))
		changed := c.check(r)
		switch {
		case r.killed:
			killed++
			if len(r.temps) > 0 {
				afterKillWithTemp++
			}
		default:
			finished++
			if r.exit != 0 {
				t.Fatalf("run %d finished before its kill with exit %d:\n%s", n, r.exit, r.stderr)
			}
		}
		if changed {
			fresh++
		} else {
			old++
		}
		if t.Failed() {
			t.Fatalf("run %d (killed %v after %v): stopping", n, r.killed, r.killAfter)
		}
	}
	loop := time.Since(start)

	// The last run is not killed: it must save, and remove every
	// temporary file left so far. Plant one if no kill left any, so that
	// the removal is always exercised.
	planted := false
	if len(crashTemps(t, w.home)) == 0 {
		planted = true
		if err := os.WriteFile(filepath.Join(w.home, crashTempPrefix+"planted"), []byte("{}"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	leftBefore := crashTemps(t, w.home)
	r := c.run(-1)
	if r.killed || r.exit != 0 {
		t.Fatalf("the last, unkilled login failed (exit %d):\n%s", r.exit, r.stderr)
	}
	if !c.check(r) {
		t.Errorf("the last, unkilled login did not replace auth.json")
	}
	if left := crashTemps(t, w.home); len(left) != 0 {
		t.Errorf("after a successful login, temporary files remain in CODEX_HOME: %v", left)
	}

	t.Logf("%d runs in %v (typical login %v, kills uniform in [0, %v]): %d killed, %d finished before their kill",
		n, loop.Round(time.Millisecond), typical.Round(time.Millisecond), (typical * 12 / 10).Round(time.Millisecond), killed, finished)
	t.Logf("auth.json afterwards: %d old (the previous complete file), %d new (a complete new login)", old, fresh)
	t.Logf("temporary files: %d kills left at least one; %d distinct files seen (%d with content, %d empty write checks); "+
		"%d present before the last login (planted: %v), 0 after it",
		afterKillWithTemp, len(c.tempsSeen), c.tempsWithData, len(c.tempsSeen)-c.tempsWithData, len(leftBefore), planted)
	if n < 20 {
		t.Errorf("only %d runs fit in %v: too few to mean anything", n, crashBudget)
	}
	if n >= 50 && (old == 0 || fresh == 0) {
		t.Errorf("%d runs, %d ended with the old file and %d with a new one: the kills did not spread over the whole login", n, old, fresh)
	}
}

// crashState is what the runs of TestCrashDuringLogin share.
type crashState struct {
	t             *testing.T
	w             *world
	bin, runs     string
	iter          int
	current       []byte          // auth.json as the last check found it
	refreshTokens map[string]bool // of every new file so far
	tempsSeen     map[string]bool // temporary files found after any run
	tempsWithData int             // how many of them held data
}

// crashRun is one run of the binary and what was found afterwards.
type crashRun struct {
	killAfter time.Duration // < 0: not killed
	killed    bool          // SIGKILL ended it (it had not exited by then)
	exit      int
	took      time.Duration
	stderr    string
	before    []string // temporary files in CODEX_HOME before the run
	temps     []string // and after it
}

// run starts a login through the world's proxy with its scripted browser,
// kills it after killAfter unless killAfter < 0, waits for it and for the
// browser it started, and returns what happened.
func (c *crashState) run(killAfter time.Duration) *crashRun {
	t, w := c.t, c.w
	t.Helper()
	c.iter++
	r := &crashRun{killAfter: killAfter, before: crashTemps(t, w.home)}

	// A browser configuration of this run's own: its markers never confuse
	// the world's cleanup, which waits for a browser that was opened.
	dir := filepath.Join(c.runs, fmt.Sprint(c.iter))
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := w.browser
	cfg.Marker = filepath.Join(dir, "browser-opened")
	data, _ := json.Marshal(cfg)
	cfgFile := filepath.Join(dir, "browser.json")
	if err := os.WriteFile(cfgFile, data, 0o600); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(c.bin, "--issuer", w.issuerURL, "--timeout", "20s", "--ca", w.caFile,
		"--proxy", w.proxy.URL().String(), "--port", fmt.Sprint(freePort(t)))
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + w.dir, "CODEX_HOME=" + w.home,
		"BROWSER=" + os.Args[0] + " -test.run=^TestHelperBrowser$ " + cfgFile}
	// Its own process group: the browser it starts stays in it, so the
	// group is how every process of this run is found.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pgid := cmd.Process.Pid
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	if killAfter < 0 {
		err = <-done
	} else {
		timer := time.NewTimer(killAfter)
		select {
		case err = <-done:
			timer.Stop()
		case <-timer.C:
			_ = cmd.Process.Kill() // SIGKILL, through the process handle: never another process
			err = <-done
		}
	}
	r.took = time.Since(start)
	r.stderr = stderr.String()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		r.exit = exit.ExitCode()
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			r.killed = true
		}
	default:
		t.Fatalf("run %s: %v", c.bin, err)
	}
	crashReap(t, pgid)
	r.temps = crashTemps(t, w.home)
	return r
}

// check checks CODEX_HOME after a run and reports whether auth.json changed.
// auth.json must be, byte for byte, the file before the run or a complete
// new login's; it stays 0600; a run that replaced it removed the temporary
// files that were there before it; nothing else appears.
func (c *crashState) check(r *crashRun) (changed bool) {
	t, w := c.t, c.w
	t.Helper()
	path := w.authPath()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("auth.json after the run (killed %v after %v): %v", r.killed, r.killAfter, err)
	}
	if fi, err := os.Stat(path); err != nil {
		t.Fatal(err)
	} else if fi.Mode().Perm() != 0o600 {
		t.Errorf("auth.json after the run (killed %v after %v): mode %v, want 0600", r.killed, r.killAfter, fi.Mode().Perm())
	}
	if _, err := codexauth.Parse(data); err != nil {
		t.Fatalf("auth.json after the run (killed %v after %v) does not parse: %v\n%s", r.killed, r.killAfter, err, data)
	}
	if !bytes.Equal(data, c.current) {
		changed = true
		checkAuthFile(t, path, w.issuerURL) // the complete layout Codex writes
		f, _ := codexauth.Parse(data)
		switch tok := f.Tokens; {
		case tok == nil || tok.IDToken == "" || tok.AccessToken == "" || !strings.HasPrefix(tok.RefreshToken, "rt_"):
			t.Errorf("auth.json changed (killed %v after %v) but holds no complete tokens:\n%s", r.killed, r.killAfter, data)
		case c.refreshTokens[tok.RefreshToken]:
			t.Errorf("auth.json changed (killed %v after %v) to a refresh token an earlier login got", r.killed, r.killAfter)
		default:
			c.refreshTokens[tok.RefreshToken] = true
		}
		if f.OpenAIAPIKey != nil && !slices.Contains(w.issuer.APIKeys(), *f.OpenAIAPIKey) {
			t.Errorf("auth.json changed (killed %v after %v) to an API key the issuer never gave", r.killed, r.killAfter)
		}
		for _, name := range r.before {
			if slices.Contains(r.temps, name) {
				t.Errorf("the run replaced auth.json but left the earlier temporary file %s", name)
			}
		}
		c.current = data
	}
	if c.tempsSeen == nil {
		c.tempsSeen = map[string]bool{}
	}
	for _, name := range r.temps {
		fi, err := os.Stat(filepath.Join(w.home, name))
		if err != nil {
			continue
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("temporary file %s has mode %v, want 0600", name, fi.Mode().Perm())
		}
		if !c.tempsSeen[name] {
			c.tempsSeen[name] = true
			if fi.Size() > 0 {
				c.tempsWithData++
			}
		}
	}
	entries, err := os.ReadDir(w.home)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch n := e.Name(); {
		case n == "auth.json", n == "auth.lock", n == "auth.json.lock", strings.HasPrefix(n, crashTempPrefix):
		default:
			t.Errorf("CODEX_HOME holds %s after a run (killed %v after %v)", n, r.killed, r.killAfter)
		}
	}
	return changed
}

// crashTemps lists the temporary files in CODEX_HOME.
func crashTemps(t *testing.T, home string) []string {
	t.Helper()
	entries, err := os.ReadDir(home)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), crashTempPrefix) {
			names = append(names, e.Name())
		}
	}
	return names
}

// crashReap waits for every process left in the process group pgid (the
// browser of a run; this process is its subreaper once the binary is
// gone). A browser that has not finished within 10s is killed. It fails
// the test if a process of the group is not this process's child, since
// it could not be waited for.
func crashReap(t *testing.T, pgid int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	killed := false
	for {
		var ws unix.WaitStatus
		pid, err := unix.Wait4(-pgid, &ws, unix.WNOHANG, nil)
		switch {
		case errors.Is(err, unix.EINTR):
		case errors.Is(err, unix.ECHILD):
			if err := unix.Kill(-pgid, 0); !errors.Is(err, unix.ESRCH) {
				_ = unix.Kill(-pgid, unix.SIGKILL)
				t.Fatalf("process group %d has a process this test cannot wait for (kill: %v)", pgid, err)
			}
			return
		case err != nil:
			t.Fatalf("wait for process group %d: %v", pgid, err)
		case pid > 0:
			continue // one reaped; look for more at once
		}
		if !killed && time.Now().After(deadline) {
			killed = true
			t.Logf("the browser of process group %d did not finish in 10s: killing it", pgid)
			_ = unix.Kill(-pgid, unix.SIGKILL)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
