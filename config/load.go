package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
)

// Load applies every source in precedence order, lowest first: the built-in
// defaults, the system file, Codex's system config.toml (Codex's keys only),
// $CODEX_HOME/config.toml, the --config file, Codex's managed_config.toml
// (Codex's keys only), $CODEX_HOME/.env, the environment, the flags. Values
// no source sets come from in.Fallback.
//
// The built-in defaults and the system file may list keys in [login]
// managed: a later source that sets one of them to another value is a
// *ManagedError, or with managed_mode = "warn" is ignored and noted in
// ManagedWarnings. A managed key nobody set keeps its default. Codex's
// managed_config.toml wins over all of them, as it does in Codex.
//
// A missing file is skipped, except the --config file. A file that cannot
// be read (a directory, a named pipe, one over 16 MiB) or parsed, an unknown
// key in [login], a bad value or a bad .env line is an *Error.
func Load(in Inputs) (*Settings, error) {
	getenv := in.Env
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	s := defaults(in.Fallback)

	home, homeSource, err := codexHome(in, getenv)
	if err != nil {
		return nil, err
	}
	s.CodexHome, s.CodexHomeSource = home, homeSource

	if len(in.BuiltIn) > 0 {
		layer, err := parse(in.BuiltIn, origin{name: sourceBuiltIn, source: sourceBuiltIn, it: true, builtIn: true}, in.Home)
		if err != nil {
			return nil, err
		}
		s.Profile = layer.Profile
		if err := s.apply(layer); err != nil {
			return nil, err
		}
	}

	for _, f := range configFiles(in, home) {
		if f.path == "" {
			continue
		}
		layer, path, err := readFile(f, in.Home)
		if absent(err) && !f.flag {
			continue
		}
		if err != nil {
			return nil, err
		}
		if f.codexManaged {
			s.enforceCodex(layer, path)
		} else if err := s.apply(layer); err != nil {
			return nil, err
		}
		if !slices.Contains(s.Files, path) {
			s.Files = append(s.Files, path)
		}
	}

	env := environment{getenv: getenv}
	env.envFile, env.dotenv, err = loadDotenv(home, getenv)
	if err != nil {
		return nil, err
	}
	s.EnvFile = env.envFile
	s.EnvOverridden = env.overridden()

	layer, err := fromEnv(env, in.Home)
	if err != nil {
		return nil, err
	}
	if err := s.apply(layer); err != nil {
		return nil, err
	}

	layer, err = fromFlags(in.Flags, in.Home)
	if err != nil {
		return nil, err
	}
	if err := s.apply(layer); err != nil {
		return nil, err
	}
	return s, nil
}

// configFile is one TOML file Load reads.
type configFile struct {
	path         string
	flag         bool // --config: must exist; sources read "--config PATH"
	codex        bool // Codex's own system file: only Codex's keys are read
	codexManaged bool // Codex's managed_config.toml: its keys win, "(managed by Codex)"
	system       bool // codex-login's system file: IT's, may hold [login] managed
}

// configFiles returns the TOML files in precedence order, lowest first.
func configFiles(in Inputs, codexHome string) []configFile {
	var codexConfig, managed string
	if in.CodexSystemDir != "" {
		codexConfig = filepath.Join(in.CodexSystemDir, "config.toml")
		managed = filepath.Join(in.CodexSystemDir, "managed_config.toml")
	}
	return []configFile{
		{path: in.SystemFile, system: true},
		{path: codexConfig, codex: true},
		{path: filepath.Join(codexHome, "config.toml")},
		{path: in.ConfigFile, flag: true},
		{path: managed, codex: true, codexManaged: true},
	}
}

// readFile reads and parses one config file. It returns the absolute path it
// read. A missing file is an *Error wrapping fs.ErrNotExist.
func readFile(f configFile, home string) (*Settings, string, error) {
	key := ""
	if f.flag {
		key = "--config"
	}
	abs, err := expandPath(f.path, "", home)
	if err != nil {
		return nil, "", &Error{Key: key, Msg: fmt.Sprintf("config file %s: %v", f.path, err)}
	}
	data, err := readRegular(abs)
	if err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			ce.Key = key
		}
		return nil, "", err
	}
	o := origin{name: abs, source: abs, dir: filepath.Dir(abs), codex: f.codex, it: f.system}
	switch {
	case f.flag:
		o.source = "--config " + abs
	case f.codexManaged:
		o.source = abs + " (managed by Codex)"
	}
	layer, err := parse(data, o, home)
	return layer, abs, err
}
