package main

import (
	"errors"
	"fmt"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/login"
	"github.com/codex-login/codex-login/oauth"
)

// configHint explains bad settings, Codex's settings that rule codex-login
// out, and a CODEX_HOME that cannot be written.
func configHint(err error, s *config.Settings) (string, int, bool) {
	var (
		cfgErr    *config.Error
		managed   *config.ManagedError
		issuerErr *oauth.IssuerError
		method    *login.MethodError
		mode      *codexauth.ModeError
		write     *codexauth.WriteError
	)
	switch {
	case errors.As(err, &managed):
		return fmt.Sprintf("ask IT to change it in %s; run codex-login config show to see every managed setting", managed.Enforcer), exitUsage, true
	case errors.As(err, &cfgErr) && cfgErr.File == "":
		return "run: codex-login --help", exitUsage, true
	case errors.As(err, &cfgErr):
		return fmt.Sprintf("edit %s; the [login] keys are ca_certificate, use_system_roots, proxy, no_proxy, proxy_auth, pac_url, issuer, client_id, callback_port, open_browser, timeout", cfgErr.File), exitFailure, true
	case errors.As(err, &issuerErr):
		return "use an https:// issuer URL", exitUsage, true
	case errors.As(err, &method):
		return "sign in with an API key instead: codex login --with-api-key", exitFailure, true
	case errors.As(err, &mode) && mode.Mode == "ephemeral":
		return fmt.Sprintf(`to keep a login, set cli_auth_credentials_store = "file" (or "auto")%s; otherwise sign in from Codex itself`, sourceOf(s, "cli_auth_credentials_store")), exitFailure, true
	case errors.As(err, &mode):
		return fmt.Sprintf(`set cli_auth_credentials_store = "file"%s, or sign in with codex login`, sourceOf(s, "cli_auth_credentials_store")), exitFailure, true
	case errors.As(err, &write):
		return writeHint(write), exitFailure, true
	}
	return "", 0, false
}

func writeHint(e *codexauth.WriteError) string {
	if e.Owner != "" {
		return fmt.Sprintf("%s belongs to %s (often after sudo codex login); run: sudo chown -R \"$USER\" %s, or use --codex-home DIR", e.Dir, e.Owner, e.Dir)
	}
	return fmt.Sprintf("make %s writable for you, or sign in to another directory with --codex-home DIR (and point CODEX_HOME at it for Codex)", e.Dir)
}
