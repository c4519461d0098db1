// Package config gathers codex-login's settings from their sources: the
// defaults embedded at build time, the system file, $CODEX_HOME/config.toml,
// --config FILE, the environment and the command line, lowest precedence
// first. Every value remembers where it came from, so that errors and
// `config show` can name the source. Trust is a union: the CA files of every
// source are kept, in precedence order.
//
// Load reads files but never the process environment: everything outside is
// passed in through Inputs.
package config

import (
	"time"
)

// Hard-coded defaults, used when no source sets a value.
const (
	defaultIssuer   = "https://auth.openai.com"
	defaultClientID = "app_EMoamEEZ73f0CkXaXp7hrann"
	defaultPort     = 1455
	defaultTimeout  = 15 * time.Minute
	defaultStore    = "file"

	// sourceDefault is the Source of a value no source set.
	sourceDefault = "default"
	// sourceBuiltIn is the Source of a value from Inputs.Defaults.
	sourceBuiltIn = "built-in defaults"
)

// Settings are the effective settings after every source has been applied.
type Settings struct {
	// CA is the union of the CA files of every source, in precedence order:
	// built-in defaults, system file, CODEX_HOME file, --config, environment,
	// flags. A path named twice is kept once, at its first place.
	CA             []CAFile
	UseSystemRoots Value[bool]          // default true
	Proxy          Value[string]        // --proxy > HTTPS_PROXY, https_proxy, ALL_PROXY, all_proxy > files
	NoProxy        Value[string]        // --no-proxy > NO_PROXY, no_proxy > files
	Issuer         Value[string]        // default https://auth.openai.com
	ClientID       Value[string]        // default app_EMoamEEZ73f0CkXaXp7hrann
	CallbackPort   Value[int]           // default 1455; Set when any source named a port
	OpenBrowser    Value[bool]          // default true
	Timeout        Value[time.Duration] // default 15m

	ForcedLoginMethod  Value[string]   // Codex's forced_login_method: "chatgpt", "api" or "" (not forced)
	ForcedWorkspaceIDs Value[[]string] // Codex's forced_chatgpt_workspace_id, string or list
	CredentialsStore   Value[string]   // Codex's cli_auth_credentials_store: file, keyring or auto; default file

	// CodexHome is the resolved CODEX_HOME (--codex-home > CODEX_HOME >
	// ~/.codex), absolute and with ~ expanded.
	CodexHome string
	// CodexHomeSource is where CodexHome came from: "--codex-home",
	// "CODEX_HOME" or "default".
	CodexHomeSource string
	// Files are the config files that were read, in order.
	Files []string
}

// Value is one setting and the source it came from.
type Value[T any] struct {
	V T
	// Source names where V came from: "default" when no source set it (Set
	// is false), else "built-in defaults", a file path such as
	// "/etc/codex-login/config.toml", "--config /x.toml", an environment
	// variable such as "HTTPS_PROXY", or a flag such as "--proxy".
	Source string
	Set    bool
}

// CAFile is one place CA certificates are read from.
type CAFile struct {
	Path string // absolute; a directory when Dir
	// Source is where the path was named: "/home/u/.codex/config.toml: [login] ca_certificate",
	// "--config /x.toml: [login] ca_certificate", "built-in defaults: [login] ca_certificate",
	// "CODEX_CA_CERTIFICATE", "SSL_CERT_FILE", "SSL_CERT_DIR" or "--ca".
	Source   string
	Dir      bool
	Optional bool // SSL_CERT_FILE and SSL_CERT_DIR: missing is a warning, not an error
}

// Inputs is everything Load needs from outside, so that tests need no real
// environment.
type Inputs struct {
	Env        func(string) string // os.Getenv in main; nil reads as an empty environment
	Home       string              // the user's home directory, for ~ and ~/.codex
	SystemFile string              // the system config file (SystemFile() gives this OS's); "" for none
	Defaults   []byte              // TOML embedded at build time, same schema as the files; may be empty
	ConfigFile string              // --config FILE, "" for none; it must exist
	Flags      Flags               // values from the command line
}

// Flags are the values given on the command line; nil or zero means not
// given.
type Flags struct {
	CA        []string       // --ca, repeatable
	Proxy     *string        // --proxy ("" means direct, overriding the environment)
	NoProxy   *string        // --no-proxy
	CodexHome *string        // --codex-home
	Issuer    *string        // --issuer
	ClientID  *string        // --client-id
	Port      *int           // --port
	NoBrowser bool           // --no-browser
	Timeout   *time.Duration // --timeout
}

// defaults returns the settings before any source is applied.
func defaults() *Settings {
	return &Settings{
		UseSystemRoots:     Value[bool]{V: true, Source: sourceDefault},
		Proxy:              Value[string]{Source: sourceDefault},
		NoProxy:            Value[string]{Source: sourceDefault},
		Issuer:             Value[string]{V: defaultIssuer, Source: sourceDefault},
		ClientID:           Value[string]{V: defaultClientID, Source: sourceDefault},
		CallbackPort:       Value[int]{V: defaultPort, Source: sourceDefault},
		OpenBrowser:        Value[bool]{V: true, Source: sourceDefault},
		Timeout:            Value[time.Duration]{V: defaultTimeout, Source: sourceDefault},
		ForcedLoginMethod:  Value[string]{Source: sourceDefault},
		ForcedWorkspaceIDs: Value[[]string]{Source: sourceDefault},
		CredentialsStore:   Value[string]{V: defaultStore, Source: sourceDefault},
	}
}

// merge applies the values o sets over s and appends o's CA files.
func (s *Settings) merge(o *Settings) {
	for _, c := range o.CA {
		s.addCA(c)
	}
	override(&s.UseSystemRoots, o.UseSystemRoots)
	override(&s.Proxy, o.Proxy)
	override(&s.NoProxy, o.NoProxy)
	override(&s.Issuer, o.Issuer)
	override(&s.ClientID, o.ClientID)
	override(&s.CallbackPort, o.CallbackPort)
	override(&s.OpenBrowser, o.OpenBrowser)
	override(&s.Timeout, o.Timeout)
	override(&s.ForcedLoginMethod, o.ForcedLoginMethod)
	override(&s.ForcedWorkspaceIDs, o.ForcedWorkspaceIDs)
	override(&s.CredentialsStore, o.CredentialsStore)
}

// addCA appends c unless the same path is already there. A path named again
// without Optional makes the kept entry required.
func (s *Settings) addCA(c CAFile) {
	for i, have := range s.CA {
		if have.Path == c.Path && have.Dir == c.Dir {
			s.CA[i].Optional = have.Optional && c.Optional
			return
		}
	}
	s.CA = append(s.CA, c)
}

func override[T any](dst *Value[T], src Value[T]) {
	if src.Set {
		*dst = src
	}
}
