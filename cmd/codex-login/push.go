package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/login"
	"github.com/codex-login/codex-login/push"
)

// pushFlags are the push command's own flags.
type pushFlags struct {
	sshPort    int
	timeout    time.Duration
	sshOptions []string
	via        string
	remoteHome string
	keepLocal  bool
}

func newPushCmd(a *app) *cobra.Command {
	var f pushFlags
	cmd := &cobra.Command{
		Use:   "push [user@]host",
		Short: "Move the credentials to another machine, over ssh or any command (--via)",
		Long: `push writes this machine's Codex credentials as auth.json on another one and
then removes them here: two copies of one login fight over its single-use
refresh token. The system ssh is used (so ~/.ssh/config, jump hosts and agents
apply), or any command that gives a shell on the target (--via). The tokens
travel on the command's standard input, never on a command line.`,
		Example: `  codex-login push dev@build.corp.example
  codex-login push -p 2222 -o ProxyJump=bastion dev@10.1.2.3
  codex-login push --via 'docker exec -i devbox'
  codex-login push --via 'kubectl exec -i agent-0 --' --remote-codex-home /data/codex`,
		Args: f.args,
		RunE: func(cmd *cobra.Command, args []string) error {
			tr, target, err := f.transport(a, args)
			if err != nil {
				return err
			}
			o := push.Options{Transport: tr, CodexHome: f.remoteHome, Timeout: f.timeout}
			return a.runPush(cmd.Context(), o, target, f.keepLocal)
		},
	}
	fs := cmd.Flags()
	fs.IntVarP(&f.sshPort, "port", "p", 0, "connect to ssh port `N` on the target")
	fs.StringArrayVarP(&f.sshOptions, "ssh-option", "o", nil, "pass -o `OPTION` to ssh, e.g. ProxyJump=bastion; repeatable")
	fs.StringVar(&f.via, "via", "", "reach the target's shell with `COMMAND` instead of ssh, e.g. 'docker exec -i NAME'")
	fs.StringVar(&f.remoteHome, "remote-codex-home", "", "Codex's home `DIR` on the target (default its $CODEX_HOME, else ~/.codex)")
	fs.BoolVar(&f.keepLocal, "keep-local", false, "keep the credentials here too (the first refresh on one machine signs the other out)")
	fs.DurationVar(&f.timeout, "timeout", 0, "give up after `DURATION` (default 2m)")
	fs.SortFlags = false
	return cmd
}

func (f *pushFlags) args(cmd *cobra.Command, args []string) error {
	switch {
	case f.via != "" && len(args) > 0:
		return usageError{fmt.Errorf("--via reaches the target itself: drop %q", args[0])}
	case f.via != "" && (cmd.Flags().Changed("port") || len(f.sshOptions) > 0):
		return usageError{errors.New("-p and -o are passed to ssh, which --via replaces: put such options in the --via command")}
	case f.via == "" && len(args) != 1:
		return usageError{errors.New("push needs a target: codex-login push [user@]host, or codex-login push --via COMMAND")}
	case cmd.Flags().Changed("timeout") && f.timeout <= 0:
		return usageError{fmt.Errorf("--timeout %s: must be more than zero", f.timeout)}
	case f.sshPort < 0 || f.sshPort > 65535 || cmd.Flags().Changed("port") && f.sshPort == 0:
		return usageError{fmt.Errorf("--port %d: not a port number (1-65535)", f.sshPort)}
	}
	return nil
}

// transport is how the target is reached, and the target as messages
// name it.
func (f *pushFlags) transport(a *app, args []string) (push.Transport, pushTarget, error) {
	if f.via != "" {
		tr, err := push.Via(f.via)
		if err != nil {
			return tr, pushTarget{}, usageError{fmt.Errorf("--via %q: %w", f.via, err)}
		}
		return tr, pushTarget{name: tr.String(), via: true}, nil
	}
	tr, err := push.SSH(args[0], f.sshPort, f.sshOptions)
	if err != nil {
		return tr, pushTarget{}, usageError{err}
	}
	return tr, pushTarget{name: args[0]}, nil
}

// pushTarget is the host, or the --via command.
type pushTarget struct {
	name string
	via  bool
}

func (t pushTarget) String() string {
	if t.via {
		return "through " + t.name
	}
	return "to " + t.name
}

func (a *app) runPush(ctx context.Context, o push.Options, target pushTarget, keepLocal bool) error {
	store, err := a.Store()
	if err != nil {
		return err
	}
	auth, err := store.Load(ctx)
	if err != nil {
		return err
	}
	if auth == nil {
		return &noCredentialsError{location: store.Location()}
	}
	a.redactAuth(auth)
	data, err := auth.Marshal()
	if err != nil {
		return err
	}
	a.ui.logf("pushing %s with: %s", store.Location(), o.Transport)
	res, err := push.Run(ctx, o, data)
	switch {
	case errors.Is(err, context.Canceled):
		return login.ErrCancelled
	case err != nil:
		return fmt.Errorf("push %s: %w", target, err)
	}
	if !keepLocal {
		if err := a.removeAfterPush(ctx, store, data); err != nil {
			return fmt.Errorf("pushed %s (%s), but the local copy stays: %w", target, res.Path, err)
		}
	}
	return a.ui.pushed(res, target, store.Location(), !keepLocal)
}

// removeAfterPush deletes the local credentials if they are still the
// ones pushed: a Codex refresh here in the meantime made the pushed copy
// stale, and deleting the fresh tokens would leave no working copy.
func (a *app) removeAfterPush(ctx context.Context, store codexauth.Store, pushed []byte) error {
	now, err := store.Load(ctx)
	if err != nil || now == nil {
		return err
	}
	if data, err := now.Marshal(); err != nil || !bytes.Equal(data, pushed) {
		return &localChangedError{location: store.Location()}
	}
	_, err = store.Delete(ctx)
	return err
}

// redactAuth tells the redactor every secret in a.
func (a *app) redactAuth(auth *codexauth.AuthFile) {
	if t := auth.Tokens; t != nil {
		a.ui.redact.add(t.IDToken)
		a.ui.redact.add(t.AccessToken)
		a.ui.redact.add(t.RefreshToken)
	}
	if auth.OpenAIAPIKey != nil {
		a.ui.redact.add(*auth.OpenAIAPIKey)
	}
}
