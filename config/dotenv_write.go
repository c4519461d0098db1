package config

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// UpdateDotEnv sets keys in the dotenv file at path (Codex's
// $CODEX_HOME/.env), keeping every other line, comment and blank line as it
// was: an existing assignment of a key (including the "export KEY=..."
// form) is replaced in place, keeping its indentation, its export and its
// comment, and later assignments of the key are removed; a new key is
// appended. Keys in unset are removed. Values are written quoted so that
// parseDotenv, like Codex's dotenvy, reads them back exactly: in single
// quotes, which keep everything literally, else in double quotes with \\,
// \" and \$ escaped.
//
// The file is written 0600 through a temporary file in the same directory
// and a rename; a missing file is created (its directory must exist), and
// a symbolic link is followed. It refuses a value holding a line break, a
// NUL or invalid UTF-8, a name the reader would not accept, a CODEX_ name
// (Codex ignores those in .env), and a file that Codex's loader cannot
// read either, with the *Error that reading it gives.
func UpdateDotEnv(path string, set map[string]string, unset []string) error {
	if err := checkDotenvUpdate(path, set, unset); err != nil {
		return err
	}
	target := path
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if target, err = filepath.EvalSymlinks(path); err != nil {
			return &Error{File: path, Msg: "cannot update it: " + err.Error(), Err: err}
		}
	}
	data, err := readRegular(target)
	switch {
	case absent(err) && len(set) == 0:
		return nil
	case absent(err):
		data = nil
	case err != nil:
		return err
	}
	noEnv := func(string) string { return "" }
	if _, err := parseDotenv(data, path, noEnv); err != nil {
		return err
	}
	out := rewriteDotenv(string(data), set, unset)
	vars, err := parseDotenv([]byte(out), path, noEnv)
	if err != nil {
		return fmt.Errorf("update %s: the new file would not read back: %w", path, err)
	}
	for k, v := range set {
		if got, ok := vars[k]; !ok || got != v {
			return &Error{File: path, Key: k, Msg: fmt.Sprintf("cannot write %s so that it reads back as %q", k, v)}
		}
	}
	return replaceFile(target, path, []byte(out))
}

// checkDotenvUpdate refuses names and values that cannot be written.
func checkDotenvUpdate(path string, set map[string]string, unset []string) error {
	for _, k := range unset {
		if err := checkDotenvName(path, k); err != nil {
			return err
		}
	}
	for _, k := range slices.Sorted(maps.Keys(set)) {
		if err := checkDotenvName(path, k); err != nil {
			return err
		}
		msg, v := "", set[k]
		switch {
		case strings.HasPrefix(strings.ToUpper(k), codexPrefix):
			msg = "Codex ignores CODEX_ variables in .env"
		case slices.Contains(unset, k):
			msg = "it is both set and removed"
		case strings.ContainsAny(v, "\n\r"):
			msg = "its value holds a line break"
		case strings.ContainsRune(v, 0):
			msg = "its value holds a NUL character"
		case !utf8.ValidString(v):
			msg = "its value is not valid UTF-8"
		}
		if msg != "" {
			return &Error{File: path, Key: k, Msg: fmt.Sprintf("cannot set %s: %s", k, msg)}
		}
	}
	return nil
}

func checkDotenvName(path, k string) error {
	if key, rest := cutKey(k); key == "" || rest != "" {
		return &Error{File: path, Key: k, Msg: fmt.Sprintf("cannot write %q: a name starts with a letter or _ and holds only letters, digits, _ and .", k)}
	}
	return nil
}

// rewriteDotenv applies set and unset to the text of a .env file that
// parseDotenv accepts.
func rewriteDotenv(text string, set map[string]string, unset []string) string {
	var b strings.Builder
	if strings.HasPrefix(text, "\xef\xbb\xbf") {
		b.WriteString(text[:3])
		text = text[3:]
	}
	eol := "\n"
	if i := strings.IndexByte(text, '\n'); i > 0 && text[i-1] == '\r' {
		eol = "\r\n"
	}
	done := map[string]bool{}
	for text != "" {
		logical, rest, _, problem := nextLine(text)
		if problem != "" { // not after parseDotenv; keep the rest as it is
			b.WriteString(text)
			break
		}
		raw := text[:len(text)-len(rest)]
		text = rest
		key, export := assignmentKey(logical)
		v, isSet := set[key]
		switch {
		case key == "" || !isSet && !slices.Contains(unset, key):
			b.WriteString(raw)
		case isSet && !done[key]:
			done[key] = true
			lead := logical[:len(logical)-len(strings.TrimLeftFunc(logical, unicode.IsSpace))]
			if export {
				lead += "export "
			}
			tail := raw[len(logical):] // the line ending, or "#comment" and the line ending
			if strings.HasPrefix(tail, "#") {
				tail = " " + tail
			}
			b.WriteString(lead + key + "=" + quoteDotenv(v) + tail)
		}
	}
	out := b.String()
	for _, k := range slices.Sorted(maps.Keys(set)) {
		if done[k] {
			continue
		}
		if out != "" && !strings.HasSuffix(out, "\n") {
			out += eol
		}
		out += k + "=" + quoteDotenv(set[k]) + eol
	}
	return out
}

// assignmentKey returns the name a line of a .env file assigns, "" for a
// blank or comment line, and whether it has the "export KEY=" form.
func assignmentKey(line string) (key string, export bool) {
	line = strings.TrimFunc(line, unicode.IsSpace)
	if line == "" || line[0] == '#' {
		return "", false
	}
	key, rest := cutKey(line)
	if rest = strings.TrimLeftFunc(rest, unicode.IsSpace); key == "export" && !strings.HasPrefix(rest, "=") {
		key, _ = cutKey(rest)
		return key, true
	}
	return key, false
}

// quoteDotenv quotes v for dotenvy: in single quotes, where nothing is
// special, unless v holds a ' or ends with \ (which would escape the
// closing quote while dotenvy looks for the end of the line); else in
// double quotes, escaping \, " and $ (which would substitute a variable).
func quoteDotenv(v string) string {
	if !strings.Contains(v, "'") && !strings.HasSuffix(v, `\`) {
		return "'" + v + "'"
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`).Replace(v) + `"`
}

// replaceFile writes data to target through a temporary file in the same
// directory, made 0600, and a rename. name is the path the user gave.
func replaceFile(target, name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(target), ".env.codex-login-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return &Error{File: name, Msg: "cannot write it: " + err.Error(), Err: err}
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, target)
	}
	if err != nil {
		os.Remove(tmp)
		return &Error{File: name, Msg: "cannot write it: " + err.Error(), Err: err}
	}
	return nil
}
