package config

import (
	"fmt"
	"strings"
	"time"
)

// settings checks the decoded document and returns the settings it sets.
// Errors are *Error with Key set; the caller adds File and Line.
func (d *document) settings(o origin, home string) (*Settings, error) {
	s := &Settings{}
	var err error
	set := func(e error) {
		if err == nil {
			err = e
		}
	}
	if l := d.Login; l != nil {
		if l.CACertificate != nil {
			paths, e := stringList("login.ca_certificate", l.CACertificate)
			set(e)
			for _, p := range paths {
				abs, e := filePath("login.ca_certificate", p, o, home)
				set(e)
				s.CA = append(s.CA, CAFile{Path: abs, Source: o.source + ": [login] ca_certificate"})
			}
		}
		set(boolean(&s.UseSystemRoots, "login.use_system_roots", l.UseSystemRoots, o.source))
		set(str(&s.Proxy, "login.proxy", l.Proxy, o.source, nil))
		set(str(&s.NoProxy, "login.no_proxy", l.NoProxy, o.source, nil))
		set(str(&s.ProxyAuth, "login.proxy_auth", l.ProxyAuth, o.source, proxyAuths))
		if l.PACURL != nil {
			set(pacLocation(&s.PAC, l.PACURL, o, home))
		}
		// The issuer URL is checked by the caller, which knows what an
		// issuer needs; here only its type.
		set(str(&s.Issuer, "login.issuer", l.Issuer, o.source, nil))
		set(str(&s.ClientID, "login.client_id", l.ClientID, o.source, checkNotEmpty))
		set(port(&s.CallbackPort, "login.callback_port", l.CallbackPort, o.source))
		set(boolean(&s.OpenBrowser, "login.open_browser", l.OpenBrowser, o.source))
		set(duration(&s.Timeout, "login.timeout", l.Timeout, o.source))
		set(s.declareManaged(l, o))
	}
	set(str(&s.ForcedLoginMethod, "forced_login_method", d.ForcedLoginMethod, o.source, oneOf("chatgpt", "api")))
	set(str(&s.CredentialsStore, "cli_auth_credentials_store", d.CredentialsStore, o.source, oneOf("file", "keyring", "auto", "ephemeral")))
	if d.ForcedWorkspaceID != nil {
		ids, e := stringList("forced_chatgpt_workspace_id", d.ForcedWorkspaceID)
		set(e)
		s.ForcedWorkspaceIDs = Value[[]string]{V: ids, Source: o.source, Set: true}
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// display names a dotted key as a person reads it in the file.
func display(key string) string {
	if name, ok := strings.CutPrefix(key, "login."); ok {
		return "[login] " + name
	}
	return key
}

func badValue(key, format string, args ...any) *Error {
	return &Error{Key: key, Msg: display(key) + ": " + fmt.Sprintf(format, args...)}
}

// typeName describes the TOML type of a decoded value.
func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case []any:
		return "a list"
	case map[string]any:
		return "a table"
	default:
		return "a date or time"
	}
}

func str(dst *Value[string], key string, v any, source string, check func(string) string) error {
	if v == nil {
		return nil
	}
	s, ok := v.(string)
	if !ok {
		return badValue(key, "want a string, got %s", typeName(v))
	}
	if check != nil {
		if problem := check(s); problem != "" {
			return badValue(key, "%q %s", s, problem)
		}
	}
	*dst = Value[string]{V: s, Source: source, Set: true}
	return nil
}

func boolean(dst *Value[bool], key string, v any, source string) error {
	if v == nil {
		return nil
	}
	b, ok := v.(bool)
	if !ok {
		return badValue(key, "want true or false, got %s", typeName(v))
	}
	*dst = Value[bool]{V: b, Source: source, Set: true}
	return nil
}

func port(dst *Value[int], key string, v any, source string) error {
	if v == nil {
		return nil
	}
	n, ok := v.(int64)
	if !ok {
		return badValue(key, "want a port number, got %s", typeName(v))
	}
	if n < 1 || n > 65535 {
		return badValue(key, "%d is not a port number (1-65535)", n)
	}
	*dst = Value[int]{V: int(n), Source: source, Set: true}
	return nil
}

func duration(dst *Value[time.Duration], key string, v any, source string) error {
	if v == nil {
		return nil
	}
	s, ok := v.(string)
	if !ok {
		return badValue(key, `want a duration such as "15m", got %s`, typeName(v))
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return badValue(key, `%q is not a duration such as "15m"`, s)
	}
	if d <= 0 {
		return badValue(key, "%q must be more than zero", s)
	}
	*dst = Value[time.Duration]{V: d, Source: source, Set: true}
	return nil
}

// stringList accepts a string or a list of strings.
func stringList(key string, v any) ([]string, error) {
	switch v := v.(type) {
	case string:
		return []string{v}, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, badValue(key, "want a string or a list of strings, got a list holding %s", typeName(e))
			}
			out = append(out, s)
		}
		return out, nil
	default:
		return nil, badValue(key, "want a string or a list of strings, got %s", typeName(v))
	}
}

// filePath resolves a path named in a file: ~ against home, relative
// against the file's directory. The built-in defaults have no directory, so
// they must name absolute or ~ paths.
func filePath(key, p string, o origin, home string) (string, error) {
	if p == "" {
		return "", badValue(key, "empty path")
	}
	if o.dir == "" && !isAbsOrHome(p) {
		return "", badValue(key, "%q must be an absolute path or start with ~/", p)
	}
	abs, err := expandPath(p, o.dir, home)
	if err != nil {
		return "", badValue(key, "%q: %v", p, err)
	}
	return abs, nil
}

func checkNotEmpty(s string) string {
	if s == "" {
		return "must not be empty"
	}
	return ""
}

// proxyAuths checks a proxy authentication setting.
var proxyAuths = oneOf("auto", "basic", "ntlm", "negotiate", "none")

func oneOf(allowed ...string) func(string) string {
	return func(s string) string {
		for _, a := range allowed {
			if s == a {
				return ""
			}
		}
		return "is not one of " + strings.Join(allowed, ", ")
	}
}
