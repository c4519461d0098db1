package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/codex-login/codex-login/trust"
)

// newTrustInstallCmd is `trust install FILE`, or `trust uninstall FILE`:
// the only commands that change the operating system's trust.
func newTrustInstallCmd(a *app, install bool) *cobra.Command {
	var o trust.InstallOptions
	var yes bool
	use, short := "install FILE", "Add the CA certificate(s) in FILE to the operating system's trust store (asks first)"
	if !install {
		use, short = "uninstall FILE", "Remove the CA certificate(s) in FILE from the operating system's trust store (asks first)"
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE:  func(_ *cobra.Command, args []string) error { return a.runTrustInstall(args[0], install, o, yes) },
	}
	cmd.Flags().BoolVar(&o.NSS, "nss", false, "also the NSS databases of Firefox and Chromium (certutil)")
	cmd.Flags().BoolVar(&o.Java, "java", false, "also Java's cacerts (keytool, $JAVA_HOME)")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

func (a *app) runTrustInstall(file string, install bool, o trust.InstallOptions, yes bool) error {
	certs, err := readCAFile(file)
	if err != nil {
		return err
	}
	verb, do := "install", trust.Install
	if !install {
		verb, do = "uninstall", trust.Uninstall
	}
	for _, c := range certs {
		if err := trust.CheckInstallable(c); err != nil {
			return err
		}
		info := trust.Describe(c)
		if install {
			a.ui.printf("To install %q (SHA-256 %s), codex-login will:\n", info.Subject, info.SHA256)
		} else {
			a.ui.printf("To uninstall %q (SHA-256 %s), codex-login will undo what its install does:\n", info.Subject, info.SHA256)
		}
		for _, line := range trust.InstallPlan(c, o) {
			a.ui.printf("  - %s\n", line)
		}
	}
	if !yes && !a.confirm(fmt.Sprintf("Change the operating system's trust store (%s)?", verb)) {
		return &notConfirmedError{what: "the change to the trust store", flag: "--yes"}
	}
	for _, c := range certs {
		if err := do(c, o); err != nil {
			return err
		}
		a.ui.event("trust_"+verb+"ed", map[string]any{"subject": trust.Describe(c).Subject, "sha256": trust.Fingerprint(c)})
		a.ui.printf("Done: %q %sed.\n", trust.Describe(c).Subject, verb)
	}
	return nil
}
