package login

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
)

// maxPaste bounds a pasted line: a real redirect is a few hundred bytes.
const maxPaste = 8 << 10

// PasteError is a pasted line that is not the redirect the login waits
// for. The login goes on waiting for another.
type PasteError struct{ Problem string }

func (e *PasteError) Error() string { return "the pasted text " + e.Problem }

// readPastes reads pasted lines from r until one completes the login or r
// ends, passing each candidate query to handle. A line that cannot be the
// redirect is reported through warn and skipped.
func readPastes(r io.Reader, handle func(url.Values) bool, warn func(error)) {
	br := bufio.NewReaderSize(r, maxPaste+2)
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			for errors.Is(err, bufio.ErrBufferFull) { // drop the rest of an endless line
				_, err = br.ReadSlice('\n')
			}
			warn(&PasteError{Problem: "is far longer than a sign-in address: paste only the address of the page that failed to load"})
			continue
		}
		if text := strings.TrimSpace(string(line)); text != "" {
			q, perr := parsePasted(text)
			if perr != nil {
				warn(perr)
			} else if handle(q) {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// parsePasted finds the redirect's query in what a person pasted: the
// whole address (with or without http://, with a #fragment, in quotes or
// angle brackets) or only its query string.
func parsePasted(text string) (url.Values, error) {
	text = strings.Trim(text, " \t\r\"'<>`")
	if len(text) > maxPaste {
		return nil, &PasteError{Problem: "is far longer than a sign-in address"}
	}
	text, _, _ = strings.Cut(text, "#")
	if !strings.Contains(text, "=") {
		return nil, &PasteError{Problem: "is not the address of the page that failed to load (it has no code=... or state=...)"}
	}
	if strings.HasPrefix(text, "?") || !strings.ContainsAny(strings.SplitN(text, "=", 2)[0], "/:") {
		return url.ParseQuery(strings.TrimPrefix(text, "?"))
	}
	if !strings.Contains(text, "://") {
		text = "http://" + text
	}
	u, err := url.Parse(text)
	if err != nil {
		return nil, &PasteError{Problem: "is not an address that can be read"}
	}
	switch {
	case u.Path == "/oauth/authorize":
		return nil, &PasteError{Problem: "is the sign-in page's address; sign in there, then paste the address the browser goes to next (it starts with http://127.0.0.1:1455/auth/callback)"}
	case u.Path != "/auth/callback" || !loopbackHost(u.Hostname()):
		return nil, &PasteError{Problem: "is not the sign-in's return address (it starts with http://127.0.0.1:1455/auth/callback)"}
	}
	return u.Query(), nil
}

func loopbackHost(h string) bool {
	ip := net.ParseIP(h)
	return h == "localhost" || ip != nil && ip.IsLoopback()
}
