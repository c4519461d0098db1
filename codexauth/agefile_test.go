package codexauth

import "github.com/codex-login/codex-login/codexauth/agefile"

// The tests use the secrets file on every system, as Windows builds do.
func init() {
	sealAge = agefile.Seal
	openAge = agefile.Open
}
