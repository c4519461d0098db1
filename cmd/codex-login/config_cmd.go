package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/codex-login/codex-login/config"
)

func newConfigCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show the effective settings",
		Args:  noArgs,
	}
	show := &cobra.Command{
		Use:   "show",
		Short: "Show every effective setting, the source it came from, and which ones IT enforces",
		Args:  noArgs,
		RunE:  func(*cobra.Command, []string) error { return a.runConfigShow() },
	}
	a.network.register(show.Flags())
	show.Flags().SortFlags = false
	cmd.AddCommand(show)
	return cmd
}

func (a *app) runConfigShow() error {
	s, err := a.Settings()
	if err != nil {
		return err
	}
	rows := s.Rows()
	if client, err := a.Client(); err == nil {
		rows = append(rows, config.Row{Key: "route", Value: describeRoute(client, s), Source: "proxy, no_proxy, pac_url or the OS settings"})
	}
	for _, r := range rows {
		a.ui.event("setting", map[string]any{"key": r.Key, "value": r.Value, "source": r.Source, "enforced": r.Enforced, "enforcer": r.Enforcer})
	}
	if a.ui.json {
		return nil
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		value, enforced := r.Value, ""
		if value == "" {
			value = `""`
		}
		if r.Enforced {
			enforced = "enforced by " + r.Enforcer
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Key, value, r.Source, enforced)
	}
	tw.Flush()
	table := strings.TrimSuffix(b.String(), "\n")
	var out strings.Builder
	for _, line := range strings.Split(table, "\n") {
		out.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	_, err = fmt.Fprint(a.ui.stdout, a.ui.redact.apply(out.String()))
	return err
}
