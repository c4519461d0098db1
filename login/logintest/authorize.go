package logintest

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// authorizeParams are the parameters Codex 0.169.0 sends to /oauth/authorize
// (allowed_workspace_id only when a workspace is forced). Anything else is
// refused, so a typo cannot pass unnoticed.
var authorizeParams = []string{
	"response_type", "client_id", "redirect_uri", "code_challenge", "code_challenge_method",
	"state", "scope", "id_token_add_organizations", "codex_cli_simplified_flow", "originator",
	"allowed_workspace_id",
}

// requiredScopes must all appear in scope.
var requiredScopes = []string{"openid", "profile", "email", "offline_access"}

// codeLifetime is how long an authorization code can be redeemed.
const codeLifetime = 10 * time.Minute

// authorize implements the authorization endpoint (RFC 6749 section 4.1.1
// with RFC 7636 PKCE). The fake signs the user in at once: it redirects
// straight back to redirect_uri with a code, or with an error.
func (i *Issuer) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if name, problem := i.checkAuthorize(q); name != "" {
		writeError(w, http.StatusBadRequest, "invalid_request", "invalid "+name+": "+problem)
		return
	}
	redirect, state := q.Get("redirect_uri"), q.Get("state")
	if i.o.DenyError != "" {
		redirectBack(w, r, redirect, url.Values{
			"error": {i.o.DenyError}, "error_description": {i.o.DenyDescription}, "state": {state},
		})
		return
	}
	if q.Has("allowed_workspace_id") && !i.o.IgnoreWorkspace && !workspaceAllowed(q.Get("allowed_workspace_id"), i.o.AccountID) {
		redirectBack(w, r, redirect, url.Values{
			"error":             {"access_denied"},
			"error_description": {"your account is not a member of the workspace this client requires"},
			"state":             {state},
		})
		return
	}
	code := "ac_" + random(32)
	i.mu.Lock()
	i.codes[code] = &grant{
		challenge:   q.Get("code_challenge"),
		redirectURI: redirect,
		clientID:    q.Get("client_id"),
		expires:     time.Now().Add(codeLifetime),
	}
	i.secrets = append(i.secrets, code)
	i.mu.Unlock()
	redirectBack(w, r, redirect, url.Values{"code": {code}, "state": {state}})
}

// checkAuthorize returns the name of the first bad parameter and what is
// wrong with it, or "" when the request is acceptable.
func (i *Issuer) checkAuthorize(q url.Values) (name, problem string) {
	for k, v := range q {
		if !slices.Contains(authorizeParams, k) {
			return k, "not a parameter Codex sends"
		}
		if len(v) > 1 {
			return k, "given more than once"
		}
	}
	switch {
	case q.Get("response_type") != "code":
		return "response_type", `must be "code"`
	case q.Get("client_id") != i.o.ClientID:
		return "client_id", fmt.Sprintf("unknown client %q", q.Get("client_id"))
	}
	if p := i.checkRedirectURI(q.Get("redirect_uri")); p != "" {
		return "redirect_uri", p
	}
	switch {
	case !validChallenge(q.Get("code_challenge")):
		return "code_challenge", "must be 43 characters of base64url (SHA-256, no padding)"
	case q.Get("code_challenge_method") != "S256":
		return "code_challenge_method", `must be "S256"`
	case q.Get("state") == "":
		return "state", "missing"
	}
	scopes := strings.Fields(q.Get("scope"))
	for _, s := range requiredScopes {
		if !slices.Contains(scopes, s) {
			return "scope", "missing " + s
		}
	}
	for _, p := range [][2]string{
		{"id_token_add_organizations", "true"},
		{"codex_cli_simplified_flow", "true"},
		{"originator", "codex_cli_rs"},
	} {
		if q.Get(p[0]) != p[1] {
			return p[0], fmt.Sprintf("must be %q", p[1])
		}
	}
	if q.Has("allowed_workspace_id") && q.Get("allowed_workspace_id") == "" {
		return "allowed_workspace_id", "empty"
	}
	return "", ""
}

// checkRedirectURI accepts exactly http://{127.0.0.1|localhost}:PORT/auth/callback
// with a registered port.
func (i *Issuer) checkRedirectURI(raw string) string {
	const want = "must be http://127.0.0.1:PORT/auth/callback"
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" {
		return want
	}
	host, port := u.Hostname(), u.Port()
	if host != "127.0.0.1" && host != "localhost" {
		return fmt.Sprintf("host %q is not a registered callback host", host)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return want
	}
	if !i.o.AllowAnyPort && n != 1455 && n != 1457 {
		return fmt.Sprintf("port %d is not registered (only 1455 and 1457)", n)
	}
	if raw != "http://"+host+":"+port+"/auth/callback" {
		return want
	}
	return ""
}

// validChallenge is true for base64url (no padding) of 32 bytes.
func validChallenge(c string) bool {
	if len(c) != 43 {
		return false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(c)
	return err == nil && len(b) == 32
}

// workspaceAllowed is true when account is one of the comma-separated ids.
func workspaceAllowed(list, account string) bool {
	for id := range strings.SplitSeq(list, ",") {
		if strings.TrimSpace(id) == account {
			return true
		}
	}
	return false
}

// redirectBack sends the browser to redirect with params added.
func redirectBack(w http.ResponseWriter, r *http.Request, redirect string, params url.Values) {
	http.Redirect(w, r, redirect+"?"+params.Encode(), http.StatusFound)
}
