package push

import (
	"fmt"
	"strings"
	"time"
)

// StoreError reports that Codex on the target keeps its credentials
// somewhere else than auth.json, so it would never read the pushed file.
// Nothing was sent to disk there.
type StoreError struct {
	Mode string // the cli_auth_credentials_store value: "keyring" or "ephemeral"
	File string // the config file on the target that sets it
}

func (e *StoreError) Error() string {
	return fmt.Sprintf("Codex on the target is set to cli_auth_credentials_store = %q (in %s), so it would not read an auth.json", e.Mode, e.File)
}

// Steps of the remote script that can fail, as RemoteError.Step.
const (
	StepHome     = "home"     // neither CODEX_HOME nor HOME is set there
	StepSHA256   = "sha256"   // no sha256sum, shasum or openssl there
	StepMkdir    = "mkdir"    // CODEX_HOME could not be created
	StepDirMode  = "dirmode"  // CODEX_HOME may be written by others
	StepInput    = "input"    // stdin ended before the checksum line
	StepWrite    = "write"    // the temp file could not be written
	StepFileMode = "filemode" // the temp file is not 0600 (a file system that ignores modes)
	StepLock     = "lock"     // Codex held its lock there for 30 seconds
	StepRename   = "rename"   // the temp file could not replace auth.json
)

// RemoteError reports a step of the remote script that failed. The old
// auth.json on the target, if any, is untouched and the temp file removed.
type RemoteError struct {
	Step   string // one of the Step constants, or what the script said
	Path   string // the path on the target the step was about, if any
	Detail string // what the target showed of it: "ls -ld" of the directory for StepDirMode
	Stderr string // the end of what the target wrote on stderr
}

func (e *RemoteError) Error() string {
	var msg string
	switch e.Step {
	case StepHome:
		msg = "neither CODEX_HOME nor HOME is set on the target"
	case StepSHA256:
		msg = "the target has no sha256sum, shasum or openssl to check what it received"
	case StepMkdir:
		msg = "cannot create " + e.Path + " on the target"
	case StepDirMode:
		msg = fmt.Sprintf("%s on the target may be written by other users (%s)", e.Path, e.Detail)
	case StepInput:
		msg = "the target received nothing"
	case StepWrite:
		msg = "cannot write " + e.Path + " on the target"
	case StepFileMode:
		msg = fmt.Sprintf("%s on the target did not keep mode 0600 (%s)", e.Path, e.Detail)
	case StepLock:
		msg = "Codex on the target held " + e.Path + " for 30 seconds"
	case StepRename:
		msg = "cannot replace " + e.Path + " on the target"
	default:
		msg = fmt.Sprintf("the target failed at step %q", e.Step)
	}
	return withStderr(msg, e.Stderr)
}

// MismatchError reports that what arrived is not what was sent: the
// transport changed or cut the bytes. The target's auth.json is untouched.
type MismatchError struct {
	Want, Got string // SHA-256, hex
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("what the target received has SHA-256 %.12s…, not %.12s… as sent", e.Got, e.Want)
}

// TransportError reports that the command reaching the target failed
// before the script answered: not installed, could not connect, or ended
// without a verdict.
type TransportError struct {
	Command  string // the transport as a person would type it: "ssh -T -p 2222 -- dev@host"
	Program  string // its first word: "ssh"
	NotFound bool   // Program is not installed here
	Exit     int    // its exit status; -1 when it did not exit by itself
	Stderr   string // the end of what it wrote on stderr
	Err      error
}

func (e *TransportError) Error() string {
	var msg string
	switch {
	case e.NotFound:
		return fmt.Sprintf("%s is not installed here (%v)", e.Program, e.Err)
	case e.Exit > 0:
		msg = fmt.Sprintf("%s exited with status %d before the target confirmed the write", e.Program, e.Exit)
	case e.Exit < 0:
		msg = fmt.Sprintf("%s failed before the target confirmed the write (%v)", e.Program, e.Err)
	default:
		msg = e.Program + " exited before the target confirmed the write"
	}
	return withStderr(msg, e.Stderr)
}

func (e *TransportError) Unwrap() error { return e.Err }

// TimeoutError reports that the push did not finish in time; the transport
// was stopped.
type TimeoutError struct {
	Command string // the transport as a person would type it
	After   time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("the target did not confirm the write within %v", e.After)
}

// VerifyError reports that auth.json was replaced on the target but does
// not check out afterwards: its SHA-256 or mode is not what was written.
type VerifyError struct {
	Path    string
	Problem string
}

func (e *VerifyError) Error() string {
	return fmt.Sprintf("%s on the target was replaced but %s", e.Path, e.Problem)
}

// withStderr appends the last line the target wrote on stderr, if any.
func withStderr(msg, stderr string) string {
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if last := strings.TrimSpace(lines[len(lines)-1]); last != "" {
		return msg + ": " + last
	}
	return msg
}
