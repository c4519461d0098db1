package config

import (
	"fmt"
	"path/filepath"
	"time"
)

// Environment variables, in the order they are consulted.
var (
	proxyVars   = []string{"HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"}
	noProxyVars = []string{"NO_PROXY", "no_proxy"}
)

// fromEnv returns the settings the environment sets: the proxy (first
// non-empty of proxyVars), NO_PROXY, and CA files from CODEX_CA_CERTIFICATE,
// SSL_CERT_FILE and SSL_CERT_DIR (a list, split like PATH).
func fromEnv(getenv func(string) string, home string) (*Settings, error) {
	s := &Settings{}
	s.Proxy = firstEnv(getenv, proxyVars)
	s.NoProxy = firstEnv(getenv, noProxyVars)

	add := func(name, p string, dir, optional bool) error {
		abs, err := expandPath(p, "", home)
		if err != nil {
			return &Error{Key: name, Msg: fmt.Sprintf("%s %s: %v", name, p, err)}
		}
		s.CA = append(s.CA, CAFile{Path: abs, Source: name, Dir: dir, Optional: optional})
		return nil
	}
	if p := getenv("CODEX_CA_CERTIFICATE"); p != "" {
		if err := add("CODEX_CA_CERTIFICATE", p, false, false); err != nil {
			return nil, err
		}
	}
	if p := getenv("SSL_CERT_FILE"); p != "" {
		if err := add("SSL_CERT_FILE", p, false, true); err != nil {
			return nil, err
		}
	}
	for _, p := range filepath.SplitList(getenv("SSL_CERT_DIR")) {
		if p == "" {
			continue
		}
		if err := add("SSL_CERT_DIR", p, true, true); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func firstEnv(getenv func(string) string, names []string) Value[string] {
	for _, name := range names {
		if v := getenv(name); v != "" {
			return Value[string]{V: v, Source: name, Set: true}
		}
	}
	return Value[string]{}
}

// fromFlags returns the settings the command line sets, checked like the
// same keys in a file.
func fromFlags(f Flags, home string) (*Settings, error) {
	s := &Settings{}
	for _, p := range f.CA {
		if p == "" {
			return nil, &Error{Key: "--ca", Msg: "--ca: empty path"}
		}
		abs, err := expandPath(p, "", home)
		if err != nil {
			return nil, &Error{Key: "--ca", Msg: fmt.Sprintf("--ca %s: %v", p, err)}
		}
		s.CA = append(s.CA, CAFile{Path: abs, Source: "--ca"})
	}
	if f.Proxy != nil {
		s.Proxy = Value[string]{V: *f.Proxy, Source: "--proxy", Set: true}
	}
	if f.NoProxy != nil {
		s.NoProxy = Value[string]{V: *f.NoProxy, Source: "--no-proxy", Set: true}
	}
	if err := flagString(&s.Issuer, "--issuer", f.Issuer, checkIssuer); err != nil {
		return nil, err
	}
	if err := flagString(&s.ClientID, "--client-id", f.ClientID, checkNotEmpty); err != nil {
		return nil, err
	}
	if f.Port != nil {
		if *f.Port < 1 || *f.Port > 65535 {
			return nil, &Error{Key: "--port", Msg: fmt.Sprintf("--port %d: not a port number (1-65535)", *f.Port)}
		}
		s.CallbackPort = Value[int]{V: *f.Port, Source: "--port", Set: true}
	}
	if f.NoBrowser {
		s.OpenBrowser = Value[bool]{V: false, Source: "--no-browser", Set: true}
	}
	if f.Timeout != nil {
		if *f.Timeout <= 0 {
			return nil, &Error{Key: "--timeout", Msg: fmt.Sprintf("--timeout %s: must be more than zero", *f.Timeout)}
		}
		s.Timeout = Value[time.Duration]{V: *f.Timeout, Source: "--timeout", Set: true}
	}
	return s, nil
}

func flagString(dst *Value[string], name string, v *string, check func(string) string) error {
	if v == nil {
		return nil
	}
	if problem := check(*v); problem != "" {
		return &Error{Key: name, Msg: fmt.Sprintf("%s %q: %s", name, *v, problem)}
	}
	*dst = Value[string]{V: *v, Source: name, Set: true}
	return nil
}
