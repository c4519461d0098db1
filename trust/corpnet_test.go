package trust

import (
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/codex-login/codex-login/trust/trusttest"
)

// corpNet is a corporate network in miniature: the issuer, reachable only
// by its .test name, behind a TLS-inspecting proxy.
type corpNet struct {
	origin, inspect *trusttest.CA
	proxy           *trusttest.Proxy
	originAddr      string       // where auth.corp.test really listens
	posts           atomic.Int32 // POSTs the issuer received
}

func newCorpNet(t *testing.T, o trusttest.ProxyOptions) *corpNet {
	t.Helper()
	n := &corpNet{origin: newCA(t, "Corp Test Origin CA")}
	if o.CA == nil {
		o.CA = newCA(t, "Corp Inspection CA")
	}
	n.inspect = o.CA
	leaf, err := n.origin.Issue("auth.corp.test")
	if err != nil {
		t.Fatal(err)
	}
	srv := serveTLSWith(t, leaf, n.issuer(t))
	n.originAddr = srv.Listener.Addr().String()
	o.Upstream = map[string]string{"auth.corp.test": n.originAddr}
	o.UpstreamRoots = n.origin.Pool()
	if n.proxy, err = trusttest.NewProxy(o); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.proxy.Close)
	return n
}

// issuer answers like the issuer, counting POSTs; /hang never answers
// and /stall stops after the start of its reply.
func (n *corpNet) issuer(t *testing.T) http.HandlerFunc {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) }) // runs before the server closes
	return func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/hang":
		case r.URL.Path == "/stall":
			io.WriteString(w, "partial")
			http.NewResponseController(w).Flush()
		case r.Method == http.MethodPost:
			n.posts.Add(1)
			body, _ := io.ReadAll(r.Body)
			io.WriteString(w, "got "+string(body))
			return
		default:
			io.WriteString(w, "hello from "+r.Host)
			return
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}
}

// proxyURL returns the proxy's URL with userinfo user:pass when user != "".
func (n *corpNet) proxyURL(user, pass string) string {
	u := n.proxy.URL()
	if user != "" {
		u.User = url.UserPassword(user, pass)
	}
	return u.String()
}

func get(t *testing.T, c *Client, rawURL string) (string, error) {
	t.Helper()
	resp, err := c.HTTP.Get(rawURL)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %s: %s", rawURL, resp.Status, body)
	}
	return string(body), err
}
