package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/push"
)

// noCredentialsError: there is nothing here to push.
type noCredentialsError struct{ location string }

func (e *noCredentialsError) Error() string {
	return "no credentials to push: " + e.location + " does not exist"
}

// localChangedError: the local credentials changed while they were pushed
// (Codex refreshed them), so the copy on the target is already stale.
type localChangedError struct{ location string }

func (e *localChangedError) Error() string {
	return e.location + " changed while it was pushed (Codex refreshed the tokens), so the pushed copy is outdated"
}

// pushHint explains why the credentials did not move. Whatever failed, the
// local credentials are still here.
func pushHint(err error, _ *config.Settings) (string, int, bool) {
	var (
		none      *noCredentialsError
		changed   *localChangedError
		store     *push.StoreError
		mismatch  *push.MismatchError
		remote    *push.RemoteError
		transport *push.TransportError
		timeout   *push.TimeoutError
		verify    *push.VerifyError
	)
	switch {
	case errors.As(err, &none):
		return "not signed in here; run codex-login first, then push", exitFailure, true
	case errors.As(err, &changed):
		return "run the same codex-login push again to send the fresh tokens", exitFailure, true
	case errors.As(err, &store):
		return fmt.Sprintf(`on the target, set cli_auth_credentials_store = "file" in %s (or remove the line), or sign in there with codex login`, store.File), exitFailure, true
	case errors.As(err, &mismatch):
		return "nothing was replaced; the command changed the bytes on the way: use one that passes stdin through untouched and allocates no terminal (docker exec -i NAME, kubectl exec -i POD --)", exitFailure, true
	case errors.As(err, &remote):
		return remoteHint(remote), exitFailure, true
	case errors.As(err, &transport):
		return transportHint(transport), exitFailure, true
	case errors.As(err, &timeout):
		return fmt.Sprintf("check that %s finishes at once without asking anything, or raise --timeout", tryLine(timeout.Command)), exitFailure, true
	case errors.As(err, &verify):
		return "the local copy was kept: look at that file on the target, then push again", exitFailure, true
	}
	return "", 0, false
}

func remoteHint(e *push.RemoteError) string {
	other := "or choose another directory with --remote-codex-home DIR"
	switch e.Step {
	case push.StepHome:
		return "set HOME or CODEX_HOME for that user on the target, or pass --remote-codex-home DIR"
	case push.StepSHA256:
		return "install coreutils (sha256sum) or openssl on the target, so it can check what it receives"
	case push.StepDirMode:
		return fmt.Sprintf("on the target, run chmod 700 %s (Codex keeps it private), then push again", e.Path)
	case push.StepFileMode:
		return "that file system does not keep file modes (a mounted volume?): " + other
	case push.StepLock:
		return "Codex on the target is refreshing its tokens: push again in a moment"
	case push.StepInput:
		return "the command did not pass its standard input on: use one that does (docker exec -i, kubectl exec -i)"
	}
	dir := e.Path
	if e.Step != push.StepMkdir {
		dir = path.Dir(e.Path)
	}
	return fmt.Sprintf("on the target, make %s writable for the user you push to (check its owner), %s", dir, other)
}

func transportHint(e *push.TransportError) string {
	ssh := e.Program == "ssh"
	switch {
	case e.NotFound && ssh:
		return "install the OpenSSH client, or reach the target with --via COMMAND"
	case e.NotFound:
		return "the --via command is not installed here: check its first word"
	case ssh && e.Exit == 255:
		return fmt.Sprintf("ssh could not reach the target: check that %s works (host, port, key, known_hosts; ssh options go with -o)", tryLine(e.Command))
	}
	return fmt.Sprintf("check that %s runs a POSIX shell on the target", tryLine(e.Command))
}

// tryLine is a command line that tries the transport without pushing.
func tryLine(command string) string {
	if strings.HasPrefix(command, "ssh ") {
		return command + " true"
	}
	return command + " sh -c true"
}

// pushedOut is the --json result of a push. It holds no secret.
type pushedOut struct {
	Target       string `json:"target"` // [user@]host, or the --via command
	Via          bool   `json:"via"`
	AuthFile     string `json:"auth_file"`
	SHA256       string `json:"sha256"`
	LocalRemoved bool   `json:"local_removed"`
}

// pushed reports a verified push, and warns of the two-copies problem.
func (u *ui) pushed(r *push.Result, target pushTarget, local string, removed bool) error {
	if u.json {
		data, err := json.Marshal(pushedOut{Target: target.name, Via: target.via, AuthFile: r.Path, SHA256: r.SHA256, LocalRemoved: removed})
		if err != nil {
			return err
		}
		if _, err = fmt.Fprintln(u.stdout, u.redact.apply(string(data))); err != nil {
			return err
		}
	} else {
		u.printf("Credentials pushed %s: %s (owner %s, mode 0600, SHA-256 checked).\n", target, r.Path, r.Owner)
		if removed {
			u.printf("Removed the local copy %s.\n", local)
		}
	}
	if r.DirMode != "drwx------" {
		dir := strings.TrimSuffix(r.Path, "/auth.json")
		u.warn("%s on the target is %s: others can look into it; run chmod 700 %s there, as Codex would have made it", dir, r.DirMode, dir)
	}
	if removed {
		u.warn("the local copy is gone because two copies of one login fight over its single-use refresh token: the first refresh on one machine signs the other out")
	} else {
		u.warn("both machines now hold this login: its refresh token is single use, so the first refresh on one of them signs the other out; sign in separately to use Codex on both")
	}
	return nil
}
