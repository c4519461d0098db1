package oauth

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// htmlErr checks that err is an *HTMLError of kind with title.
func htmlErr(kind, title string, status int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		var he *HTMLError
		if !errors.As(err, &he) || he.Kind != kind || he.Title != title || he.Status != status {
			t.Fatalf("got %#v, want an HTML %s page %q (HTTP %d)", err, kind, title, status)
		}
	}
}

func TestTokenEndpointReplies(t *testing.T) {
	cases := []struct {
		name   string
		status int
		header http.Header
		body   string
		check  func(t *testing.T, err error)
	}{
		{"RFC error", 400, http.Header{"Content-Type": {"application/json"}}, `{"error":"invalid_grant","error_description":"Code already used"}`, func(t *testing.T, err error) {
			var te *TokenError
			if !errors.As(err, &te) || te.Code != "invalid_grant" || te.Description != "Code already used" || te.Status != 400 {
				t.Fatalf("got %#v", err)
			}
			if !strings.Contains(err.Error(), "invalid_grant: Code already used") || !strings.Contains(err.Error(), "/oauth/token") {
				t.Fatalf("message %q", err)
			}
		}},
		{"OpenAI error object", 401, http.Header{"Content-Type": {"application/json"}}, `{"error":{"message":"Token expired","code":"token_expired"}}`, func(t *testing.T, err error) {
			var te *TokenError
			if !errors.As(err, &te) || te.Code != "token_expired" || te.Description != "Token expired" {
				t.Fatalf("got %#v", err)
			}
		}},
		{"error code only", 400, nil, `{"error":"invalid_request"}`, func(t *testing.T, err error) {
			var te *TokenError
			if !errors.As(err, &te) || te.Code != "invalid_request" || !strings.HasSuffix(err.Error(), "(HTTP 400): invalid_request") {
				t.Fatalf("got %#v: %v", err, err)
			}
		}},
		{"plain text error", 500, http.Header{"Content-Type": {"text/plain"}}, "  upstream\x1b[31m exploded \n", func(t *testing.T, err error) {
			var te *TokenError
			if !errors.As(err, &te) || te.Description != "upstream[31m exploded" {
				t.Fatalf("got %#v", err)
			}
		}},
		{"issuer's web page", 403, http.Header{"Content-Type": {"text/html"}}, "<html><head><title>Sign in\n to your network</title></head></html>",
			htmlErr("page", "Sign in to your network", 403)},
		{"page passed by a proxy", 403, http.Header{"Content-Type": {"text/html"}, "Via": {"1.1 proxy.corp.test"}}, "<title>Forbidden</title>",
			htmlErr("proxy", "Forbidden", 403)},
		{"proxy block page", 403, http.Header{"Content-Type": {"text/html"}}, "<html><head><title>Access Denied - Corp Web Filter</title></head><body>blocked</body></html>",
			htmlErr("proxy", "Access Denied - Corp Web Filter", 403)},
		{"proxy vendor in the body", 200, http.Header{"Content-Type": {"text/html"}}, "<title>Notice</title><img src=/zscaler-logo.png>",
			htmlErr("proxy", "Notice", 200)},
		{"captive portal with 200 and a JSON type", 200, http.Header{"Content-Type": {"application/json"}}, "\n <!DOCTYPE html><title>Captive portal</title>",
			htmlErr("page", "Captive portal", 200)},
		{"cf-mitigated challenge", 403, http.Header{"Content-Type": {"text/html"}, "Cf-Mitigated": {"challenge"}}, "<title>Checking</title>",
			htmlErr("challenge", "Checking", 403)},
		{"challenge title", 403, http.Header{"Content-Type": {"text/html; charset=UTF-8"}}, "<!DOCTYPE html><title>Just a moment...</title>",
			htmlErr("challenge", "Just a moment...", 403)},
		{"challenge on a 503", 503, http.Header{"Content-Type": {"text/html"}}, "<title>Attention Required! | Cloudflare</title>",
			htmlErr("challenge", "Attention Required! | Cloudflare", 503)},
		{"squid gateway error", 503, http.Header{"Content-Type": {"text/html"}, "X-Squid-Error": {"ERR_DNS_FAIL 0"}}, "<title>ERROR</title>", func(t *testing.T, err error) {
			var ge *GatewayError
			if !errors.As(err, &ge) || ge.ProxyError != "ERR_DNS_FAIL 0" || ge.Status != "503 Service Unavailable" || ge.Page != "ERROR" {
				t.Fatalf("got %#v", err)
			}
		}},
		{"mitmproxy gateway page without a title", 502, http.Header{"Content-Type": {"text/html"}},
			"<html><body><h1>502 Bad Gateway</h1><p>Server connection to ('auth.corp.test', 443) failed: Name or service not known</p></body></html>", func(t *testing.T, err error) {
				var ge *GatewayError
				if !errors.As(err, &ge) || !strings.Contains(ge.Page, "Name or service not known") || strings.Contains(ge.Page, "<") {
					t.Fatalf("got %#v", err)
				}
			}},
		{"bare 502", 502, nil, "", func(t *testing.T, err error) {
			var ge *GatewayError
			if !errors.As(err, &ge) || ge.ProxyError != "" || ge.Status != "502 Bad Gateway" {
				t.Fatalf("got %#v", err)
			}
		}},
		{"503 with a JSON error is the issuer's", 503, http.Header{"Content-Type": {"application/json"}}, `{"error":"temporarily_unavailable"}`, func(t *testing.T, err error) {
			var te *TokenError
			if !errors.As(err, &te) || te.Code != "temporarily_unavailable" {
				t.Fatalf("got %#v", err)
			}
		}},
		{"oversized", 200, http.Header{"Content-Type": {"application/json"}}, `{"id_token":"` + strings.Repeat("a", maxReply) + `"}`, func(t *testing.T, err error) {
			var re *ResponseError
			if !errors.As(err, &re) || !strings.Contains(re.Problem, "1 MiB") {
				t.Fatalf("got %#v", err)
			}
		}},
		{"empty 200", 200, nil, "", func(t *testing.T, err error) {
			var re *ResponseError
			if !errors.As(err, &re) || re.Problem != "the reply is empty" {
				t.Fatalf("got %#v", err)
			}
		}},
		{"empty 400", 400, nil, "", func(t *testing.T, err error) {
			var te *TokenError
			if !errors.As(err, &te) || te.Description != "" || !strings.HasSuffix(err.Error(), "refused the request (HTTP 400)") {
				t.Fatalf("got %#v: %v", err, err)
			}
		}},
		{"not JSON", 200, http.Header{"Content-Type": {"application/json"}}, `ok`, func(t *testing.T, err error) {
			var re *ResponseError
			if !errors.As(err, &re) || !strings.Contains(re.Problem, "not the JSON expected") {
				t.Fatalf("got %#v", err)
			}
		}},
		{"missing refresh token", 200, nil, `{"id_token":"h.p.s","access_token":"a"}`, func(t *testing.T, err error) {
			var re *ResponseError
			if !errors.As(err, &re) || re.Problem != "it has no refresh_token" {
				t.Fatalf("got %#v", err)
			}
		}},
		{"redirect", 302, http.Header{"Location": {"http://portal.hotel.test/login?session=abc"}}, "", func(t *testing.T, err error) {
			var re *RedirectError
			if !errors.As(err, &re) || re.Location != "portal.hotel.test/login" {
				t.Fatalf("got %#v", err)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tc.header {
					w.Header()[k] = v
				}
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			}, false)
			const verifier = "the-verifier-of-this-login-0123456789abcdefghijklmnopqrstuvwxyz"
			_, err := s.client().ExchangeCode(t.Context(), "the code", RedirectURI(1455), verifier)
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), verifier) {
				t.Fatalf("error leaks the request: %v", err)
			}
			tc.check(t, err)
		})
	}
}

func TestEchoedSecretsStayOutOfErrors(t *testing.T) {
	const token = "rt_0123456789abcdef0123456789abcdef"
	// With 290 characters before it, the token would straddle the cut made
	// to long descriptions: its start must not show either.
	for _, pad := range []int{0, 290} {
		s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"error":"invalid_grant","error_description":"`+strings.Repeat("x", pad)+` token `+token+` refused"}`)
		}, false)
		_, err := s.client().Refresh(t.Context(), token)
		if err == nil || strings.Contains(err.Error(), "rt_0") {
			t.Fatalf("got %v", err)
		}
		if pad == 0 && !strings.HasSuffix(err.Error(), "token [redacted] refused") {
			t.Fatalf("got %v", err)
		}
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"  a\tb\r\n c  ":         "a b c",
		"red\x1b[31m":            "red[31m",
		"bidi\u202eevil":         "bidievil",
		"nul\x00and\x7fdel":      "nulanddel",
		strings.Repeat("é", 305): strings.Repeat("é", 300) + "…",
	} {
		if got := printable(in, 300); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSignInAgain(t *testing.T) {
	for _, tc := range []struct {
		e    TokenError
		want bool
	}{
		{TokenError{Status: 401, Code: "refresh_token_reused"}, true},
		{TokenError{Status: 400, Code: "refresh_token_expired"}, true},
		{TokenError{Status: 400, Code: "refresh_token_invalidated"}, true},
		{TokenError{Status: 400, Code: "invalid_grant"}, true},
		{TokenError{Status: 401, Code: "invalid_client"}, true},
		{TokenError{Status: 400, Code: "invalid_request"}, false},
		{TokenError{Status: 500, Description: "upstream exploded"}, false},
		{TokenError{Status: 429, Code: "rate_limited"}, false},
	} {
		if got := tc.e.SignInAgain(); got != tc.want {
			t.Errorf("%v: SignInAgain = %v, want %v", &tc.e, got, tc.want)
		}
	}
}
