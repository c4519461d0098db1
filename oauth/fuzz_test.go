package oauth

import (
	"bytes"
	"net/http"
	"testing"
	"time"
	"unicode"
)

// FuzzDecodeReply feeds hostile replies to the classifier: whatever the
// body, the error must be bounded and printable on one line.
func FuzzDecodeReply(f *testing.F) {
	f.Add(400, "application/json", []byte(`{"error":"invalid_grant","error_description":"bad"}`))
	f.Add(403, "text/html", []byte("<html><title>Blocked</title></html>"))
	f.Add(200, "application/json", []byte(`{"error":{"message":"m"}}`))
	f.Add(502, "", []byte("\x1b[2J"))
	f.Add(302, "text/html", []byte("<title>\u202eMoved</title>"))
	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		resp := &http.Response{StatusCode: status, Status: http.StatusText(status), Header: http.Header{
			"Content-Type": {ctype}, "Location": {string(body)}, "X-Squid-Error": {ctype},
		}}
		var v struct {
			IDToken string `json:"id_token"`
		}
		err := reply{endpoint: "auth.corp.test/oauth/token"}.classify(resp, body, &v)
		if err == nil {
			return
		}
		msg := err.Error()
		if len(msg) > 2000 {
			t.Fatalf("error message of %d bytes", len(msg))
		}
		for _, r := range msg {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				t.Fatalf("control character %q in %q", r, msg)
			}
		}
		if bytes.Contains([]byte(msg), []byte("\n")) {
			t.Fatalf("message on more than one line: %q", msg)
		}
	})
}

// FuzzInterval feeds the device code's polling interval, which comes from
// the issuer as a string or a number: it is always a sane wait.
func FuzzInterval(f *testing.F) {
	f.Add([]byte(`"5"`))
	f.Add([]byte(`7`))
	f.Add([]byte(`"1e9"`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if d := interval(raw); d < time.Second || d > time.Hour {
			t.Fatalf("interval(%q) = %v", raw, d)
		}
	})
}
