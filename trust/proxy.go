package trust

import (
	"net/url"
	"strconv"
	"strings"
)

// parseProxy checks a proxy setting the way golang.org/x/net/http/httpproxy
// reads it (a bare host:port means http://host:port) and returns it in
// canonical form. Errors never include the password.
func parseProxy(raw, source string) (*url.URL, error) {
	fail := func(reason string) error {
		return &ProxyURLError{Proxy: redactRaw(raw), Source: source, Reason: reason}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		if u2, err2 := url.Parse("http://" + raw); err2 == nil {
			u, err = u2, nil
		}
	}
	if err != nil {
		return nil, fail("is not a valid URL")
	}
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h":
	default:
		return nil, fail("has scheme " + strconv.Quote(u.Scheme) + ": use http, https, socks5 or socks5h")
	}
	if u.Hostname() == "" {
		return nil, fail("names no host")
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return nil, fail("has an invalid port")
		}
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fail("has a path, query or fragment; give only scheme://host:port")
	}
	return u, nil
}

// redactRaw hides the password of a proxy setting that may not even
// parse: user:secret@host becomes user:xxxxx@host.
func redactRaw(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Redacted()
	}
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 {
		start = i + 3
	}
	at := strings.LastIndex(raw, "@")
	if at < start {
		return raw
	}
	if colon := strings.Index(raw[start:at], ":"); colon >= 0 {
		return raw[:start+colon+1] + "xxxxx" + raw[at:]
	}
	return raw
}

var knownSchemes = map[string]string{
	"basic": "Basic", "digest": "Digest", "ntlm": "NTLM", "negotiate": "Negotiate",
	"kerberos": "Kerberos", "bearer": "Bearer",
}

// authSchemes lists the scheme of every challenge in Proxy-Authenticate
// values (RFC 9110, section 11.6.1): a challenge is a scheme token
// optionally followed by a token68 or by auth-params, and several
// challenges may share one value, separated by commas.
func authSchemes(values []string) []string {
	var out []string
	for _, v := range values {
		for _, part := range splitOutsideQuotes(v) {
			word, _, _ := strings.Cut(strings.TrimSpace(part), " ")
			if word == "" || strings.Contains(word, "=") {
				continue // an auth-param or token68 of the previous challenge
			}
			if k, ok := knownSchemes[strings.ToLower(word)]; ok {
				word = k
			}
			if !containsFold(out, word) {
				out = append(out, word)
			}
		}
	}
	return out
}

func splitOutsideQuotes(s string) []string {
	var parts []string
	quoted, escaped, start := false, false, 0
	for i, r := range s {
		switch {
		case escaped:
			escaped = false
		case quoted && r == '\\':
			escaped = true
		case r == '"':
			quoted = !quoted
		case r == ',' && !quoted:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
