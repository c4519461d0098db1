package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/codex-login/codex-login/codexauth"
)

func newStatusCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show who is signed in: email, plan, account, token expiry, store; never a token",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return a.runStatus(cmd.Context()) },
	}
}

// statusReport is what status shows, and its --json event. It holds no secret.
type statusReport struct {
	SignedIn    bool     `json:"signed_in"`
	Email       string   `json:"email"`
	Plan        string   `json:"plan"`
	AccountID   string   `json:"account_id"`
	Issuer      string   `json:"issuer"`
	ClientID    string   `json:"client_id"`
	ExpiresAt   string   `json:"expires_at"`
	LastRefresh string   `json:"last_refresh"`
	Store       string   `json:"store"`
	Path        string   `json:"path"`
	Warnings    []string `json:"warnings"`
}

func (a *app) runStatus(ctx context.Context) error {
	store, err := a.Store()
	if err != nil {
		return err
	}
	auth, err := store.Load(ctx)
	if err != nil {
		return err
	}
	r := statusReport{Store: codexauth.Kind(store), Path: store.Location()}
	if auth == nil {
		a.ui.event("status", r.fields())
		return &notSignedInError{location: r.Path}
	}
	a.redactAuth(auth)
	refused := r.describe(auth)
	if r.Store == "file" {
		r.Warnings = fileWarnings(r.Path)
	}
	r.Warnings, r.SignedIn = append(r.Warnings, refused...), len(refused) == 0
	for _, w := range r.Warnings {
		if r.SignedIn || w != refused[0] { // the first refusal is the error
			a.ui.warn("%s", w)
		}
	}
	a.ui.event("status", r.fields())
	a.ui.printStatus(r, time.Now())
	if !r.SignedIn {
		return &unusableError{problem: refused[0]}
	}
	return nil
}

// describe fills r from auth and returns what would make Codex refuse it.
func (r *statusReport) describe(auth *codexauth.AuthFile) (refused []string) {
	r.LastRefresh = auth.LastRefresh
	t := auth.Tokens
	if t == nil {
		return []string{r.Path + " holds no ChatGPT tokens (an API-key login?)"}
	}
	if p := t.OAuthProvenance; p != nil {
		r.Issuer, r.ClientID = p.Issuer, p.ClientID
	}
	if t.AccountID != nil {
		r.AccountID = *t.AccountID
	}
	if access, err := codexauth.ParseIDToken(t.AccessToken); err == nil && !access.Expiry.IsZero() {
		r.ExpiresAt = access.Expiry.UTC().Format(time.RFC3339)
	}
	claims, err := codexauth.ParseIDToken(t.IDToken)
	if err != nil {
		refused = append(refused, "Codex cannot load "+r.Path+": "+err.Error())
	}
	r.Email, r.Plan = claims.Email, claims.Plan
	if r.AccountID == "" {
		r.AccountID = claims.AccountID
	}
	if t.RefreshToken == "" {
		refused = append(refused, r.Path+" has no refresh_token, which Codex requires")
	}
	if auth.AuthMode == "" && auth.OpenAIAPIKey != nil {
		refused = append(refused, r.Path+` has no auth_mode but holds an OPENAI_API_KEY, so Codex reads an API-key login, not this ChatGPT one; signing in again writes auth_mode "chatgpt"`)
	}
	return refused
}

func (r statusReport) fields() map[string]any {
	return map[string]any{"signed_in": r.SignedIn, "email": r.Email, "plan": r.Plan, "account_id": r.AccountID,
		"issuer": r.Issuer, "client_id": r.ClientID, "expires_at": r.ExpiresAt, "last_refresh": r.LastRefresh,
		"store": r.Store, "path": r.Path, "warnings": append([]string{}, r.Warnings...)}
}

// printStatus shows the report to a person, on stderr.
func (u *ui) printStatus(r statusReport, now time.Time) {
	row := func(name, value string) { u.printf("  %-14s %s\n", name+":", orDash(value)) }
	if r.SignedIn {
		u.printf("Signed in to Codex as %s.\n", orDash(r.Email))
	} else {
		u.printf("Codex cannot use these credentials:\n")
		row("email", r.Email)
	}
	row("plan", r.Plan)
	row("account", r.AccountID)
	issuer := r.Issuer
	if r.ClientID != "" {
		issuer += " (client " + r.ClientID + ")"
	}
	row("issuer", issuer)
	if exp, err := time.Parse(time.RFC3339, r.ExpiresAt); err == nil {
		row("access token", whenUTC(exp, now, "expired "))
	} else {
		row("access token", "")
	}
	if last, err := time.Parse(time.RFC3339Nano, r.LastRefresh); err == nil {
		row("last refresh", whenUTC(last, now, ""))
	} else {
		row("last refresh", r.LastRefresh)
	}
	row("store", r.Store+", "+r.Path)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

// whenUTC is t in UTC and relative to now: "2026-12-09 13:41 UTC (in 9
// days)", or for a past t "... (expired 2 hours ago)" with past "expired ".
func whenUTC(t, now time.Time, past string) string {
	abs := t.UTC().Format("2006-01-02 15:04 UTC")
	if d := t.Sub(now); d >= 0 {
		return abs + " (in " + span(d) + ")"
	}
	return abs + " (" + past + span(now.Sub(t)) + " ago)"
}

func span(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", d.Round(24*time.Hour)/(24*time.Hour))
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", d.Round(time.Hour)/time.Hour)
	case d >= 2*time.Minute:
		return fmt.Sprintf("%d minutes", d.Round(time.Minute)/time.Minute)
	}
	return fmt.Sprintf("%d seconds", d.Round(time.Second)/time.Second)
}
