package oauth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode"
)

// request is one call to an endpoint of the issuer.
type request struct {
	method      string
	path        string // e.g. /oauth/token
	contentType string // with body
	body        []byte
	accept      string
	header      http.Header // added to the usual headers
	secrets     []string    // values in body that must never reach an error
}

// do sends q and classifies its reply into v (see reply.classify). It
// returns the reply's status, 0 when there was no reply.
func (c *Client) do(ctx context.Context, q request, v any) (int, error) {
	if err := CheckIssuer(c.issuer()); err != nil {
		return 0, err
	}
	ep := c.endpoint(q.path)
	r := reply{endpoint: endpointName(ep), secrets: q.secrets}
	var body io.Reader
	if q.body != nil {
		body = bytes.NewReader(q.body) // also sets GetBody, so the request can be replayed
	}
	req, err := http.NewRequestWithContext(ctx, q.method, ep, body)
	if err != nil {
		return 0, fmt.Errorf("build request for %s: %w", r.endpoint, err)
	}
	// Codex sends no User-Agent; an empty value keeps net/http from
	// sending its default one (Go-http-client/1.1), which bot filters in
	// front of the issuer challenge.
	req.Header.Set("User-Agent", "")
	req.Header.Set("Accept", q.accept)
	if q.contentType != "" {
		req.Header.Set("Content-Type", q.contentType)
	}
	// A nil X-Idempotency-Key is never sent, but tells net/http that a POST
	// which got no byte of reply on a reused connection (the proxy dropped
	// the idle tunnel while the user signed in) may be sent once more on a
	// new connection. Nothing is sent again once a reply has started.
	req.Header["X-Idempotency-Key"] = nil
	for k, vs := range q.header {
		req.Header[k] = vs
	}
	resp, err := c.noRedirects().Do(req)
	if err != nil {
		return 0, transportError(err, q.method, r.endpoint, req.URL.Hostname())
	}
	defer resp.Body.Close()
	// Read to the end (within the limit) so the connection goes back to
	// the pool for the next request.
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxReply+1))
	if err != nil {
		return resp.StatusCode, &ResponseError{Endpoint: r.endpoint, Status: resp.StatusCode,
			Problem: "the reply was cut off: " + r.text(err.Error(), 200)}
	}
	return resp.StatusCode, r.classify(resp, data, v)
}

// text makes server text fit for a message: the request's secrets are
// removed, then it is made printable.
func (r reply) text(s string, max int) string {
	for _, secret := range r.secrets {
		if len(secret) >= 8 { // shorter values are no secret, and would mangle words
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return printable(s, max)
}

// printable drops control characters (whitespace ones become spaces),
// collapses spaces and cuts s to max runes, so a hostile reply cannot
// repaint the terminal or flood it.
func printable(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r): // Cf: bidi overrides and other invisible marks
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return s
}

// endpointName is host/path, the way messages name an endpoint.
func endpointName(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return printable(endpoint, 200)
	}
	return u.Host + u.Path
}

// transportError drops net/http's `Post "https://...":` prefix, whose URL
// names nothing the caller's transport errors do not already name; an
// error that does not name the host gets the endpoint instead, unless it
// already says what failed on the route.
// explained is what the errors of the route (the trust package's) have:
// they name the proxy or the host and the cause themselves.
type explained interface{ Explained() }

func transportError(err error, method, endpoint, host string) error {
	if ue, ok := err.(*url.Error); ok {
		err = ue.Err
	}
	var said explained
	if strings.Contains(err.Error(), host) || errors.As(err, &said) {
		return err
	}
	return fmt.Errorf("%s %s: %w", strings.ToLower(method), endpoint, err)
}
