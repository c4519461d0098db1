package config

import (
	"fmt"
	"strings"
	"unicode"
)

// dotenv holds what parsing a .env file has gathered so far.
type dotenv struct {
	getenv func(string) string // the real environment
	vars   map[string]string   // the file's variables so far
}

// parseLine parses one line (see nextLine) and records its variable. It
// returns the key it read and a problem, or "" when the line is good.
func (d *dotenv) parseLine(line string) (key, problem string) {
	line = strings.TrimFunc(line, unicode.IsSpace)
	if line == "" || line[0] == '#' {
		return "", ""
	}
	key, line = cutKey(line)
	if key == "" {
		return "", "not a KEY=VALUE line: a name starts with a letter or _"
	}
	line = strings.TrimLeftFunc(line, unicode.IsSpace)
	if key == "export" && !strings.HasPrefix(line, "=") {
		if key, line = cutKey(line); key == "" {
			return "", "not a KEY=VALUE line after export: a name starts with a letter or _"
		}
		line = strings.TrimLeftFunc(line, unicode.IsSpace)
	}
	if !strings.HasPrefix(line, "=") {
		return key, fmt.Sprintf("not a KEY=VALUE line: no = after %s", key)
	}
	line = strings.TrimLeftFunc(line[1:], unicode.IsSpace)
	value := ""
	if line != "" && line[0] != '#' {
		if value, problem = d.parseValue(line); problem != "" {
			return key, key + ": " + problem
		}
	}
	d.vars[key] = value
	return key, ""
}

// cutKey cuts a name (a letter or _, then letters, digits, _ and .) from
// the start of s.
func cutKey(s string) (key, rest string) {
	if s == "" || !(isASCIILetter(s[0]) || s[0] == '_') {
		return "", s
	}
	i := 1
	for i < len(s) && (isASCIILetter(s[i]) || s[i] >= '0' && s[i] <= '9' || s[i] == '_' || s[i] == '.') {
		i++
	}
	return s[:i], s[i:]
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// parseValue parses a value as dotenvy 0.15 does, quirks included, so that
// codex-login sees what Codex sees:
//   - 'single quotes' keep everything literally;
//   - "double quotes" and unquoted text take the escapes \\ \' \" \$, \n
//     (a newline) and \ followed by a space;
//   - outside quotes, a space or tab ends the value: after it may come only
//     more spaces and tabs, then a # comment;
//   - $NAME (letters and digits) and ${NAME} outside single quotes take the
//     real environment's value, else that of an earlier line, else "". The
//     character that ends a $NAME is kept literally, even a closing quote,
//     so "$NAME" is unterminated where "${NAME}" is not.
func (d *dotenv) parseValue(in string) (string, string) {
	var out, name strings.Builder
	var strong, weak, escaped, expectEnd, quoteAfterName bool
	const (
		none = iota
		bare
		braced
	)
	mode := none
scan:
	for _, c := range in {
		switch {
		case expectEnd:
			switch c {
			case ' ', '\t':
			case '#':
				break scan
			default:
				return "", "unquoted text after a space: quote a value that holds spaces"
			}
		case escaped:
			switch c {
			case '\\', '\'', '"', '$', ' ':
				out.WriteRune(c)
			case 'n':
				out.WriteByte('\n')
			default:
				return "", fmt.Sprintf(`unknown escape \%c: dotenv knows \\ \' \" \$ \n and \ before a space`, c)
			}
			escaped = false
		case strong:
			if c == '\'' {
				strong = false
			} else {
				out.WriteRune(c)
			}
		case mode != none && isAlnum(c):
			name.WriteRune(c)
		case mode == bare && c == '{' && name.Len() == 0:
			mode = braced
		case mode == bare:
			d.substitute(&out, name.String())
			name.Reset()
			if c == '$' {
				continue
			}
			mode = none
			out.WriteRune(c)
			quoteAfterName = quoteAfterName || c == '"' || c == '\''
		case mode == braced:
			if c == '}' {
				d.substitute(&out, name.String())
				name.Reset()
				mode = none
			} else {
				name.WriteRune(c)
			}
		case c == '$':
			mode = bare
		case weak:
			switch c {
			case '"':
				weak = false
			case '\\':
				escaped = true
			default:
				out.WriteRune(c)
			}
		case c == '\'':
			strong = true
		case c == '"':
			weak = true
		case c == '\\':
			escaped = true
		case c == ' ' || c == '\t':
			expectEnd = true
		default:
			out.WriteRune(c)
		}
	}
	switch {
	case mode == braced:
		return "", "${ is not closed with }"
	case (strong || weak) && quoteAfterName:
		return "", "a quoted value is not closed: a quote right after $NAME is kept as text; write ${NAME}"
	case strong || weak:
		return "", "a quoted value is not closed"
	}
	d.substitute(&out, name.String())
	return out.String(), ""
}

// substitute writes the value of $name: the real environment's, else that
// of an earlier line of the file.
func (d *dotenv) substitute(out *strings.Builder, name string) {
	if name == "" {
		return
	}
	if v := d.getenv(name); v != "" {
		out.WriteString(v)
		return
	}
	out.WriteString(d.vars[name])
}

// isAlnum is Rust's char::is_alphanumeric.
func isAlnum(c rune) bool {
	return unicode.IsLetter(c) || unicode.IsNumber(c) || unicode.Is(unicode.Other_Alphabetic, c)
}
