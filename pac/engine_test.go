package pac

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

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
