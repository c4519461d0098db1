package login

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Session is a login that a person finishes somewhere else, for a program
// that serves its own page (a web UI on a server, an IDE): it shows the
// session's AuthorizeURL, or its Device code, to the person, and hands the
// address their browser ended on to Complete. Start and StartDevice return
// it once the checks that precede every login have passed; from then on it
// runs by itself until it succeeds, fails, times out (Options.Timeout) or
// is cancelled.
//
// A Session is safe for use by several goroutines. Only the first redirect
// that belongs to it is used, as with Run.
type Session struct {
	// AuthorizeURL is the sign-in page to open (the browser flow); empty
	// for a device code.
	AuthorizeURL string
	// Port is the loopback callback port the issuer sends the browser
	// back to (the browser flow). The redirect fails to load on a machine
	// where nothing listens there; that failed address is what Complete
	// takes.
	Port int
	// Device is the code to enter (the device code flow); nil for the
	// browser flow.
	Device *DeviceCode
	// Started is when the session began.
	Started time.Time

	browser *browserLogin
	cancel  context.CancelFunc
	done    chan struct{}
	res     *Result
	err     error
}

// DeviceCode is what a person needs to finish a device code login: the
// page to open and the code to type there before ExpiresAt.
type DeviceCode struct {
	VerificationURI string
	UserCode        string
	ExpiresAt       time.Time
}

// ErrDeviceSession is Complete called on a device code session: it ends
// when the code is entered, not with a pasted address.
var ErrDeviceSession = errors.New("this login waits for its device code to be entered, not for a pasted address")

// Start begins a browser login and returns once the credentials are known
// to be savable, the route to the issuer works and the authorize URL is
// ready (also reported through o.Events). ctx bounds the whole session,
// not only Start: a server passes a context that lives as long as it
// does, never a request's.
//
// With o.NoListen no loopback listener is opened, and only Complete can
// end the login; o.Paste is optional here. Without it, a browser on this
// machine can also complete the login through the callback, as with Run.
func Start(ctx context.Context, o Options) (*Session, error) {
	ctx, cancel := context.WithCancel(ctx)
	s := &Session{cancel: cancel, done: make(chan struct{})}
	b, err := beginBrowser(ctx, o)
	if err != nil {
		cancel()
		return nil, err
	}
	s.browser, s.AuthorizeURL, s.Port, s.Started = b, b.url, b.port, b.o.Now()
	go s.run(b.wait)
	return s, nil
}

// StartDevice begins a device code login and returns once the user code
// is known (also reported through o.Events). ctx bounds the whole session.
// The session polls the issuer by itself; Wait or Done tell when the code
// was entered and the credentials saved.
func StartDevice(ctx context.Context, o Options) (*Session, error) {
	ctx, cancel := context.WithCancel(ctx)
	s := &Session{cancel: cancel, done: make(chan struct{})}
	d, err := beginDevice(ctx, o)
	if err != nil {
		cancel()
		return nil, err
	}
	s.Device = &DeviceCode{VerificationURI: d.code.VerificationURI, UserCode: d.code.UserCode, ExpiresAt: d.code.ExpiresAt}
	s.Started = d.o.Now()
	go s.run(d.wait)
	return s, nil
}

func (s *Session) run(wait func() (*Result, error)) {
	s.res, s.err = wait()
	s.cancel()
	close(s.done)
}

// Complete finishes the login with the address the person's browser ended
// on (http://localhost:1455/auth/callback?code=...&state=..., which fails
// to load on their machine), checked exactly as the callback checks it. It
// returns when the code has been exchanged and the credentials saved, or
// with why not:
//
//   - *PasteError: the text is not that address; the login goes on.
//   - *StateError: the address belongs to another login; the login goes on.
//   - ErrDeviceSession: this session is a device code login.
//   - anything else ends the login, and is what Wait returns too
//     (*DeniedError when the sign-in was refused, an exchange error, ...).
//
// When the login had already ended, Complete returns its outcome. ctx
// bounds only the wait for it; the exchange runs under the session.
func (s *Session) Complete(ctx context.Context, pasted string) (*Result, error) {
	if s.browser == nil {
		return nil, ErrDeviceSession
	}
	q, err := parsePasted(strings.TrimSpace(pasted))
	if err != nil {
		return nil, err
	}
	var stateErr *StateError
	if err := s.browser.cb.paste(q); errors.As(err, &stateErr) {
		return nil, err
	}
	return s.Wait(ctx)
}

// Wait waits for the login to end and returns its outcome, or ctx's error
// when ctx ends first (the login goes on).
func (s *Session) Wait(ctx context.Context) (*Result, error) {
	select {
	case <-s.done:
		return s.res, s.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Done is closed when the login has ended; Wait then returns at once.
func (s *Session) Done() <-chan struct{} { return s.done }

// Cancel stops the login: Wait then returns ErrCancelled, unless the login
// had already ended. An exchange already under way fails or saves as a
// whole; the credentials are never half-written.
func (s *Session) Cancel() { s.cancel() }
