package config

import (
	"fmt"
	"net/url"
	"strings"
)

// isPACURL is a PAC location that is a URL, kept as written; anything else
// is a path. A Windows path such as C:\x.pac has a one-letter "scheme" and
// stays a path.
func isPACURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "file":
		return true
	}
	return false
}

// pacLocation checks [login] pac_url: a URL, or a path resolved like
// ca_certificate. An empty string means "no PAC file" and overrides a
// lower source.
func pacLocation(dst *Value[string], v any, o origin, home string) error {
	const key = "login.pac_url"
	s, ok := v.(string)
	if !ok {
		return badValue(key, "want a URL or a path, got %s", typeName(v))
	}
	if s != "" && !isPACURL(s) {
		if strings.Contains(s, "://") {
			return badValue(key, "%q: want an http://, https:// or file:// URL, or a path", s)
		}
		abs, err := filePath(key, s, o, home)
		if err != nil {
			return err
		}
		s = abs
	}
	*dst = Value[string]{V: s, Source: o.source, Set: true}
	return nil
}

// pacFlag checks --pac like pac_url, with paths against the working
// directory.
func pacFlag(s, home string) (string, error) {
	if s == "" || isPACURL(s) {
		return s, nil
	}
	if strings.Contains(s, "://") {
		return "", &Error{Key: "--pac", Msg: fmt.Sprintf("--pac %q: want an http://, https:// or file:// URL, or a path", s)}
	}
	abs, err := expandPath(s, "", home)
	if err != nil {
		return "", &Error{Key: "--pac", Msg: fmt.Sprintf("--pac %s: %v", s, err)}
	}
	return abs, nil
}
