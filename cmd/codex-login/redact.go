package main

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// redactor is the one place secrets are removed from what is printed. It
// knows every secret the run has seen (proxy password, PKCE verifier,
// authorization code, tokens, API key) in the forms a server or a URL may
// quote it: raw, percent-encoded and JSON-escaped.
type redactor struct {
	mu      sync.Mutex
	secrets []string
}

// minSecret is the shortest value treated as a secret: shorter ones would
// blank out ordinary words.
const minSecret = 3

// add records a secret.
func (r *redactor) add(secret string) {
	if len(secret) < minSecret {
		return
	}
	quoted, _ := json.Marshal(secret)
	forms := []string{secret, url.QueryEscape(secret), url.PathEscape(secret), string(quoted[1 : len(quoted)-1])}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range forms {
		if !slices.Contains(r.secrets, f) {
			r.secrets = append(r.secrets, f)
		}
	}
	// Longest first, so that a secret containing another is removed whole.
	slices.SortStableFunc(r.secrets, func(a, b string) int { return len(b) - len(a) })
}

// addProxy records the password of a proxy URL.
func (r *redactor) addProxy(proxy string) {
	u, err := url.Parse(proxy)
	if err != nil || u.User == nil {
		return
	}
	if pw, ok := u.User.Password(); ok {
		r.add(pw)
	}
}

// apply replaces every known secret in s.
func (r *redactor) apply(s string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, "xxxxx")
	}
	return s
}
