package logintest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxHops bounds the redirects Browse follows.
const maxHops = 10

// BrowserAgent is the User-Agent Browse sends, as a browser would.
const BrowserAgent = "Mozilla/5.0 (X11; Linux x86_64) logintest-browser"

// Browse plays the user's browser: it GETs authorizeURL with client (which
// must trust the issuer's path, e.g. through the proxy with its CA), follows
// redirects to the issuer's own host and to the loopback callback
// (127.0.0.1 or localhost), and returns the body of the first 2xx page. A
// redirect anywhere else, or a page that is neither 2xx nor 3xx, is an
// error naming the status and the start of the body. Errors name pages by
// scheme, host and path only: their queries hold codes.
func Browse(client *http.Client, authorizeURL string) (string, error) {
	start, err := url.Parse(authorizeURL)
	if err != nil || start.Host == "" {
		return "", errors.New("browse: the authorize URL is not an absolute URL")
	}
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	next := start
	for range maxHops {
		if !browsable(next, start) {
			return "", fmt.Errorf("browse: refusing to follow a redirect to %s", page(next))
		}
		status, body, location, err := get(&c, next)
		if err != nil {
			return "", err
		}
		switch {
		case status >= 200 && status <= 299:
			return body, nil
		case status >= 300 && status <= 399 && location != "":
			loc, err := next.Parse(location)
			if err != nil {
				return "", fmt.Errorf("browse: %s redirected to an invalid URL", page(next))
			}
			next = loc
		default:
			return "", fmt.Errorf("browse: GET %s: %d %s: %s", page(next), status, http.StatusText(status), snippet(body))
		}
	}
	return "", fmt.Errorf("browse: more than %d redirects", maxHops)
}

// get fetches u and returns its status, at most 64 KiB of its body and its
// Location header.
func get(c *http.Client, u *url.URL) (int, string, string, error) {
	req, err := http.NewRequest(http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, "", "", fmt.Errorf("browse: %s: %w", page(u), err)
	}
	req.Header.Set("User-Agent", BrowserAgent)
	resp, err := c.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its message repeats the whole URL, code and all
		}
		return 0, "", "", fmt.Errorf("browse: GET %s: %w", page(u), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return 0, "", "", fmt.Errorf("browse: read %s: %w", page(u), err)
	}
	return resp.StatusCode, string(body), resp.Header.Get("Location"), nil
}

// browsable is true for the issuer's own origin and for loopback callbacks.
func browsable(u, issuer *url.URL) bool {
	if u.Scheme == issuer.Scheme && u.Host == issuer.Host {
		return true
	}
	h := u.Hostname()
	return (u.Scheme == "http" || u.Scheme == "https") && (h == "127.0.0.1" || h == "localhost")
}

// page names u without its query.
func page(u *url.URL) string {
	return u.Scheme + "://" + u.Host + u.EscapedPath()
}

// snippet is the start of body on one line.
func snippet(body string) string {
	s := strings.Join(strings.Fields(body), " ")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}
