package config

import (
	"fmt"
	"reflect"
	"slices"
	"time"
)

// ManagedError is an attempt to change a key that IT manages, in a source
// above the one that manages it, when that source's managed_mode is
// "enforce" (the default).
//
//	proxy is managed by /etc/codex-login/config.toml (IT's setting); --proxy cannot change it
type ManagedError struct {
	Key      string // the managed key: "proxy", "ca_certificate", "forced_chatgpt_workspace_id", ...
	Attempt  string // the source that tried: a file, "--config FILE", "HTTPS_PROXY", "SSL_CERT_FILE in FILE", "--proxy", ...
	Enforcer string // the source that manages it: "built-in defaults", "built-in profile NAME" or the system file
}

func (e *ManagedError) Error() string {
	return fmt.Sprintf("%s is managed by %s (IT's setting); %s cannot change it", e.Key, e.Enforcer, e.Attempt)
}

// field is one single-valued setting, by its key, so that managed keys can
// be checked without knowing their types.
type field struct {
	key    string
	isSet  func(*Settings) bool
	same   func(a, b *Settings) bool
	source func(*Settings) string
	unset  func(*Settings)
}

func fieldOf[T any](key string, v func(*Settings) *Value[T]) field {
	return field{
		key:    key,
		isSet:  func(s *Settings) bool { return v(s).Set },
		same:   func(a, b *Settings) bool { return reflect.DeepEqual(v(a).V, v(b).V) },
		source: func(s *Settings) string { return v(s).Source },
		unset:  func(s *Settings) { *v(s) = Value[T]{} },
	}
}

// fields are the settings besides ca_certificate that can be managed.
var fields = []field{
	fieldOf("use_system_roots", func(s *Settings) *Value[bool] { return &s.UseSystemRoots }),
	fieldOf("proxy", func(s *Settings) *Value[string] { return &s.Proxy }),
	fieldOf("no_proxy", func(s *Settings) *Value[string] { return &s.NoProxy }),
	fieldOf("pac_url", func(s *Settings) *Value[string] { return &s.PAC }),
	fieldOf("proxy_auth", func(s *Settings) *Value[string] { return &s.ProxyAuth }),
	fieldOf("issuer", func(s *Settings) *Value[string] { return &s.Issuer }),
	fieldOf("client_id", func(s *Settings) *Value[string] { return &s.ClientID }),
	fieldOf("callback_port", func(s *Settings) *Value[int] { return &s.CallbackPort }),
	fieldOf("open_browser", func(s *Settings) *Value[bool] { return &s.OpenBrowser }),
	fieldOf("timeout", func(s *Settings) *Value[time.Duration] { return &s.Timeout }),
	fieldOf("forced_login_method", func(s *Settings) *Value[string] { return &s.ForcedLoginMethod }),
	fieldOf("forced_chatgpt_workspace_id", func(s *Settings) *Value[[]string] { return &s.ForcedWorkspaceIDs }),
	fieldOf("cli_auth_credentials_store", func(s *Settings) *Value[string] { return &s.CredentialsStore }),
}

// manageable reports whether [login] managed may list key.
func manageable(key string) bool {
	return key == "ca_certificate" || slices.ContainsFunc(fields, func(f field) bool { return f.key == key })
}

// declareManaged checks [login] managed and managed_mode: only IT's
// sources may hold them, and managed lists known keys.
func (s *Settings) declareManaged(l *loginTable, o origin) error {
	if l.Managed == nil && l.ManagedMode == nil {
		return nil
	}
	if !o.it {
		key := "login.managed"
		if l.Managed == nil {
			key = "login.managed_mode"
		}
		return badValue(key, "only IT can manage settings, in the system file or the defaults built into codex-login; remove it here")
	}
	if l.Managed != nil {
		keys, err := stringList("login.managed", l.Managed)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if !manageable(k) {
				return badValue("login.managed", "%q is not a key that can be managed", k)
			}
		}
		s.manages, s.managedBy = keys, o.source
	}
	var mode Value[string]
	if err := str(&mode, "login.managed_mode", l.ManagedMode, o.source, oneOf("enforce", "warn")); err != nil {
		return err
	}
	s.managesWarn = mode.V == "warn"
	return nil
}

// apply merges one source's layer into s, lowest first. A managed key the
// layer sets to another value is an attempt to change it: a *ManagedError
// when its enforcer is in enforce mode, else dropped from the layer with a
// warning. Then the layer's own managed keys (IT's sources) join s.Managed.
func (s *Settings) apply(layer *Settings) error {
	for _, f := range fields {
		enforcer, managed := s.Managed[f.key]
		if !managed || !f.isSet(layer) {
			continue
		}
		if !f.same(s, layer) {
			if err := s.attempt(f.key, f.source(layer), enforcer); err != nil {
				return err
			}
		}
		f.unset(layer) // the value and source stay the enforcer's
	}
	if enforcer, managed := s.Managed["ca_certificate"]; managed {
		for _, c := range layer.CA {
			if slices.ContainsFunc(s.CA, func(have CAFile) bool { return have.Path == c.Path && have.Dir == c.Dir }) {
				continue
			}
			if err := s.attempt("ca_certificate", c.Source, enforcer); err != nil {
				return err
			}
		}
		layer.CA = nil // the ones already trusted are there; the others are refused
	}
	s.merge(layer)
	for _, k := range layer.manages {
		if _, ok := s.Managed[k]; ok {
			continue // the lower source keeps it
		}
		if s.Managed == nil {
			s.Managed, s.warnOnly = map[string]string{}, map[string]bool{}
		}
		s.Managed[k] = layer.managedBy
		s.warnOnly[k] = layer.managesWarn
	}
	return nil
}

// attempt refuses or records an attempt to change a managed key.
func (s *Settings) attempt(key, source, enforcer string) error {
	e := &ManagedError{Key: key, Attempt: source, Enforcer: enforcer}
	if !s.warnOnly[key] {
		return e
	}
	s.ManagedWarnings = append(s.ManagedWarnings, fmt.Sprintf("%s is managed by %s (IT's setting); %s is ignored", key, enforcer, source))
	return nil
}

// enforceCodex marks Codex's keys that its managed_config.toml set as
// managed by that file. They win over every codex-login source, as they do
// in Codex.
func (s *Settings) enforceCodex(layer *Settings, path string) {
	for _, f := range fields {
		if !slices.Contains(codexKeys, f.key) || !f.isSet(layer) {
			continue
		}
		if s.Managed == nil {
			s.Managed, s.warnOnly = map[string]string{}, map[string]bool{}
		}
		s.Managed[f.key] = path
		s.warnOnly[f.key] = false
	}
	s.merge(layer)
}
