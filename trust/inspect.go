package trust

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"time"
)

// maxInspectBody is what Inspect reads of a reply.
const maxInspectBody = 1 << 20

// Inspection is what reaching one URL through the client's route showed,
// step by step, for doctor and trust fetch. It holds no secret (proxy URLs redacted).
type Inspection struct {
	URL         *url.URL
	Route       Route
	ProxySource string              // from Options.ProxySource when proxied
	Steps       []Step              // in order; stops at the first failed step
	Chain       []*x509.Certificate // as presented by the peer (the proxy's forgery when inspected); nil if TLS never got that far
	Verified    []*x509.Certificate // the verified chain, leaf to root, when it verified
	RootSource  string              // Pool source of the root it verified to ("system roots", "--ca", "SSL_CERT_FILE", ...)
	Product     string              // Product(Chain)
	Refusals    []Refusal           // CodexRefuses(Verified or Chain)
	Problems    []ChainProblem      // ChainProblems(Chain, host)
	Status      int                 // HTTP status of the GET, when it got one
	ContentType string              // its media type, lowercase, without parameters ("text/html")
	Page        string              // the <title> of an HTML reply (a block page, a captive portal), made printable
	Err         error               // the first failure, explained as the client explains it; nil when everything worked
}

// Step is one stage of reaching a URL.
type Step struct {
	Name   string        // "dns", "tcp" (to the proxy or the host), "connect" (proxy only: the CONNECT reply), "tls", "http"
	Detail string        // e.g. "auth.openai.com → 104.18.1.1, 104.18.2.1", "127.0.0.1:3128", "HTTP/1.1 200 Connection established", "TLS 1.3, TLS_AES_128_GCM_SHA256", "200 application/json"
	Took   time.Duration // how long it took, up to its failure
	Err    error         // explained; nil when the step succeeded
}

// Inspect sends one GET for u (doctor passes the issuer's
// /.well-known/openid-configuration) through the client exactly as every
// other request goes (same proxy, proxy auth, limits, pool, retry rules),
// tracing it with net/http/httptrace, and never follows a redirect. The
// request goes out as Codex sends its own: no User-Agent, JSON accepted.
// The client's idle connections are closed first, so that every step is
// taken (and seen) anew.
func (c *Client) Inspect(ctx context.Context, u *url.URL) *Inspection {
	c.HTTP.CloseIdleConnections()
	return c.inspect(ctx, u)
}

// InspectDirect is Inspect without any proxy, to compare what the direct
// route presents: the same pool, limits and dialer, on connections of its
// own. Its Route says NoProxyConfigured (or Loopback).
func (c *Client) InspectDirect(ctx context.Context, u *url.URL) *Inspection {
	d := &Client{pool: c.pool, limits: c.limits, dialTCP: c.dialTCP, chains: map[string][]*x509.Certificate{},
		auths: map[string]*proxyAuth{}, proxyAuth: ProxyAuthNone,
		proxyFn: func(*url.URL) (*url.URL, error) { return nil, nil }}
	d.HTTP = &http.Client{Transport: &roundTripper{base: d.transport(), c: d}}
	defer d.HTTP.CloseIdleConnections()
	return d.inspect(ctx, u)
}

func (c *Client) inspect(ctx context.Context, u *url.URL) *Inspection {
	in := &Inspection{URL: u, Route: c.Route(u)}
	proxy := in.Route.Proxy
	if proxy != nil {
		in.Route.Proxy = redactedURL(proxy)
		in.ProxySource = c.proxySource
	}
	t := newTracer(u, proxy)
	ctx = context.WithValue(httptrace.WithClientTrace(ctx, t.hooks()), tracerKey{}, t)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		in.Err = fmt.Errorf("build request for %s: %w", u.Redacted(), err)
		in.Steps = t.finish("", in.Err)
		return in
	}
	req.Header.Set("User-Agent", "") // none, as Codex sends
	req.Header.Set("Accept", "application/json")
	hc := *c.HTTP
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		in.Err = err
	} else {
		in.read(resp, proxy)
		if resp.TLS != nil {
			in.Chain = resp.TLS.PeerCertificates
			if len(resp.TLS.VerifiedChains) > 0 {
				in.Verified = resp.TLS.VerifiedChains[0]
			}
		}
	}
	detail := ""
	if in.Status != 0 {
		detail = strings.TrimSpace(fmt.Sprintf("%d %s", in.Status, in.ContentType))
	}
	in.Steps = t.finish(detail, in.Err)
	chainHost := u.Hostname()
	if in.Chain == nil {
		in.Chain, in.Verified, chainHost = t.peer()
	}
	c.judge(in, chainHost)
	return in
}

// read takes the status, media type and page title of resp, reading at
// most maxInspectBody of its body.
func (in *Inspection) read(resp *http.Response, proxy *url.URL) {
	defer resp.Body.Close()
	in.Status = resp.StatusCode
	in.ContentType = mediaType(resp.Header.Get("Content-Type"))
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxInspectBody))
	if in.ContentType == "text/html" {
		var secrets []string
		if proxy != nil {
			secrets = proxySecrets(proxy)
		}
		in.Page = printable(pageText(body), maxPageText, secrets)
	}
	if err != nil {
		var pe *PhaseTimeoutError
		if !errors.As(err, &pe) {
			err = fmt.Errorf("read the reply of %s: %w", in.URL.Hostname(), err)
		}
		in.Err = err
	}
}

// judge fills in what the chain says: who made it, what Codex would
// refuse in it, what is wrong with it, and where its root came from.
func (c *Client) judge(in *Inspection, host string) {
	if len(in.Verified) > 0 {
		in.RootSource = SystemSource // the platform's verifier found it (macOS, Windows)
		if root, ok := c.pool.Source(in.Verified[len(in.Verified)-1]); ok {
			in.RootSource = root.Source
		}
	}
	in.Product = Product(in.Chain)
	if len(in.Verified) > 0 {
		in.Refusals = CodexRefuses(in.Verified)
	} else {
		in.Refusals = CodexRefuses(in.Chain)
	}
	in.Problems = ChainProblems(in.Chain, host, time.Now())
}

// mediaType is the lowercase media type of a Content-Type value, without
// its parameters.
func mediaType(v string) string {
	if v == "" {
		return ""
	}
	if mt, _, err := mime.ParseMediaType(v); err == nil {
		return mt
	}
	mt, _, _ := strings.Cut(v, ";")
	return printable(strings.ToLower(strings.TrimSpace(mt)), 80, nil)
}

// redactedURL is u with its password, if any, replaced by "xxxxx".
func redactedURL(u *url.URL) *url.URL {
	r := *u
	if _, ok := u.User.Password(); ok {
		r.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return &r
}
