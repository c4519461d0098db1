package login

import (
	"context"
	"errors"
	"time"

	"github.com/codex-login/codex-login/oauth"
)

// slowDownStep is what each slow_down adds to the polling interval (RFC
// 8628 section 3.5).
const slowDownStep = 5 * time.Second

// DeviceExpiredError means the user code was not entered and approved
// while it was valid.
type DeviceExpiredError struct{ After time.Duration }

func (e *DeviceExpiredError) Error() string {
	return "the device code expired before the sign-in was finished"
}

// RunDevice signs in with a device code, for machines without a browser:
// the user opens the verification page anywhere, types the code shown, and
// the login polls the issuer until they have. Like Run, it first proves
// that the credentials can be saved and that the route to the issuer
// works, replaces the existing credentials only by new ones that were
// saved, and revokes nothing. No API key is asked for, as Codex asks none
// for a device login: OPENAI_API_KEY is null.
//
// A workspace without device login is a *oauth.DeviceUnavailableError; a
// code nobody approved in time a *DeviceExpiredError.
func RunDevice(ctx context.Context, o Options) (*Result, error) {
	d, err := beginDevice(ctx, o)
	if err != nil {
		return nil, err
	}
	return d.wait()
}

// deviceLogin is a device code login between its user code and its end.
type deviceLogin struct {
	o        Options
	ctx      context.Context
	cancel   context.CancelFunc
	fail     func(error) (*Result, error)
	code     oauth.DeviceCode
	lifetime time.Duration
}

// beginDevice does everything up to showing the user code: the checks and
// the code itself, reported through o.Events.
func beginDevice(ctx context.Context, o Options) (*deviceLogin, error) {
	ctx, cancel, fail, err := o.prepare(ctx)
	if err != nil {
		return nil, err
	}
	d, err := o.OAuth.DeviceUserCode(ctx)
	if err != nil {
		cancel()
		_, err = fail(err)
		return nil, err
	}
	lifetime := d.ExpiresAt.Sub(o.Now()).Round(time.Second)
	o.Events.Secret(d.DeviceAuthID)
	o.Events.DeviceCode(d.VerificationURI, d.UserCode, d.ExpiresAt)
	o.Events.Waiting()
	return &deviceLogin{o: o, ctx: ctx, cancel: cancel, fail: fail, code: d, lifetime: lifetime}, nil
}

// wait polls until the code was entered, then exchanges and saves.
func (d *deviceLogin) wait() (*Result, error) {
	defer d.cancel()
	grant, err := d.o.pollDevice(d.ctx, d.code, d.lifetime)
	if err != nil {
		return d.fail(err)
	}
	d.o.Events.Secret(grant.AuthorizationCode)
	d.o.Events.Secret(grant.CodeVerifier)
	res, err := d.o.finish(d.ctx, grant.AuthorizationCode, d.o.OAuth.DeviceRedirectURI(), grant.CodeVerifier, false)
	if err != nil {
		return d.fail(err)
	}
	return res, nil
}

// pollDevice asks the issuer whether the user has entered the code, every
// d.Interval (RFC 8628 section 3.4), until they have, the issuer refuses,
// the code expires or ctx ends. The first poll comes after one interval:
// nobody can have typed the code sooner. The last comes when the code
// expires, so an approval in its final seconds still counts.
func (o *Options) pollDevice(ctx context.Context, d oauth.DeviceCode, lifetime time.Duration) (oauth.DeviceGrant, error) {
	every := d.Interval
	o.Events.Logf("waiting for the code to be entered at %s; asking every %s", d.VerificationURI, every)
	for {
		t := time.NewTimer(max(0, min(every, d.ExpiresAt.Sub(o.Now()))))
		select {
		case <-ctx.Done():
			t.Stop()
			return oauth.DeviceGrant{}, ctx.Err()
		case <-t.C:
		}
		grant, err := o.OAuth.DeviceToken(ctx, d)
		var te *oauth.TokenError
		switch {
		case errors.Is(err, oauth.ErrSlowDown): // RFC 8628 section 3.5
			every += slowDownStep
			o.Events.Logf("the issuer asked to be polled less often: asking every %s", every)
		case errors.Is(err, oauth.ErrPending):
		case errors.As(err, &te) && te.Code == "expired_token":
			return oauth.DeviceGrant{}, &DeviceExpiredError{After: lifetime}
		case errors.As(err, &te) && te.Code == "access_denied": // the user declined
			return oauth.DeviceGrant{}, &DeniedError{Code: te.Code, Description: te.Description}
		default:
			return grant, err
		}
		if !o.Now().Before(d.ExpiresAt) {
			return oauth.DeviceGrant{}, &DeviceExpiredError{After: lifetime}
		}
	}
}
