package pac

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

const maxPACFile = 1 << 20

// FetchError is a PAC file that could not be read: its location, the HTTP
// status when there was one, and why.
type FetchError struct {
	Source string // URL (redacted) or path
	Status int    // 0 when no HTTP reply
	Err    error
}

func (e *FetchError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("fetch PAC file %s: HTTP %d: %v", e.Source, e.Status, e.Err)
	}
	return fmt.Sprintf("fetch PAC file %s: %v", e.Source, e.Err)
}

func (e *FetchError) Unwrap() error { return e.Err }

// Fetch reads a PAC file from an http(s) URL or a local path or file://
// URL. An http(s) URL is fetched directly: client, which the caller gives
// with its trust, must not use a proxy (its Transport's Proxy nil), since
// the proxy is what the file decides. The file is bounded to 1 MiB and by
// ctx; a non-2xx status, an HTML page or an empty body is a *FetchError.
func Fetch(ctx context.Context, client *http.Client, location string) (string, error) {
	u, err := url.Parse(location)
	if err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		return fetchHTTP(ctx, client, u)
	}
	path := location
	if err == nil && u.Scheme == "file" {
		path = filepath.FromSlash(u.Path)
	}
	b, err := readFile(path)
	if err != nil {
		return "", &FetchError{Source: path, Err: err}
	}
	return checkBody(path, 0, b, "")
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f)
}

func readLimited(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxPACFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxPACFile {
		return nil, fmt.Errorf("larger than %d bytes", maxPACFile)
	}
	return b, nil
}

func fetchHTTP(ctx context.Context, client *http.Client, u *url.URL) (string, error) {
	src := u.Redacted()
	client = direct(client)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", &FetchError{Source: src, Err: err}
	}
	req.Header.Set("Accept", "application/x-ns-proxy-autoconfig, application/javascript;q=0.9, */*;q=0.1")
	resp, err := client.Do(req)
	if err != nil {
		return "", &FetchError{Source: src, Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", &FetchError{Source: src, Status: resp.StatusCode, Err: fmt.Errorf("the server answered %s", resp.Status)}
	}
	b, err := readLimited(resp.Body)
	if err != nil {
		return "", &FetchError{Source: src, Status: resp.StatusCode, Err: err}
	}
	return checkBody(src, resp.StatusCode, b, resp.Header.Get("Content-Type"))
}

// direct returns client, or a copy of it whose transport uses no proxy:
// a nil client or transport would mean http.DefaultTransport, which reads
// HTTPS_PROXY.
func direct(client *http.Client) *http.Client {
	if client == nil {
		client = &http.Client{}
	}
	t, ok := client.Transport.(*http.Transport)
	switch {
	case client.Transport == nil:
		t = http.DefaultTransport.(*http.Transport)
	case !ok || t.Proxy == nil:
		return client // nil Proxy: already direct; another RoundTripper: the caller's
	}
	c := *client
	nt := t.Clone()
	nt.Proxy = nil
	c.Transport = nt
	return &c
}

// checkBody refuses what is surely not a PAC file: nothing, an HTML page
// (a captive portal or a proxy's block page), or bytes that are not text.
func checkBody(src string, status int, b []byte, ctype string) (string, error) {
	fail := func(msg string) (string, error) {
		return "", &FetchError{Source: src, Status: status, Err: fmt.Errorf("%s", msg)}
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 {
		return fail("the file is empty")
	}
	mt, _, _ := mime.ParseMediaType(ctype)
	head := strings.ToLower(string(trimmed[:min(len(trimmed), 512)]))
	if mt == "text/html" || strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") ||
		strings.HasPrefix(head, "<head") || strings.HasPrefix(head, "<?xml") {
		return fail("got an HTML page, not a PAC file")
	}
	if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return fail("not a text file")
	}
	return string(b), nil
}
