package login

import (
	"context"
	"errors"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// callback is the loopback listener the issuer sends the browser back to.
// It accepts one completed callback, checks state in constant time and the
// Host header, and bounds request size and time.
type callback struct {
	port     int
	state    string
	complete func(code string) error // exchange and save; called at most once
	// wrongState is told of a callback for another login: usually a
	// tunnel that reaches another machine's listener.
	wrongState func(*StateError)

	srv         *http.Server
	result      chan error // the first outcome: nil for success
	claimed     atomic.Bool
	byPaste     atomic.Bool // a pasted redirect, not the browser, completed the login
	finishOnce  sync.Once
	success     chan struct{} // closed when /success has been served
	successOnce sync.Once
}

func newCallback(port int, state string, complete func(string) error, wrongState func(*StateError)) *callback {
	c := &callback{
		port:       port,
		state:      state,
		complete:   complete,
		wrongState: wrongState,
		result:     make(chan error, 1),
		success:    make(chan struct{}),
	}
	c.srv = &http.Server{
		Handler:           c,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      3 * time.Minute, // the exchange runs while the browser waits
		IdleTimeout:       15 * time.Second,
		MaxHeaderBytes:    8 << 10,
	}
	return c
}

func (c *callback) serve(ln net.Listener) { _ = c.srv.Serve(ln) }

// finish records the outcome of the login; only the first one counts.
func (c *callback) finish(err error) {
	c.finishOnce.Do(func() { c.result <- err })
}

// close waits up to grace for /success to be shown, then stops the server,
// letting a running handler finish.
func (c *callback) close(grace time.Duration) {
	select {
	case <-c.success:
	case <-time.After(grace):
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = c.srv.Shutdown(ctx)
}

func (c *callback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 0)
	if !c.hostAllowed(r.Host) {
		showPage(w, http.StatusBadRequest, "Wrong address", "This page only answers at 127.0.0.1.")
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		showPage(w, http.StatusMethodNotAllowed, "Method not allowed", "Only GET is answered here.")
		return
	}
	switch r.URL.Path {
	case "/auth/callback":
		c.handleCallback(w, r)
	case "/success":
		showPage(w, http.StatusOK, "Signed in to Codex", "You can close this tab and go back to the terminal.")
		c.successOnce.Do(func() { close(c.success) })
	case "/cancel":
		c.finish(ErrCancelled)
		showPage(w, http.StatusOK, "Login cancelled", "The codex-login waiting here has stopped.")
	default:
		http.NotFound(w, r)
	}
}

func (c *callback) handleCallback(w http.ResponseWriter, r *http.Request) {
	code, err := checkRedirect(r.URL.Query(), c.state)
	var stateErr *StateError
	if errors.As(err, &stateErr) {
		c.wrongState(stateErr)
		showPage(w, http.StatusBadRequest, "This sign-in link is not for this login",
			"Its state does not match the login waiting in your terminal. Finish the sign-in from the link the terminal shows.")
		return
	}
	if !c.claimed.CompareAndSwap(false, true) {
		showPage(w, http.StatusConflict, "Already handled", "This login has already received its callback.")
		return
	}
	var denied *DeniedError
	switch {
	case errors.As(err, &denied):
		showPage(w, http.StatusForbidden, "Sign-in refused", err.Error())
		c.finish(err)
		return
	case err != nil:
		showPage(w, http.StatusBadRequest, "Sign-in failed", err.Error())
		c.finish(err)
		return
	}
	if err := c.complete(code); err != nil {
		showPage(w, http.StatusBadGateway, "Sign-in failed", err.Error()+". The terminal says what to do next.")
		c.finish(err)
		return
	}
	http.Redirect(w, r, "/success", http.StatusFound)
	c.finish(nil)
}

// pasted handles a redirect pasted by the user, checked like the
// callback. It reports whether the login is now decided (by this paste or
// by an earlier callback), so that reading stops.
func (c *callback) pasted(q url.Values) bool {
	var stateErr *StateError
	if err := c.paste(q); errors.As(err, &stateErr) {
		c.wrongState(stateErr)
		return false
	}
	return true
}

// errDecided is a redirect that came after the login was decided.
var errDecided = errors.New("this login has already received its redirect")

// paste completes the login with a pasted redirect. It returns a
// *StateError for another login's redirect (the login goes on waiting),
// errDecided when the login was decided before, or else the outcome of the
// exchange and save, which is also the login's.
func (c *callback) paste(q url.Values) error {
	code, err := checkRedirect(q, c.state)
	var stateErr *StateError
	if errors.As(err, &stateErr) {
		return err
	}
	if !c.claimed.CompareAndSwap(false, true) {
		return errDecided // the browser's callback, or another paste, came first
	}
	c.byPaste.Store(true)
	if err == nil {
		err = c.complete(code)
	}
	c.finish(err)
	return err
}

// hostAllowed rejects requests whose Host is not this listener, which stops
// DNS-rebinding pages from reaching it.
func (c *callback) hostAllowed(host string) bool {
	p := strconv.Itoa(c.port)
	return host == "127.0.0.1:"+p || host == "localhost:"+p
}

// pageTmpl is parsed on first use, not when any command starts.
var pageTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}</style>
</head><body><h1>{{.Title}}</h1><p>{{.Text}}</p></body></html>
`))
})

// showPage writes a small HTML page; html/template escapes every value.
func showPage(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	_ = pageTmpl().Execute(w, struct{ Title, Text string }{title, text})
}
