package pac

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseResult(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"DIRECT", "DIRECT", ""},
		{"PROXY a:1; PROXY b:2; DIRECT", "http://a:1; http://b:2; DIRECT", ""},
		{"  proxy   a.corp.test:3128 ;;direct;  ", "http://a.corp.test:3128; DIRECT", ""},
		{"PROXY a", "http://a:80", ""},
		{"HTTP a:8080", "http://a:8080", ""},
		{"HTTPS secure.corp.test", "https://secure.corp.test:443", ""},
		{"SOCKS s:1080", "socks4://s:1080", ""},
		{"SOCKS4 s", "socks4://s:1080", ""},
		{"SOCKS5 s:9050", "socks5://s:9050", ""},
		{"PROXY [fd00::1]:3128", "http://[fd00::1]:3128", ""},
		{"HTTPS [fd00::1]", "https://[fd00::1]:443", ""},
		{"PROXY 10.0.0.1:3128", "http://10.0.0.1:3128", ""},
		{"PROXY\ta:1", "http://a:1", ""},
		{"", "", "no proxy and no DIRECT"},
		{" ; ; ", "", "no proxy and no DIRECT"},
		{"PROXIE a:1", "", "unknown kind"},
		{"PROXY", "", "want PROXY host:port"},
		{"PROXY a:1 b:2", "", "want PROXY host:port"},
		{"DIRECT now", "", "DIRECT takes no address"},
		{"PROXY a:0", "", "bad port"},
		{"PROXY a:99999", "", "bad port"},
		{"PROXY a:http", "", "bad port"},
		{"PROXY http://a:1", "", "bad"},
		{"PROXY user@a:1", "", "bad host"},
		{"PROXY :1", "", "bad host"},
		{"PROXY fd00::1", "", "bad"},
		{"<html>blocked</html>", "", "unknown kind"},
	}
	for _, tt := range tests {
		got, err := ParseResult(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseResult(%q) = %q, %v; want error %q", tt.in, answer(got), err, tt.err)
			}
			continue
		}
		if err != nil || answer(got) != tt.want {
			t.Errorf("ParseResult(%q) = %q, %v; want %q", tt.in, answer(got), err, tt.want)
		}
	}
}

func FuzzParseResult(f *testing.F) {
	for _, s := range []string{"DIRECT", "PROXY a:1; PROXY b:2; DIRECT", "HTTPS [::1]:443", "SOCKS5 s", "proxy a ;; direct"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseResult(s)
		if err != nil {
			return
		}
		if len(got) == 0 {
			t.Fatal("no candidates and no error")
		}
		for _, c := range got {
			if c.Direct == (c.Proxy != nil) {
				t.Fatalf("%q: candidate %+v is neither direct nor a proxy", s, c)
			}
			if c.Proxy != nil {
				// What we give back must survive a round trip through a URL.
				again, err := ParseResult("PROXY " + c.Proxy.Host)
				if err != nil || again[0].Proxy.Host != c.Proxy.Host {
					t.Fatalf("%q: %s does not parse again: %v", s, c.Proxy.Host, err)
				}
			}
		}
	})
}

func FuzzShExpMatch(f *testing.F) {
	f.Add("www.corp.test", "*.corp.test")
	f.Add("abc", "a?c")
	f.Add("a+b(c)", "*+*(?)")
	f.Fuzz(func(t *testing.T, s, pattern string) {
		if !utf8.ValidString(s) || !utf8.ValidString(pattern) {
			t.Skip("strings from a script are text")
		}
		// A pattern without wildcards matches only itself, and "*" all.
		if !strings.ContainsAny(pattern, "*?") && shExpMatch(s, pattern) != (s == pattern) {
			t.Fatalf("shExpMatch(%q, %q) without wildcards", s, pattern)
		}
		if !shExpMatch(s, "*") || !shExpMatch(s, s) && !strings.ContainsAny(s, "*?") {
			t.Fatalf("shExpMatch(%q) against * or itself", s)
		}
		if shExpMatch(s, pattern) && !shExpMatch(s, "*"+pattern) {
			t.Fatalf("shExpMatch(%q, %q) but not with a leading *", s, pattern)
		}
	})
}
