package web

import (
	"context"
	"errors"
	"time"

	"github.com/codex-login/codex-login/login"
)

// attempt is the one login in progress on the server. Only its owner sees
// its link or code, completes it or cancels it.
type attempt struct {
	owner *visitor
	sess  *login.Session // nil while it starts
	ended chan struct{}  // closed once its outcome is recorded
}

// busyOutcome is what a visitor is told who tries to start, complete or
// cancel another visitor's login.
var busyOutcome = Outcome{Message: "A sign-in started by another visitor is in progress.", Hint: "wait for it to end (this page updates by itself), then sign in"}

// start begins a login for v, unless one is in progress.
func (s *Server) start(v *visitor, device bool) {
	s.mu.Lock()
	if s.current != nil {
		s.mu.Unlock()
		s.setFlash(v, busyOutcome)
		return
	}
	a := &attempt{owner: v, ended: make(chan struct{})}
	s.current = a // held while it starts, so that two starts never race
	s.mu.Unlock()
	start := s.cfg.Backend.StartBrowser
	if device {
		start = s.cfg.Backend.StartDevice
	}
	sess, err := start(s.ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.current = nil
		o := s.cfg.Backend.Explain(err)
		v.flash = &o
		return
	}
	a.sess = sess
	s.cfg.Logf("a sign-in started (%s)", map[bool]string{false: "browser", true: "device code"}[device])
	go s.watch(a)
}

// watch records how a's login ends, for its owner to see.
func (s *Server) watch(a *attempt) {
	res, err := a.sess.Wait(context.Background())
	o := s.cfg.Backend.Ended(res, err)
	s.mu.Lock()
	a.owner.flash = &o
	if s.current == a {
		s.current = nil
	}
	s.mu.Unlock()
	if err != nil {
		s.cfg.Logf("the sign-in ended: it did not complete")
	} else {
		s.cfg.Logf("the sign-in ended: signed in")
	}
	close(a.ended)
}

// mine is the login v started, or nil after telling v why not.
func (s *Server) mine(v *visitor) *attempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.current
	switch {
	case a == nil:
		v.flash = &Outcome{Message: "No sign-in is in progress: it ended, or was never started here.", Hint: "sign in again"}
		return nil
	case a.owner != v:
		o := busyOutcome
		v.flash = &o
		return nil
	case a.sess == nil:
		return nil
	}
	return a
}

// complete hands the pasted address to v's login. A wrong paste, or
// another login's address, is shown and the login goes on; otherwise the
// login's outcome is shown once it is recorded.
func (s *Server) complete(ctx context.Context, v *visitor, pasted string) {
	a := s.mine(v)
	if a == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, completeWait)
	defer cancel()
	_, err := a.sess.Complete(ctx, pasted)
	var (
		paste *login.PasteError
		state *login.StateError
	)
	if errors.As(err, &paste) || errors.As(err, &state) || errors.Is(err, login.ErrDeviceSession) {
		s.setFlash(v, s.cfg.Backend.Explain(err))
		return
	}
	select { // the outcome, success or not, is recorded by watch
	case <-a.ended:
	case <-ctx.Done():
	}
}

// cancelLogin cancels v's login and waits a moment for its outcome.
func (s *Server) cancelLogin(ctx context.Context, v *visitor) {
	a := s.mine(v)
	if a == nil {
		return
	}
	a.sess.Cancel()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	select {
	case <-a.ended:
	case <-ctx.Done():
	}
}
