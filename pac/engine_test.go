package pac

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// The interpreter's limits and what it does not expose, beyond the PAC
// functions' own tests.
func TestFindProxyEngineBounds(t *testing.T) {
	tests := []struct {
		name, src, want string
		line            int
	}{
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
			_, err = s.FindProxy(context.Background(), mustURL(t, "https://auth.openai.com/"), o)
			var se *ScriptError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want a ScriptError", err)
			}
			if !strings.Contains(se.Error(), tt.want) || se.Line != tt.line && tt.line != 0 {
				t.Errorf("got %q (line %d), want %q at line %d", se.Error(), se.Line, tt.want, tt.line)
			}
			t.Log(err)
		})
	}
}

func TestCompileRegExpLookahead(t *testing.T) {
	_, err := Compile("function FindProxyForURL(u, h) {\n  return /a(?!b)/.test(h) ? 'DIRECT' : 'DIRECT';\n}", "re.pac")
	var se *ScriptError
	if !errors.As(err, &se) || se.Line != 2 || !strings.Contains(se.Msg, "regular expression") {
		t.Fatalf("got %v, want a syntax error at line 2 naming the regular expression", err)
	}
}

func TestStringAndArrayBuiltins(t *testing.T) {
	o := testOptions(time.Now())
	for expr, want := range map[string]string{
		`"ab".padStart(5, "xy")`: "xyxab",
		`"ab".padEnd(5)`:         "ab   ",
		`"abc".padStart(2)`:      "abc",
		`"ab".repeat(0)`:         "",
		`(function () { var k = []; for (var p in "ab") k.push(p); return k.join(); })()`:                                                  "0,1",
		`(function () { var k = []; for (var p in [1]) k.push(p); return k.join(); })()`:                                                   "0",
		`[3, 1, 2].sort().concat([4]).slice(1).join("")`:                                                                                   "234",
		`Math.max.apply(null, [1, 5, 2])`:                                                                                                  "5",
		`(function () { try { [1].forEach(function () { throw new TypeError("t"); }); } catch (e) { return e instanceof TypeError; } })()`: "true",
		`/^[a-z]+\.corp\.test$/.test("www.corp.test")`:                                                                                     "true",
	} {
		if got := eval(t, expr, o); got != want {
			t.Errorf("%s = %q, want %q", expr, got, want)
		}
	}
}

func TestFindProxyConcurrent(t *testing.T) {
	s := mustCompileFile(t, "testdata/large.pac")
	o := testOptions(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 5 {
				got, err := s.FindProxy(context.Background(), mustURL(t, "https://www.site99.corp.test/"), o)
				if err != nil || answer(got) != "DIRECT" {
					t.Errorf("got %q, %v", answer(got), err)
				}
			}
		})
	}
	wg.Wait()
}

func TestCompileRefusesDeepNesting(t *testing.T) {
	deep := "function FindProxyForURL(u, h) {\n  return " + strings.Repeat("(", 200000) + "'DIRECT'" + strings.Repeat(")", 200000) + ";\n}"
	_, err := Compile(deep, "deep.pac")
	var se *ScriptError
	if !errors.As(err, &se) || se.Line != 2 || !strings.Contains(se.Msg, "nested") {
		t.Fatalf("got %v, want a syntax error at line 2", err)
	}
	// Brackets in strings and comments do not count, nor do balanced ones.
	ok := "// " + strings.Repeat("(", 1000) + "\n/* " + strings.Repeat("[", 1000) + " */\nvar s = '" + strings.Repeat("{", 1000) + "\\'';\n" +
		strings.Repeat("(function () {\n", 100) + "return 1;\n" + strings.Repeat("})();\n", 100) +
		"function FindProxyForURL(u, h) { return \"DIRECT\"; }"
	s, err := Compile(ok, "ok.pac")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.FindProxy(context.Background(), mustURL(t, "https://a.test/"), testOptions(time.Now())); err != nil || answer(got) != "DIRECT" {
		t.Fatalf("got %q, %v", answer(got), err)
	}
}
