package login

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestParsePasted(t *testing.T) {
	const q = "code=ac_1&scope=openid&state=" + testState
	tests := []struct {
		name, text string
		ok         bool
		problem    string
	}{
		{"the whole address", "http://127.0.0.1:1455/auth/callback?" + q, true, ""},
		{"with a fragment", "http://127.0.0.1:1455/auth/callback?" + q + "#_=_", true, ""},
		{"in spaces and quotes", "  \"http://127.0.0.1:1457/auth/callback?" + q + "\"  ", true, ""},
		{"in angle brackets", "<http://localhost:1455/auth/callback?" + q + ">", true, ""},
		{"without the scheme", "127.0.0.1:1455/auth/callback?" + q, true, ""},
		{"only the query", q, true, ""},
		{"the query with its ?", "?" + q, true, ""},
		{"the sign-in page instead", "https://auth.openai.com/oauth/authorize?response_type=code&state=" + testState, false, "sign-in page's address"},
		{"another host", "http://evil.test/auth/callback?" + q, false, "return address"},
		{"another path", "http://127.0.0.1:1455/success?" + q, false, "return address"},
		{"garbage", "hello there", false, "no code="},
		{"a URL longer than any real one", "http://127.0.0.1:1455/auth/callback?" + q + "&x=" + strings.Repeat("a", maxPaste), false, "far longer"},
	}
	for _, tt := range tests {
		v, err := parsePasted(tt.text)
		var pe *PasteError
		switch {
		case tt.ok && (err != nil || v.Get("code") != "ac_1" || v.Get("state") != testState):
			t.Errorf("%s: %v, %v", tt.name, v, err)
		case !tt.ok && (!errors.As(err, &pe) || !strings.Contains(pe.Error(), tt.problem)):
			t.Errorf("%s: %v, want a PasteError saying %q", tt.name, err, tt.problem)
		}
	}
}

// Lines are read one at a time; a bad one is reported and skipped, an
// endless one too, and reading stops once a line decides the login.
func TestReadPastes(t *testing.T) {
	input := "garbage\n" + strings.Repeat("x", 3*maxPaste) + "\n\ncode=C&state=" + testState + "\nnever read\n"
	var warned []error
	var handled []url.Values
	readPastes(strings.NewReader(input), func(q url.Values) bool { handled = append(handled, q); return true }, func(err error) { warned = append(warned, err) })
	if len(warned) != 2 || len(handled) != 1 || handled[0].Get("code") != "C" {
		t.Fatalf("warned %v, handled %v", warned, handled)
	}
}

// A paste and the browser's callback race: exactly one completes the
// login, and a paste with another login's state is reported, not taken.
func TestPasteAndCallbackRace(t *testing.T) {
	for _, pasteFirst := range []bool{true, false} {
		cc := newTestCallback(t, nil)
		paste := func() bool {
			return cc.cb.pasted(url.Values{"code": {"PASTED"}, "state": {testState}})
		}
		if cc.cb.pasted(url.Values{"code": {"X"}, "state": {"other"}}) || len(cc.wrongStates) != 1 {
			t.Fatal("a paste with another state was taken")
		}
		if pasteFirst {
			if !paste() {
				t.Fatal("the paste did not decide the login")
			}
			if w := cc.get("/auth/callback?code=CB&state="+testState, "127.0.0.1:1455"); w.Code != 409 {
				t.Fatalf("the callback after a paste: %d, want 409", w.Code)
			}
		} else {
			if w := cc.get("/auth/callback?code=CB&state="+testState, "127.0.0.1:1455"); w.Code != 302 {
				t.Fatalf("the callback: %d", w.Code)
			}
			if !paste() {
				t.Fatal("a paste after the callback keeps reading")
			}
		}
		if len(cc.completed) != 1 {
			t.Fatalf("pasteFirst=%v: %d completions %v, want exactly one", pasteFirst, len(cc.completed), cc.completed)
		}
		if err, done := cc.outcome(); !done || err != nil {
			t.Fatalf("outcome %v %v", err, done)
		}
	}
}
