package logintest

import (
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/codex-login/codex-login/trust/trusttest"
)

func getJSON(t *testing.T, c *http.Client, url string) map[string]any {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestServerCountsConnections(t *testing.T) {
	i := NewIssuer(Options{})
	srv, client := startTLS(t, i)
	base := srv.URL(testHost)
	for range 3 {
		d := getJSON(t, client, base+"/.well-known/openid-configuration")
		if d["issuer"] != base {
			t.Fatalf("issuer %v, want %s", d["issuer"], base)
		}
	}
	if n := srv.Conns(); n != 1 {
		t.Errorf("Conns() = %d after three keep-alive requests, want 1", n)
	}

	// A client that does not trust the CA fails the handshake: not counted.
	other, err := trusttest.NewCA("Other CA")
	if err != nil {
		t.Fatal(err)
	}
	untrusting := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: other.Pool()}}}
	if _, err := untrusting.Get("https://" + srv.Addr + "/.well-known/openid-configuration"); err == nil {
		t.Fatal("a client trusting another CA connected")
	}
	if n := srv.Conns(); n != 1 {
		t.Errorf("Conns() = %d after a failed handshake, want 1", n)
	}

	client.CloseIdleConnections()
	getJSON(t, client, base+"/.well-known/openid-configuration")
	if n := srv.Conns(); n != 2 {
		t.Errorf("Conns() = %d after reconnecting, want 2", n)
	}
	srv.Close()
	srv.Close() // idempotent
	if _, err := client.Get(base + "/.well-known/openid-configuration"); err == nil {
		t.Error("request after Close succeeded")
	}
}

func TestIssuerConcurrent(t *testing.T) {
	i := NewIssuer(Options{})
	srv, client := startTLS(t, i)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			resp, err := client.Get(srv.URL(testHost) + "/.well-known/jwks.json")
			if err != nil {
				t.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			w := serve(i, "GET", "/oauth/authorize?"+authorizeQuery().Encode(), "", "")
			loc, err := url.Parse(w.Header().Get("Location"))
			if err != nil || w.Code != http.StatusFound {
				t.Errorf("authorize: %d %v", w.Code, err)
				return
			}
			if w := postForm(i, codeForm(loc.Query().Get("code"))); w.Code != http.StatusOK {
				t.Errorf("exchange: %d %s", w.Code, w.Body)
			}
		})
	}
	wg.Wait()
	if n := len(i.Requests()); n != 8*3 {
		t.Errorf("%d requests recorded, want %d", n, 8*3)
	}
}

// Secrets lists what a login handled: the code, the verifier, the three
// tokens and the API key.
func TestSecretsOfALogin(t *testing.T) {
	i := NewIssuer(Options{})
	tok := login(t, i)
	got := strings.Join(i.Secrets(), "\n")
	for _, s := range []string{tok.IDToken, tok.AccessToken, tok.RefreshToken} {
		if !strings.Contains(got, s) {
			t.Errorf("Secrets() lacks a token")
		}
	}
	if n := len(i.Secrets()); n < 5 {
		t.Errorf("Secrets() has %d values, want at least the code, the verifier and three tokens", n)
	}
}

// Intercept answers instead of the issuer when it says so.
func TestInterceptAnswersFirst(t *testing.T) {
	i := NewIssuer(Options{Intercept: func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/oauth/token" {
			return false
		}
		w.WriteHeader(http.StatusTeapot)
		return true
	}})
	if w := serve(i, "POST", "/oauth/token", "application/x-www-form-urlencoded", "grant_type=x"); w.Code != http.StatusTeapot {
		t.Fatalf("token: %d, want the interceptor's 418", w.Code)
	}
	if w := serve(i, "GET", "/.well-known/openid-configuration", "", ""); w.Code != http.StatusOK {
		t.Fatalf("discovery: %d", w.Code)
	}
}
