package main

import (
	"errors"
	"time"

	"github.com/codex-login/codex-login/browser"
	"github.com/codex-login/codex-login/login"
)

// The terminal UI is what the sign-in flows report to.
var _ login.Events = (*ui)(nil)

func (u *ui) Secret(value string) { u.redact.add(value) }

func (u *ui) Logf(format string, args ...any) { u.logf(format, args...) }

func (u *ui) Waiting() {}

// DeviceCode shows the code to enter and where.
func (u *ui) DeviceCode(uri, code string, expires time.Time) {
	u.printf("To sign in, open %s in any browser and enter the code:\n\n    %s\n\n(it expires at %s)\n\n", uri, code, expires.Local().Format("15:04"))
}

func (u *ui) Warn(err error) {
	var state *login.StateError
	if errors.As(err, &state) {
		u.warn("%v; if the browser is on another computer, check that its ssh -L tunnel reaches this machine", err)
		return
	}
	u.warn("%v", err)
}

// AuthorizeURL shows the sign-in URL and opens a browser on it.
func (u *ui) AuthorizeURL(url string, port int) {
	if u.openBrowser {
		u.printf("Opening your browser to sign in. If it does not open, use this URL:\n\n    %s\n\n", url)
	} else {
		u.printf("Open this URL in a browser to sign in:\n\n    %s\n\n", url)
	}
	if u.place.SSH {
		u.printf("This is an SSH session: the browser must reach 127.0.0.1:%d on this machine.\n"+
			"On the computer with the browser, first run: ssh -L %d:127.0.0.1:%d %s\n\n", port, port, port, u.place.SSHTarget())
	}
	if !u.openBrowser {
		return
	}
	if err := browser.Open(url, u.getenv); err != nil {
		u.warn("could not open a browser (%v); open the URL above yourself", err)
	}
}
