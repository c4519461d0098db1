package main

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/login"
	"github.com/codex-login/codex-login/web"
)

// webBackend is what the web page does, in this command's words: the
// logins, status, refresh and logout of the other commands, with their
// errors and hints.
type webBackend struct {
	a     *app
	base  login.Options // without Events
	store codexauth.Store
}

var _ web.Backend = (*webBackend)(nil)

// webBackend loads the settings, proves the credential store can be
// written and builds the issuer client, before anything is served.
func (a *app) webBackend(ctx context.Context) (*webBackend, error) {
	s, err := a.Settings()
	if err != nil {
		return nil, err
	}
	store, err := a.Store()
	if err != nil {
		return nil, err
	}
	if err := store.Check(ctx); err != nil {
		return nil, err
	}
	issuer, err := a.Issuer()
	if err != nil {
		return nil, err
	}
	return &webBackend{a: a, store: store, base: login.Options{
		OAuth:             issuer,
		Store:             store,
		Ports:             callbackPorts(s.CallbackPort),
		Timeout:           s.Timeout.V,
		WorkspaceIDs:      s.ForcedWorkspaceIDs.V,
		ForcedLoginMethod: s.ForcedLoginMethod.V,
		Events:            webEvents{a.ui},
	}}, nil
}

func (b *webBackend) StartBrowser(ctx context.Context) (*login.Session, error) {
	o := b.base
	o.NoListen = true // the browser is elsewhere: the page takes the address it fails to load
	return login.Start(ctx, o)
}

func (b *webBackend) StartDevice(ctx context.Context) (*login.Session, error) {
	o := b.base
	if s := b.a.settings; !s.Timeout.Set && o.Timeout < deviceTimeout {
		o.Timeout = deviceTimeout
	}
	return login.StartDevice(ctx, o)
}

// Ended reports a login's end as the login command does (stderr, and the
// success or error event), and says it on the page.
func (b *webBackend) Ended(res *login.Result, err error) web.Outcome {
	switch {
	case err == nil:
		b.a.ui.signedIn(res, codexauth.Kind(b.store))
		who := res.Email
		if who == "" {
			who = "your ChatGPT account"
		}
		if res.Plan != "" {
			who += " (" + res.Plan + ")"
		}
		return web.Outcome{OK: true, Message: "Signed in to Codex as " + who + ". Credentials saved to " + res.Location + "."}
	case errors.Is(err, login.ErrCancelled):
		b.a.ui.logf("the sign-in was cancelled")
		return web.Outcome{OK: true, Message: "The sign-in was cancelled; nothing was changed."}
	}
	b.a.report(err)
	return b.Explain(err)
}

func (b *webBackend) Status(ctx context.Context) web.Status {
	st := web.Status{Store: codexauth.Kind(b.store) + ", " + b.store.Location()}
	auth, err := b.store.Load(ctx)
	if err != nil {
		st.Problem = sentence(b.a.ui.redact.apply(err.Error()))
		return st
	}
	if auth == nil {
		return st
	}
	b.a.redactAuth(auth)
	r := statusReport{Path: b.store.Location()}
	refused := r.describe(auth)
	st.Email, st.Plan = r.Email, r.Plan
	if exp, err := time.Parse(time.RFC3339, r.ExpiresAt); err == nil {
		st.Expires = whenUTC(exp, time.Now(), "expired ")
	}
	if len(refused) > 0 {
		st.Problem = sentence(refused[0])
		return st
	}
	st.SignedIn = true
	return st
}

func (b *webBackend) Refresh(ctx context.Context) web.Outcome {
	next, store, err := b.a.refresh(ctx)
	if err != nil {
		return b.Explain(err)
	}
	b.a.ui.refreshed(next, codexauth.Kind(store), store.Location())
	said, _, _ := refreshedSentence(next, time.Now())
	return web.Outcome{OK: true, Message: said}
}

func (b *webBackend) SignOut(ctx context.Context) web.Outcome {
	out, err := b.a.logout(ctx)
	if err != nil {
		return b.Explain(err)
	}
	b.a.ui.loggedOut(out)
	return web.Outcome{OK: true, Message: strings.ReplaceAll(out.sentence(), "\n", " ")}
}

// Explain is the error and its hint as the command line gives them, the
// hint's "run codex-login again" made "sign in again on this page".
func (b *webBackend) Explain(err error) web.Outcome {
	hint, _ := explain(err, b.a.settings)
	return web.Outcome{Message: sentence(b.a.ui.redact.apply(err.Error())), Hint: b.a.ui.redact.apply(webHint(hint))}
}

// webHint rewrites a hint that says to run codex-login for a person on the
// page.
func webHint(hint string) string {
	for _, r := range [][2]string{
		{"run codex-login --device-auth again", "sign in with a code again on this page"},
		{"sign in again: codex-login", "sign in again on this page"},
		{"run: codex-login", "sign in on this page"},
		{"run codex-login again", "sign in again on this page"},
		{"sign in with --paste instead", "sign in with ChatGPT instead"},
	} {
		hint = strings.ReplaceAll(hint, r[0], r[1])
	}
	return hint
}

// sentence starts s with a capital letter, for the page.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// webEvents is what a login started from the page reports to: secrets go
// to the redactor and steps to -v, but the sign-in link and the code are
// shown only on the page, to the person who asked for them.
type webEvents struct{ u *ui }

func (e webEvents) Secret(v string)                 { e.u.Secret(v) }
func (e webEvents) Logf(format string, args ...any) { e.u.logf(format, args...) }
func (e webEvents) Warn(err error)                  { e.u.warn("%v", err) }
func (e webEvents) Waiting()                        {}
func (e webEvents) AuthorizeURL(_ string, port int) {
	e.u.logf("a browser sign-in is waiting for the address pasted on the page (it names port %d)", port)
}
func (e webEvents) DeviceCode(_, _ string, expires time.Time) {
	e.u.logf("a device code sign-in is waiting for its code, until %s", expires.UTC().Format(time.RFC3339))
}
