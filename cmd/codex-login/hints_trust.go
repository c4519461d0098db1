package main

import (
	"errors"
	"runtime"

	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/trust"
)

// trustHint explains the failures of the trust commands.
func trustHint(err error, _ *config.Settings) (string, int, bool) {
	var (
		unconfirmed *notConfirmedError
		noCA        *fetchNoCAError
		mismatch    *fingerprintMismatchError
		notCA       *trust.NotCAError
		install     *trust.InstallError
	)
	switch {
	case errors.As(err, &unconfirmed) && unconfirmed.flag == "--fingerprint":
		return "compare it with the fingerprint your IT department publishes, then run again in a terminal and answer y, or pass --fingerprint SHA256", exitUsage, true
	case errors.As(err, &unconfirmed):
		return "run again in a terminal and answer y, or pass " + unconfirmed.flag, exitUsage, true
	case errors.As(err, &noCA) && noCA.product != "":
		return "ask IT for the root certificate file of " + noCA.product + " (.pem or .crt), then run: codex-login --ca FILE", exitFailure, true
	case errors.As(err, &noCA):
		return "ask IT for the proxy's root certificate file (.pem or .crt), then run: codex-login --ca FILE", exitFailure, true
	case errors.As(err, &mismatch):
		return "do not trust this certificate: ask IT which proxy this network goes through and for its root certificate", exitFailure, true
	case errors.As(err, &notCA):
		return "give the root CA certificate of the chain (codex-login trust fetch finds it), not a server's certificate", exitFailure, true
	case errors.As(err, &install) && install.NeedRoot:
		if runtime.GOOS == "windows" {
			return "run it from an administrator's terminal", exitFailure, true
		}
		return "run it with sudo: sudo codex-login trust " + installVerb(install) + " FILE", exitFailure, true
	case errors.As(err, &install) && install.Missing != "":
		return "install " + install.Missing + ", or leave out the store that needs it", exitFailure, true
	}
	return "", 0, false
}

func installVerb(e *trust.InstallError) string {
	if e.Uninstall {
		return "uninstall"
	}
	return "install"
}
