package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DeviceCode is a device authorization the user completes in a browser.
type DeviceCode struct {
	DeviceAuthID    string
	UserCode        string        // what the user types, e.g. K7QD-9MXF
	Interval        time.Duration // between polls; 5 s unless the issuer says otherwise
	VerificationURI string        // {issuer}/codex/device, where the user types the code
	ExpiresAt       time.Time     // the code is good for 15 minutes
}

// deviceLifetime is how long a user code can be entered.
const deviceLifetime = 15 * time.Minute

// DeviceUserCode starts a device login (OpenAI's variant of RFC 8628
// section 3.1). A 404 is a *DeviceUnavailableError: device login is not
// enabled for the workspace.
func (c *Client) DeviceUserCode(ctx context.Context) (DeviceCode, error) {
	q, err := jsonPost("/api/accounts/deviceauth/usercode", struct {
		ClientID string `json:"client_id"`
	}{c.clientID()})
	if err != nil {
		return DeviceCode{}, err
	}
	var r struct {
		DeviceAuthID string          `json:"device_auth_id"`
		UserCode     string          `json:"user_code"`
		Usercode     string          `json:"usercode"`
		Interval     json.RawMessage `json:"interval"`
	}
	start := time.Now()
	status, err := c.do(ctx, q, &r)
	name := endpointName(c.endpoint(q.path))
	if status == http.StatusNotFound && !routeError(err) {
		return DeviceCode{}, &DeviceUnavailableError{Endpoint: name}
	}
	if err != nil {
		return DeviceCode{}, err
	}
	code := r.UserCode
	if code == "" {
		code = r.Usercode
	}
	switch {
	case r.DeviceAuthID == "":
		return DeviceCode{}, &ResponseError{Endpoint: name, Status: status, Problem: "it has no device_auth_id"}
	case code == "":
		return DeviceCode{}, &ResponseError{Endpoint: name, Status: status, Problem: "it has no user_code"}
	case len(code) > 64 || printable(code, 64) != code:
		return DeviceCode{}, &ResponseError{Endpoint: name, Status: status, Problem: "its user_code is not printable"}
	}
	return DeviceCode{
		DeviceAuthID:    r.DeviceAuthID,
		UserCode:        code,
		Interval:        interval(r.Interval),
		VerificationURI: c.endpoint("/codex/device"),
		ExpiresAt:       start.Add(deviceLifetime),
	}, nil
}

// routeError is true for a reply that came from the route rather than the
// issuer: a gateway error, a proxy's page, a bot challenge or a redirect.
func routeError(err error) bool {
	var ge *GatewayError
	var he *HTMLError
	var re *RedirectError
	return errors.As(err, &ge) || errors.As(err, &re) || errors.As(err, &he) && he.Kind != KindPage
}

// interval reads the polling interval: Codex sends a string of seconds,
// and a number is accepted too. Anything else is the default of 5 s (RFC
// 8628 section 3.2).
func interval(raw json.RawMessage) time.Duration {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = string(raw)
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	// !(n >= 1 && n <= 3600) also refuses NaN, which every comparison
	// fails: "NaN" would otherwise become a negative interval, and polling
	// without pause.
	if err != nil || !(n >= 1 && n <= 3600) {
		return 5 * time.Second
	}
	return time.Duration(n * float64(time.Second))
}

// DeviceGrant is what an approved device code yields: an authorization
// code and the verifier the issuer made for it, for ExchangeCode with
// DeviceRedirectURI.
type DeviceGrant struct {
	AuthorizationCode string
	CodeVerifier      string
}

// DeviceToken polls once (RFC 8628 section 3.4). ErrPending while the user
// has not entered the code (OpenAI answers 403 or 404); ErrSlowDown when
// the issuer asks for slower polling.
func (c *Client) DeviceToken(ctx context.Context, d DeviceCode) (DeviceGrant, error) {
	q, err := jsonPost("/api/accounts/deviceauth/token", struct {
		DeviceAuthID string `json:"device_auth_id"`
		UserCode     string `json:"user_code"`
	}{d.DeviceAuthID, d.UserCode}, d.DeviceAuthID)
	if err != nil {
		return DeviceGrant{}, err
	}
	var r struct {
		AuthorizationCode string `json:"authorization_code"`
		CodeVerifier      string `json:"code_verifier"`
	}
	status, err := c.do(ctx, q, &r)
	var te *TokenError
	isTokenError := errors.As(err, &te)
	switch { // RFC 8628 section 3.5
	case isTokenError && te.Code == "slow_down":
		return DeviceGrant{}, ErrSlowDown
	case isTokenError && te.Code == "authorization_pending",
		(status == http.StatusForbidden || status == http.StatusNotFound) && !routeError(err):
		return DeviceGrant{}, ErrPending
	case err != nil:
		return DeviceGrant{}, err
	}
	if r.AuthorizationCode == "" || r.CodeVerifier == "" {
		return DeviceGrant{}, &ResponseError{Endpoint: endpointName(c.endpoint(q.path)), Status: status,
			Problem: "it has no authorization_code or code_verifier"}
	}
	return DeviceGrant(r), nil
}
