package config

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// origin is where a TOML document came from.
type origin struct {
	name   string // Error.File: the path, or "built-in defaults"
	source string // Value.Source: the path, "--config PATH" or "built-in defaults"
	dir    string // relative paths resolve against it; "" (built-in defaults) rejects them
	// codex marks one of Codex's own system files: only codexKeys are read
	// from it, and [login] there is ignored.
	codex bool
	// it marks IT's sources, the built-in defaults and the system file: only
	// they may hold [login] managed and managed_mode.
	it bool
	// builtIn marks the built-in defaults, where a top-level profile key
	// names them.
	builtIn bool
}

// codexKeys are Codex's own login keys, read from codex-login's files and
// from Codex's.
var codexKeys = []string{"forced_login_method", "forced_chatgpt_workspace_id", "cli_auth_credentials_store"}

// document is the part of a config file codex-login reads. Values are
// decoded as any and checked by hand, for messages that name the key and
// line. Every other top-level key and table belongs to Codex and is ignored.
type document struct {
	Login             *loginTable `toml:"login"`
	ForcedLoginMethod any         `toml:"forced_login_method"`
	ForcedWorkspaceID any         `toml:"forced_chatgpt_workspace_id"`
	CredentialsStore  any         `toml:"cli_auth_credentials_store"`
	Profile           any         `toml:"profile"` // read from the built-in defaults only
}

// loginTable is the [login] table. Its keys are strict: any other is an
// error (see unknownLoginKey).
type loginTable struct {
	CACertificate  any `toml:"ca_certificate"`
	UseSystemRoots any `toml:"use_system_roots"`
	Proxy          any `toml:"proxy"`
	NoProxy        any `toml:"no_proxy"`
	ProxyAuth      any `toml:"proxy_auth"`
	PACURL         any `toml:"pac_url"`
	Issuer         any `toml:"issuer"`
	ClientID       any `toml:"client_id"`
	CallbackPort   any `toml:"callback_port"`
	OpenBrowser    any `toml:"open_browser"`
	Timeout        any `toml:"timeout"`
	Managed        any `toml:"managed"`      // IT's sources only
	ManagedMode    any `toml:"managed_mode"` // IT's sources only
}

// loginKeys are the keys [login] may hold.
var loginKeys = []string{
	"ca_certificate", "use_system_roots", "proxy", "no_proxy", "proxy_auth", "pac_url", "issuer",
	"client_id", "callback_port", "open_browser", "timeout", "managed", "managed_mode",
}

// parse decodes one TOML document into the settings it sets.
// A leading UTF-8 byte order mark (Windows Notepad writes one) is skipped.
//
// Only the top-level keys and tables codex-login reads are decoded (see
// focus): a syntax error anywhere is reported, but Codex's own tables are
// not checked further, and their number does not slow loading down.
func parse(data []byte, o origin, home string) (*Settings, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	switch {
	case o.codex:
		data = focus(data, codexKeys...)
	case o.builtIn:
		data = focus(data, append(slices.Clip(codexKeys), "login", "profile")...)
	default:
		data = focus(data, append(slices.Clip(codexKeys), "login")...)
	}
	var doc document
	if err := toml.Unmarshal(data, &doc); err != nil {
		return nil, decodeError(err, o.name)
	}
	profile := ""
	if o.builtIn && doc.Profile != nil {
		name, ok := doc.Profile.(string)
		if !ok || name == "" {
			return nil, &Error{File: o.name, Line: keyLine(data, "profile"), Key: "profile", Msg: "profile: want the profile's name, a non-empty string"}
		}
		profile = name
		o.name = builtInSource(name)
		o.source = o.name
	}
	if !o.codex {
		if err := unknownLoginKey(data); err != nil {
			err.File = o.name
			return nil, err
		}
	}
	s, err := doc.settings(o, home)
	if err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			ce.File = o.name
			ce.Line = keyLine(data, ce.Key)
		}
		return nil, err
	}
	s.Profile = profile
	return s, nil
}

// builtInSource names the built-in defaults, after their profile if they
// have one.
func builtInSource(profile string) string {
	if profile == "" {
		return sourceBuiltIn
	}
	return "built-in profile " + profile
}

// decodeError turns a go-toml error (bad syntax, or login not a table) into
// an *Error.
func decodeError(err error, file string) *Error {
	var de *toml.DecodeError
	if !errors.As(err, &de) {
		return &Error{File: file, Msg: "invalid TOML: " + strings.TrimPrefix(err.Error(), "toml: "), Err: err}
	}
	line, _ := de.Position()
	key := strings.Join(de.Key(), ".")
	msg := "invalid TOML: " + strings.TrimPrefix(de.Error(), "toml: ")
	if key == "login" {
		msg = "login must be a table: [login]"
	}
	return &Error{File: file, Line: line, Key: key, Msg: msg, Err: err}
}

// unknownLoginKey returns an *Error (without File) for the first key under
// login that codex-login does not know, or nil.
//
// It walks the document itself rather than use go-toml's
// DisallowUnknownFields: go-toml v2.4.3 reports a key inside an inline table
// relative to that table (login = { nope = 1 } gives the key "nope"), so
// filtering its StrictMissingError by the "login" prefix would miss it.
// Below a known key nothing is reported: a table there is a type error,
// which settings reports.
func unknownLoginKey(data []byte) *Error {
	var bad *Error
	visit(data, func(path []string, line int, header bool) bool {
		if len(path) < 2 || path[0] != "login" || slices.Contains(loginKeys, path[1]) {
			return true
		}
		key := strings.Join(path, ".")
		bad = &Error{Line: line, Key: key, Msg: fmt.Sprintf("unknown key %q in [login]", strings.Join(path[1:], "."))}
		if header && len(path) == 2 {
			bad.Msg = fmt.Sprintf("unknown table [%s]", key)
		}
		return false
	})
	return bad
}

// keyLine returns the line where the dotted key is first set, or 0.
func keyLine(data []byte, key string) int {
	if key == "" {
		return 0
	}
	want := strings.Split(key, ".")
	found := 0
	visit(data, func(path []string, line int, _ bool) bool {
		if slices.Equal(path, want) {
			found = line
			return false
		}
		return true
	})
	return found
}
