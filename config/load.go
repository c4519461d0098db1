package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Load applies every source in precedence order, lowest first: the built-in
// defaults, the system file, $CODEX_HOME/config.toml, the --config file, the
// environment, the flags. A missing system or CODEX_HOME file is skipped; a
// missing --config file, a file that does not parse, an unknown key in [login]
// or a bad value is an *Error.
func Load(in Inputs) (*Settings, error) {
	getenv := in.Env
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	s := defaults()

	home, homeSource, err := codexHome(in, getenv)
	if err != nil {
		return nil, err
	}
	s.CodexHome, s.CodexHomeSource = home, homeSource

	if len(in.Defaults) > 0 {
		layer, err := parse(in.Defaults, origin{name: sourceBuiltIn, source: sourceBuiltIn}, in.Home)
		if err != nil {
			return nil, err
		}
		s.merge(layer)
	}

	files := []struct {
		path string
		flag bool // --config: must exist; sources read "--config PATH"
	}{
		{path: in.SystemFile},
		{path: filepath.Join(home, "config.toml")},
		{path: in.ConfigFile, flag: true},
	}
	for _, f := range files {
		if f.path == "" {
			continue
		}
		layer, path, err := readFile(f.path, f.flag, in.Home)
		if errors.Is(err, fs.ErrNotExist) && !f.flag {
			continue
		}
		if err != nil {
			return nil, err
		}
		s.merge(layer)
		if !slices.Contains(s.Files, path) {
			s.Files = append(s.Files, path)
		}
	}

	layer, err := fromEnv(getenv, in.Home)
	if err != nil {
		return nil, err
	}
	s.merge(layer)

	layer, err = fromFlags(in.Flags, in.Home)
	if err != nil {
		return nil, err
	}
	s.merge(layer)
	return s, nil
}

// readFile reads and parses one config file. It returns the absolute path it
// read. A missing file is an *Error wrapping fs.ErrNotExist.
func readFile(path string, flag bool, home string) (*Settings, string, error) {
	key := ""
	if flag {
		key = "--config"
	}
	abs, err := expandPath(path, "", home)
	if err != nil {
		return nil, "", &Error{Key: key, Msg: fmt.Sprintf("config file %s: %v", path, err)}
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, "", &Error{File: abs, Key: key, Msg: "cannot read it: " + err.Error(), Err: err}
	}
	o := origin{name: abs, source: abs, dir: filepath.Dir(abs)}
	if flag {
		o.source = "--config " + abs
	}
	layer, err := parse(data, o, home)
	return layer, abs, err
}

// codexHome resolves CODEX_HOME: --codex-home, else the CODEX_HOME
// environment variable, else ~/.codex. It returns the absolute path and its
// source.
func codexHome(in Inputs, getenv func(string) string) (string, string, error) {
	var p, source string
	switch {
	case in.Flags.CodexHome != nil:
		p, source = *in.Flags.CodexHome, "--codex-home"
	case getenv("CODEX_HOME") != "":
		p, source = getenv("CODEX_HOME"), "CODEX_HOME"
	default:
		if in.Home == "" {
			return "", "", &Error{Key: "CODEX_HOME", Msg: "cannot find ~/.codex: the home directory is unknown; set CODEX_HOME"}
		}
		p, source = filepath.Join(in.Home, ".codex"), sourceDefault
	}
	if p == "" {
		return "", "", &Error{Key: source, Msg: source + ": empty path"}
	}
	abs, err := expandPath(p, "", in.Home)
	if err != nil {
		return "", "", &Error{Key: source, Msg: fmt.Sprintf("%s %s: %v", source, p, err)}
	}
	return abs, source, nil
}

var errNoHome = errors.New("~ needs the home directory, which is unknown")

// expandPath expands a leading ~ against home and makes p absolute: relative
// to base, or to the working directory when base is "". The result is clean.
// Only "~" and "~/..." are expanded; "~user" is an ordinary name.
func expandPath(p, base, home string) (string, error) {
	if hasTilde(p) {
		if home == "" {
			return "", errNoHome
		}
		p = filepath.Join(home, p[1:])
	}
	if !filepath.IsAbs(p) && base != "" {
		p = filepath.Join(base, p)
	}
	return filepath.Abs(p)
}

// hasTilde reports whether p starts with the home directory: "~" or "~/".
func hasTilde(p string) bool {
	return p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, "~"+string(os.PathSeparator))
}

// isAbsOrHome reports whether p names a place without a base directory.
func isAbsOrHome(p string) bool {
	return filepath.IsAbs(p) || hasTilde(p)
}
