package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/codex-login/codex-login/trust"
)

func newTrustFetchCmd(a *app) *cobra.Command {
	var save, fingerprint string
	cmd := &cobra.Command{
		Use:   "fetch",
		Short: "Show the CA at the top of the chain the issuer's route presents; save it once its fingerprint is confirmed",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runTrustFetch(cmd.Context(), save, fingerprint)
		},
	}
	cmd.Flags().StringVar(&save, "save", "", "write the certificate to `FILE` (default $CODEX_HOME/corporate-ca.pem)")
	cmd.Flags().StringVar(&fingerprint, "fingerprint", "", "save without asking when the certificate's SHA-256 is `SHA256` (as IT publishes it)")
	a.network.register(cmd.Flags())
	return cmd
}

func (a *app) runTrustFetch(ctx context.Context, save, want string) error {
	client, err := a.Client()
	if err != nil {
		return err
	}
	issuer, err := a.Issuer()
	if err != nil {
		return err
	}
	u, _ := url.Parse(issuer.Issuer)
	ins := client.Inspect(ctx, u.JoinPath(".well-known", "openid-configuration"))
	if len(ins.Chain) == 0 {
		if ins.Err != nil {
			return ins.Err
		}
		return fmt.Errorf("%s presented no certificate", u.Host)
	}
	if ins.Err == nil && ins.RootSource != "" {
		a.ui.printf("The chain %s presents already verifies, with a root from %s: there is nothing to fetch.\n", u.Host, ins.RootSource)
		return nil
	}
	top := ins.Chain[len(ins.Chain)-1]
	a.ui.showFetched(u.Host, ins, top)
	info := trust.Describe(top)
	if !info.IsCA {
		return &fetchNoCAError{subject: info.Subject, product: ins.Product}
	}
	if err := a.confirmFingerprint(top, want); err != nil {
		return err
	}
	if save == "" {
		s, _ := a.Settings()
		save = filepath.Join(s.CodexHome, "corporate-ca.pem")
	}
	if err := writeCertFile(save, top); err != nil {
		return err
	}
	a.ui.event("trust_fetched", map[string]any{"path": save, "subject": info.Subject, "sha256": info.SHA256, "product": ins.Product})
	a.ui.printf("Saved %s.\nUse it: codex-login --ca %s\n  or keep it in %s:\n    [login]\n    ca_certificate = [%q]\nThen run codex-login trust codex, so that Codex itself trusts it too.\n",
		save, save, filepath.Join(a.settings.CodexHome, "config.toml"), save)
	return nil
}

// showFetched describes the top of the chain for the user to compare.
func (u *ui) showFetched(host string, ins *trust.Inspection, top *x509.Certificate) {
	info := trust.Describe(top)
	via := "directly"
	if ins.Route.Proxy != nil {
		via = "through " + ins.Route.Proxy.Redacted()
	}
	u.printf("Reaching %s %s, the chain presented ends with:\n", host, via)
	u.printf("  subject   %s\n  issuer    %s\n  valid     %s to %s\n  SHA-256   %s\n", info.Subject, info.Issuer,
		info.NotBefore.UTC().Format("2006-01-02"), info.NotAfter.UTC().Format("2006-01-02"), info.SHA256)
	if ins.Product != "" {
		u.printf("  made by   %s (TLS inspection)\n", ins.Product)
	}
}

// confirmFingerprint saves nothing unless the certificate is the one IT
// publishes: --fingerprint matches, or the user says so on the terminal.
func (a *app) confirmFingerprint(c *x509.Certificate, want string) error {
	sum := sha256.Sum256(c.Raw)
	if want != "" {
		b, err := trust.ParseFingerprint(want)
		if err != nil {
			return usageError{fmt.Errorf("--fingerprint %q: %w", want, err)}
		}
		if !bytes.Equal(b, sum[:]) {
			return &fingerprintMismatchError{got: trust.Fingerprint(c)}
		}
		return nil
	}
	if !a.confirm("Is this the SHA-256 fingerprint your IT department publishes for its root certificate?") {
		return &notConfirmedError{what: "the certificate's fingerprint", flag: "--fingerprint"}
	}
	return nil
}

// writeCertFile writes c as PEM to path (0644: a certificate is public),
// through a temporary file and a rename.
func writeCertFile(path string, c *x509.Certificate) error {
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	return writePublicFile(path, data)
}

// writePublicFile writes data to path (0644), creating its directory, through
// a temporary file in the same directory and a rename.
func writePublicFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// fetchNoCAError: the top of the presented chain is not a CA.
type fetchNoCAError struct{ subject, product string }

func (e *fetchNoCAError) Error() string {
	return fmt.Sprintf("the top of the chain, %q, is not a CA certificate: the proxy does not send its own CA, so it cannot be fetched here", e.subject)
}

// fingerprintMismatchError: the certificate is not the one IT published.
type fingerprintMismatchError struct{ got string }

func (e *fingerprintMismatchError) Error() string {
	return "the certificate's SHA-256 fingerprint is " + e.got + ", not the one given with --fingerprint; nothing was saved"
}
