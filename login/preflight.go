package login

import (
	"context"
	"fmt"
	"io"
	"net/http"
)

// Preflight proves the route to the issuer before anyone signs in: through
// the proxy, a verified TLS handshake and an HTTP answer. The connection it
// opens stays in the client's pool, and the token exchange reuses it.
func Preflight(ctx context.Context, c *http.Client, issuer string) error {
	ep := endpoint(issuer, "/.well-known/openid-configuration")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ep, nil)
	if err != nil {
		return fmt.Errorf("build request for %s: %w", endpointName(ep), err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return unwrapURLError(err)
	}
	defer resp.Body.Close()
	// Read the whole (bounded) body so the connection can be reused.
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxReply))
	if e := gatewayError(resp, endpointName(ep)); e != nil {
		return e
	}
	if resp.StatusCode >= 400 && isHTML(resp, data) && !looksLikeIssuerPage(resp) {
		return &HTMLError{Endpoint: endpointName(ep), Status: resp.StatusCode, Title: pageTitle(data)}
	}
	return nil
}
