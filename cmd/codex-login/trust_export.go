package main

import (
	"net/url"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/codex-login/codex-login/config"
)

func newTrustExportCmd(a *app) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write one PEM bundle of the system roots and the configured CAs, for tools that cannot read the OS store",
		Args:  noArgs,
		RunE:  func(*cobra.Command, []string) error { return a.runTrustExport(out) },
	}
	cmd.Flags().StringVar(&out, "out", "", "write the bundle to `FILE` (default: stdout)")
	a.network.register(cmd.Flags())
	return cmd
}

func (a *app) runTrustExport(out string) error {
	bundle, err := a.exportBundle()
	if err != nil {
		return err
	}
	if out == "" {
		_, err := a.ui.stdout.Write(bundle)
		return err
	}
	if err := writePublicFile(out, bundle); err != nil {
		return err
	}
	a.ui.printf("Wrote %s. Tools use it with:\n", out)
	for _, line := range []string{
		"export CODEX_CA_CERTIFICATE=" + out, "export SSL_CERT_FILE=" + out, "export NODE_EXTRA_CA_CERTS=" + out,
		"export REQUESTS_CA_BUNDLE=" + out, "git config --global http.sslCAInfo " + out,
	} {
		a.ui.printf("  %s\n", line)
	}
	return nil
}

// exportBundle is the pool as one PEM bundle.
func (a *app) exportBundle() ([]byte, error) {
	client, err := a.Client()
	if err != nil {
		return nil, err
	}
	return client.Pool().ExportPEM()
}

func newTrustCodexCmd(a *app) *cobra.Command {
	var withPassword bool
	cmd := &cobra.Command{
		Use:   "codex",
		Short: "Make Codex itself take codex-login's route: a CA bundle and HTTPS_PROXY in $CODEX_HOME/.env",
		Args:  noArgs,
		RunE:  func(*cobra.Command, []string) error { return a.runTrustCodex(withPassword) },
	}
	cmd.Flags().BoolVar(&withPassword, "include-password", false, "write the proxy's password into .env too (it is left out otherwise)")
	a.network.register(cmd.Flags())
	return cmd
}

// codexBundle is the name of the bundle trust codex writes in CODEX_HOME.
const codexBundle = "codex-login-ca-bundle.pem"

func (a *app) runTrustCodex(withPassword bool) error {
	s, err := a.Settings()
	if err != nil {
		return err
	}
	bundle, err := a.exportBundle()
	if err != nil {
		return err
	}
	path := filepath.Join(s.CodexHome, codexBundle)
	if err := writePublicFile(path, bundle); err != nil {
		return err
	}
	set := map[string]string{"SSL_CERT_FILE": path}
	proxy, dropped := codexProxy(s, withPassword)
	if proxy != "" {
		set["HTTPS_PROXY"] = proxy
	}
	if s.NoProxy.V != "" {
		set["NO_PROXY"] = s.NoProxy.V
	}
	envFile := filepath.Join(s.CodexHome, ".env")
	if err := config.UpdateDotEnv(envFile, set, nil); err != nil {
		return err
	}
	a.ui.event("trust_codex", map[string]any{"env_file": envFile, "ca_bundle": path, "proxy": a.ui.redact.apply(proxy)})
	a.ui.printf("Wrote %s (system roots and every configured CA) and, in %s:\n  SSL_CERT_FILE=%s\n", path, envFile, path)
	if proxy != "" {
		a.ui.printf("  HTTPS_PROXY=%s\n", a.ui.redact.apply(proxy))
	}
	if s.NoProxy.V != "" {
		a.ui.printf("  NO_PROXY=%s\n", s.NoProxy.V)
	}
	if dropped {
		a.ui.printf("The proxy's password is not written; Codex will be refused by the proxy unless it gets it: codex-login trust codex --include-password\n")
	}
	a.ui.printf("Codex reads them when it starts.\n")
	return nil
}

// codexProxy is the proxy for Codex's .env, without its password unless
// asked; dropped says a password was left out.
func codexProxy(s *config.Settings, withPassword bool) (proxy string, dropped bool) {
	if s.Proxy.V == "" {
		return "", false
	}
	u, err := url.Parse(s.Proxy.V)
	if err != nil || u.User == nil || withPassword {
		return s.Proxy.V, false
	}
	if _, has := u.User.Password(); has {
		u.User = url.User(u.User.Username())
		return u.String(), true
	}
	return s.Proxy.V, false
}
