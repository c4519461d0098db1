package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// version and commit are set at build time (tools/release):
// -ldflags "-X main.version=1.2.3 -X main.commit=<git commit>".
var (
	version = "dev"
	commit  = "unknown"
)

func newRootCmd(a *app) *cobra.Command {
	root := newLoginCmd(a)
	root.Use = "codex-login"
	root.Short = "Sign in to Codex with ChatGPT through corporate proxies and TLS inspection"
	root.Long = `codex-login signs you in to OpenAI Codex with ChatGPT and writes the credentials
where the Codex CLI, IDE extension and app read them (auth.json or the OS keyring).
It works where "codex login" fails: behind TLS-inspecting proxies (trust their CA
with --ca; codex-login trust fetch finds it), behind proxies that want Basic, NTLM
or Kerberos, or that a PAC file chooses, and on machines without a browser.
When it fails, codex-login doctor says which step and what to do.`
	root.Example = `  codex-login --ca ~/.certs/corp.pem
  codex-login --proxy http://proxy.corp.example:8080 --ca corp.pem
  HTTPS_PROXY=http://user:pass@proxy:3128 codex-login`
	root.SilenceUsage, root.SilenceErrors = true, true
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.PersistentPreRun = func(cmd *cobra.Command, _ []string) { a.begin(cmd) }
	a.common.register(root.PersistentFlags())
	login := newLoginCmd(a)
	login.Short = "Sign in with ChatGPT in the browser (the default command)"
	root.AddCommand(login, newPushCmd(a), newVersionCmd())
	root.AddCommand(newStatusCmd(a), newRefreshCmd(a), newLogoutCmd(a), newDoctorCmd(a), newTrustCmd(a), newConfigCmd(a), newWebCmd(a))
	return root
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, and the profile and CAs built in",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return writeVersion(cmd.OutOrStdout(), builtInTOML, builtInPEM)
		},
	}
}

// usageError marks a bad command line (exit code 2).
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

// noArgs rejects positional arguments as a usage error.
func noArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", args[0])}
	}
	return nil
}
