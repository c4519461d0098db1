package main

import (
	"errors"
	"time"

	"github.com/mdp/qrterminal/v3"

	"github.com/codex-login/codex-login/browser"
	"github.com/codex-login/codex-login/login"
)

// The terminal UI is what the sign-in flows report to.
var _ login.Events = (*ui)(nil)

func (u *ui) Secret(value string) { u.redact.add(value) }

func (u *ui) Logf(format string, args ...any) { u.logf(format, args...) }

func (u *ui) Waiting() { u.event("waiting", nil) }

func (u *ui) Warn(err error) {
	var state *login.StateError
	if errors.As(err, &state) {
		u.warn("%v; if the browser is on another computer, check that its ssh -L tunnel reaches this machine", err)
		return
	}
	u.warn("%v", err)
}

// DeviceCode shows the code to enter and where.
func (u *ui) DeviceCode(uri, code string, expires time.Time) {
	u.signingIn()
	u.event("device_code", map[string]any{"verification_uri": uri, "user_code": code, "expires_at": expires.UTC().Format(time.RFC3339)})
	u.printf("To sign in, open this page in any browser (on any device) and enter the code:\n\n    %s\n\n    %s\n\n", uri, code)
	u.showQR(uri)
	_, _, tty := u.terminalSize()
	if tty && !u.json && u.copyCode(code) {
		u.printf("(The code is on your clipboard.)\n")
	}
	if tty && !u.json {
		u.countdown(expires)
		return
	}
	u.printf("The code expires at %s. Waiting for the sign-in...\n", expires.Local().Format("15:04"))
}

// AuthorizeURL shows the sign-in URL, and opens a browser on it where one
// can be opened here. Where the browser is probably elsewhere (an SSH
// session, a container, no display) it says how to finish from there.
func (u *ui) AuthorizeURL(url string, port int) {
	u.signingIn()
	u.event("authorize_url", map[string]any{"url": url, "port": port})
	open := u.openBrowser && u.browserHere()
	if open {
		u.printf("Opening your browser to sign in. If it does not open, use this URL:\n\n    %s\n\n", url)
	} else {
		u.printf("Open this URL in a browser to sign in:\n\n    %s\n\n", url)
	}
	u.showQR(url)
	if u.place.SSH && u.listen {
		u.printf("This is an SSH session: the browser must reach 127.0.0.1:%d on this machine.\n"+
			"On the computer with the browser, first run: ssh -L %d:127.0.0.1:%d %s\n\n", port, port, port, u.place.SSHTarget())
	}
	switch {
	case u.paste && !u.listen:
		u.printf("After you sign in, the browser goes to an address at 127.0.0.1:%d that fails to load; that is expected.\n"+
			"Copy that address from the browser's address bar and paste it here, then press Enter:\n", port)
	case u.paste && (u.place.Remote() || !open):
		u.printf("If the browser cannot reach this machine, it fails to load an address at 127.0.0.1:%d after you sign in.\n"+
			"Then copy that address from the browser's address bar and paste it here, then press Enter.\n", port)
	}
	if !open {
		return
	}
	if err := browser.Open(url, u.getenv); err != nil {
		u.warn("could not open a browser (%v); open the URL above yourself", err)
	}
}

// browserHere reports whether a browser can be opened on this machine:
// $BROWSER says so, or this is a desktop session, not SSH or a container.
func (u *ui) browserHere() bool {
	if u.getenv("BROWSER") != "" {
		return true
	}
	return !u.place.SSH && u.place.Container == "" && u.place.Display
}

// showQR renders s as a QR code on stderr, so that a phone can be the
// browser: with --qr, or in an SSH session whose terminal is large enough.
func (u *ui) showQR(s string) {
	width, height, tty := u.terminalSize()
	if !u.qr && !(u.place.SSH && tty && width >= 100 && height >= 50) {
		return
	}
	qrterminal.GenerateWithConfig(s, qrterminal.Config{
		Level: qrterminal.L, Writer: u.out, HalfBlocks: true, QuietZone: 1,
		BlackChar: qrterminal.BLACK_BLACK, WhiteBlackChar: qrterminal.WHITE_BLACK,
		WhiteChar: qrterminal.WHITE_WHITE, BlackWhiteChar: qrterminal.BLACK_WHITE,
	})
	u.printf("\n")
}

// terminalSize is the size of the terminal a person types in; tty is false
// when there is none.
func (u *ui) terminalSize() (width, height int, tty bool) {
	if u.terminal == nil {
		return 0, 0, false
	}
	return u.terminal()
}

// signingIn runs beforeSignIn, once, before the sign-in address or code
// is shown.
func (u *ui) signingIn() {
	if f := u.beforeSignIn; f != nil {
		u.beforeSignIn = nil
		f()
	}
}
