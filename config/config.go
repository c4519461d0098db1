// Package config gathers codex-login's settings from their sources: the
// defaults embedded at build time, the system file, $CODEX_HOME/config.toml,
// --config FILE, $CODEX_HOME/.env, the environment and the command line,
// lowest precedence first. Codex's own login keys are also read from Codex's
// system files, where its managed file wins over everything. Every value
// remembers where it came from, so that errors and `config show` can name
// the source. Trust is a union: the CA files of every source are kept, in
// precedence order.
//
// Load reads files but never the process environment: everything outside is
// passed in through Inputs.
package config

import (
	"time"
)

const (
	// defaultStore is Codex's own default for cli_auth_credentials_store.
	defaultStore = "file"

	// sourceDefault is the Source of a value no source set.
	sourceDefault = "default"
	// sourceBuiltIn is the Source of a value from Inputs.BuiltIn without a
	// profile (see builtInSource).
	sourceBuiltIn = "built-in defaults"
)

// Settings are the effective settings after every source has been applied.
type Settings struct {
	// CA is the union of the CA files of every source, in precedence order:
	// built-in defaults, system file, CODEX_HOME file, --config, environment,
	// flags. A path named twice is kept once, at its first place.
	//
	// Each environment variable is read from the real environment, else
	// from $CODEX_HOME/.env.
	CA             []CAFile
	UseSystemRoots Value[bool]          // default true
	Proxy          Value[string]        // --proxy > HTTPS_PROXY, https_proxy, ALL_PROXY, all_proxy > files
	NoProxy        Value[string]        // --no-proxy > NO_PROXY, no_proxy > files
	ProxyAuth      Value[string]        // --proxy-auth > files: auto (default), basic, ntlm, negotiate or none
	PAC            Value[string]        // --pac > files: an http(s) or file:// URL or an absolute path; "" the OS decides
	Issuer         Value[string]        // default Inputs.Fallback.Issuer; checked by the caller
	ClientID       Value[string]        // default Inputs.Fallback.ClientID
	CallbackPort   Value[int]           // default Inputs.Fallback.Port; Set when any source named a port
	OpenBrowser    Value[bool]          // default true
	Timeout        Value[time.Duration] // default Inputs.Fallback.Timeout

	// Codex's own login keys. Besides codex-login's files they are read from
	// Codex's system files: CodexSystemDir/config.toml (below
	// $CODEX_HOME/config.toml) and CodexSystemDir/managed_config.toml (above
	// every file).
	ForcedLoginMethod  Value[string]   // forced_login_method: "chatgpt", "api" or "" (not forced)
	ForcedWorkspaceIDs Value[[]string] // forced_chatgpt_workspace_id, string or list
	// CredentialsStore is cli_auth_credentials_store: file, keyring, auto or
	// ephemeral (Codex keeps the credentials in memory only); default file.
	CredentialsStore Value[string]

	// CodexHome is the resolved CODEX_HOME (--codex-home > CODEX_HOME >
	// ~/.codex), absolute and with ~ expanded.
	CodexHome string
	// CodexHomeSource is where CodexHome came from: "--codex-home",
	// "CODEX_HOME" or "default".
	CodexHomeSource string
	// Files are the config files that were read, in precedence order.
	Files []string
	// EnvFile is $CODEX_HOME/.env when it was read, else "".
	EnvFile string
	// EnvOverridden names the variables codex-login reads that both the real
	// environment and EnvFile set, to different values. codex-login uses the
	// real environment's; Codex lets .env override it, so Codex's route or
	// trust differs from the one codex-login checked.
	EnvOverridden []string

	// Profile is the name of the built-in profile (the built-in defaults'
	// top-level profile key), or "". Their values' Source is then
	// "built-in profile NAME" instead of "built-in defaults".
	Profile string
	// Managed maps each managed key ("proxy", "ca_certificate",
	// "forced_chatgpt_workspace_id", ...) to the source that enforces it: the
	// built-in defaults or the system file that listed it in [login]
	// managed, or Codex's managed_config.toml for Codex's keys it sets.
	Managed map[string]string
	// ManagedWarnings are the attempts to change a managed key that were
	// ignored because its enforcer has managed_mode = "warn", one sentence
	// each.
	ManagedWarnings []string

	// manages, managesWarn and managedBy are what one IT source's [login]
	// managed and managed_mode declare, and that source; warnOnly marks the
	// managed keys whose enforcer is in warn mode.
	manages     []string
	managesWarn bool
	managedBy   string
	warnOnly    map[string]bool
}

// Value is one setting and the source it came from.
type Value[T any] struct {
	V T
	// Source names where V came from: "default" when no source set it (Set
	// is false), else "built-in defaults" or "built-in profile NAME", a file
	// path such as
	// "/etc/codex-login/config.toml", "--config /x.toml", an environment
	// variable such as "HTTPS_PROXY", Codex's managed file
	// ("/etc/codex/managed_config.toml (managed by Codex)"), a variable in
	// $CODEX_HOME/.env such as
	// "HTTPS_PROXY in /home/u/.codex/.env", or a flag such as "--proxy".
	Source string
	Set    bool
}

// CAFile is one place CA certificates are read from.
type CAFile struct {
	Path string // absolute; a directory when Dir
	// Source is where the path was named: "/home/u/.codex/config.toml: [login] ca_certificate",
	// "--config /x.toml: [login] ca_certificate", "built-in defaults: [login] ca_certificate",
	// "CODEX_CA_CERTIFICATE", "SSL_CERT_FILE", "SSL_CERT_DIR", the same
	// variables in $CODEX_HOME/.env ("SSL_CERT_FILE in /home/u/.codex/.env"),
	// or "--ca".
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
	BuiltIn    []byte              // TOML embedded at build time, same schema as the files; may be empty
	ConfigFile string              // --config FILE, "" for none; it must exist
	Flags      Flags               // values from the command line
	// Fallback holds the values used when no source sets them; their Source
	// is "default".
	Fallback Defaults
	// CodexSystemDir is the directory of Codex's own system files,
	// config.toml and managed_config.toml (CodexSystemDir() gives this OS's),
	// or "" for none. Only Codex's login keys are read from them.
	CodexSystemDir string
}

// Defaults are the values used when no source sets them. They belong to the
// packages that use them; config only reports them.
type Defaults struct {
	Issuer   string
	ClientID string
	Port     int
	Timeout  time.Duration
}

// Flags are the values given on the command line; nil or zero means not
// given.
type Flags struct {
	CA        []string       // --ca, repeatable
	Proxy     *string        // --proxy ("" means direct, overriding the environment)
	NoProxy   *string        // --no-proxy
	ProxyAuth *string        // --proxy-auth
	PAC       *string        // --pac URL or FILE (a relative path is against the working directory)
	CodexHome *string        // --codex-home
	Issuer    *string        // --issuer
	ClientID  *string        // --client-id
	Port      *int           // --port
	NoBrowser bool           // --no-browser
	Timeout   *time.Duration // --timeout
}

// defaults returns the settings before any source is applied.
func defaults(fb Defaults) *Settings {
	return &Settings{
		UseSystemRoots:     Value[bool]{V: true, Source: sourceDefault},
		Proxy:              Value[string]{Source: sourceDefault},
		NoProxy:            Value[string]{Source: sourceDefault},
		ProxyAuth:          Value[string]{V: "auto", Source: sourceDefault},
		PAC:                Value[string]{Source: sourceDefault},
		Issuer:             Value[string]{V: fb.Issuer, Source: sourceDefault},
		ClientID:           Value[string]{V: fb.ClientID, Source: sourceDefault},
		CallbackPort:       Value[int]{V: fb.Port, Source: sourceDefault},
		OpenBrowser:        Value[bool]{V: true, Source: sourceDefault},
		Timeout:            Value[time.Duration]{V: fb.Timeout, Source: sourceDefault},
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
	override(&s.ProxyAuth, o.ProxyAuth)
	override(&s.PAC, o.PAC)
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
