package web

import (
	"net/http"
	"time"
)

// visitor is one browser that traded an access token: its CSRF token, and
// the outcome to show it once.
type visitor struct {
	csrf    string
	created time.Time
	flash   *Outcome
}

// newVisitor starts a session and returns its cookie value. At most
// maxSessions live at once: the oldest makes room.
func (s *Server) newVisitor() string {
	cookie := randomToken()
	now := s.cfg.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.visitors {
		if now.Sub(v.created) > sessionLifetime {
			delete(s.visitors, k)
		}
	}
	for len(s.visitors) >= maxSessions {
		var oldest [32]byte
		var at time.Time
		for k, v := range s.visitors {
			if at.IsZero() || v.created.Before(at) {
				oldest, at = k, v.created
			}
		}
		delete(s.visitors, oldest)
	}
	s.visitors[hash(cookie)] = &visitor{csrf: randomToken(), created: now}
	return cookie
}

// visitor is the session r's cookie names, or nil.
func (s *Server) visitor(r *http.Request) *visitor {
	c, err := r.Cookie(cookieName)
	if err != nil || len(c.Value) > 64 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h := hash(c.Value)
	v := s.visitors[h]
	if v != nil && s.cfg.Now().Sub(v.created) > sessionLifetime {
		delete(s.visitors, h)
		return nil
	}
	return v
}

func (s *Server) setFlash(v *visitor, o Outcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v.flash = &o
}

// takeFlash returns the outcome to show v, once.
func (s *Server) takeFlash(v *visitor) *Outcome {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := v.flash
	v.flash = nil
	return f
}
