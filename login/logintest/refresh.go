package logintest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
)

// accessTokenLifetime is what expires_in says and the access token's exp.
const accessTokenLifetime = 10 * 24 * time.Hour

// refreshGrant implements the refresh grant (RFC 6749 section 6) as OpenAI
// does: a JSON body, single-use refresh tokens rotated on every refresh.
func (i *Issuer) refreshGrant(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ClientID     string `json:"client_id"`
		GrantType    string `json:"grant_type"`
		RefreshToken string `json:"refresh_token"`
		// The Codex CLI says why it refreshes ("expired", "unauthorized", ...);
		// codex-login does not.
		RefreshReason string `json:"refresh_reason,omitempty"`
	}
	err := decodeStrict(r, &req)
	if req.GrantType == "" {
		i.record("POST /oauth/token")
	} else {
		i.record("POST /oauth/token grant_type=" + req.GrantType)
	}
	switch {
	case err != nil:
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	case req.GrantType != "refresh_token":
		writeError(w, http.StatusBadRequest, "invalid_request", "only the refresh grant is sent as JSON")
		return
	case req.ClientID == "" || req.RefreshToken == "":
		writeError(w, http.StatusBadRequest, "invalid_request", "missing client_id or refresh_token")
		return
	case req.ClientID != i.o.ClientID:
		writeError(w, http.StatusUnauthorized, "invalid_client", "unknown client_id")
		return
	}
	iss := i.issuerURL(r)
	i.mu.Lock()
	defer i.mu.Unlock()
	t := i.refresh[req.RefreshToken]
	switch {
	case t == nil:
		writeError(w, http.StatusUnauthorized, "invalid_grant", "unknown refresh token")
	case t.revoked:
		writeError(w, http.StatusUnauthorized, "refresh_token_invalidated", "the refresh token was revoked")
	case t.used:
		writeError(w, http.StatusUnauthorized, "refresh_token_reused", "the refresh token was already used")
	case t.clientID != req.ClientID:
		writeError(w, http.StatusUnauthorized, "invalid_grant", "the refresh token was issued to another client")
	default:
		t.used = true
		i.issueTokensLocked(w, iss, req.ClientID)
	}
}

// revoke implements POST /oauth/revoke (RFC 7009) with Codex's JSON body
// and its Originator header.
// Like RFC 7009 section 2.2 it answers 200 for a token it does not know.
func (i *Issuer) revoke(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Token         string `json:"token"`
		TokenTypeHint string `json:"token_type_hint"`
		ClientID      string `json:"client_id"`
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := decodeStrict(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	switch {
	case r.Header.Get("Originator") != "codex_cli_rs":
		writeError(w, http.StatusBadRequest, "invalid_request", "missing Originator: codex_cli_rs")
		return
	case req.Token == "":
		writeError(w, http.StatusBadRequest, "invalid_request", "missing token")
		return
	case req.TokenTypeHint != "refresh_token":
		writeError(w, http.StatusBadRequest, "invalid_request", `token_type_hint must be "refresh_token"`)
		return
	case req.ClientID != i.o.ClientID:
		writeError(w, http.StatusUnauthorized, "invalid_client", "unknown client_id")
		return
	}
	i.mu.Lock()
	if t := i.refresh[req.Token]; t != nil {
		t.revoked = true
	}
	i.revoked = append(i.revoked, req.Token)
	i.mu.Unlock()
	writeJSON(w, http.StatusOK, struct{}{})
}

// issueTokensLocked mints an id_token, access token and refresh token and
// writes the token response. i.mu must be held.
func (i *Issuer) issueTokensLocked(w http.ResponseWriter, iss, clientID string) {
	now := time.Now()
	id, err := sign(i.idClaims(iss, clientID, now))
	if err != nil {
		writeError(w, http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	access, err := sign(i.accessClaims(iss, clientID, now))
	if err != nil {
		writeError(w, http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	rt := "rt_" + random(32)
	i.idTokens[id] = true
	i.refresh[rt] = &refreshToken{clientID: clientID}
	i.secrets = append(i.secrets, id, access, rt)
	writeJSON(w, http.StatusOK, map[string]any{
		"id_token":      id,
		"access_token":  access,
		"refresh_token": rt,
		"expires_in":    int(accessTokenLifetime.Seconds()),
		"token_type":    "Bearer",
		"scope":         "openid profile email offline_access",
	})
}

// decodeStrict decodes a JSON object body into v, refusing another
// Content-Type, unknown fields and trailing data.
func decodeStrict(r *http.Request, v any) error {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		return fmt.Errorf("unsupported Content-Type %q", r.Header.Get("Content-Type"))
	}
	if r.URL.RawQuery != "" {
		return errors.New("parameters must be in the body, not the URL")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return fmt.Errorf("read body: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode JSON body: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return errors.New("decode JSON body: data after the object")
	}
	return nil
}
