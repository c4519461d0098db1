package main

// How codex-login talks to people, stated once:
//
//   - stdout carries only machine output (--json, version); everything meant
//     for a person goes to stderr.
//   - a failure is "codex-login: error: ..." followed by exactly one
//     "codex-login: hint: ..." line that says what to do; lowercase, no
//     trailing period.
//   - no token, authorization code, verifier, API key or proxy password is
//     ever printed: every line, whoever wrote it, passes through the run's
//     one redactor, which knows each secret the run has seen.

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/codex-login/codex-login/browser"
	"github.com/codex-login/codex-login/login"
)

type ui struct {
	out         io.Writer // stderr: for people
	stdout      io.Writer // for machines: --json events
	verbose     bool
	json        bool
	openBrowser bool
	paste       bool // pasted addresses are read
	listen      bool // the callback listener runs
	qr          bool // --qr
	redact      *redactor
	getenv      func(string) string
	place       browser.Place
	terminal    func() (int, int, bool)
	mu          sync.Mutex // one line at a time: the countdown writes from its own goroutine
	// endCountdown ends the device code's countdown line, if one runs.
	endCountdown func()
	// beforeSignIn runs once, before the sign-in address or code is shown.
	beforeSignIn func()
}

func newUI(e env) *ui {
	return &ui{
		out:      e.stderr,
		stdout:   e.stdout,
		redact:   &redactor{},
		getenv:   e.getenv,
		place:    browser.Detect(e.getenv, e.root),
		terminal: e.terminal,
	}
}

func (u *ui) printf(format string, args ...any) {
	line := u.redact.apply(fmt.Sprintf(format, args...))
	u.mu.Lock()
	defer u.mu.Unlock()
	fmt.Fprint(u.out, line)
}

// endLine ends whatever holds the current line (the countdown) before
// the result is printed.
func (u *ui) endLine() {
	if u.endCountdown != nil {
		u.endCountdown()
	}
}

// logf prints a step with -v.
func (u *ui) logf(format string, args ...any) {
	if u.verbose {
		u.printf("codex-login: "+format+"\n", args...)
	}
}

func (u *ui) warn(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	u.printf("codex-login: warning: %s\n", msg)
	u.event("warning", map[string]any{"message": msg})
}

// failed prints an error, its hint and the exit code it leads to.
func (u *ui) failed(err error, hint string, code int) {
	u.endLine()
	u.printf("codex-login: error: %s\n", err)
	if hint != "" {
		u.printf("codex-login: hint: %s\n", hint)
	}
	u.event("error", map[string]any{"code": code, "message": err.Error(), "hint": hint})
}

// lockWait is told when Codex's lock on the credentials has been held by
// another program for a while.
func (u *ui) lockWait(lock string) {
	u.printf("codex-login: waiting for %s: another program (usually Codex refreshing its tokens) holds it\n", lock)
}

// signedIn reports a completed login.
func (u *ui) signedIn(r *login.Result, store string) error {
	u.endLine()
	u.event("success", map[string]any{"email": r.Email, "plan": r.Plan, "account_id": r.AccountID, "store": store, "path": r.Location})
	who := r.Email
	if who == "" {
		who = "your ChatGPT account"
	}
	var detail []string
	if r.Plan != "" {
		detail = append(detail, r.Plan+" plan")
	}
	if r.AccountID != "" {
		detail = append(detail, "workspace "+r.AccountID)
	}
	if len(detail) > 0 {
		who += " (" + strings.Join(detail, ", ") + ")"
	}
	u.printf("Signed in to Codex as %s.\nCredentials saved to %s\n", who, r.Location)
	return nil
}
