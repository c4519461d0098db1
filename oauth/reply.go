package oauth

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// maxReply bounds every reply body read, as golang.org/x/oauth2 does.
const maxReply = 1 << 20

// reply is what is known about one answer before its body is read: the
// endpoint, named host/path, and the secrets its request carried, which a
// server may echo back in an error.
type reply struct {
	endpoint string
	secrets  []string
}

// classify is the one reading of every reply: a 2xx JSON body is decoded
// into v (v nil: any 2xx body will do); everything else becomes a typed
// error naming the endpoint. data must be the body read through a limit of
// maxReply+1 bytes.
func (r reply) classify(resp *http.Response, data []byte, v any) error {
	status := resp.StatusCode
	if len(data) > maxReply {
		return &ResponseError{Endpoint: r.endpoint, Status: status, Problem: "the reply is larger than 1 MiB"}
	}
	if loc, err := resp.Location(); err == nil && status >= 300 && status <= 399 {
		return &RedirectError{Endpoint: r.endpoint, Location: r.text(loc.Host+loc.EscapedPath(), 200)}
	}
	html := isHTML(resp.Header, data)
	title := ""
	if html {
		title = r.pageTitle(data)
	}
	if challenged(resp.Header, html, title) {
		return &HTMLError{Endpoint: r.endpoint, Status: status, Title: title, Kind: KindChallenge}
	}
	switch status {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		if !json.Valid(data) {
			page := title
			if page == "" {
				page = r.text(string(tagRE().ReplaceAll(data, []byte(" "))), 200)
			}
			return &GatewayError{Endpoint: r.endpoint, Status: r.text(resp.Status, 100),
				ProxyError: r.text(resp.Header.Get("X-Squid-Error"), 100), Page: page}
		}
	}
	if html {
		kind := KindPage
		if proxyPage(resp.Header, title, data) {
			kind = KindProxy
		}
		return &HTMLError{Endpoint: r.endpoint, Status: status, Title: title, Kind: kind}
	}
	if status < 200 || status > 299 {
		return r.tokenError(status, data)
	}
	if v == nil {
		return nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return &ResponseError{Endpoint: r.endpoint, Status: status, Problem: "the reply is empty"}
	}
	if err := json.Unmarshal(data, v); err != nil {
		return &ResponseError{Endpoint: r.endpoint, Status: status, Problem: "the reply is not the JSON expected: " + r.text(err.Error(), 200)}
	}
	return nil
}

// tokenError reads the RFC 6749 section 5.2 fields, or OpenAI's
// {"error": {"message", "code"}}, or falls back to the trimmed body.
func (r reply) tokenError(status int, data []byte) *TokenError {
	e := &TokenError{Endpoint: r.endpoint, Status: status}
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
			e.Code, e.Description = obj.Code, obj.Message
		}
		if body.ErrorDescription != "" {
			e.Description = body.ErrorDescription
		}
		if e.Code != "" || e.Description != "" {
			e.Code, e.Description = r.text(e.Code, 100), r.text(e.Description, 300)
			return e
		}
	}
	e.Description = r.text(string(data), 300)
	return e
}

// challenged is true for a bot filter's challenge: Cloudflare marks it
// with cf-mitigated, and its pages have well-known titles.
func challenged(h http.Header, html bool, title string) bool {
	if strings.EqualFold(h.Get("Cf-Mitigated"), "challenge") {
		return true
	}
	return html && (strings.HasPrefix(title, "Just a moment") || strings.HasPrefix(title, "Attention Required"))
}

// Words that mark a proxy's own page: in its title, or (vendor names) in
// its body.
var (
	proxyTitleWords = []string{"blocked", "access denied", "web filter", "url filter", "content filter", "proxy",
		"could not be retrieved"}
	proxyVendors = []string{"zscaler", "squid", "bluecoat", "blue coat", "websense", "forcepoint", "netskope",
		"fortiguard", "fortigate", "palo alto networks", "mcafee web gateway", "skyhigh", "cisco umbrella"}
)

// proxyPage is true when headers or content say the page is a proxy's own.
func proxyPage(h http.Header, title string, data []byte) bool {
	if h.Get("Via") != "" || h.Get("X-Squid-Error") != "" {
		return true
	}
	title = strings.ToLower(title)
	body := strings.ToLower(string(data))
	for _, w := range proxyTitleWords {
		if strings.Contains(title, w) {
			return true
		}
	}
	for _, w := range proxyVendors {
		if strings.Contains(title, w) || strings.Contains(body, w) {
			return true
		}
	}
	return false
}

func isHTML(h http.Header, data []byte) bool {
	if mt, _, err := mime.ParseMediaType(h.Get("Content-Type")); err == nil && strings.Contains(mt, "html") {
		return true
	}
	return bytes.HasPrefix(bytes.TrimLeftFunc(data, unicode.IsSpace), []byte("<"))
}

var titleRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`) })

// tagRE matches markup, so that the text of an untitled page can be shown.
var tagRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)<[^>]*>`) })

func (r reply) pageTitle(data []byte) string {
	m := titleRE().FindSubmatch(data)
	if m == nil {
		return ""
	}
	return r.text(string(m[1]), 100)
}
