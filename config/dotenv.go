package config

import (
	"bytes"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// $CODEX_HOME/.env is read the way Codex reads it: Codex loads it with Rust's
// dotenvy 0.15 at startup and drops every key that starts with CODEX_, in
// any case, so that the file cannot redirect Codex itself. Its values count
// below the real environment.

// codexPrefix starts the variables a .env file may not set.
const codexPrefix = "CODEX_"

// loadDotenv reads codexHome/.env. It returns its path and variables (the
// last line for a key wins; CODEX_* keys removed), or "" and nil when
// there is no such file. getenv is the real environment, for $NAME.
func loadDotenv(codexHome string, getenv func(string) string) (string, map[string]string, error) {
	path := filepath.Join(codexHome, ".env")
	data, err := readRegular(path)
	if absent(err) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	vars, err := parseDotenv(data, path, getenv)
	if err != nil {
		return "", nil, err
	}
	for k := range vars {
		if strings.HasPrefix(strings.ToUpper(k), codexPrefix) {
			delete(vars, k)
		}
	}
	return path, vars, nil
}

// parseDotenv parses a .env file as dotenvy does: blank lines and # comments
// are skipped; a line is [export ]KEY=VALUE, KEY made of letters, digits, _
// and . (not starting with a digit or .); a quoted value may span lines. See
// parseValue for values. A line dotenvy rejects is an *Error naming file and
// line (Codex would skip it). A later line for the same key wins.
func parseDotenv(data []byte, file string, getenv func(string) string) (map[string]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		bad := len(data)
		for i := 0; i < len(data); {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n == 1 {
				bad = i
				break
			}
			i += n
		}
		line := 1 + bytes.Count(data[:bad], []byte{'\n'})
		return nil, &Error{File: file, Line: line, Msg: "not valid UTF-8"}
	}
	d := dotenv{getenv: getenv, vars: map[string]string{}}
	text := string(data)
	for line := 1; text != ""; {
		logical, rest, lines, problem := nextLine(text)
		if problem != "" {
			return nil, &Error{File: file, Line: line, Msg: problem}
		}
		if key, problem := d.parseLine(logical); problem != "" {
			return nil, &Error{File: file, Line: line, Key: key, Msg: problem}
		}
		text, line = rest, line+lines
	}
	return d.vars, nil
}

// nextLine cuts the next line dotenvy parses from text: one line, or more
// while a quote is open or a line ends with \. A comment that follows a
// space or tab outside quotes is cut off, and so is the line ending. It
// returns the line, the rest of text, the number of lines consumed, and a
// problem when text ends inside the line.
func nextLine(text string) (line, rest string, lines int, problem string) {
	state := complete
	end := 0
	for {
		if end == len(text) {
			return "", "", lines, state.unfinished()
		}
		chunk := text[end:]
		if i := strings.IndexByte(chunk, '\n'); i >= 0 {
			chunk = chunk[:i+1]
			lines++
		}
		start := end
		end += len(chunk)
		if strings.HasPrefix(strings.TrimLeftFunc(text[:end], unicode.IsSpace), "#") {
			return "", text[end:], lines, ""
		}
		var cut int
		cut, state = state.next(chunk)
		switch state {
		case complete:
			line = strings.TrimSuffix(strings.TrimSuffix(text[:end], "\n"), "\r")
			return line, text[end:], lines, ""
		case comment:
			return text[:start+cut], text[end:], lines, ""
		}
	}
}

// lineState is where a line stands after some of its characters, as far as
// finding its end goes.
type lineState int

const (
	complete lineState = iota
	escape
	strongOpen
	strongOpenEscape
	weakOpen
	weakOpenEscape
	comment
	whiteSpace
)

// next runs the state over chunk. For comment, it also returns the offset
// of the # in chunk.
func (s lineState) next(chunk string) (int, lineState) {
	for i, c := range chunk {
		switch s {
		case whiteSpace, complete:
			switch {
			case s == whiteSpace && c == '#':
				return i, comment
			case s == complete && c != '\n' && c != '\r' && unicode.IsSpace(c):
				s = whiteSpace
			case c == '\\':
				s = escape
			case c == '"':
				s = weakOpen
			case c == '\'':
				s = strongOpen
			default:
				s = complete
			}
		case escape:
			s = complete
		case weakOpen:
			if c == '\\' {
				s = weakOpenEscape
			} else if c == '"' {
				s = complete
			}
		case strongOpen:
			if c == '\\' {
				s = strongOpenEscape
			} else if c == '\'' {
				s = complete
			}
		case weakOpenEscape:
			s = weakOpen
		case strongOpenEscape:
			s = strongOpen
		}
	}
	return 0, s
}

// unfinished describes a file that ends in state s.
func (s lineState) unfinished() string {
	switch s {
	case weakOpen, weakOpenEscape:
		return `a "quoted" value is not closed before the end of the file`
	case strongOpen, strongOpenEscape:
		return "a 'quoted' value is not closed before the end of the file"
	case escape:
		return `the file ends with \`
	default:
		return "the last line ends with a space or tab and no newline"
	}
}
