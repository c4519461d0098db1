package codexauth

import (
	"bytes"
	"encoding/json"
	"testing"
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
		a, err := Parse(data)
		if err != nil {
			return
		}
		out, err := a.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		b, err := Parse(out)
		if err != nil {
			t.Fatalf("our own output does not parse: %v", err)
		}
		again, _ := b.Marshal()
		if !bytes.Equal(out, again) {
			t.Fatalf("marshal is not stable:\n%s\n%s", out, again)
		}
		compact, err := a.MarshalCompact()
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Compact(&want, out); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(compact, want.Bytes()) {
			t.Fatalf("compact form is not the indented form without whitespace:\n%s\n%s", compact, want.Bytes())
		}
	})
}
