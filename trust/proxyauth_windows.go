//go:build windows

package trust

import (
	"context"
	"errors"

	"github.com/alexbrainman/sspi"
	"github.com/alexbrainman/sspi/negotiate"
	"github.com/alexbrainman/sspi/ntlm"
)

// On Windows, a proxy's NTLM or Negotiate challenge is answered by SSPI
// with the logged-on user's own credentials when none were given.
func init() {
	sspiNTLM = func() (authenticator, error) { return &sspiNTLMAuth{}, nil }
	sspiNegotiate = func(host string) (authenticator, error) { return &sspiNegotiateAuth{target: "HTTP/" + host}, nil }
}

// sspiNTLMAuth is NTLM through SSPI, as the logged-on user.
type sspiNTLMAuth struct {
	cred *sspi.Credentials
	ctx  *ntlm.ClientContext
}

func (*sspiNTLMAuth) scheme() string { return "NTLM" }

func (a *sspiNTLMAuth) step(_ context.Context, challenge []byte) ([]byte, error) {
	if challenge == nil {
		cred, err := ntlm.AcquireCurrentUserCredentials()
		if err != nil {
			return nil, err
		}
		c, token, err := ntlm.NewClientContext(cred)
		if err != nil {
			cred.Release()
			return nil, err
		}
		a.cred, a.ctx = cred, c
		return token, nil
	}
	if a.ctx == nil {
		return nil, errors.New("NTLM challenge before the first leg")
	}
	defer a.release()
	return a.ctx.Update(challenge)
}

func (a *sspiNTLMAuth) release() {
	a.ctx.Release()
	a.cred.Release()
	a.ctx, a.cred = nil, nil
}

// sspiNegotiateAuth is Negotiate (Kerberos, else NTLM) through SSPI, as
// the logged-on user, for the service HTTP/proxy-host.
type sspiNegotiateAuth struct {
	target string
	cred   *sspi.Credentials
	ctx    *negotiate.ClientContext
}

func (*sspiNegotiateAuth) scheme() string { return "Negotiate" }

func (a *sspiNegotiateAuth) step(_ context.Context, challenge []byte) ([]byte, error) {
	if challenge == nil {
		cred, err := negotiate.AcquireCurrentUserCredentials()
		if err != nil {
			return nil, err
		}
		c, token, err := negotiate.NewClientContext(cred, a.target)
		if err != nil {
			cred.Release()
			return nil, err
		}
		a.cred, a.ctx = cred, c
		return token, nil
	}
	if a.ctx == nil {
		return nil, errors.New("Negotiate challenge before the first leg")
	}
	done, token, err := a.ctx.Update(challenge)
	if done || err != nil {
		a.ctx.Release()
		a.cred.Release()
		a.ctx, a.cred = nil, nil
	}
	return token, err
}
