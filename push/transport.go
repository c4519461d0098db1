package push

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Transport is the command that gives a shell on the target. The remote
// script's words follow Argv.
type Transport struct {
	Argv []string
	// Joined: the command hands its arguments to a shell on the other side
	// as one line (ssh does), so the script's words are quoted into one.
	Joined bool
}

// SSH is the system ssh to host ("host" or "user@host"), so that
// ~/.ssh/config, jump hosts and agents apply. port 0 leaves the port to
// ssh; options are given as -o each.
func SSH(host string, port int, options []string) (Transport, error) {
	if host == "" || strings.HasPrefix(host, "-") || strings.ContainsAny(host, " \t\r\n") {
		return Transport{}, fmt.Errorf("%q is not a host to ssh to", host)
	}
	argv := []string{"ssh", "-T"}
	if port != 0 {
		argv = append(argv, "-p", strconv.Itoa(port))
	}
	for _, o := range options {
		argv = append(argv, "-o", o)
	}
	return Transport{Argv: append(argv, "--", host), Joined: true}, nil
}

// Via is any command that runs its arguments on the target, such as
// "docker exec -i NAME" or "kubectl exec -i POD --", split into words as a
// shell splits simple words: blanks separate them, single quotes keep
// everything, double quotes and backslashes work as in sh. Nothing is
// expanded, so $, `, and the operators | & ; < > ( ) must be quoted.
func Via(command string) (Transport, error) {
	words, err := splitWords(command)
	if err != nil {
		return Transport{}, err
	}
	if len(words) == 0 {
		return Transport{}, errors.New("the command is empty")
	}
	return Transport{Argv: words}, nil
}

func splitWords(s string) ([]string, error) {
	var (
		words []string
		cur   strings.Builder
		in    bool // inside a word
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
			continue
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, errors.New("a single quote is not closed")
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 1
		case c == '"':
			j := i + 1
			for ; j < len(s) && s[j] != '"'; j++ {
				switch {
				case s[j] == '$' || s[j] == '`':
					return nil, fmt.Errorf("%q inside double quotes would be expanded by a shell; codex-login expands nothing: use single quotes", s[j])
				case s[j] == '\\' && j+1 < len(s) && strings.IndexByte("\"\\$`", s[j+1]) >= 0:
					j++
				}
				cur.WriteByte(s[j])
			}
			if j == len(s) {
				return nil, errors.New("a double quote is not closed")
			}
			i = j
		case c == '\\':
			if i+1 == len(s) {
				return nil, errors.New("the command ends with a backslash")
			}
			i++
			cur.WriteByte(s[i])
		case strings.IndexByte("|&;<>()$`*?[", c) >= 0 || !in && (c == '#' || c == '~'):
			return nil, fmt.Errorf("%q needs a shell, which --via does not start: quote it, or give a command such as sh -c '...'", c)
		default:
			cur.WriteByte(c)
		}
		in = true
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}

// String is the transport as a person would type it.
func (t Transport) String() string {
	words := t.Argv
	if t.Joined && len(words) > 2 && words[len(words)-2] == "--" {
		words = append(append([]string(nil), words[:len(words)-2]...), words[len(words)-1])
	}
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = quoteIfNeeded(w)
	}
	return strings.Join(quoted, " ")
}

// command is the whole command line that runs words on the target.
func (t Transport) command(words []string) []string {
	argv := append([]string(nil), t.Argv...)
	if !t.Joined {
		return append(argv, words...)
	}
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = quote(w)
	}
	return append(argv, strings.Join(quoted, " "))
}

// quote makes s one word for a POSIX shell (and for fish and zsh).
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func quoteIfNeeded(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\|&;<>()$`*?[#~") {
		return s
	}
	return quote(s)
}
