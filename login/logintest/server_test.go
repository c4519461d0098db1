package logintest

import (
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
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
