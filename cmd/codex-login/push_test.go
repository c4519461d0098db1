package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/codex-login/codex-login/push"
)

func TestPushMovesTheCredentials(t *testing.T) {
	w := newPushWorld(t)
	if code := w.push("--via", w.via()); code != 0 {
		t.Fatalf("exit %d", code)
	}
	w.checkPushed()
	if _, err := os.Stat(w.localPath()); !os.IsNotExist(err) {
		t.Errorf("the local auth.json is still there (%v)", err)
	}
	for _, s := range []string{"Credentials pushed through env", w.targetPath(), "Removed the local copy " + w.localPath(), "single-use refresh token", "signs the other out"} {
		if !strings.Contains(w.stderr, s) {
			t.Errorf("stderr does not say %q", s)
		}
	}
}

func TestPushKeepLocalWarnsOfTwoCopies(t *testing.T) {
	w := newPushWorld(t)
	if code := w.push("--keep-local", "--json", "--via", w.via()); code != 0 {
		t.Fatalf("exit %d", code)
	}
	w.checkPushed()
	w.checkLocalKept()
	if !strings.Contains(w.stderr, "both machines now hold this login") || !strings.Contains(w.stdout, `"local_removed":false`) {
		t.Errorf("no warning about the two copies, or no JSON result")
	}
}

func TestPushToACodexThatReadsTheKeyringIsRefused(t *testing.T) {
	w := newPushWorld(t)
	config := filepath.Join(w.targetHome(), "config.toml")
	os.MkdirAll(w.targetHome(), 0o700)
	if err := os.WriteFile(config, []byte("cli_auth_credentials_store = \"keyring\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := w.push("--via", w.via()); code != exitFailure {
		t.Fatalf("exit %d", code)
	}
	w.checkFailed(`cli_auth_credentials_store = "keyring"`, config, "would not read an auth.json")
	if _, err := os.Stat(w.targetPath()); err == nil {
		t.Errorf("auth.json was written on the target")
	}
}

// Whatever goes wrong on the way, the local credentials stay, and the
// target's auth.json is not replaced.
func TestPushFailuresKeepTheLocalCopy(t *testing.T) {
	cases := []struct{ name, via, want string }{
		{"command not found", "codex-login-no-such-command exec -i box", "is not installed here"},
		{"connection lost midway", `sh -c 'head -c 30 >/dev/null; echo "Connection reset by peer" >&2; exit 255' ssh`, "Connection reset by peer"},
		{"bytes changed on the way", `sh -c 'tr r R | "$@"' corrupt`, "nothing was replaced"},
		{"the target shell fails", `sh -c 'exit 126' broken`, "status 126"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newPushWorld(t)
			os.MkdirAll(w.targetHome(), 0o700)
			os.WriteFile(w.targetPath(), []byte(`{"earlier":true}`), 0o600)
			via := w.via(c.via)
			if strings.HasPrefix(c.via, "codex-login-no-such-command") {
				via = c.via
			}
			if code := w.push("--via", via); code != exitFailure {
				t.Fatalf("exit %d", code)
			}
			w.checkFailed(c.want)
			if got, _ := os.ReadFile(w.targetPath()); string(got) != `{"earlier":true}` {
				t.Errorf("the target's auth.json was replaced: %s", got)
			}
		})
	}
}

func TestPushWithoutLocalCredentials(t *testing.T) {
	w := newPushWorld(t)
	os.Remove(w.localPath())
	if code := w.push("--via", w.via()); code != exitFailure || !strings.Contains(w.stderr, "not signed in here; run codex-login first") {
		t.Fatalf("exit %d", code)
	}
	if _, err := os.Stat(w.targetHome()); err == nil {
		t.Errorf("the target was touched")
	}
}

// The tokens travel on stdin only: every word of every command line that
// the push starts is recorded, and none holds a token.
func TestPushPutsNoTokenOnACommandLine(t *testing.T) {
	w := newPushWorld(t)
	argv := filepath.Join(w.dir, "argv")
	record := `sh -c 'printf "%s\\n" "$0" "$@" >>` + argv + `; exec "$@"' recorder`
	if code := w.push("-v", "--via", w.via(record)); code != 0 {
		t.Fatalf("exit %d", code)
	}
	w.checkPushed()
	got, err := os.ReadFile(argv)
	if err != nil || !strings.Contains(string(got), "codex-login-push") {
		t.Fatalf("the command line was not recorded (%v):\n%s", err, got)
	}
	for _, s := range w.secrets {
		if strings.Contains(string(got), s) || strings.Contains(string(got), s[:12]) {
			t.Errorf("a token (%.8s…) is on the command line", s)
		}
	}
}

func TestPushCommandLineMistakesAreUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{}, {"a", "b"}, {"--via", "docker exec -i box", "host"}, {"--via", "docker exec -i box", "-p", "22"},
		{"--via", "docker exec -i 'box"}, {"--via", "docker exec -i box | cat"}, {"-oProxyCommand=x"}, {"--timeout", "0s", "host"},
		{"-p", "70000", "host"},
	} {
		w := newPushWorld(t)
		if code := w.push(args...); code != exitUsage {
			t.Errorf("push %q: exit %d, want %d", args, code, exitUsage)
		}
		w.checkLocalKept()
	}
}

// Over ssh, the port and options reach ssh, the host comes after "--",
// and the remote command arrives as the one line sshd hands to the user's
// shell. A fake ssh on PATH plays both ends.
func TestPushOverSSH(t *testing.T) {
	w := newPushWorld(t)
	bin, argv := filepath.Join(w.dir, "bin"), filepath.Join(w.dir, "ssh-argv")
	fake := "#!/bin/sh\nprintf '%s\\n' \"$@\" >" + argv + "\nfor last; do :; done\nexec env -u CODEX_HOME HOME=" + w.target + " sh -c \"$last\"\n"
	if err := os.Mkdir(bin, 0o755); err != nil || os.WriteFile(filepath.Join(bin, "ssh"), []byte(fake), 0o755) != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	remote := filepath.Join(w.target, `it's "Codex"`)
	if code := w.push("-p", "2222", "-o", "StrictHostKeyChecking=yes", "--ssh-option", "ProxyJump=bastion", "--remote-codex-home", remote, "dev@build.test"); code != 0 {
		t.Fatalf("exit %d", code)
	}
	got, _ := os.ReadFile(argv)
	if want := "-T\n-p\n2222\n-o\nStrictHostKeyChecking=yes\n-o\nProxyJump=bastion\n--\ndev@build.test\n'sh' '-c' '"; !strings.HasPrefix(string(got), want) {
		t.Errorf("ssh got:\n%s\nwant it to start:\n%s", got, want)
	}
	if b, err := os.ReadFile(filepath.Join(remote, "auth.json")); err != nil || !bytes.Equal(b, w.original) {
		t.Errorf("auth.json in %s: %v", remote, err)
	}
	if !strings.Contains(w.stderr, "Credentials pushed to dev@build.test: "+remote+"/auth.json") {
		t.Errorf("stderr does not name the host and the file")
	}
}

func TestPushGivesUpAtTheTimeout(t *testing.T) {
	w := newPushWorld(t)
	if code := w.push("--timeout", "300ms", "--via", "sh -c 'exec sleep 30' hang"); code != exitFailure {
		t.Fatalf("exit %d", code)
	}
	w.checkFailed("within 300ms", "raise --timeout")
}

// Every way a push fails has its hint, and exit code 1.
func TestPushErrorsHaveHints(t *testing.T) {
	ssh := "ssh -T -p 2222 dev@build.test"
	cases := []struct {
		err  error
		hint string
	}{
		{&push.StoreError{Mode: "ephemeral", File: "/etc/codex/managed_config.toml"}, `set cli_auth_credentials_store = "file" in /etc/codex/managed_config.toml`},
		{&push.RemoteError{Step: push.StepDirMode, Path: "/home/dev/.codex", Detail: "drwxrwxrwx"}, "chmod 700 /home/dev/.codex"},
		{&push.RemoteError{Step: push.StepWrite, Path: "/home/dev/.codex/.auth.json.tmp-push-1", Stderr: "Permission denied"}, "--remote-codex-home DIR"},
		{&push.RemoteError{Step: push.StepSHA256}, "sha256sum"},
		{&push.RemoteError{Step: push.StepHome}, "set HOME or CODEX_HOME"},
		{&push.RemoteError{Step: push.StepLock, Path: "/home/dev/.codex/auth.lock"}, "push again in a moment"},
		{&push.TransportError{Command: ssh, Program: "ssh", Exit: 255, Stderr: "Host key verification failed."}, "check that " + ssh + " true works"},
		{&push.TransportError{Command: ssh, Program: "ssh", NotFound: true, Err: errors.New("not found")}, "install the OpenSSH client"},
		{&push.TimeoutError{Command: ssh, After: 2 * time.Minute}, ssh + " true finishes at once"},
		{&push.VerifyError{Path: "/home/dev/.codex/auth.json", Problem: "its mode is -rw-r--r--"}, "the local copy was kept"},
		{&localChangedError{location: "/home/me/.codex/auth.json"}, "push again"},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		code := reportTo(&buf, nil, fmt.Errorf("push to dev@build.test: %w", c.err))
		if code != exitFailure || strings.Count(buf.String(), "codex-login: hint: ") != 1 || !strings.Contains(buf.String(), c.hint) {
			t.Errorf("%T: exit %d, want 1 and a hint with %q:\n%s", c.err, code, c.hint, buf.String())
		}
	}
}
