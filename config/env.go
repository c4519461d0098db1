package config

import (
	"fmt"
	"path/filepath"
	"time"
)

// Environment variables, in the order they are consulted. CA files come
// from CODEX_CA_CERTIFICATE (never from .env: a CODEX_ variable),
// SSL_CERT_FILE and SSL_CERT_DIR.
var (
	proxyVars   = []string{"HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"}
	noProxyVars = []string{"NO_PROXY", "no_proxy"}
)

// environment is where config looks variables up: the real environment,
// else $CODEX_HOME/.env.
type environment struct {
	getenv  func(string) string
	dotenv  map[string]string // the .env file's variables, CODEX_* removed
	envFile string            // its path
}

// lookup returns the value of a variable and its source: the name for the
// real environment, "NAME in /home/u/.codex/.env" for the file. An empty
// value counts as unset.
func (e environment) lookup(name string) (value, source string) {
	if v := e.getenv(name); v != "" {
		return v, name
	}
	if v := e.dotenv[name]; v != "" {
		return v, name + " in " + e.envFile
	}
	return "", ""
}

// overridden lists the variables config reads that the real environment
// and the .env file both set, to different values.
func (e environment) overridden() []string {
	var out []string
	for _, names := range [][]string{proxyVars, noProxyVars, {"SSL_CERT_FILE", "SSL_CERT_DIR"}} {
		for _, name := range names {
			if real, file := e.getenv(name), e.dotenv[name]; real != "" && file != "" && real != file {
				out = append(out, name)
			}
		}
	}
	return out
}

// fromEnv returns the settings the environment sets: the proxy (first
// non-empty of proxyVars), NO_PROXY, and CA files from CODEX_CA_CERTIFICATE,
// SSL_CERT_FILE and SSL_CERT_DIR (a list, split like PATH).
func fromEnv(env environment, home string) (*Settings, error) {
	s := &Settings{}
	s.Proxy = firstEnv(env, proxyVars)
	s.NoProxy = firstEnv(env, noProxyVars)

	add := func(name string, dir, optional bool) error {
		v, source := env.lookup(name)
		list := []string{v}
		if dir {
			list = filepath.SplitList(v)
		}
		for _, p := range list {
			if p == "" {
				continue
			}
			abs, err := expandPath(p, "", home)
			if err != nil {
				e := &Error{Key: name, Msg: fmt.Sprintf("%s %s: %v", name, p, err)}
				if source != name {
					e.File = env.envFile
				}
				return e
			}
			s.CA = append(s.CA, CAFile{Path: abs, Source: source, Dir: dir, Optional: optional})
		}
		return nil
	}
	if err := add("CODEX_CA_CERTIFICATE", false, false); err != nil {
		return nil, err
	}
	if err := add("SSL_CERT_FILE", false, true); err != nil {
		return nil, err
	}
	if err := add("SSL_CERT_DIR", true, true); err != nil {
		return nil, err
	}
	return s, nil
}

func firstEnv(env environment, names []string) Value[string] {
	for _, name := range names {
		if v, source := env.lookup(name); v != "" {
			return Value[string]{V: v, Source: source, Set: true}
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
	if err := flagString(&s.ProxyAuth, "--proxy-auth", f.ProxyAuth, proxyAuths); err != nil {
		return nil, err
	}
	if f.PAC != nil {
		v, err := pacFlag(*f.PAC, home)
		if err != nil {
			return nil, err
		}
		s.PAC = Value[string]{V: v, Source: "--pac", Set: true}
	}
	// The issuer URL is checked by the caller, like the file's issuer.
	if err := flagString(&s.Issuer, "--issuer", f.Issuer, nil); err != nil {
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
	if check != nil {
		if problem := check(*v); problem != "" {
			return &Error{Key: name, Msg: fmt.Sprintf("%s %q: %s", name, *v, problem)}
		}
	}
	*dst = Value[string]{V: *v, Source: name, Set: true}
	return nil
}
