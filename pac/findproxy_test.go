package pac

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func mustCompileFile(t testing.TB, path string) *Script {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Compile(string(b), path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func answer(c []Candidate) string {
	s := make([]string, len(c))
	for i, x := range c {
		s[i] = x.String()
	}
	return strings.Join(s, "; ")
}

func TestFindProxyCorporatePAC(t *testing.T) {
	s := mustCompileFile(t, "testdata/corp.pac")
	o := testOptions(time.Now())
	tests := []struct{ url, want string }{
		{"https://auth.openai.com/oauth/token", "DIRECT"},
		{"https://git.corp.test/x", "http://a.corp.test:3128; http://b.corp.test:3128; DIRECT"},
		{"http://WIKI.Corp.Test/", "http://a.corp.test:3128; http://b.corp.test:3128; DIRECT"},
		{"https://corp.test/", "DIRECT"},
		{"http://intranet/", "DIRECT"},
		{"http://10.4.5.6:8080/", "http://a.corp.test:3128"},
	}
	for _, tt := range tests {
		got, err := s.FindProxy(context.Background(), mustURL(t, tt.url), o)
		if err != nil {
			t.Fatalf("%s: %v", tt.url, err)
		}
		if answer(got) != tt.want {
			t.Errorf("%s: got %q, want %q", tt.url, answer(got), tt.want)
		}
	}
}

func TestFindProxySeesWhatBrowsersPass(t *testing.T) {
	s, err := Compile(`function FindProxyForURL(url, host) { return "PROXY " + host + ":1; SOCKS5 x:" + url.length; }
var seen; function record(u) { seen = u; }`, "echo.pac")
	if err != nil {
		t.Fatal(err)
	}
	// https URLs lose path, query and credentials; the length shows it.
	got, err := s.FindProxy(context.Background(), mustURL(t, "https://user:pw@auth.openai.com/secret?code=1#f"), testOptions(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if want := "http://auth.openai.com:1; socks5://x:" + strconv.Itoa(len("https://auth.openai.com/")); answer(got) != want {
		t.Errorf("got %q, want %q", answer(got), want)
	}
}

func TestFindProxyEx(t *testing.T) {
	s, err := Compile(`function FindProxyForURL(url, host) { return "PROXY old:1"; }
function FindProxyForURLEx(url, host) { return isInNetEx(dnsResolveEx(host).split(";")[0], "fd00::/8") ? "HTTPS new:443" : "DIRECT"; }`, "ex.pac")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.FindProxy(context.Background(), mustURL(t, "https://dual.corp.test/"), testOptions(time.Now()))
	if err != nil || answer(got) != "https://new:443" {
		t.Errorf("got %q, %v; want https://new:443", answer(got), err)
	}
}

func TestFindProxyRefuses(t *testing.T) {
	tests := []struct {
		name, src, want string
		line            int
	}{
		{"loops forever", "function FindProxyForURL(u, h) {\n while (true) {}\n}", "took longer than 300ms", 0},
		{"builds a huge string", "function FindProxyForURL(u, h) {\n var s = 'x';\n while (true) { s += s; }\n}", "", 0},
		{"repeats a huge string", "function FindProxyForURL(u, h) {\n return 'x'.repeat(1e9);\n}", "string longer than", 2},
		{"joins a huge array", "function FindProxyForURL(u, h) {\n return new Array(1e8).join('xx');\n}", "string longer than", 2},
		{"answers too much", "function FindProxyForURL(u, h) {\n return 'DIRECT;'.repeat(20000);\n}", "more than 65536", 0},
		{"throws", "function FindProxyForURL(u, h) {\n\n  throw new Error('nope');\n}", "nope", 3},
		{"calls nothing", "function FindProxyForURL(u, h) {\n  return missing(h);\n}", "missing", 2},
		{"recurses", "function f(n) { return f(n + 1); }\nfunction FindProxyForURL(u, h) { return f(0); }", "", 0},
		{"answers garbage", "function FindProxyForURL(u, h) { return 'PROXIE a:1'; }", "unknown kind", 0},
		{"answers a number", "function FindProxyForURL(u, h) { return 42; }", "not a string", 0},
		{"answers nothing", "function FindProxyForURL(u, h) { }", "returned nothing", 0},
		{"has no function", "var x = 1;", "no function FindProxyForURL", 0},
		// The interpreter's own limits, and what it does not expose.
		{"catches the interrupt", "function FindProxyForURL(u, h) {\n for (;;) { try { for (;;) {} } catch (e) {} }\n}", "took longer than", 0},
		{"catches it in finally", "function FindProxyForURL(u, h) {\n try { for (;;) {} } finally { for (;;) { try { h.length; } catch (e) {} } }\n}", "took longer than", 0},
		{"has no console", "function FindProxyForURL(u, h) {\n return typeof console;\n}", "unknown kind", 0},
		{"lookahead in new RegExp", "function FindProxyForURL(u, h) {\n\n return new RegExp('a(?=b)').test(h) ? 'DIRECT' : 'DIRECT';\n}", "Invalid regular expression", 3},
		{"applies a huge list", "function FindProxyForURL(u, h) {\n return String.fromCharCode.apply(null, {length: 4e9});\n}", "array longer than", 2},
		{"walks a huge array", "function FindProxyForURL(u, h) {\n return [].indexOf.call({length: 4e9}, 1);\n}", "array longer than", 2},
		{"pads too far", "function FindProxyForURL(u, h) {\n return 'x'.padStart(1e9);\n}", "string longer than", 2},
		{"throws a string", "function FindProxyForURL(u, h) {\n throw 'plain';\n}", "threw plain", 0},
		{"repeats negatively", "function FindProxyForURL(u, h) {\n return 'x'.repeat(-1);\n}", "RangeError", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Compile(tt.src, "bad.pac")
			if err != nil {
				t.Fatal(err)
			}
			o := testOptions(time.Now())
			o.Timeout = 300 * time.Millisecond
			if tt.name == "builds a huge string" {
				o.Timeout = 20 * time.Second // the memory bound must stop it, not the clock
			}
			start := time.Now()
			_, err = s.FindProxy(context.Background(), mustURL(t, "https://auth.openai.com/"), o)
			var se *ScriptError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want a ScriptError", err)
			}
			if !strings.Contains(se.Error(), tt.want) || se.Source != "bad.pac" || se.Line != tt.line && tt.line != 0 {
				t.Errorf("got %q (line %d), want %q at line %d", se.Error(), se.Line, tt.want, tt.line)
			}
			t.Logf("%v after %v", err, time.Since(start))
			if tt.name == "builds a huge string" && !strings.Contains(se.Msg, "memory") && !strings.Contains(se.Msg, "string") {
				t.Errorf("got %q, want it refused for its memory", se.Msg)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestFindProxyTimeoutIsPrompt(t *testing.T) {
	s, err := Compile("function FindProxyForURL(u, h) { for (;;) { dnsDomainIs(h, '.x'); } }", "loop.pac")
	if err != nil {
		t.Fatal(err)
	}
	o := testOptions(time.Now())
	o.Timeout = 200 * time.Millisecond
	start := time.Now()
	_, err = s.FindProxy(context.Background(), mustURL(t, "https://a.test/"), o)
	d := time.Since(start)
	var se *ScriptError
	if !errors.As(err, &se) || !strings.Contains(se.Msg, "took longer") {
		t.Fatalf("got %v, want took longer", err)
	}
	if d < 200*time.Millisecond || d > 2*time.Second {
		t.Errorf("stopped after %v, want about 200ms", d)
	}
}

func TestFindProxyCancelled(t *testing.T) {
	s, err := Compile("function FindProxyForURL(u, h) { while (true) {} }", "loop.pac")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = s.FindProxy(ctx, mustURL(t, "https://a.test/"), testOptions(time.Now()))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want the context's error", err)
	}
}

func TestFindProxyNoStateBetweenCalls(t *testing.T) {
	s, err := Compile("var n = 0; function FindProxyForURL(u, h) { n++; return 'PROXY p:' + n; }", "state.pac")
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		got, err := s.FindProxy(context.Background(), mustURL(t, "https://a.test/"), testOptions(time.Now()))
		if err != nil || answer(got) != "http://p:1" {
			t.Fatalf("got %q, %v; want a fresh runtime each call", answer(got), err)
		}
	}
}

func TestCompileSyntaxErrorNamesLine(t *testing.T) {
	_, err := Compile("function FindProxyForURL(url, host) {\n  if (host == 'a' {\n    return 'DIRECT';\n  }\n}", "http://wpad.corp.test/wpad.dat")
	var se *ScriptError
	if !errors.As(err, &se) {
		t.Fatalf("got %v, want a ScriptError", err)
	}
	if se.Line != 2 || !strings.HasPrefix(se.Error(), "PAC file http://wpad.corp.test/wpad.dat, line 2: syntax error") {
		t.Errorf("got %q (line %d)", se.Error(), se.Line)
	}
}
