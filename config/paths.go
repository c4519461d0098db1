package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// codexHome resolves CODEX_HOME: --codex-home, else the CODEX_HOME
// environment variable, else ~/.codex. It returns the absolute path and its
// source. CODEX_HOME in $CODEX_HOME/.env is never read: Codex ignores it.
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
