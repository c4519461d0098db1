package main

import (
	"bufio"
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/codex-login/codex-login/trust"
)

func newTrustCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "trust",
		Short: "See, fetch, install and export the CA certificates codex-login trusts, and hand them to Codex",
		Args:  noArgs,
	}
	cmd.AddCommand(newTrustListCmd(a), newTrustFetchCmd(a), newTrustInstallCmd(a, true), newTrustInstallCmd(a, false),
		newTrustExportCmd(a), newTrustCodexCmd(a))
	return cmd
}

func newTrustListCmd(a *app) *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List every trusted certificate by source: subject, expiry, SHA-256 (system roots summarised)",
		Args:  noArgs,
		RunE:  func(*cobra.Command, []string) error { return a.runTrustList(all) },
	}
	cmd.Flags().BoolVar(&all, "all", false, "list the system roots one by one too")
	a.network.register(cmd.Flags())
	return cmd
}

func (a *app) runTrustList(all bool) error {
	client, err := a.Client()
	if err != nil {
		return err
	}
	pool := client.Pool()
	system, err := pool.SystemCerts()
	if err != nil {
		return err
	}
	for _, c := range pool.Configured() {
		a.ui.listCert(c.Certificate, c.Source)
	}
	if all {
		for _, c := range system {
			a.ui.listCert(c, trust.SystemSource)
		}
	} else if len(system) > 0 {
		a.ui.printf("and %d system root certificates (--all lists them)\n", len(system))
	}
	return nil
}

// listCert prints one trusted certificate on stdout, or its --json event.
func (u *ui) listCert(c *x509.Certificate, source string) {
	info := trust.Describe(c)
	if u.json {
		u.event("certificate", map[string]any{"subject": info.Subject, "issuer": info.Issuer, "not_after": info.NotAfter.UTC().Format(time.RFC3339),
			"sha256": info.SHA256, "source": source, "ca": info.IsCA})
		return
	}
	fmt.Fprintf(u.stdout, "%s\n  source %s, expires %s, SHA-256 %s\n", info.Subject, source, info.NotAfter.UTC().Format("2006-01-02"), info.SHA256)
}

// confirm asks a yes/no question on the terminal; without a terminal the
// answer is no.
func (a *app) confirm(question string) bool {
	if _, _, tty := a.terminal(); !tty {
		return false
	}
	a.ui.printf("%s [y/N] ", question)
	line, _ := bufio.NewReader(a.env.stdin).ReadString('\n')
	a.ui.endLine()
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}

// notConfirmedError: a change that needs the user's yes did not get it.
type notConfirmedError struct{ what, flag string }

func (e *notConfirmedError) Error() string { return e.what + " was not confirmed, so nothing changed" }

// readCAFile reads the certificates of a CA file as --ca reads them.
func readCAFile(path string) ([]*x509.Certificate, error) {
	pool, err := trust.NewPool(false, []trust.Location{{Path: path, Source: path}})
	if err != nil {
		return nil, err
	}
	var certs []*x509.Certificate
	for _, c := range pool.Configured() {
		certs = append(certs, c.Certificate)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("%s holds no certificate", path)
	}
	return certs, nil
}
