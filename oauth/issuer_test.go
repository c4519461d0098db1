package oauth

import (
	"crypto/tls"
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/codex-login/codex-login/login/logintest"
	"github.com/codex-login/codex-login/trust/trusttest"
)

// These tests run against the strict fake issuer, which refuses anything
// the real one would: a wrong verifier, a reused code or refresh token, a
// parameter Codex does not send, Go's User-Agent.

func TestSignInAgainstTheIssuer(t *testing.T) {
	iss, c := fakeIssuer(t, logintest.Options{})
	if err := c.Preflight(t.Context()); err != nil {
		t.Fatal(err)
	}
	tokens := login(t, iss, c)
	if tokens.IDToken == "" || tokens.AccessToken == "" || tokens.RefreshToken == "" {
		t.Fatalf("tokens missing: id %v access %v refresh %v", tokens.IDToken != "", tokens.AccessToken != "", tokens.RefreshToken != "")
	}
	key, err := c.ExchangeAPIKey(t.Context(), tokens.IDToken)
	if err != nil {
		t.Fatal(err)
	}
	if keys := iss.APIKeys(); len(keys) != 1 || keys[0] != key {
		t.Fatal("the API key is not the one the issuer made")
	}
	for _, r := range iss.Requests() {
		if len(r) > 10 && r[:10] == "CHALLENGED" {
			t.Fatalf("the issuer's bot filter challenged %s", r[11:])
		}
	}
}

func TestCodeExchangeRefusals(t *testing.T) {
	iss, c := fakeIssuer(t, logintest.Options{})
	pkce, _ := NewPKCE()
	other, _ := NewPKCE()
	code := signIn(t, iss, c, RedirectURI(1455), pkce)
	_, err := c.ExchangeCode(t.Context(), code, RedirectURI(1455), other.Verifier)
	var te *TokenError
	if !errors.As(err, &te) || te.Code != "invalid_grant" || te.Status != 400 {
		t.Fatalf("wrong verifier: got %v", err)
	}
	_, err = c.ExchangeCode(t.Context(), code, RedirectURI(1455), pkce.Verifier)
	if !errors.As(err, &te) || te.Code != "invalid_grant" {
		t.Fatalf("reused code: got %v", err)
	}
	if _, err := c.ExchangeAPIKey(t.Context(), "not.an.id-token"); !errors.As(err, &te) {
		t.Fatalf("foreign id_token: got %v", err)
	}
}

func TestRefreshRotatesAndRefusesReuse(t *testing.T) {
	iss, c := fakeIssuer(t, logintest.Options{})
	first := login(t, iss, c)
	next, err := c.Refresh(t.Context(), first.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if next.RefreshToken == "" || next.RefreshToken == first.RefreshToken || next.AccessToken == "" || next.IDToken == "" {
		t.Fatal("the refresh did not rotate every token")
	}
	_, err = c.Refresh(t.Context(), first.RefreshToken)
	var te *TokenError
	if !errors.As(err, &te) || te.Code != "refresh_token_reused" || !te.SignInAgain() {
		t.Fatalf("reused refresh token: got %v", err)
	}
	if _, err := c.Refresh(t.Context(), next.RefreshToken); err != nil {
		t.Fatalf("the rotated token does not refresh: %v", err)
	}
}

func TestRevokeThenRefreshMeansSignInAgain(t *testing.T) {
	iss, c := fakeIssuer(t, logintest.Options{})
	tokens := login(t, iss, c)
	if err := c.Revoke(t.Context(), tokens.RefreshToken); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(iss.Revoked(), []string{tokens.RefreshToken}) {
		t.Fatal("the issuer did not record the revocation")
	}
	_, err := c.Refresh(t.Context(), tokens.RefreshToken)
	var te *TokenError
	if !errors.As(err, &te) || te.Code != "refresh_token_invalidated" || !te.SignInAgain() {
		t.Fatalf("revoked refresh token: got %v", err)
	}
}

func TestDeviceLoginAgainstTheIssuer(t *testing.T) {
	iss, c := fakeIssuer(t, logintest.Options{DeviceInterval: "1"})
	d, err := c.DeviceUserCode(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if d.Interval.Seconds() != 1 || d.VerificationURI != c.Issuer+"/codex/device" {
		t.Fatalf("got %+v", d)
	}
	if _, err := c.DeviceToken(t.Context(), d); !errors.Is(err, ErrPending) {
		t.Fatalf("before approval: got %v, want ErrPending", err)
	}
	if err := iss.Approve(d.UserCode); err != nil {
		t.Fatal(err)
	}
	g, err := c.DeviceToken(t.Context(), d)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := c.ExchangeCode(t.Context(), g.AuthorizationCode, c.DeviceRedirectURI(), g.CodeVerifier)
	if err != nil {
		t.Fatal(err)
	}
	if tokens.RefreshToken == "" {
		t.Fatal("no refresh token")
	}
}

func TestDeviceLoginNotEnabled(t *testing.T) {
	_, c := fakeIssuer(t, logintest.Options{NoDeviceAuth: true})
	_, err := c.DeviceUserCode(t.Context())
	var de *DeviceUnavailableError
	if !errors.As(err, &de) {
		t.Fatalf("got %v, want *DeviceUnavailableError", err)
	}
}

// Through a TLS-inspecting proxy, the whole browser login is one CONNECT
// tunnel: the pre-flight opens it and every token request reuses it.
func TestLoginThroughAnInspectingProxyUsesOneTunnel(t *testing.T) {
	origin, err := trusttest.NewCA("Corp Test Origin CA")
	if err != nil {
		t.Fatal(err)
	}
	inspect, err := trusttest.NewCA("Corp Inspection CA")
	if err != nil {
		t.Fatal(err)
	}
	iss := logintest.NewIssuer(logintest.Options{})
	srv, err := logintest.StartTLS(iss, origin, "auth.corp.test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	iss.SetURL(srv.URL("auth.corp.test"))
	proxy, err := trusttest.NewProxy(trusttest.ProxyOptions{
		CA:            inspect,
		Upstream:      map[string]string{"auth.corp.test": srv.Addr},
		UpstreamRoots: origin.Pool(),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(proxy.Close)
	tr := &http.Transport{Proxy: http.ProxyURL(proxy.URL()), TLSClientConfig: &tls.Config{RootCAs: inspect.Pool()}}
	t.Cleanup(tr.CloseIdleConnections)
	c := &Client{HTTP: &http.Client{Transport: tr}, Issuer: srv.URL("auth.corp.test")}

	if err := c.Preflight(t.Context()); err != nil {
		t.Fatal(err)
	}
	tokens := login(t, iss, c)
	if _, err := c.ExchangeAPIKey(t.Context(), tokens.IDToken); err != nil {
		t.Fatal(err)
	}
	if n := proxy.Connects("auth.corp.test"); n != 1 {
		t.Fatalf("%d CONNECT tunnels, want 1", n)
	}
	want := []string{
		"GET /.well-known/openid-configuration",
		"GET /oauth/authorize", // the browser's, in process
		"POST /oauth/token grant_type=authorization_code",
		"POST /oauth/token grant_type=" + "urn:ietf:params:oauth:grant-type:token-exchange",
	}
	if got := iss.Requests(); !slices.Equal(got, want) {
		t.Fatalf("the issuer saw\n%q\nwant\n%q", got, want)
	}
}
