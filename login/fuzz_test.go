package login

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode"
)

// Everything that parses input from outside has a fuzz target; seeds live
// in testdata/fuzz.

func FuzzParseIDToken(f *testing.F) {
	f.Add("eyJhbGciOiJSUzI1NiJ9.eyJlbWFpbCI6ImRldkBjb3JwLnRlc3QifQ.c2ln")
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := ParseIDToken(raw)
		if err != nil && c != (Claims{}) {
			t.Fatal("claims returned with an error")
		}
	})
}

func FuzzParseAuthFile(f *testing.F) {
	f.Add([]byte(`{"auth_mode":"chatgpt","OPENAI_API_KEY":null,"tokens":{"id_token":"a.b.c","access_token":"x","refresh_token":"y","account_id":"z"},"last_refresh":"2026-11-22T13:41:38.806162202Z"}`))
	f.Add([]byte(`{"OPENAI_API_KEY":"sk-1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseAuthFile(data)
		if err != nil {
			return
		}
		out, err := a.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		b, err := ParseAuthFile(out)
		if err != nil {
			t.Fatalf("our own output does not parse: %v", err)
		}
		again, _ := b.Marshal()
		if !bytes.Equal(out, again) {
			t.Fatalf("marshal is not stable:\n%s\n%s", out, again)
		}
	})
}

// FuzzDecodeReply feeds hostile token endpoint replies: the error must be
// printable on one line and bounded, whatever the body.
func FuzzDecodeReply(f *testing.F) {
	f.Add(400, "application/json", []byte(`{"error":"invalid_grant","error_description":"bad"}`))
	f.Add(403, "text/html", []byte("<html><title>Blocked</title></html>"))
	f.Add(200, "application/json", []byte(`{"error":{"message":"m"}}`))
	f.Add(502, "", []byte("\x1b[2J"))
	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		resp := &http.Response{StatusCode: status, Status: http.StatusText(status), Header: http.Header{"Content-Type": {ctype}}, Body: io.NopCloser(bytes.NewReader(body))}
		var v struct {
			IDToken string `json:"id_token"`
		}
		err := decodeReply(resp, "auth.corp.test/oauth/token", &v)
		if err == nil {
			return
		}
		msg := err.Error()
		if len(msg) > 2000 {
			t.Fatalf("error message of %d bytes", len(msg))
		}
		if _, ok := err.(*ResponseError); ok {
			return // carries a JSON decoder message, not the body
		}
		for _, r := range msg {
			if unicode.IsControl(r) {
				t.Fatalf("control character %q in %q", r, msg)
			}
		}
	})
}

// FuzzCallback sends arbitrary requests to the callback: it must never
// complete a login without the right state.
func FuzzCallback(f *testing.F) {
	f.Add("/auth/callback?code=c&state=wrong", "127.0.0.1:1455")
	f.Add("/auth/callback?error=access_denied&state="+testState, "127.0.0.1:1455")
	f.Add("/cancel", "localhost:1455")
	f.Fuzz(func(t *testing.T, target, host string) {
		if !strings.HasPrefix(target, "/") {
			return
		}
		r, err := http.NewRequest(http.MethodGet, "http://127.0.0.1:1455"+target, nil)
		if err != nil {
			return
		}
		r.Host = host
		completed := false
		c := newCallback(1455, testState, func(string) error { completed = true; return nil })
		w := httptest.NewRecorder()
		c.ServeHTTP(w, r)
		if completed && r.URL.Query().Get("state") != testState {
			t.Fatalf("completed with state %q", r.URL.Query().Get("state"))
		}
		if completed && host != "127.0.0.1:1455" && host != "localhost:1455" {
			t.Fatalf("completed with Host %q", host)
		}
	})
}
