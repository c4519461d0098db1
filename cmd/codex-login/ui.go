package main

// How codex-login talks to people, stated once:
//
//   - stdout carries only machine output (--json, version); everything meant
//     for a person goes to stderr.
//   - a failure is "codex-login: error: ..." followed by exactly one
//     "codex-login: hint: ..." line that says what to do; lowercase, no
//     trailing period.
//   - no token, authorization code, verifier, API key or proxy password is
//     ever printed: URLs are shown with (*url.URL).Redacted, and every line
//     passes through redact as a last guard.

import (
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/codex-login/codex-login/login"
)

type ui struct {
	out     io.Writer
	verbose bool
	secrets []string // strings that must never be printed (proxy passwords)
}

func newUI(e env, verbose bool) *ui { return &ui{out: e.stderr, verbose: verbose} }

func (u *ui) printf(format string, args ...any) {
	fmt.Fprint(u.out, redact(fmt.Sprintf(format, args...), u.secrets))
}

// logf prints a step of the login with -v.
func (u *ui) logf(format string, args ...any) {
	if u.verbose {
		u.printf("codex-login: "+format+"\n", args...)
	}
}

func (u *ui) warn(format string, args ...any) {
	u.printf("codex-login: warning: "+format+"\n", args...)
}

func (u *ui) signedIn(r *login.Result) {
	who := r.Email
	if who == "" {
		who = "your ChatGPT account"
	}
	detail := []string{}
	if r.Plan != "" {
		detail = append(detail, r.Plan+" plan")
	}
	if r.AccountID != "" {
		detail = append(detail, "workspace "+r.AccountID)
	}
	if len(detail) > 0 {
		who += " (" + strings.Join(detail, ", ") + ")"
	}
	u.printf("Signed in to Codex as %s.\nCredentials saved to %s\n", who, r.Path)
}

// redact replaces every secret in s; it is the last guard, not the first.
func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 3 {
			s = strings.ReplaceAll(s, sec, "xxxxx")
		}
	}
	return s
}

// proxySecrets returns the password (raw and escaped) in a proxy URL.
func proxySecrets(proxy string) []string {
	u, err := url.Parse(proxy)
	if err != nil || u.User == nil {
		return nil
	}
	pw, ok := u.User.Password()
	if !ok {
		return nil
	}
	return []string{pw, url.QueryEscape(pw), url.PathEscape(pw)}
}
