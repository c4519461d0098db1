package trust

import (
	"crypto/x509"

	"github.com/smallstep/truststore"
)

// On macOS the CA goes into the System keychain with trust settings of the
// administrator domain, through sudo (which asks for a password): every
// user's programs that verify through Security.framework trust it, Go and
// Codex included. Uninstalling removes those trust settings; the
// certificate stays in the keychain, trusted by nobody.

func systemPlan(cert *x509.Certificate) []string {
	return []string{
		"add it to " + systemKeychain + ", trusted for every user (sudo security add-trusted-cert -d -k " + systemKeychain + "), which asks for your password",
		"set its trust for SSL and X.509 in the administrator's trust settings (sudo security trust-settings-export -d, then trust-settings-import -d)",
	}
}

// checkSystem has nothing to check: security and sudo come with macOS.
func checkSystem(*x509.Certificate, bool) error { return nil }

func uninstallSystem(cert *x509.Certificate, prefix truststore.Option) error {
	return truststore.Uninstall(cert, prefix)
}
