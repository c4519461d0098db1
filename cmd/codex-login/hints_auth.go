package main

import (
	"errors"
	"fmt"

	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/login"
	"github.com/codex-login/codex-login/oauth"
)

// authHint explains the sign-in itself: what the issuer and the browser
// answered, and the waiting.
func authHint(err error, _ *config.Settings) (string, int, bool) {
	var (
		denied    *login.DeniedError
		workspace *login.WorkspaceError
		tokenErr  *oauth.TokenError
		respErr   *oauth.ResponseError
		portBusy  *login.PortBusyError
		timeout   *login.TimeoutError
		cbErr     *login.CallbackError
		noDevice  *oauth.DeviceUnavailableError
		expired   *login.DeviceExpiredError
		paste     *login.PasteError
		state     *login.StateError
	)
	switch {
	case errors.Is(err, login.ErrCancelled):
		return "", exitUsage, true
	case errors.As(err, &denied):
		if denied.NoEntitlement() {
			return "ask your ChatGPT workspace admin to enable Codex for your workspace", exitDenied, true
		}
		return "run codex-login again and approve the sign-in in the browser", exitDenied, true
	case errors.As(err, &workspace):
		return "run codex-login again and choose one of the allowed workspaces in the browser", exitDenied, true
	case errors.As(err, &tokenErr):
		if tokenErr.Code == "invalid_grant" {
			return "the sign-in code was already used or has expired; run codex-login again", exitFailure, true
		}
		return "the issuer gave its reason above; run codex-login again, and if it fails the same way check --issuer and --client-id", exitFailure, true
	case errors.As(err, &respErr):
		return "check that --issuer names the OpenAI issuer (the default is https://auth.openai.com); if it does, something on the route changed the reply: show this message to IT", exitFailure, true
	case errors.As(err, &portBusy):
		if portBusy.Holder != "" {
			return fmt.Sprintf("stop %s, which holds port %d, and run codex-login again", portBusy.Holder, portBusy.Ports[0]), exitFailure, true
		}
		return fmt.Sprintf("stop the program listening on port %d (often an unfinished codex login), then run codex-login again", portBusy.Ports[0]), exitFailure, true
	case errors.As(err, &timeout):
		return "run codex-login again and finish the sign-in in the browser in time (or raise --timeout); on a remote machine, use --no-browser and an ssh -L tunnel to the callback port", exitFailure, true
	case errors.As(err, &noDevice):
		return "device code login is off for your workspace (a workspace admin can turn it on in ChatGPT's security settings); sign in with --paste instead", exitFailure, true
	case errors.As(err, &expired):
		return "run codex-login --device-auth again and enter the code within 15 minutes", exitFailure, true
	case errors.As(err, &paste):
		return "after signing in, copy the whole address from the browser's address bar (it starts with http://127.0.0.1:1455/auth/callback?code=) and paste it", exitFailure, true
	case errors.As(err, &state):
		return "paste the address from the sign-in started last: an earlier tab's sign-in is not this one", exitFailure, true
	case errors.Is(err, login.ErrDeviceSession):
		return "enter the code on the device page; nothing needs pasting", exitFailure, true
	case errors.As(err, &cbErr):
		return "run codex-login again", exitFailure, true
	}
	return "", 0, false
}
