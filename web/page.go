package web

import (
	"bytes"
	"net/http"

	"github.com/codex-login/codex-login/login"
)

// pageData is what the templates show. It never holds a token or code.
type pageData struct {
	Base      string
	CSRF      string
	Status    Status
	Message   *Outcome
	Problem   string // a refusal page's sentence
	Hint      string
	Busy      bool   // another visitor's login is in progress
	Starting  bool   // this visitor's login is starting
	Authorize string // this visitor's browser login: the sign-in page
	Port      int
	Device    *login.DeviceCode // this visitor's device code login
}

// Reload is whether the page reloads itself: while a device code or
// another visitor's login is waited for, never while an address may be
// typed.
func (p pageData) Reload() bool { return p.Device != nil || p.Busy || p.Starting }

// Idle is whether no login is in progress.
func (p pageData) Idle() bool { return !p.Busy && !p.Starting && p.Authorize == "" && p.Device == nil }

// page is the sign-in page of a visitor with a session, else 401.
func (s *Server) page(w http.ResponseWriter, r *http.Request, req request) {
	v := s.visitor(r)
	if v == nil {
		s.refuse(w, req, http.StatusUnauthorized, "This page needs the access link printed by codex-login web.",
			"ask whoever runs codex-login web for the link, and open it once in this browser")
		return
	}
	d := pageData{Base: req.base, CSRF: v.csrf, Message: s.takeFlash(v), Status: s.cfg.Backend.Status(r.Context())}
	s.mu.Lock()
	if a := s.current; a != nil {
		switch {
		case a.owner != v:
			d.Busy = true
		case a.sess == nil:
			d.Starting = true
		case a.sess.Device != nil:
			d.Device = a.sess.Device
		default:
			d.Authorize, d.Port = a.sess.AuthorizeURL, a.sess.Port
		}
	}
	s.mu.Unlock()
	s.render(w, http.StatusOK, "page.html", d)
}

// refuse answers with a page that says what is wrong and the fix.
func (s *Server) refuse(w http.ResponseWriter, req request, status int, problem, hint string) {
	s.render(w, status, "refused.html", pageData{Base: req.base, Problem: problem, Hint: hint})
}

func (s *Server) notFound(w http.ResponseWriter) {
	s.render(w, http.StatusNotFound, "refused.html", pageData{Base: s.base, Problem: "There is no page here.", Hint: "open the address codex-login web printed"})
}

func (s *Server) render(w http.ResponseWriter, status int, name string, d pageData) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, d); err != nil {
		s.cfg.Logf("render %s: %v", name, err)
		http.Error(w, "the page cannot be shown", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
