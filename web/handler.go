package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"time"
)

// securityHeaders go on every response.
var securityHeaders = map[string]string{
	"Content-Security-Policy":    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	"X-Content-Type-Options":     "nosniff",
	"Referrer-Policy":            "no-referrer",
	"X-Frame-Options":            "DENY",
	"Cache-Control":              "no-store",
	"Cross-Origin-Opener-Policy": "same-origin",
}

// ServeHTTP answers one request; every response carries the security
// headers. The log names the path, never the query (where the access
// token travels).
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w := &statusWriter{ResponseWriter: rw, status: http.StatusOK}
	for k, v := range securityHeaders {
		w.Header().Set(k, v)
	}
	defer func() { s.cfg.Logf("%s %s %d", r.Method, r.URL.Path, w.status) }()
	req, ok := s.place(r)
	if req.https {
		w.Header().Set("Strict-Transport-Security", "max-age=31536000")
	}
	if !ok {
		s.notFound(w)
		return
	}
	switch req.rel {
	case "static/style.css", "static/app.js":
		if !allow(w, r, http.MethodGet, http.MethodHead) {
			return
		}
		http.ServeFileFS(w, r, files, req.rel)
	case "":
		if !allow(w, r, http.MethodGet, http.MethodHead) {
			return
		}
		if r.URL.Query().Has("token") {
			s.trade(w, r, req)
			return
		}
		s.page(w, r, req)
	case "login", "device", "complete", "cancel", "refresh", "signout":
		if !allow(w, r, http.MethodPost) {
			return
		}
		v := s.checkPost(w, r, req)
		if v == nil {
			return
		}
		s.act(w, r, req, v)
	default:
		s.notFound(w)
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func allow(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", methods[0])
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}

// checkPost returns the visitor who sent a form, or nil after answering
// 403 (no session, a wrong CSRF token, another origin) or 413.
func (s *Server) checkPost(w http.ResponseWriter, r *http.Request, req request) *visitor {
	v := s.visitor(r)
	if v == nil {
		s.refuse(w, req, http.StatusForbidden, "This page needs the access link printed by codex-login web.", "")
		return nil
	}
	if !sameOrigin(r, req.origin) {
		s.refuse(w, req, http.StatusForbidden, "This form was sent from another site, so it was refused.", "open this page again and use its own buttons")
		return nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.refuse(w, req, http.StatusRequestEntityTooLarge, "The form sent is far larger than this page's forms.", "paste only the address of the page that failed to load")
			return nil
		}
		s.refuse(w, req, http.StatusBadRequest, "The form sent cannot be read.", "open this page again and use its own buttons")
		return nil
	}
	if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(v.csrf)) != 1 {
		s.refuse(w, req, http.StatusForbidden, "This form is out of date or was not sent by this page, so it was refused.", "open this page again and use its own buttons")
		return nil
	}
	return v
}

// sameOrigin reports whether a form came from this page. A browser names
// the page's origin in Origin; under this page's Referrer-Policy
// no-referrer, Chromium sends "Origin: null" instead, also for the page's
// own forms, and then says in Sec-Fetch-Site (which no page can set) that
// the form is same-origin. A null origin without that is refused, as are
// another origin and any form that is not same-origin by Sec-Fetch-Site.
// A request with neither header (not a browser) is left to the CSRF token.
func sameOrigin(r *http.Request, origin string) bool {
	site := r.Header.Get("Sec-Fetch-Site")
	if site != "" && site != "same-origin" {
		return false
	}
	switch o := r.Header.Get("Origin"); o {
	case "":
		return true
	case "null":
		return site == "same-origin"
	default:
		return o == origin
	}
}

// act runs a form's action, then sends the browser back to the page,
// where the outcome is shown once.
func (s *Server) act(w http.ResponseWriter, r *http.Request, req request, v *visitor) {
	switch req.rel {
	case "login":
		s.start(v, false)
	case "device":
		s.start(v, true)
	case "complete":
		s.complete(r.Context(), v, r.PostForm.Get("redirect"))
	case "cancel":
		s.cancelLogin(r.Context(), v)
	case "refresh":
		s.setFlash(v, s.cfg.Backend.Refresh(r.Context()))
	case "signout":
		s.setFlash(v, s.cfg.Backend.SignOut(r.Context()))
	}
	http.Redirect(w, r, req.base, http.StatusSeeOther)
}

// trade exchanges an unused access token for a session cookie. The page
// it answers moves on by itself: a redirect right after a click from
// another site would arrive without the SameSite=Strict cookie.
func (s *Server) trade(w http.ResponseWriter, r *http.Request, req request) {
	h := hash(r.URL.Query().Get("token"))
	s.mu.Lock()
	_, ok := s.tokens[h]
	delete(s.tokens, h)
	s.mu.Unlock()
	if !ok {
		s.refuse(w, req, http.StatusForbidden, "This access link was already used, or is not one codex-login web printed.",
			"ask whoever runs codex-login web for a new link (it prints one when sent SIGHUP)")
		return
	}
	cookie := s.newVisitor()
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: cookie, Path: req.base, MaxAge: int(sessionLifetime / time.Second),
		HttpOnly: true, Secure: req.https, SameSite: http.SameSiteStrictMode,
	})
	s.cfg.Logf("an access link was used")
	s.render(w, http.StatusOK, "enter.html", pageData{Base: req.base})
}

// NewAccessLink returns a new one-time access link: the public address
// with a token that is traded for a session cookie on first use. Unused
// links stay valid; only the most recent few are kept.
func (s *Server) NewAccessLink() string {
	tok := randomToken()
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	for len(s.tokens) >= maxAccessTokens {
		var oldest [32]byte
		first := true
		for k, t := range s.tokens {
			if first || t.Before(s.tokens[oldest]) {
				oldest, first = k, false
			}
		}
		delete(s.tokens, oldest)
	}
	s.tokens[hash(tok)] = now
	u := *s.cfg.PublicURL
	u.Path, u.RawPath, u.RawQuery, u.Fragment = s.base, "", "token="+tok, ""
	return u.String()
}

// randomToken is 32 random bytes, base64url without padding (43 characters).
func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
