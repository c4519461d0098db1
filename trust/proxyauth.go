package trust

import "context"

// authenticator answers one proxy's challenges during one CONNECT, on one TCP connection.
type authenticator interface {
	scheme() string // "NTLM", "Negotiate"
	// step returns the token for the next Proxy-Authorization header: challenge is nil for the
	// first leg, then the decoded token of the proxy's 407 Proxy-Authenticate for this scheme.
	step(ctx context.Context, challenge []byte) (token []byte, err error)
}

// negotiateAuthenticator makes the Negotiate (SPNEGO/Kerberos) authenticator
// for a proxy host; nil when this build cannot do Negotiate. The file that
// implements Negotiate sets it from its init.
var negotiateAuthenticator func(proxyHost string) (authenticator, error)
