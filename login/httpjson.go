package login

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode"
)

// maxReply bounds every reply body codex-login reads, as golang.org/x/oauth2 does.
const maxReply = 1 << 20

// post sends body to endpoint and decodes a 2xx JSON reply into v (v nil:
// any 2xx will do). Every
// other outcome becomes a typed error naming the endpoint.
func post(ctx context.Context, c *http.Client, endpoint, contentType string, body []byte, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build request for %s: %w", endpointName(endpoint), err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return unwrapURLError(err)
	}
	defer resp.Body.Close()
	return decodeReply(resp, endpointName(endpoint), v)
}

// decodeReply reads at most maxReply bytes of resp and decodes it into v.
func decodeReply(resp *http.Response, name string, v any) error {
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxReply+1))
	if err != nil {
		return &ResponseError{Endpoint: name, Status: resp.StatusCode, Problem: "the reply was cut off: " + err.Error()}
	}
	if len(data) > maxReply {
		return &ResponseError{Endpoint: name, Status: resp.StatusCode, Problem: "the reply is larger than 1 MiB"}
	}
	if isHTML(resp, data) {
		if e := gatewayError(resp, name); e != nil && !looksLikeIssuerPage(resp) {
			return e
		}
		return &HTMLError{Endpoint: name, Status: resp.StatusCode, Title: pageTitle(data)}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if e := gatewayError(resp, name); e != nil && !json.Valid(data) {
			return e
		}
		return tokenError(name, resp.StatusCode, data)
	}
	if v == nil {
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return &ResponseError{Endpoint: name, Status: resp.StatusCode, Problem: "the reply is not the JSON expected: " + err.Error()}
	}
	return nil
}

// tokenError extracts RFC 6749 error fields, or OpenAI's {"error": {"message"}},
// or falls back to the trimmed body.
func tokenError(name string, status int, data []byte) error {
	e := &TokenError{Endpoint: name, Status: status}
	var body struct {
		Error            json.RawMessage `json:"error"`
		ErrorDescription string          `json:"error_description"`
	}
	if json.Unmarshal(data, &body) == nil {
		var code string
		var obj struct {
			Message string `json:"message"`
			Code    string `json:"code"`
		}
		if json.Unmarshal(body.Error, &code) == nil {
			e.Code = code
		} else if json.Unmarshal(body.Error, &obj) == nil {
			e.Code = obj.Code
			e.Description = obj.Message
		}
		if body.ErrorDescription != "" {
			e.Description = body.ErrorDescription
		}
		if e.Code != "" || e.Description != "" {
			return e
		}
	}
	e.Description = printable(string(data), 200)
	return e
}

func gatewayError(resp *http.Response, name string) error {
	switch resp.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return &GatewayError{Endpoint: name, Status: resp.Status, ProxyError: resp.Header.Get("X-Squid-Error")}
	}
	return nil
}

// looksLikeIssuerPage is true when nothing marks the page as a proxy's own.
func looksLikeIssuerPage(resp *http.Response) bool {
	return resp.Header.Get("X-Squid-Error") == "" && resp.Header.Get("Via") == ""
}

func isHTML(resp *http.Response, data []byte) bool {
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err == nil && strings.Contains(mt, "html") {
		return true
	}
	trimmed := bytes.TrimLeftFunc(data, unicode.IsSpace)
	return bytes.HasPrefix(trimmed, []byte("<"))
}

var titleRE = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

func pageTitle(data []byte) string {
	m := titleRE.FindSubmatch(data)
	if m == nil {
		return ""
	}
	return printable(strings.Join(strings.Fields(string(m[1])), " "), 100)
}

// printable trims s, drops control characters and cuts it to max runes, so a
// hostile reply cannot repaint the terminal.
func printable(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.TrimSpace(s))
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
		return endpoint
	}
	return u.Host + u.Path
}

// unwrapURLError drops net/http's `Post "https://...":` prefix: the typed
// errors from trust already name the host.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
