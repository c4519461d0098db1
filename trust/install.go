package trust

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Installing a CA in the trust stores of the operating system is the one
// thing codex-login does that changes whom every other program on the
// machine trusts. It happens only here, only for a CA certificate, and only
// after the user has seen InstallPlan and agreed.

// InstallOptions says which stores besides the system's are changed.
type InstallOptions struct {
	NSS  bool // also the NSS databases of Firefox and Chromium (certutil)
	Java bool // also the Java cacerts (keytool; JAVA_HOME)
}

// The stores an InstallError names.
const (
	StoreSystem = "the system trust store"
	StoreNSS    = "the NSS databases"
	StoreJava   = "the Java cacerts"
)

// InstallError is a trust store that could not be changed, or that cannot
// be changed here. Stores are changed in order (system, NSS, Java) and the
// first failure stops; a store that lacks a program or a setting fails
// before any store is changed.
type InstallError struct {
	Uninstall bool   // removing, not adding
	CA        string // the certificate's subject common name, else its subject
	Store     string // StoreSystem, StoreNSS or StoreJava
	Command   string // the command that failed, as it was run; "" when none
	Output    string // the last line the command printed
	NeedRoot  bool   // the store can only be changed as root, which this process is not
	Missing   string // what the store needs and this machine lacks: "certutil", "JAVA_HOME", "update-ca-certificates", ...
	Err       error
}

func (e *InstallError) Error() string {
	msg := fmt.Sprintf("install %q in %s", e.CA, e.Store)
	if e.Uninstall {
		msg = fmt.Sprintf("remove %q from %s", e.CA, e.Store)
	}
	for _, s := range []string{e.Command, errText(e.Err), e.Output} {
		if s != "" {
			msg += ": " + s
		}
	}
	if e.NeedRoot {
		msg += " (this needs root: run with sudo)"
	}
	return msg
}

func (e *InstallError) Unwrap() error { return e.Err }

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// NotCAError is a certificate that CheckInstallable refuses: trusting it
// would make every certificate it signed trusted, or it could sign none.
type NotCAError struct {
	Subject string
	Reason  string // "it is a server certificate for proxy.corp.example, not a CA", ...
}

func (e *NotCAError) Error() string {
	return fmt.Sprintf("refusing to install %q in a trust store: %s", e.Subject, e.Reason)
}

// CheckInstallable returns a *NotCAError unless cert says it is a CA
// (basic constraints CA:TRUE) that may sign certificates (key usage, when
// present, includes certSign).
func CheckInstallable(cert *x509.Certificate) error {
	if cert == nil {
		return errors.New("no certificate to install")
	}
	reason := ""
	switch {
	case !cert.BasicConstraintsValid:
		reason = "it does not say it is a CA (it has no basic constraints)"
	case !cert.IsCA:
		reason = "it is not a CA certificate (basic constraints CA:FALSE)"
		names := slices.Clone(cert.DNSNames)
		for _, ip := range cert.IPAddresses {
			names = append(names, ip.String())
		}
		if len(names) > 0 {
			reason = "it is a server certificate for " + strings.Join(names, ", ") + ", not a CA"
		}
	case cert.KeyUsage != 0 && cert.KeyUsage&x509.KeyUsageCertSign == 0:
		reason = "its key usage does not allow it to sign certificates"
	}
	if reason != "" {
		return &NotCAError{Subject: name(cert), Reason: reason}
	}
	return nil
}

// InstallPlan says, one line each, what Install would change on this
// machine (files written, commands run, stores touched), and what stops
// it, for the user to confirm.
func InstallPlan(cert *x509.Certificate, o InstallOptions) []string {
	if err := CheckInstallable(cert); err != nil {
		return []string{err.Error()}
	}
	return storePlan(cert, o)
}

// Install adds cert to the system trust store, and to the NSS databases
// and the Java cacerts when o says so. Where the system store needs root,
// the commands run through sudo, which may ask for a password.
func Install(cert *x509.Certificate, o InstallOptions) error {
	if err := CheckInstallable(cert); err != nil {
		return err
	}
	return install(cert, o)
}

// Uninstall removes what Install added for cert. On Linux and Windows,
// removing a certificate that is not there is no error; macOS's security
// tool reports it.
func Uninstall(cert *x509.Certificate, o InstallOptions) error {
	if cert == nil {
		return errors.New("no certificate to remove")
	}
	return uninstall(cert, o)
}

// storePrefix starts the name of everything Install writes for cert (the
// file, the NSS nickname, the Java alias), which ends with its serial
// number: the fingerprint keeps two CAs with one serial apart, and the
// name says who put it there.
func storePrefix(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return "codex-login-" + hex.EncodeToString(sum[:8]) + "-"
}

// lastLine returns the last non-empty line of out, trimmed.
func lastLine(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
