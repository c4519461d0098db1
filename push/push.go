// Package push moves Codex's credentials to another machine. The bytes of
// auth.json go on the standard input of a shell on the target, reached
// through the system ssh or any command that gives one (docker exec -i,
// kubectl exec -i); a script with no secret in it writes them atomically
// into the target's CODEX_HOME, checks their SHA-256 and modes before
// replacing auth.json, and reports what it did.
//
// It knows nothing of where the credentials come from and prints nothing:
// failures are typed errors carrying the facts.
package push

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os/exec"
	"path"
	"strings"
	"time"
)

// DefaultTimeout bounds a push when Options.Timeout is zero.
const DefaultTimeout = 2 * time.Minute

// maxOutput bounds what is kept of the target's stdout and of its stderr.
const maxOutput = 64 << 10

// waitDelay is how long the transport's pipes may stay open after it was
// stopped (a child such as an ssh ProxyCommand may hold them).
const waitDelay = 5 * time.Second

// Options say where the credentials go.
type Options struct {
	Transport Transport
	CodexHome string        // on the target; "" for its $CODEX_HOME, else $HOME/.codex
	SystemDir string        // Codex's machine-wide config on the target; "" for /etc/codex
	Timeout   time.Duration // the whole push; 0 for DefaultTimeout
}

// Result is what the target reported after replacing auth.json.
type Result struct {
	Path     string // auth.json on the target
	User     string // the user the script ran as there
	Owner    string // who owns auth.json there, as ls names them
	FileMode string // auth.json's mode as ls shows it: "-rw-------"
	DirMode  string // CODEX_HOME's mode as ls shows it: "drwx------"
	SHA256   string // of auth.json there, hex; equal to what was sent
}

// Run writes authJSON, byte for byte, as auth.json on the target. It
// returns only once the target has confirmed a file with the same SHA-256
// and mode 0600; on any failure the target's old auth.json is untouched,
// except for a *VerifyError, which says the replaced file does not check out.
func Run(ctx context.Context, o Options, authJSON []byte) (*Result, error) {
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	digest := sha256.Sum256(authJSON)
	want := hex.EncodeToString(digest[:])

	argv := o.Transport.command(remoteWords(o.CodexHome, o.SystemDir))
	cmd := exec.CommandContext(runCtx, argv[0], argv[1:]...)
	cmd.Stdin = io.MultiReader(strings.NewReader(want+"\n"), bytes.NewReader(authJSON))
	stdout, stderr := &head{max: maxOutput}, &tail{max: maxOutput}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = waitDelay
	runErr := cmd.Run()

	name := o.Transport.String()
	a := parseAnswer(stdout.b)
	if _, done := a["done"]; done {
		// The file is in place, whatever became of the transport since.
		return a.result(want)
	}
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case runCtx.Err() != nil:
		return nil, &TimeoutError{Command: name, After: timeout}
	}
	if step, ok := a["error"]; ok {
		return nil, a.failure(step, want, stderr.String())
	}
	if runErr != nil {
		te := &TransportError{Command: name, Program: argv[0], Exit: -1, Stderr: stderr.String(), Err: runErr}
		var exit *exec.ExitError
		switch {
		case errors.Is(runErr, exec.ErrNotFound):
			te.NotFound = true
		case errors.As(runErr, &exit):
			te.Exit = exit.ExitCode()
		}
		return nil, te
	}
	return nil, &TransportError{Command: name, Program: argv[0], Stderr: stderr.String()}
}

// answer is the script's "codex-login-push: KEY VALUE" lines; the last
// line with a key wins.
type answer map[string]string

func parseAnswer(out []byte) answer {
	a := answer{}
	for _, line := range strings.Split(string(out), "\n") {
		line, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), scriptName+": ")
		if !ok {
			continue // a login banner or the like
		}
		key, value, _ := strings.Cut(line, " ")
		a[key] = value
	}
	return a
}

// field is the n-th blank-separated field of key's value ("" if none).
func (a answer) field(key string, n int) string {
	if f := strings.Fields(a[key]); n < len(f) {
		return f[n]
	}
	return ""
}

// mode is the mode string of an "ls -ld" line, without the trailing
// alternate-access mark (. or + or @).
func (a answer) mode(key string) string {
	m := a.field(key, 0)
	if len(m) > 10 {
		m = m[:10]
	}
	return m
}

func (a answer) failure(errLine, want, stderr string) error {
	step, detail, _ := strings.Cut(errLine, " ")
	switch step {
	case "store":
		return &StoreError{Mode: a["store"], File: detail}
	case "mismatch":
		return &MismatchError{Want: want, Got: a["got"]}
	case StepDirMode:
		return &RemoteError{Step: step, Path: detail, Detail: a.mode("dir")}
	case StepFileMode:
		return &RemoteError{Step: step, Path: detail, Detail: a.mode("file")}
	}
	return &RemoteError{Step: step, Path: detail, Stderr: stderr}
}

func (a answer) result(want string) (*Result, error) {
	r := &Result{
		Path: path.Join(a["home"], "auth.json"), User: a["user"], Owner: a.field("file", 2),
		FileMode: a.mode("file"), DirMode: a.mode("dir"), SHA256: a["sum"],
	}
	switch {
	case r.SHA256 != want:
		return nil, &VerifyError{Path: r.Path, Problem: "its SHA-256 is not what was sent"}
	case r.FileMode != "-rw-------":
		return nil, &VerifyError{Path: r.Path, Problem: "its mode is " + r.FileMode + ", not -rw------- (0600)"}
	}
	return r, nil
}

// head keeps the first max bytes written to it and drops the rest.
type head struct {
	max int
	b   []byte
}

func (h *head) Write(p []byte) (int, error) {
	if room := h.max - len(h.b); room > 0 {
		h.b = append(h.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// tail keeps the last max bytes written to it.
type tail struct {
	max int
	b   []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 2*t.max {
		t.b = append([]byte(nil), t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	if len(t.b) > t.max {
		return string(t.b[len(t.b)-t.max:])
	}
	return string(t.b)
}
