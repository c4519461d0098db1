package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/codex-login/codex-login/login/logintest"
	"github.com/codex-login/codex-login/oauth"
)

// path is what the route itself costs, measured by the driver doing a
// login's requests the way a client without any local work would: in Go,
// through the same relay and squid, against the same issuer. The floors
// of the table are these times, not round trips alone: on loopback the
// relay, squid's TLS interception and the issuer's token signing take
// milliseconds that no client can save.
type path struct {
	preflight time.Duration // TCP, CONNECT, TLS, one GET of the discovery document, on a new connection
	exchanges time.Duration // the code exchange and the API-key exchange on the kept connection
	reopened  time.Duration // the same two, after the relay closed the connection: a new one first
}

// calibrate measures path n times with delay added each way and returns
// the medians.
func (b *bench) calibrate(delay time.Duration, n int) (path, error) {
	var pre, ex, re []time.Duration
	for range n {
		p, err := b.calibrateOnce(delay, false)
		if err != nil {
			return path{}, err
		}
		q, err := b.calibrateOnce(delay, true)
		if err != nil {
			return path{}, err
		}
		pre, ex, re = append(pre, p.preflight), append(ex, p.exchanges), append(re, q.reopened)
	}
	return path{median(pre), median(ex), median(re)}, nil
}

func (b *bench) calibrateOnce(delay time.Duration, drop bool) (path, error) {
	// The browser's trust (the inspection CA), through the relay as the tools go.
	relayURL, _ := url.Parse(b.relay.URL())
	tls := b.browser.Transport.(*http.Transport).TLSClientConfig.Clone()
	tr := &http.Transport{Proxy: http.ProxyURL(relayURL), TLSClientConfig: tls}
	defer tr.CloseIdleConnections()
	c := &oauth.Client{HTTP: &http.Client{Transport: tr}, Issuer: "https://" + issuerHost, ClientID: oauth.DefaultClientID}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	b.relay.Reset(delay)
	var p path
	start := time.Now()
	if err := c.Preflight(ctx); err != nil {
		return path{}, fmt.Errorf("calibration pre-flight: %w", err)
	}
	p.preflight = time.Since(start)

	pkce, err := oauth.NewPKCE()
	if err != nil {
		return path{}, err
	}
	state, err := oauth.NewState()
	if err != nil {
		return path{}, err
	}
	redirect := oauth.RedirectURI(1455)
	req, _ := http.NewRequest(http.MethodGet, c.AuthorizeURL(oauth.AuthorizeRequest{RedirectURI: redirect, Challenge: pkce.Challenge, State: state}), nil)
	req.Header.Set("User-Agent", logintest.BrowserAgent)
	resp, err := b.browser.Do(req)
	if err != nil {
		return path{}, fmt.Errorf("calibration authorize: %w", err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Query().Get("code") == "" {
		return path{}, fmt.Errorf("calibration authorize: answered %d without a code", resp.StatusCode)
	}
	if drop {
		b.relay.KillAll()
		time.Sleep(100 * time.Millisecond) // as in the logins: the client sees the close first
	}
	start = time.Now()
	tokens, err := c.ExchangeCode(ctx, loc.Query().Get("code"), redirect, pkce.Verifier)
	if err != nil {
		return path{}, fmt.Errorf("calibration code exchange: %w", err)
	}
	if _, err := c.ExchangeAPIKey(ctx, tokens.IDToken); err != nil {
		return path{}, fmt.Errorf("calibration API-key exchange: %w", err)
	}
	if drop {
		p.reopened = time.Since(start)
	} else {
		p.exchanges = time.Since(start)
	}
	return p, nil
}
