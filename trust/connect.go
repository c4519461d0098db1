package trust

import (
	"context"
	"encoding/base64"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

const (
	maxPage     = 64 << 10    // what is read of a proxy's refusal page
	pageWait    = time.Second // how long its body may take after the header
	maxPageText = 200         // runes of it kept for messages
)

// onConnectResponse turns a CONNECT answer other than 200 into
// *ProxyAuthError, *ProxySchemeError or *ProxyRefusedError, with the
// facts of the answer: status, squid's error code, the page's title.
func onConnectResponse(ctx context.Context, proxy *url.URL, req *http.Request, resp *http.Response) error {
	if t, ok := ctx.Value(tracerKey{}).(*tracer); ok {
		t.connectReply(proxy, resp) // Inspect shows the answer, whatever it was
	}
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	if w, ok := ctx.Value(watchKey{}).(*watch); ok {
		w.answered() // in time: what remains is its page, bounded by pageWait
	}
	if resp.StatusCode == http.StatusProxyAuthRequired {
		return &ProxyAuthError{
			Proxy:          proxy.Redacted(),
			Schemes:        authSchemes(resp.Header.Values("Proxy-Authenticate")),
			HadCredentials: proxy.User != nil,
		}
	}
	host := req.Host
	if h, port, err := net.SplitHostPort(host); err == nil && port == "443" {
		host = h
	}
	body := readPage(resp.Body)
	if resp.StatusCode == http.StatusBadRequest && sentToTLSPort(body) {
		return &ProxySchemeError{Proxy: proxy.Redacted(), Speaks: "https"}
	}
	secrets := proxySecrets(proxy)
	return &ProxyRefusedError{
		Proxy: proxy.Redacted(), Host: host, Status: printable(resp.Status, maxPageText, secrets), StatusCode: resp.StatusCode,
		ProxyError: printable(resp.Header.Get("X-Squid-Error"), maxPageText, secrets),
		Page:       printable(pageText(body), maxPageText, secrets),
	}
}

// readPage reads at most maxPage bytes of a refusal's body, waiting for
// it at most pageWait: a proxy may keep the connection open after an
// answer without a length. The Transport closes the connection after a
// refused CONNECT, which ends the read left behind.
func readPage(body io.Reader) []byte {
	if body == nil || body == http.NoBody {
		return nil
	}
	var (
		mu   sync.Mutex
		page []byte
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		r := io.LimitReader(body, maxPage)
		for {
			n, err := r.Read(buf)
			mu.Lock()
			page = append(page, buf[:n]...)
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t := time.NewTimer(pageWait)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
	mu.Lock()
	defer mu.Unlock()
	return append([]byte(nil), page...)
}

// pageText is the <title> of an HTML page, else the page itself.
func pageText(body []byte) string {
	s := strings.ToValidUTF8(string(body), "")
	lower := strings.ToLower(s)
	if i := strings.Index(lower, "<title"); i >= 0 {
		if j := strings.Index(lower[i:], ">"); j >= 0 {
			start := i + j + 1
			if end := strings.Index(lower[start:], "</title"); end >= 0 {
				return html.UnescapeString(s[start : start+end])
			}
		}
	}
	return s
}

// sentToTLSPort reports whether a 400 answer says that plain HTTP reached
// a TLS port (Go's and nginx's wording).
func sentToTLSPort(body []byte) bool {
	s := strings.ToLower(string(body))
	return strings.Contains(s, "http request to an https server") || strings.Contains(s, "plain http request was sent to https port")
}

// proxySecrets are the forms in which a proxy may echo the password back.
func proxySecrets(proxy *url.URL) []string {
	if proxy.User == nil {
		return nil
	}
	pass, ok := proxy.User.Password()
	if !ok || pass == "" {
		return nil
	}
	userPass := proxy.User.Username() + ":" + pass
	return []string{base64.StdEncoding.EncodeToString([]byte(userPass)), url.QueryEscape(pass), pass}
}

// printable makes text from a server fit for a message: secrets removed,
// control characters dropped (whitespace ones become spaces), spaces
// collapsed, cut to max runes; a hostile page cannot repaint the terminal.
func printable(s string, max int, secrets []string) string {
	for _, secret := range secrets {
		s = strings.ReplaceAll(s, secret, "xxxxx")
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r):
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
