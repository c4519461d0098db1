// Package login runs the ChatGPT sign-in flows that Codex runs and saves
// the credentials Codex reads. It talks to the issuer through an
// oauth.Client and keeps credentials in a codexauth.Store, both given by the
// caller; it reads no environment, parses no flags, prints nothing (it
// reports through Events) and never exits.
package login

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/oauth"
)

// DefaultTimeout bounds a whole login: the user's sign-in included.
const DefaultTimeout = 15 * time.Minute

// Options configure one login.
type Options struct {
	OAuth             *oauth.Client   // the issuer, reached through the one client (proxy and trust set)
	Store             codexauth.Store // where the credentials go
	Ports             []int           // callback ports, tried in order; default oauth.CallbackPorts
	Timeout           time.Duration   // for the whole login; default DefaultTimeout
	WorkspaceIDs      []string        // Codex's forced_chatgpt_workspace_id
	ForcedLoginMethod string          // Codex's forced_login_method
	Events            Events
	// Paste, when set, is read for redirects a person pastes (one per
	// line) from a browser on another machine. The first redirect to
	// arrive, pasted or through the callback, is the one used.
	Paste io.Reader
	// NoListen opens no callback listener: only a pasted redirect can
	// complete the login (it still names port Ports[0] to the issuer).
	NoListen bool
	Now      func() time.Time
}

// Result describes a completed login. It holds no secret.
type Result struct {
	Location  string // where the credentials were saved (codexauth.Store.Location)
	Email     string
	AccountID string
	Plan      string
	Expiry    time.Time // of the id_token
	APIKey    bool      // an API key was obtained too
	Port      int       // the callback port used
}

// Run signs in with the browser. Before the browser opens it proves that
// the credentials can be saved and that the route to the issuer works; then
// it waits for the browser to come back to the loopback callback, exchanges
// the code and saves the tokens. The existing credentials are replaced only
// by new ones that were saved, and nothing is revoked: a revocation can
// sign out every session of the account.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.NoListen && o.Paste == nil {
		return nil, errors.New("login: NoListen needs Paste")
	}
	b, err := beginBrowser(ctx, o)
	if err != nil {
		return nil, err
	}
	return b.wait()
}

// browserLogin is a browser login between its authorize URL and its end.
type browserLogin struct {
	o       Options
	ctx     context.Context
	cancel  context.CancelFunc
	fail    func(error) (*Result, error)
	cb      *callback
	port    int
	url     string
	res     *Result
	listens bool
}

// beginBrowser does everything up to the authorize URL: the checks, the
// PKCE pair and state, the listener (unless o.NoListen) and the reader of
// pasted redirects (when o.Paste is set). It reports the URL through
// o.Events and leaves the login waiting for its redirect.
func beginBrowser(ctx context.Context, o Options) (*browserLogin, error) {
	ctx, cancel, fail, err := o.prepare(ctx)
	if err != nil {
		return nil, err
	}
	b := &browserLogin{ctx: ctx, cancel: cancel, fail: fail, port: o.Ports[0]}
	pkce, err := oauth.NewPKCE()
	if err != nil {
		cancel()
		return nil, err
	}
	o.Events.Secret(pkce.Verifier)
	state, err := oauth.NewState()
	if err != nil {
		cancel()
		return nil, err
	}
	var ln net.Listener
	if !o.NoListen {
		if ln, b.port, err = listenCallback(ctx, o.Ports, o.Events.Logf); err != nil {
			cancel()
			_, err = fail(err)
			return nil, err
		}
		o.Events.Logf("waiting for the browser on %s", ln.Addr())
	}
	b.o, b.listens = o, ln != nil
	redirect := oauth.RedirectURI(b.port)
	complete := func(code string) error {
		o.Events.Secret(code)
		r, err := o.finish(ctx, code, redirect, pkce.Verifier, true)
		b.res = r
		return err
	}
	wrongState := func(e *StateError) { o.Events.Warn(e) }
	b.cb = newCallback(b.port, state, complete, wrongState)
	if ln != nil {
		go b.cb.serve(ln)
	}
	if o.Paste != nil {
		go readPastes(o.Paste, b.cb.pasted, o.Events.Warn)
	}
	b.url = o.OAuth.AuthorizeURL(oauth.AuthorizeRequest{
		RedirectURI:  redirect,
		Challenge:    pkce.Challenge,
		State:        state,
		WorkspaceIDs: o.WorkspaceIDs,
	})
	o.Events.AuthorizeURL(b.url, b.port)
	o.Events.Waiting()
	return b, nil
}

// wait waits for the first redirect, by the callback or pasted, and for
// its exchange and save; then it stops the listener.
func (b *browserLogin) wait() (*Result, error) {
	defer b.cancel()
	var err error
	select {
	case err = <-b.cb.result:
	case <-b.ctx.Done():
		b.cb.close(0) // lets a running exchange finish or fail on the cancelled context
		select {
		case err = <-b.cb.result:
		default:
			err = b.ctx.Err()
		}
	}
	if err != nil {
		b.cb.close(0)
		return b.fail(err)
	}
	if b.listens && !b.cb.byPaste.Load() {
		b.cb.close(3 * time.Second) // time for the browser to show the success page
	} else {
		b.cb.close(0)
	}
	b.res.Port = b.port
	return b.res, nil
}

// prepare does what every flow does first: it applies the defaults,
// bounds the flow by o.Timeout, and proves, before anyone signs in, that
// the credentials can be saved and that the route to the issuer works. fail
// maps the ends of the returned context to the flow's own errors.
func (o *Options) prepare(parent context.Context) (ctx context.Context, cancel context.CancelFunc, fail func(error) (*Result, error), err error) {
	if err := o.setDefaults(); err != nil {
		return nil, nil, nil, err
	}
	ctx, cancel = context.WithTimeout(parent, o.Timeout)
	fail = func(err error) (*Result, error) { return nil, stopped(parent, ctx, o.Timeout, err) }
	// The two checks run side by side: the route's round trips need not
	// wait for the files. The store's problem is the one reported when
	// both fail, as it is found without the network.
	netCtx, stopNet := context.WithCancel(ctx)
	netErr := make(chan error, 1)
	go func() { netErr <- o.OAuth.Preflight(netCtx) }()
	err = o.Store.Check(ctx)
	if err != nil {
		stopNet()
	}
	if nerr := <-netErr; err == nil {
		err = nerr
	}
	stopNet()
	if err != nil {
		cancel()
		_, err = fail(err)
		return nil, nil, nil, err
	}
	return ctx, cancel, fail, nil
}

// stopped maps context endings to the login's own errors.
func stopped(parent, ctx context.Context, timeout time.Duration, err error) error {
	switch {
	case parent.Err() != nil:
		return ErrCancelled
	case ctx.Err() != nil && errors.Is(err, context.DeadlineExceeded):
		return &TimeoutError{After: timeout}
	}
	return err
}

func (o *Options) setDefaults() error {
	if o.OAuth == nil || o.Store == nil || o.Events == nil {
		return errors.New("login: Options needs OAuth, Store and Events")
	}
	if err := oauth.CheckIssuer(o.OAuth.Issuer); err != nil {
		return err
	}
	if o.OAuth.ClientID == "" {
		return errors.New("login: the oauth.Client needs a ClientID")
	}
	switch o.ForcedLoginMethod {
	case "", "chatgpt":
	default:
		return &MethodError{Key: "forced_login_method", Setting: fmt.Sprintf("forced_login_method = %q", o.ForcedLoginMethod),
			Problem: "in Codex's config.toml requires an API-key login, and codex-login signs in with ChatGPT"}
	}
	if len(o.Ports) == 0 {
		o.Ports = oauth.CallbackPorts
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return nil
}
