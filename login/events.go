package login

import "time"

// Events is how a flow reports what happens while it runs. The terminal UI
// and a JSON stream both implement it; the flow itself prints nothing.
type Events interface {
	// Secret hands over a value that must never be shown: the PKCE
	// verifier, the authorization code, tokens, the API key. It is called
	// as soon as the flow holds the value, before anything could echo it.
	Secret(value string)
	// AuthorizeURL is the page the user must open to sign in; the
	// browser comes back to the loopback callback on port.
	AuthorizeURL(url string, port int)
	// DeviceCode is the code the user must enter at verificationURI
	// before expiresAt (the device code flow).
	DeviceCode(verificationURI, userCode string, expiresAt time.Time)
	// Waiting means the flow is waiting for the user to finish signing in.
	Waiting()
	// Warn reports a problem that does not stop the login.
	Warn(err error)
	// Logf explains a step, for -v.
	Logf(format string, args ...any)
}
