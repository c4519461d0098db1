//go:build linux || darwin || windows

package trust

import (
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/smallstep/truststore"
)

// The stores are changed through github.com/smallstep/truststore (mkcert's
// code), which runs the commands of each system. It is used on Linux, macOS
// and Windows only: on FreeBSD it creates a directory when the program
// starts.

// extraStore is a store besides the system's that InstallOptions asked for.
type extraStore struct {
	name  string // StoreNSS or StoreJava
	trust truststore.Trust
}

// extraStores returns the stores o asks for, or an *InstallError for the
// first that cannot be used here, before anything is changed.
func extraStores(cert *x509.Certificate, o InstallOptions, uninstall bool) ([]extraStore, error) {
	fail := func(store, missing string, err error) error {
		return &InstallError{Uninstall: uninstall, CA: name(cert), Store: store, Missing: missing, Err: err}
	}
	var out []extraStore
	if o.NSS {
		t, err := truststore.NewNSSTrust()
		switch {
		case errors.Is(err, truststore.ErrTrustNotSupported):
			return nil, fail(StoreNSS, "", fmt.Errorf("not supported on %s", runtime.GOOS))
		case err != nil:
			return nil, fail(StoreNSS, "certutil", errors.New(`certutil is not installed (install it with "`+truststore.CertutilInstallHelp+`")`))
		case len(nssProfiles()) == 0:
			return nil, fail(StoreNSS, "", errors.New("no NSS database found (Firefox profiles, ~/.pki/nssdb of Chromium)"))
		}
		out = append(out, extraStore{StoreNSS, t})
	}
	if o.Java {
		t, err := truststore.NewJavaTrust()
		switch {
		case os.Getenv("JAVA_HOME") == "":
			return nil, fail(StoreJava, "JAVA_HOME", errors.New("JAVA_HOME is not set"))
		case err != nil:
			return nil, fail(StoreJava, "keytool", fmt.Errorf("no keytool in %s", filepath.Join(os.Getenv("JAVA_HOME"), "bin")))
		case javaCacerts() == "":
			return nil, fail(StoreJava, "cacerts", fmt.Errorf("no lib/security/cacerts in %s", os.Getenv("JAVA_HOME")))
		}
		out = append(out, extraStore{StoreJava, t})
	}
	return out, nil
}

func install(cert *x509.Certificate, o InstallOptions) error {
	extra, err := extraStores(cert, o, false)
	if err != nil {
		return err
	}
	if err := checkSystem(cert, false); err != nil {
		return err
	}
	prefix := truststore.WithPrefix(storePrefix(cert))
	if err := truststore.Install(cert, prefix); err != nil {
		return storeError(cert, StoreSystem, false, err)
	}
	for _, s := range extra {
		if err := truststore.Install(cert, truststore.WithTrust(s.trust), truststore.WithNoSystem(), prefix); err != nil {
			return storeError(cert, s.name, false, err)
		}
	}
	return nil
}

func uninstall(cert *x509.Certificate, o InstallOptions) error {
	extra, err := extraStores(cert, o, true)
	if err != nil {
		return err
	}
	if err := checkSystem(cert, true); err != nil {
		return err
	}
	prefix := truststore.WithPrefix(storePrefix(cert))
	for _, s := range extra {
		if err := truststore.Uninstall(cert, truststore.WithTrust(s.trust), truststore.WithNoSystem(), prefix); err != nil {
			return storeError(cert, s.name, true, err)
		}
	}
	if err := uninstallSystem(cert, prefix); err != nil {
		return storeError(cert, StoreSystem, true, err)
	}
	return nil
}

// storeError describes err, which changing store returned.
func storeError(cert *x509.Certificate, store string, uninstall bool, err error) *InstallError {
	e := &InstallError{Uninstall: uninstall, CA: name(cert), Store: store, Err: err}
	var ce *truststore.CmdError
	if errors.As(err, &ce) {
		e.Command = strings.Join(ce.Cmd().Args, " ")
		e.Output = lastLine(ce.Out())
		e.Err = ce.Err()
		denied := strings.Contains(e.Output, "ermission denied") || strings.Contains(e.Output, "not permitted")
		e.NeedRoot = os.Geteuid() > 0 && (ce.Cmd().Args[0] == "sudo" || denied)
	}
	return e
}

// storePlan lists what Install would do to each store.
func storePlan(cert *x509.Certificate, o InstallOptions) []string {
	plan := systemPlan(cert)
	label := storePrefix(cert) + cert.SerialNumber.String()
	if o.NSS {
		if _, err := extraStores(cert, InstallOptions{NSS: true}, false); err != nil {
			plan = append(plan, "cannot "+err.Error())
		} else {
			for _, db := range nssProfiles() {
				plan = append(plan, fmt.Sprintf("add it to the NSS database %s as %q (certutil -A -t C,,)", db, label))
			}
		}
	}
	if o.Java {
		if _, err := extraStores(cert, InstallOptions{Java: true}, false); err != nil {
			plan = append(plan, "cannot "+err.Error())
		} else {
			plan = append(plan, fmt.Sprintf("import it into %s as %q (keytool -importcert, through sudo when that file is not writable)", javaCacerts(), label))
		}
	}
	return plan
}

// nssProfiles returns the NSS databases truststore changes: those of the
// Firefox profiles and Chromium's ~/.pki/nssdb, of the user in $HOME (root's
// under some sudo configurations).
func nssProfiles() []string {
	dirs, _ := filepath.Glob(truststore.NSSProfile)
	dirs = append(dirs, filepath.Join(os.Getenv("HOME"), ".pki", "nssdb"))
	var dbs []string
	for _, d := range dirs {
		for _, f := range []string{"cert9.db", "cert8.db"} {
			if _, err := os.Stat(filepath.Join(d, f)); err == nil {
				dbs = append(dbs, d)
				break
			}
		}
	}
	return dbs
}

// javaCacerts returns the cacerts file truststore changes, "" when none.
func javaCacerts() string {
	home, found := os.Getenv("JAVA_HOME"), ""
	for _, f := range []string{filepath.Join(home, "lib", "security", "cacerts"), filepath.Join(home, "jre", "lib", "security", "cacerts")} {
		if _, err := os.Stat(f); home != "" && err == nil {
			found = f
		}
	}
	return found
}
