package config

import (
	"reflect"
	"strings"
	"testing"
)

// TestParseDotenv: values come out as Codex's dotenv loader reads them.
func TestParseDotenv(t *testing.T) {
	tests := []struct {
		name string
		in   string
		env  map[string]string // the real environment
		want map[string]string
	}{
		{"plain", "KEY=1\nKEY2=two\n", nil, map[string]string{"KEY": "1", "KEY2": "two"}},
		{"blank lines and comments", "\n# HTTPS_PROXY=x\n   # indented\n\t\nKEY=1", nil, map[string]string{"KEY": "1"}},
		{"export", "export   SHELL_LOVER=1\nexport=2\n", nil, map[string]string{"SHELL_LOVER": "1", "export": "2"}},
		{"spaces around =", "KEY =val\nKEY2= val\n  KEY3  =  v3  \n", nil, map[string]string{"KEY": "val", "KEY2": "val", "KEY3": "v3"}},
		{"names", "my.key_1=a\n_X=b\n", nil, map[string]string{"my.key_1": "a", "_X": "b"}},
		{"empty", "KEY7=\nKEY8=     \nKEY9=   # foo\n", nil, map[string]string{"KEY7": "", "KEY8": "", "KEY9": ""}},
		{"comment after a space", "KEY=a #comment\nKEY2=a#b\nKEY3=\"q\" # it is\n", nil,
			map[string]string{"KEY": "a", "KEY2": "a#b", "KEY3": "q"}},
		{"single quotes are literal", `KEY='fo ur $X \n'`, map[string]string{"X": "x"}, map[string]string{"KEY": `fo ur $X \n`}},
		{"double quotes", `KEY="fi ve"`, nil, map[string]string{"KEY": "fi ve"}},
		{"escapes", `A=my\ cool\ value` + "\n" + `B="awesome \"mang\" \\ \$x"` + "\n" + `C="a\nb"` + "\n" + `D=\$sweet` + "\n",
			nil, map[string]string{"A": "my cool value", "B": `awesome "mang" \ $x`, "C": "a\nb", "D": "$sweet"}},
		{"quotes joined", `KEY='sweet $\fgs'\''fds'`, nil, map[string]string{"KEY": `sweet $\fgs'fds`}},
		{"multi-line double quotes", "KEY=\"line 1\nline 2\"\nNEXT=1\n", nil, map[string]string{"KEY": "line 1\nline 2", "NEXT": "1"}},
		{"multi-line single quotes", "KEY='-----BEGIN\n# not a comment\n-----END'\nNEXT=1\n", nil,
			map[string]string{"KEY": "-----BEGIN\n# not a comment\n-----END", "NEXT": "1"}},
		{"CRLF", "A=1\r\nB=\"x\"\r\n", nil, map[string]string{"A": "1", "B": "x"}},
		{"byte order mark", "\xef\xbb\xbfA=1\n", nil, map[string]string{"A": "1"}},
		{"later line wins", "A=1\nA=2\n", nil, map[string]string{"A": "2"}},
		{"substitution from earlier lines", "HOST=proxy.corp.test\nA=http://$HOST:8080\nB=\"http://${HOST}:3128\"\n", nil,
			map[string]string{"HOST": "proxy.corp.test", "A": "http://proxy.corp.test:8080", "B": "http://proxy.corp.test:3128"}},
		{"substitution from the real environment first", "HOST=file\nA=${HOST}\n", map[string]string{"HOST": "real"},
			map[string]string{"HOST": "file", "A": "real"}},
		{"empty real value falls back to the file", "HOST=file\nA=$HOST\n", map[string]string{"HOST": ""},
			map[string]string{"HOST": "file", "A": "file"}},
		{"undefined is empty", `KEY=">$KEY1<>${KEY2}<"`, nil, map[string]string{"KEY": "><><"}},
		{"a name is letters and digits", "KEY1=u\nKEY=>$KEY1_1<>$KEY1}<\n", nil, map[string]string{"KEY1": "u", "KEY": ">u_1<>u}<"}},
		{"no substitution when escaped or single-quoted", `A=\$X` + "\n" + `B="\${X}"` + "\n" + `C='$X'`, map[string]string{"X": "x"},
			map[string]string{"A": "$X", "B": "${X}", "C": "$X"}},
		{"own earlier value", "P=/a\nP=$P:/b\n", nil, map[string]string{"P": "/a:/b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseDotenv([]byte(tt.in), "/x/.env", envMap(tt.env))
			if err != nil {
				t.Fatalf("parseDotenv: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestParseDotenvErrors: a line Codex's dotenv loader rejects is an *Error
// naming file and line, and never the value, which may be a secret.
func TestParseDotenvErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		key, msg string
	}{
		{"no key", "A=1\n  -invalid  \n", 2, "", "not a KEY=VALUE line: a name starts with a letter or _"},
		{"name alone", "  invalid  \n", 1, "invalid", "not a KEY=VALUE line: no = after invalid"},
		{"no name before =", "=value\n", 1, "", "not a KEY=VALUE line"},
		{"no =", "A=1\n\nvery bacon = yes\n", 3, "very", "no = after very"},
		{"export alone", "export\n", 1, "", "not a KEY=VALUE line after export"},
		{"space in value", "KEY=my uncool secret\n", 1, "KEY", "KEY: unquoted text after a space"},
		{"unknown escape", "KEY=h\\8u\n", 1, "KEY", `KEY: unknown escape \8`},
		{"tab escape", `KEY="a\tb"`, 1, "KEY", `KEY: unknown escape \t`},
		{"unclosed double quote", "A=1\nKEY2=\"why\n", 2, "", `a "quoted" value is not closed before the end of the file`},
		{"unclosed single quote", "KEY3='please stop''\n", 1, "", "a 'quoted' value is not closed before the end of the file"},
		{"quote right after $NAME", "A=1\nKEY=\"$HOME\"\n", 2, "KEY", "KEY: a quoted value is not closed: a quote right after $NAME is kept as text; write ${NAME}"},
		{"unclosed ${", "KEY=${A\n", 1, "KEY", "KEY: ${ is not closed with }"},
		{"line after a multi-line value", "A=\"x\ny\"\nB=1 2\n", 3, "B", "B: unquoted text after a space"},
		{"trailing space at the end", "A=1\nB=2 ", 2, "", "the last line ends with a space or tab and no newline"},
		{"backslash at the end", "A=1\\", 1, "", `the file ends with \`},
		{"invalid UTF-8", "A=1\nB=\xff\n", 2, "", "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseDotenv([]byte(tt.in), "/x/.env", envMap(nil))
			ce := configError(t, err, "/x/.env:", tt.msg)
			if ce.File != "/x/.env" || ce.Line != tt.line || ce.Key != tt.key {
				t.Errorf("Error = %+v, want line %d key %q", ce, tt.line, tt.key)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q shows the value", err)
			}
		})
	}
}
