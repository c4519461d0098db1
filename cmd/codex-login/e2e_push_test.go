//go:build e2e

package main_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// e2ePushCases move a login made through squid elsewhere: over a real sshd
// (testdata/e2e/sshd.sh) to another user, and through a --via command into
// another CODEX_HOME. The real Codex CLI then reads what arrived.
var e2ePushCases = []e2eCase{
	{"push_over_ssh_to_another_user", func(t *testing.T, w *e2eWorld) {
		r := e2ePushSignIn(t, w)
		sent := e2eReadFile(t, filepath.Join(r.codexHome, "auth.json"))
		d := e2eStartSSHD(t, w.scripts)
		r.push(t, w, "-p", d.port, "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile="+d.knownHosts,
			"--ssh-option", "IdentityFile="+d.key, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", d.user+"@127.0.0.1")
		if r.Exit != 0 {
			t.Fatalf("exit %d; sshd log:\n%s", r.Exit, e2eTail(string(e2eReadFile(t, d.log)), 20))
		}
		e2eCheckPushed(t, d.codexHome, sent, d.uid)
		if _, err := os.Stat(filepath.Join(r.codexHome, "auth.json")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the local auth.json is still there (%v)", err)
		}
		for _, s := range []string{"Credentials pushed to " + d.user + "@127.0.0.1: " + d.codexHome + "/auth.json", "owner " + d.user, "single-use refresh token"} {
			if !strings.Contains(r.Stderr, s) {
				t.Errorf("stderr does not say %q", s)
			}
		}
		if log := string(e2eReadFile(t, d.log)); !strings.Contains(log, "Accepted publickey for "+d.user) {
			t.Errorf("sshd did not log a public-key login for %s:\n%s", d.user, e2eTail(log, 20))
		}
		d.codexStatus(t, w)
	}},
	{"push_via_command_keep_local", func(t *testing.T, w *e2eWorld) {
		r := e2ePushSignIn(t, w)
		sent := e2eReadFile(t, filepath.Join(r.codexHome, "auth.json"))
		second := filepath.Join(r.dir, "second-home")
		if err := os.Mkdir(second, 0o700); err != nil {
			t.Fatal(err)
		}
		r.push(t, w, "--keep-local", "--via", "env -u CODEX_HOME HOME="+second)
		if r.Exit != 0 {
			t.Fatalf("exit %d", r.Exit)
		}
		target := filepath.Join(second, ".codex")
		e2eCheckPushed(t, target, sent, os.Getuid())
		if got := e2eReadFile(t, filepath.Join(r.codexHome, "auth.json")); !bytes.Equal(got, sent) {
			t.Errorf("--keep-local: the local auth.json changed")
		}
		if !strings.Contains(r.Stderr, "both machines now hold this login") {
			t.Errorf("no warning that both copies now hold the login")
		}
		second2 := &e2eRun{home: second, codexHome: target}
		second2.checkCodexStatus(t, w)
	}},
}

func init() { e2eCases = append(e2eCases, e2ePushCases...) }

// e2ePushSignIn signs in through the plain squid, as a developer behind
// SSL inspection does before pushing.
func e2ePushSignIn(t *testing.T, w *e2eWorld) *e2eRun {
	t.Helper()
	r := e2eNewRun(t, w)
	r.Args = []string{"--ca", w.squid.CA, "--proxy", w.squid.URL}
	r.Browser = e2eBrowser{w.squid.URL, w.squid.CA}
	r.expectThroughSquid(t, w, w.squid.accessLog, func() { r.Run(t, w) })
	r.wantSuccess(t, w)
	return r
}

// push runs "codex-login push ARGS" with the run's HOME and CODEX_HOME,
// and checks that no token it moved was printed.
func (r *e2eRun) push(t *testing.T, w *e2eWorld, args ...string) {
	t.Helper()
	a := e2eParseAuth(t, e2eReadFile(t, filepath.Join(r.codexHome, "auth.json")))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.bin, append([]string{"push", "--timeout", "30s"}, args...)...)
	cmd.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + r.home, "CODEX_HOME=" + r.codexHome, "LANG=C.UTF-8", "TMPDIR=" + os.TempDir()}
	cmd.Dir = r.dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r.Took, r.Stdout, r.Stderr, r.Exit = time.Since(start), stdout.String(), stderr.String(), 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.Exit = exit.ExitCode()
	case err != nil:
		t.Fatalf("run %s: %v", w.bin, err)
	}
	t.Logf("codex-login push %s\n  exit %d in %v\n  stdout: %s\n  stderr: %s", strings.Join(args, " "), r.Exit,
		r.Took.Round(time.Millisecond), e2eIndent(r.Stdout), e2eIndent(r.Stderr))
	r.checkNotPrinted(t, a.Tokens.IDToken, a.Tokens.AccessToken, a.Tokens.RefreshToken, *a.OpenAIAPIKey)
}

// e2eCheckPushed: auth.json in dir holds exactly sent, mode 0600, owned by
// uid, in a 0700 directory, with nothing left beside it but Codex's locks.
func e2eCheckPushed(t *testing.T, dir string, sent []byte, uid int) {
	t.Helper()
	path := filepath.Join(dir, "auth.json")
	if got := e2eReadFile(t, path); !bytes.Equal(got, sent) {
		t.Errorf("the pushed auth.json differs from the one sent")
	}
	for p, mode := range map[string]os.FileMode{dir: 0o700, path: 0o600} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode().Perm(), mode)
		}
		if owner := int(fi.Sys().(*syscall.Stat_t).Uid); owner != uid {
			t.Errorf("%s: owned by uid %d, want %d", p, owner, uid)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if n := e.Name(); n != "auth.json" && n != "auth.lock" && n != "auth.json.lock" {
			t.Errorf("the target's CODEX_HOME also holds %s", n)
		}
	}
}

func e2eReadFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// e2eRandomName is prefix plus a random suffix, for directories that
// other users must reach (t.TempDir's are 0700).
func e2eRandomName(prefix string) string {
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	return filepath.Join(os.TempDir(), prefix+hex.EncodeToString(suffix))
}

func e2eAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		t.Fatal(err)
	}
	return n
}
