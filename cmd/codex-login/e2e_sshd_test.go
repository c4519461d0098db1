//go:build e2e

package main_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// e2eSSHD is the sshd of testdata/e2e/sshd.sh: loopback, public keys only,
// one user (not root) whose sessions have CODEX_HOME set to a directory
// that does not exist yet.
type e2eSSHD struct {
	dir, port, user, key, knownHosts, log string
	home, codexHome                       string // the user's HOME for the test, and CODEX_HOME in its sessions
	uid                                   int
}

// e2eStartSSHD runs sshd.sh start for one case and arranges for sshd.sh
// stop, which stops sshd by its PID; it then checks the PID is gone.
func e2eStartSSHD(t *testing.T, scripts string) *e2eSSHD {
	t.Helper()
	dir := e2eRandomName("codex-login-e2e-sshd-") // sshd reads the authorized keys as the user
	script := filepath.Join(scripts, "sshd.sh")
	start := time.Now()
	if out, err := exec.Command("bash", script, "start", dir).CombinedOutput(); err != nil {
		t.Fatalf("sshd.sh start: %v\n%s", err, out)
	}
	pids := e2eReadPIDs(t, filepath.Join(dir, "pids"))
	t.Cleanup(func() {
		if out, err := exec.Command("bash", script, "stop", dir).CombinedOutput(); err != nil {
			t.Errorf("sshd.sh stop: %v\n%s", err, out)
		}
		for _, pid := range pids {
			if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
				t.Errorf("sshd pid %d still exists after sshd.sh stop", pid)
			}
		}
	})
	env := e2eReadEnv(t, filepath.Join(dir, "env"))
	d := &e2eSSHD{
		dir: dir, port: env["SSHD_PORT"], user: env["SSH_USER"], key: env["SSH_KEY"], knownHosts: env["SSH_KNOWN_HOSTS"],
		log: env["SSHD_LOG"], home: env["TARGET_HOME"], codexHome: env["TARGET_CODEX_HOME"],
	}
	u, err := user.Lookup(d.user)
	if err != nil {
		t.Fatal(err)
	}
	d.uid = e2eAtoi(t, u.Uid)
	t.Logf("sshd on 127.0.0.1:%s for %s (uid %d, pid %v), started in %v", d.port, d.user, d.uid, pids, time.Since(start).Round(time.Millisecond))
	return d
}

// codexStatus runs the real `codex login status` as the sshd's user, on
// the CODEX_HOME its sessions have. The Codex CLI lives under root's home,
// which that user cannot enter: a read-only bind mount of its npm prefix,
// made in this test's own mount namespace, lets the user run it.
func (d *e2eSSHD) codexStatus(t *testing.T, w *e2eWorld) {
	t.Helper()
	prefix := filepath.Dir(filepath.Dir(filepath.Dir(w.codex))) // PREFIX/node_modules/.bin/codex
	rel, err := filepath.Rel(prefix, w.codex)
	if err != nil || filepath.Base(filepath.Dir(filepath.Dir(w.codex))) != "node_modules" {
		t.Fatalf("CODEX_BIN %s is not PREFIX/node_modules/.bin/codex", w.codex)
	}
	mnt := e2eRandomName("codex-login-e2e-cli-")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount(prefix, mnt, "", syscall.MS_BIND, ""); err != nil {
		os.Remove(mnt)
		t.Fatalf("bind-mount the Codex CLI: %v", err)
	}
	defer func() {
		if err := syscall.Unmount(mnt, 0); err != nil {
			t.Errorf("unmount %s: %v", mnt, err)
			return
		}
		os.Remove(mnt) // never RemoveAll: it could reach the CLI through the mount
	}()
	if err := syscall.Mount("", mnt, "", syscall.MS_BIND|syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Fatalf("make the bind mount read-only: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "runuser", "-u", d.user, "--", "env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin",
		"HOME="+d.home, "CODEX_HOME="+d.codexHome, "TMPDIR="+d.home, filepath.Join(mnt, rel), "login", "status")
	out, err := cmd.CombinedOutput()
	t.Logf("codex login status as %s: %v\n%s", d.user, err, e2eIndent(string(out)))
	if err != nil || !strings.Contains(string(out), "Logged in using ChatGPT") {
		t.Errorf("the Codex CLI run as %s does not read the pushed credentials", d.user)
	}
}

// e2eParseAuth reads auth.json, for the tokens that must not be printed.
func e2eParseAuth(t *testing.T, data []byte) *e2eAuthFile {
	t.Helper()
	var a e2eAuthFile
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	if a.OpenAIAPIKey == nil {
		a.OpenAIAPIKey = new(string)
	}
	return &a
}
