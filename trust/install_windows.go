package trust

import (
	"bytes"
	"crypto/x509"
	"fmt"

	"github.com/smallstep/truststore"
	"golang.org/x/sys/windows"
)

// On Windows the CA goes into the Root store of the current user, which
// needs no administrator: Windows itself asks the user to confirm, and
// programs that verify through CryptoAPI (Go, Codex with the native
// verifier, browsers) trust it for that user.

func systemPlan(cert *x509.Certificate) []string {
	return []string{"add it to the Root certificate store of the current user (Windows asks you to confirm)"}
}

// checkSystem has nothing to check: crypt32 comes with Windows.
func checkSystem(*x509.Certificate, bool) error { return nil }

// uninstallSystem removes cert from the Root store of the current user.
// truststore would remove every certificate there with the same serial
// number, other CAs included; this removes only cert itself.
func uninstallSystem(cert *x509.Certificate, _ truststore.Option) error {
	store, err := openStore(rootStore, 0)
	if err != nil {
		return err
	}
	defer windows.CertCloseStore(store, 0)
	var found []*windows.CertContext
	err = eachCert(store, func(ctx *windows.CertContext, der []byte) error {
		if bytes.Equal(der, cert.Raw) {
			found = append(found, windows.CertDuplicateCertificateContext(ctx))
		}
		return nil
	})
	if err != nil {
		for _, ctx := range found {
			windows.CertFreeCertificateContext(ctx)
		}
		return fmt.Errorf("list the %s certificate store: %w", rootStore, err)
	}
	for i, ctx := range found {
		// CertDeleteCertificateFromStore frees ctx, even when it fails.
		if err := windows.CertDeleteCertificateFromStore(ctx); err != nil {
			for _, rest := range found[i+1:] {
				windows.CertFreeCertificateContext(rest)
			}
			return fmt.Errorf("delete it from the %s certificate store: %w", rootStore, err)
		}
	}
	return nil
}
