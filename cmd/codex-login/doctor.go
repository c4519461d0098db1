package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/codex-login/codex-login/config"
)

func newDoctorCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check every step a login takes: settings, proxy, CAs, route, TLS chain, issuer, callback ports, credential store",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return a.runDoctor(cmd.Context()) },
	}
	a.network.register(cmd.Flags())
	cmd.Flags().SortFlags = false
	return cmd
}

// doctorTimeout bounds the network checks together.
const doctorTimeout = 90 * time.Second

func (a *app) runDoctor(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	defer cancel()
	d := &doctor{a: a}
	d.run(ctx)
	if errors.Is(ctx.Err(), context.Canceled) {
		return ctx.Err()
	}
	return d.verdict()
}

// check is one line of doctor's report, and its --json event.
type check struct {
	Name    string   `json:"name"`
	Status  string   `json:"status"` // ok, warn or fail
	Summary string   `json:"summary"`
	Details []string `json:"details"`
	Hint    string   `json:"hint"`
}

const (
	statusOK   = "ok"
	statusWarn = "warn"
	statusFail = "fail"
)

// doctor runs the checks in order and reports each as it ends.
type doctor struct {
	a      *app
	checks []check
}

func (d *doctor) add(c check) {
	d.checks = append(d.checks, c)
	d.a.ui.printCheck(c)
	d.a.ui.event("check", map[string]any{"name": c.Name, "status": c.Status, "summary": c.Summary,
		"details": append([]string{}, c.Details...), "hint": c.Hint})
}

func (d *doctor) ok(name, summary string, details ...string) {
	d.add(check{Name: name, Status: statusOK, Summary: summary, Details: details})
}

func (d *doctor) warn(name, summary, hint string, details ...string) {
	d.add(check{Name: name, Status: statusWarn, Summary: summary, Details: details, Hint: hint})
}

// fail reports err with the hint a command failing on it would give.
func (d *doctor) fail(name string, err error, details ...string) {
	hint, _ := explain(err, d.a.settings)
	d.add(check{Name: name, Status: statusFail, Summary: err.Error(), Details: details, Hint: hint})
}

// doctorFailedError is doctor's verdict when a check failed.
type doctorFailedError struct{ failed int }

func (e *doctorFailedError) Error() string {
	if e.failed == 1 {
		return "1 check failed"
	}
	return fmt.Sprintf("%d checks failed", e.failed)
}

// doctorHint is the hint of doctor's verdict: each failed check has its own.
func doctorHint(err error, _ *config.Settings) (string, int, bool) {
	var failed *doctorFailedError
	if errors.As(err, &failed) {
		return "follow the hint under each failed check above, then run codex-login doctor again", exitFailure, true
	}
	return "", 0, false
}

func (d *doctor) verdict() error {
	failed, warned := 0, 0
	for _, c := range d.checks {
		switch c.Status {
		case statusFail:
			failed++
		case statusWarn:
			warned++
		}
	}
	d.a.ui.event("doctor", map[string]any{"failed": failed, "warnings": warned, "checks": len(d.checks)})
	if failed > 0 {
		return &doctorFailedError{failed: failed}
	}
	if warned > 0 {
		d.a.ui.printf("No check failed; %d warning(s) above.\n", warned)
	} else {
		d.a.ui.printf("Every check passed.\n")
	}
	return nil
}

// printCheck shows one check: status, name, summary, details, hint.
func (u *ui) printCheck(c check) {
	u.printf("%-4s  %-10s %s\n", c.Status, c.Name, c.Summary)
	for _, d := range c.Details {
		u.printf("      %-10s %s\n", "", d)
	}
	if c.Hint != "" {
		u.printf("      %-10s hint: %s\n", "", c.Hint)
	}
}
