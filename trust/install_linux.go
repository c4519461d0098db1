package trust

import (
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/smallstep/truststore"
)

// On Linux the CA goes as a PEM file into the directory of local CAs of the
// distribution, and the distribution's tool rebuilds the bundles that
// programs read. truststore picks the first directory that exists:
var rebuilds = map[string]string{
	"/etc/pki/ca-trust/source/anchors":          "/etc/pki/ca-trust/extracted (Fedora, RHEL)",
	"/usr/local/share/ca-certificates":          "/etc/ssl/certs/ca-certificates.crt and the links in /etc/ssl/certs (Debian, Ubuntu, Alpine)",
	"/usr/share/pki/trust/anchors":              "the bundles in /var/lib/ca-certificates (openSUSE)",
	"/etc/ca-certificates/trust-source/anchors": "/etc/ca-certificates/extracted and /etc/ssl/certs (Arch)",
	"/etc/ssl/certs":                            "the bundles in /etc/ssl/certs",
}

// debianHooks are run by Debian's update-ca-certificates after the bundle:
// ca-certificates-java updates the Java cacerts from there.
const debianHooks = "/etc/ca-certificates/update.d"

// systemFile is the file truststore writes for cert, "" when it knows no
// CA directory here.
func systemFile(cert *x509.Certificate) string {
	if truststore.SystemTrustFilename == "" {
		return ""
	}
	base := strings.ReplaceAll(storePrefix(cert)+cert.SerialNumber.String(), " ", "_")
	return fmt.Sprintf(truststore.SystemTrustFilename, base)
}

// asRoot says how the commands of the system store run.
func asRoot() string {
	switch {
	case os.Geteuid() == 0:
		return ""
	case hasSudo():
		return " (as root through sudo, which may ask for your password)"
	default:
		return " (needs root: run with sudo)"
	}
}

func hasSudo() bool {
	_, err := exec.LookPath("sudo")
	return err == nil
}

func systemPlan(cert *x509.Certificate) []string {
	file := systemFile(cert)
	if file == "" || len(truststore.SystemTrustCommand) == 0 {
		return []string{"cannot change the system trust store: no CA directory of a known distribution here (such as /usr/local/share/ca-certificates)"}
	}
	as := asRoot()
	update := "run " + strings.Join(truststore.SystemTrustCommand, " ") + as + ", which rebuilds " + rebuilds[filepath.Dir(file)]
	if entries, err := os.ReadDir(debianHooks); err == nil && len(entries) > 0 && truststore.SystemTrustCommand[0] == "update-ca-certificates" {
		update += ", and runs the hooks in " + debianHooks
	}
	return []string{"write " + file + as, update}
}

// checkSystem refuses, before anything is changed, what would fail for
// want of root or of the distribution's tool.
func checkSystem(cert *x509.Certificate, uninstall bool) error {
	fail := func(missing string, needRoot bool, err error) error {
		return &InstallError{Uninstall: uninstall, CA: name(cert), Store: StoreSystem, Missing: missing, NeedRoot: needRoot, Err: err}
	}
	if systemFile(cert) == "" || len(truststore.SystemTrustCommand) == 0 {
		return fail("", false, errors.New("no CA directory of a known distribution here (such as /usr/local/share/ca-certificates)"))
	}
	tool := truststore.SystemTrustCommand[0]
	if _, err := exec.LookPath(tool); err != nil {
		return fail(tool, false, fmt.Errorf("%s is not installed", tool))
	}
	if os.Geteuid() != 0 && !hasSudo() {
		return fail("", true, fmt.Errorf("writing %s needs root", filepath.Dir(systemFile(cert))))
	}
	return nil
}

func uninstallSystem(cert *x509.Certificate, prefix truststore.Option) error {
	return truststore.Uninstall(cert, prefix)
}
