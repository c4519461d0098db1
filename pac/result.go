package pac

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Candidate is one entry of FindProxyForURL's answer.
type Candidate struct {
	Direct bool
	Proxy  *url.URL // http://host:port, https://, socks4:// or socks5://; nil when Direct
}

func (c Candidate) String() string {
	if c.Direct {
		return "DIRECT"
	}
	return c.Proxy.Redacted()
}

// Schemes of the answer's keywords, and their default ports. "SOCKS"
// means SOCKS version 4, as in Chromium.
var keywords = map[string]struct {
	scheme string
	port   string
}{
	"PROXY":  {"http", "80"},
	"HTTP":   {"http", "80"},
	"HTTPS":  {"https", "443"},
	"SOCKS":  {"socks4", "1080"},
	"SOCKS4": {"socks4", "1080"},
	"SOCKS5": {"socks5", "1080"},
}

// ParseResult parses an answer such as "PROXY a:1; PROXY b:2; DIRECT".
// Keywords are case-insensitive and spaces are free; an unknown keyword,
// a missing or malformed host:port, or an answer with no entry at all is
// an error.
func ParseResult(s string) ([]Candidate, error) {
	var out []Candidate
	for _, entry := range strings.Split(s, ";") {
		f := strings.Fields(entry)
		if len(f) == 0 {
			continue
		}
		kw := strings.ToUpper(f[0])
		if kw == "DIRECT" {
			if len(f) != 1 {
				return nil, fmt.Errorf("%q: DIRECT takes no address", strings.TrimSpace(entry))
			}
			out = append(out, Candidate{Direct: true})
			continue
		}
		k, ok := keywords[kw]
		if !ok {
			return nil, fmt.Errorf("%q: unknown kind %q (want PROXY, HTTPS, SOCKS or DIRECT)", clip(entry), clip(f[0]))
		}
		if len(f) != 2 {
			return nil, fmt.Errorf("%q: want %s host:port", clip(entry), kw)
		}
		hostport, err := hostPort(f[1], k.port)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", clip(entry), err)
		}
		out = append(out, Candidate{Proxy: &url.URL{Scheme: k.scheme, Host: hostport}})
	}
	if len(out) == 0 {
		return nil, errors.New("no proxy and no DIRECT")
	}
	return out, nil
}

// hostPort checks host[:port] and adds the default port.
func hostPort(s, defPort string) (string, error) {
	host, port := s, defPort
	if strings.Count(s, ":") > 1 && !strings.HasPrefix(s, "[") {
		return "", fmt.Errorf("bad address %q: put an IPv6 address in brackets", clip(s))
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		host = s
	} else if strings.Contains(s, ":") {
		h, p, err := net.SplitHostPort(s)
		if err != nil {
			return "", fmt.Errorf("bad address %q", clip(s))
		}
		host, port = h, p
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("bad port in %q", clip(s))
	}
	if host == "" || strings.ContainsAny(host, "/@?#%[]\\\"'<>`{}|^ ") {
		return "", fmt.Errorf("bad host in %q", clip(s))
	}
	return net.JoinHostPort(host, port), nil
}

// clip keeps error messages short whatever a script answers.
func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
