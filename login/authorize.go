package login

import (
	"net/url"
	"strconv"
	"strings"
)

// Scope is what Codex asks for.
const Scope = "openid profile email offline_access api.connectors.read api.connectors.invoke"

// RedirectURI is the loopback callback the issuer sends the browser back to.
func RedirectURI(port int) string {
	return "http://127.0.0.1:" + strconv.Itoa(port) + "/auth/callback"
}

// AuthorizeRequest holds what goes into the authorize URL.
type AuthorizeRequest struct {
	Issuer       string
	ClientID     string
	RedirectURI  string
	Challenge    string
	State        string
	WorkspaceIDs []string // forced_chatgpt_workspace_id; empty when none is forced
}

// AuthorizeURL builds {issuer}/oauth/authorize with Codex's parameters in
// Codex's order, form-encoded (space as '+'). url.Values would sort them.
func AuthorizeURL(r AuthorizeRequest) string {
	params := [][2]string{
		{"response_type", "code"},
		{"client_id", r.ClientID},
		{"redirect_uri", r.RedirectURI},
		{"code_challenge", r.Challenge},
		{"code_challenge_method", "S256"},
		{"state", r.State},
		{"scope", Scope},
		{"id_token_add_organizations", "true"},
		{"codex_cli_simplified_flow", "true"},
		{"originator", "codex_cli_rs"},
	}
	if len(r.WorkspaceIDs) > 0 {
		params = append(params, [2]string{"allowed_workspace_id", strings.Join(r.WorkspaceIDs, ",")})
	}
	return endpoint(r.Issuer, "/oauth/authorize") + "?" + formEncode(params)
}

// formEncode encodes ordered pairs as application/x-www-form-urlencoded.
func formEncode(params [][2]string) string {
	var b strings.Builder
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p[0]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(p[1]))
	}
	return b.String()
}

// endpoint joins the issuer and a path, whatever trailing slash the issuer has.
func endpoint(issuer, path string) string {
	return strings.TrimRight(issuer, "/") + path
}
