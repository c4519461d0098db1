package login_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/codex-login/codex-login/login"
	"github.com/codex-login/codex-login/login/logintest"
)

// redirectOf plays a browser on another machine: it signs in at the
// authorize URL and returns the loopback address the issuer sends it to,
// which would fail to load there.
func (e *env) redirectOf(t *testing.T, authorizeURL string) string {
	t.Helper()
	c := e.browserClient(true)
	defer c.CloseIdleConnections()
	req, err := http.NewRequest(http.MethodGet, authorizeURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", logintest.BrowserAgent)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.Contains(loc, "/auth/callback?") {
		t.Fatalf("authorize answered %d, Location %q", resp.StatusCode, loc)
	}
	return loc
}

// A session started without a listener is completed by the address pasted
// into a page; wrong pastes and another login's address leave it waiting.
func TestSessionComplete(t *testing.T) {
	e := newEnv(t, logintest.Options{Email: "dev@corp.test"})
	o := e.options(t)
	o.NoListen = true
	setBrowse(&o, func(string) {}) // the person's browser is elsewhere
	s, err := login.Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if s.AuthorizeURL == "" || s.Device != nil || s.Port != o.Ports[0] {
		t.Fatalf("session %+v", s)
	}
	other, err := login.Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Cancel()

	ctx := context.Background()
	var pe *login.PasteError
	if _, err := s.Complete(ctx, "hello"); !errors.As(err, &pe) {
		t.Fatalf("garbage: %v, want a PasteError", err)
	}
	var se *login.StateError
	if _, err := s.Complete(ctx, e.redirectOf(t, other.AuthorizeURL)); !errors.As(err, &se) {
		t.Fatalf("another login's address: %v, want a StateError", err)
	}
	select {
	case <-s.Done():
		t.Fatal("a refused paste ended the session")
	default:
	}
	res, err := s.Complete(ctx, "  "+e.redirectOf(t, s.AuthorizeURL)+"\n")
	if err != nil {
		t.Fatal(err)
	}
	if res.Email != "dev@corp.test" || res.Location != filepath.Join(e.home, "auth.json") {
		t.Fatalf("result %+v", res)
	}
	if _, err := os.Stat(res.Location); err != nil {
		t.Fatal(err)
	}
	again, err := s.Wait(ctx)
	if err != nil || again != res {
		t.Fatalf("Wait after Complete: %v, %v", again, err)
	}
	// A second paste of the same address gets the login's outcome, and the
	// issuer sees no second exchange.
	if r2, err := s.Complete(ctx, e.redirectOf(t, s.AuthorizeURL)); err != nil || r2 != res {
		t.Fatalf("second Complete: %v, %v", r2, err)
	}
}

// The issuer's refusal in the pasted address ends the session with it.
func TestSessionDenied(t *testing.T) {
	e := newEnv(t, logintest.Options{DenyError: "access_denied", DenyDescription: "missing_codex_entitlement"})
	o := e.options(t)
	o.NoListen = true
	setBrowse(&o, func(string) {})
	s, err := login.Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Complete(context.Background(), e.redirectOf(t, s.AuthorizeURL))
	var de *login.DeniedError
	if !errors.As(err, &de) || !de.NoEntitlement() {
		t.Fatalf("%v, want the refusal", err)
	}
	if _, werr := s.Wait(context.Background()); werr != err {
		t.Fatalf("Wait: %v", werr)
	}
	if _, err := os.Stat(filepath.Join(e.home, "auth.json")); !os.IsNotExist(err) {
		t.Fatalf("auth.json after a refusal: %v", err)
	}
}

// Cancel ends a waiting session with ErrCancelled; the session's context is
// its own, so the caller's request contexts do not end it.
func TestSessionCancel(t *testing.T) {
	e := newEnv(t, logintest.Options{})
	o := e.options(t)
	o.NoListen = true
	setBrowse(&o, func(string) {})
	s, err := login.Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := s.Wait(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait with a short context: %v", err)
	}
	s.Cancel()
	if _, err := s.Wait(context.Background()); !errors.Is(err, login.ErrCancelled) {
		t.Fatalf("after Cancel: %v", err)
	}
	if _, err := s.Complete(context.Background(), e.redirectOf(t, s.AuthorizeURL)); !errors.Is(err, login.ErrCancelled) {
		t.Fatalf("Complete after Cancel: %v", err)
	}
}

// A session whose checks fail is never returned: Start fails before any
// URL exists.
func TestSessionStartFails(t *testing.T) {
	e := newEnv(t, logintest.Options{})
	o := e.options(t)
	o.NoListen = true
	o.OAuth.Issuer = "https://" + closedAddr()
	if s, err := login.Start(context.Background(), o); err == nil || s != nil {
		t.Fatalf("Start against a closed port: %v, %v", s, err)
	}
}

// A device session ends by itself once the code is entered; Complete is
// not how it ends.
func TestSessionDevice(t *testing.T) {
	e := newEnv(t, logintest.Options{DeviceInterval: "1", Email: "dev@corp.test"})
	o := e.options(t)
	s, err := login.StartDevice(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if s.Device == nil || s.Device.UserCode == "" || s.AuthorizeURL != "" {
		t.Fatalf("session %+v", s)
	}
	if _, err := s.Complete(context.Background(), "code=x&state=y"); !errors.Is(err, login.ErrDeviceSession) {
		t.Fatalf("Complete on a device session: %v", err)
	}
	if err := e.issuer.Approve(s.Device.UserCode); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	res, err := s.Wait(ctx)
	if err != nil || res.Email != "dev@corp.test" || res.APIKey {
		t.Fatalf("device session: %+v, %v", res, err)
	}
}
