package codexauth

import "github.com/codex-login/codex-login/codexauth/agefile"

// Windows builds read and write Codex's age-encrypted secrets file.
func init() {
	sealAge = agefile.Seal
	openAge = agefile.Open
}
