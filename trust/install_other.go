//go:build !linux && !darwin && !windows

package trust

import (
	"crypto/x509"
	"fmt"
	"runtime"
)

// On other systems (the BSDs among them) codex-login changes no trust
// store: the user installs the CA the way the system documents.

func storePlan(*x509.Certificate, InstallOptions) []string {
	return []string{fmt.Sprintf("cannot change trust stores on %s: install the CA as the system documents", runtime.GOOS)}
}

func install(cert *x509.Certificate, _ InstallOptions) error {
	return unsupported(cert, false)
}

func uninstall(cert *x509.Certificate, _ InstallOptions) error {
	return unsupported(cert, true)
}

func unsupported(cert *x509.Certificate, uninstall bool) error {
	return &InstallError{Uninstall: uninstall, CA: name(cert), Store: StoreSystem,
		Err: fmt.Errorf("not supported on %s", runtime.GOOS)}
}
