package main

import (
	"errors"
	"io"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"github.com/cli/browser"
)

// opener shows the sign-in URL and opens a browser on it.
type opener struct {
	ui     *ui
	open   bool
	getenv func(string) string
}

func (o opener) browse(authURL string) {
	if !o.open {
		o.ui.printf("Open this URL in a browser to sign in:\n\n    %s\n\n", authURL)
	} else {
		o.ui.printf("Opening your browser to sign in. If it does not open, use this URL:\n\n    %s\n\n", authURL)
	}
	if o.getenv("SSH_CONNECTION") != "" || o.getenv("SSH_TTY") != "" {
		port := callbackPort(authURL)
		o.ui.printf("This is an SSH session: the browser must reach 127.0.0.1:%s on this machine.\n"+
			"On the computer with the browser, first run: ssh -L %s:127.0.0.1:%s %s\n\n", port, port, port, o.sshTarget())
	}
	if !o.open {
		return
	}
	if err := o.start(authURL); err != nil {
		o.ui.warn("could not open a browser (%v); open the URL above yourself", err)
	}
}

// start runs $BROWSER when it is set, as gh, git and Codex do, else the
// desktop's default browser.
func (o opener) start(u string) error {
	if spec := o.getenv("BROWSER"); spec != "" {
		return startBrowserCommand(spec, u)
	}
	if runtime.GOOS == "linux" && o.getenv("DISPLAY") == "" && o.getenv("WAYLAND_DISPLAY") == "" {
		return errors.New("no graphical display here")
	}
	browser.Stdout, browser.Stderr = io.Discard, io.Discard
	return browser.OpenURL(u)
}

// startBrowserCommand runs the first command of a $BROWSER list that starts.
// Each command is split on spaces; "%s" stands for the URL, which is
// otherwise appended. It does not wait: a terminal browser may run until the
// user quits it.
func startBrowserCommand(spec, u string) error {
	var lastErr error
	for _, command := range splitBrowserList(spec) {
		fields := strings.Fields(command)
		if len(fields) == 0 {
			continue
		}
		args, substituted := make([]string, 0, len(fields)), false
		for _, f := range fields[1:] {
			if strings.Contains(f, "%s") {
				f, substituted = strings.ReplaceAll(f, "%s", u), true
			}
			args = append(args, f)
		}
		if !substituted {
			args = append(args, u)
		}
		cmd := exec.Command(fields[0], args...)
		if err := cmd.Start(); err != nil {
			lastErr = err
			continue
		}
		go func() { _ = cmd.Wait() }()
		return nil
	}
	if lastErr == nil {
		lastErr = errors.New("$BROWSER is empty")
	}
	return lastErr
}

// splitBrowserList splits $BROWSER on ':' like Python's webbrowser, except
// on Windows where ':' is part of a path.
func splitBrowserList(spec string) []string {
	if runtime.GOOS == "windows" {
		return []string{spec}
	}
	return strings.Split(spec, ":")
}

// callbackPort is the port of the redirect_uri inside an authorize URL.
func callbackPort(authURL string) string {
	u, err := url.Parse(authURL)
	if err != nil {
		return "1455"
	}
	r, err := url.Parse(u.Query().Get("redirect_uri"))
	if err != nil || r.Port() == "" {
		return "1455"
	}
	return r.Port()
}

// sshTarget is user@host for this machine, as well as it can be known.
func (o opener) sshTarget() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "THIS-HOST"
	}
	if user := o.getenv("USER"); user != "" {
		return user + "@" + host
	}
	return host
}
