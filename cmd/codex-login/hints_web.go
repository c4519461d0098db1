package main

import (
	"errors"

	"github.com/codex-login/codex-login/config"
)

// serveHint explains what keeps codex-login web from serving its page.
func serveHint(err error, _ *config.Settings) (string, int, bool) {
	var listen *listenError
	if errors.As(err, &listen) {
		return "stop the program serving on " + listen.addr + ", or choose another address with --listen", exitFailure, true
	}
	return "", 0, false
}
