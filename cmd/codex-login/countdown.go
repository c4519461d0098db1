package main

import (
	"context"
	"encoding/base64"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// countdown rewrites one line on the terminal every second with the time
// left before a device code expires, until the login ends.
func (u *ui) countdown(expires time.Time) {
	stop, done := make(chan struct{}), make(chan struct{})
	var once sync.Once
	u.endCountdown = func() {
		once.Do(func() {
			close(stop)
			<-done
			u.printf("\n")
		})
	}
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			left := max(time.Until(expires).Round(time.Second), 0)
			u.printf("\rThe code expires in %d:%02d. Waiting for the sign-in... ", int(left.Minutes()), int(left.Seconds())%60)
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
}

// clipboardTools put their standard input on the desktop's clipboard.
var clipboardTools = [][]string{
	{"wl-copy"}, {"xclip", "-selection", "clipboard"}, {"xsel", "--clipboard", "--input"}, {"pbcopy"}, {"clip.exe"},
}

// copyCode puts a device code on the user's clipboard, best effort: the
// desktop's clipboard tool where this is the user's machine, else (over
// SSH) the terminal's own clipboard through OSC 52, which many terminals
// honour and the rest ignore. It reports whether a copy was made.
func (u *ui) copyCode(code string) bool {
	if u.place.SSH {
		u.printf("\x1b]52;c;%s\x07", base64.StdEncoding.EncodeToString([]byte(code)))
		return false // the terminal may or may not have taken it: say nothing
	}
	for _, tool := range clipboardTools {
		path, err := exec.LookPath(tool[0])
		if err != nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		cmd := exec.CommandContext(ctx, path, tool[1:]...)
		cmd.Stdin = strings.NewReader(code)
		err = cmd.Run()
		cancel()
		if err == nil {
			return true
		}
	}
	return false
}
