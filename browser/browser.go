// Package browser opens a URL in the user's browser and tells where this
// process runs (an SSH session, a container, WSL, a desktop without a
// display), so that callers can choose what to offer. It returns facts and
// errors; the sentences a person reads are the caller's.
package browser

import (
	"errors"
	"io"
	"os/exec"
	"runtime"
	"strings"

	"github.com/cli/browser"
)

// ErrNoDisplay means there is no graphical display to open a browser on.
var ErrNoDisplay = errors.New("no graphical display here")

// ErrEmptyList means $BROWSER names no command.
var ErrEmptyList = errors.New("$BROWSER is empty")

// Open shows u in a browser: the commands of $BROWSER when it is set, as gh,
// git and Codex honour it, else the desktop's default browser. It does not
// wait for the browser to exit.
func Open(u string, getenv func(string) string) error {
	if spec := getenv("BROWSER"); spec != "" {
		return startCommand(spec, u)
	}
	if runtime.GOOS == "linux" && !hasDisplay(getenv) {
		return ErrNoDisplay
	}
	browser.Stdout, browser.Stderr = io.Discard, io.Discard
	return browser.OpenURL(u)
}

// startCommand runs the first command of a $BROWSER list that starts. Each
// command is split on spaces; "%s" stands for the URL, which is otherwise
// appended. A terminal browser may run until the user quits it, so the
// command is not waited for.
func startCommand(spec, u string) error {
	var lastErr error
	for _, command := range splitList(spec) {
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
		lastErr = ErrEmptyList
	}
	return lastErr
}

// splitList splits $BROWSER on ':' like Python's webbrowser, except on
// Windows, where ':' is part of a path.
func splitList(spec string) []string {
	if runtime.GOOS == "windows" {
		return []string{spec}
	}
	return strings.Split(spec, ":")
}

func hasDisplay(getenv func(string) string) bool {
	return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
}
