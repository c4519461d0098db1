package logintest

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"time"
)

// deviceLifetime is how long a user code can be approved and polled.
const deviceLifetime = 15 * time.Minute

// device is one device authorization, as the issuer keeps it.
type device struct {
	userCode           string
	expires            time.Time
	approved, consumed bool
}

// userCode implements POST /api/accounts/deviceauth/usercode.
func (i *Issuer) userCode(w http.ResponseWriter, r *http.Request) {
	if i.o.NoDeviceAuth {
		writeError(w, http.StatusNotFound, "not_found", "device code login is not enabled for this workspace")
		return
	}
	var req struct {
		ClientID string `json:"client_id"`
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := decodeStrict(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	if req.ClientID != i.o.ClientID {
		writeError(w, http.StatusUnauthorized, "invalid_client", "unknown client_id")
		return
	}
	id := "deviceauth_" + random(18)
	code := newUserCode()
	expires := time.Now().Add(deviceLifetime)
	i.mu.Lock()
	i.devices[id] = &device{userCode: code, expires: expires}
	i.userCodes = append(i.userCodes, code)
	i.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{
		"device_auth_id": id,
		"user_code":      code,
		"interval":       i.o.DeviceInterval,
		"expires_at":     expires.UTC().Format(time.RFC3339),
	})
}

// deviceToken implements POST /api/accounts/deviceauth/token: 403 while the
// user has not approved, then once an authorization code and the verifier
// whose challenge the issuer registered for it.
func (i *Issuer) deviceToken(w http.ResponseWriter, r *http.Request) {
	if i.o.NoDeviceAuth {
		writeError(w, http.StatusNotFound, "not_found", "device code login is not enabled for this workspace")
		return
	}
	var req struct {
		DeviceAuthID string `json:"device_auth_id"`
		UserCode     string `json:"user_code"`
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := decodeStrict(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	redirect := i.issuerURL(r) + "/deviceauth/callback"
	i.mu.Lock()
	defer i.mu.Unlock()
	d := i.devices[req.DeviceAuthID]
	switch {
	case d == nil:
		writeError(w, http.StatusBadRequest, "invalid_request", "unknown device_auth_id")
	case d.userCode != req.UserCode:
		writeError(w, http.StatusBadRequest, "invalid_request", "user_code does not belong to device_auth_id")
	case d.consumed:
		writeError(w, http.StatusBadRequest, "invalid_grant", "the device authorization was already used")
	case time.Now().After(d.expires):
		writeError(w, http.StatusBadRequest, "expired_token", "the user code expired")
	case !d.approved:
		writeError(w, http.StatusForbidden, "authorization_pending", "the user has not entered the code yet")
	default:
		d.consumed = true
		verifier := random(64)
		code := "ac_" + random(32)
		i.codes[code] = &grant{
			challenge:   challengeOf(verifier),
			redirectURI: redirect,
			clientID:    i.o.ClientID,
			expires:     time.Now().Add(codeLifetime),
		}
		i.secrets = append(i.secrets, code, verifier)
		writeJSON(w, http.StatusOK, map[string]string{
			"authorization_code": code,
			"code_challenge":     challengeOf(verifier),
			"code_verifier":      verifier,
		})
	}
}

// Approve marks userCode as entered and approved by the user, as if they
// had typed it at {issuer}/codex/device.
func (i *Issuer) Approve(userCode string) error {
	i.mu.Lock()
	defer i.mu.Unlock()
	for _, d := range i.devices {
		if d.userCode == userCode {
			d.approved = true
			return nil
		}
	}
	return fmt.Errorf("approve user code: no device authorization has code %q", userCode)
}

// UserCodes returns the user codes issued, in order.
func (i *Issuer) UserCodes() []string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]string(nil), i.userCodes...)
}

// devicePage stands in for the page where the user types the code.
func (i *Issuer) devicePage(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, "<!doctype html><title>Enter code</title><p>Enter the code shown in your terminal.</p>\n")
}

// newUserCode returns a code like "K7QD-9MXF" (no 0/O or 1/I to misread).
func newUserCode() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	out := make([]byte, 0, 9)
	for n, c := range b {
		if n == 4 {
			out = append(out, '-')
		}
		out = append(out, alphabet[int(c)%len(alphabet)])
	}
	return string(out)
}
