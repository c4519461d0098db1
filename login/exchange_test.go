package login

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func tokenServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

func TestExchangeCodeSendsCodexForm(t *testing.T) {
	id := goldenIDToken(t)
	var got url.Values
	var ctype string
	s := tokenServer(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ctype = r.Header.Get("Content-Type")
		if r.URL.Path != "/oauth/token" || r.Method != http.MethodPost {
			t.Errorf("request %s %s", r.Method, r.URL.Path)
		}
		if want := "grant_type=authorization_code&client_id=cid&code=the+code&redirect_uri=http%3A%2F%2F127.0.0.1%3A1455%2Fauth%2Fcallback&code_verifier=ver"; string(body) != want {
			t.Errorf("body\n got %s\nwant %s", body, want)
		}
		got, _ = url.ParseQuery(string(body))
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id_token":"`+id+`","access_token":"at","refresh_token":"rt","expires_in":3600}`)
	})
	ts, err := exchangeCode(context.Background(), s.Client(), s.URL, "cid", "the code", RedirectURI(1455), "ver")
	if err != nil {
		t.Fatal(err)
	}
	if ts.RefreshToken != "rt" || got.Get("code") != "the code" || ctype != "application/x-www-form-urlencoded" {
		t.Fatalf("tokens %+v, form %v, content type %q", ts, got, ctype)
	}
}

func TestTokenReplies(t *testing.T) {
	id := goldenIDToken(t)
	cases := []struct {
		name   string
		status int
		ctype  string
		body   string
		check  func(t *testing.T, err error)
	}{
		{"invalid_grant", 400, "application/json", `{"error":"invalid_grant","error_description":"Code already used"}`, func(t *testing.T, err error) {
			var te *TokenError
			if !errors.As(err, &te) || te.Code != "invalid_grant" || te.Description != "Code already used" || te.Status != 400 {
				t.Fatalf("got %#v", err)
			}
			if !strings.Contains(err.Error(), "invalid_grant: Code already used") || !strings.Contains(err.Error(), "/oauth/token") {
				t.Fatalf("message %q", err)
			}
		}},
		{"openai error object", 401, "application/json", `{"error":{"message":"Token expired","code":"token_expired"}}`, func(t *testing.T, err error) {
			var te *TokenError
			if !errors.As(err, &te) || te.Code != "token_expired" || te.Description != "Token expired" {
				t.Fatalf("got %#v", err)
			}
		}},
		{"plain text", 500, "text/plain", "  upstream\x1b[31m exploded \n", func(t *testing.T, err error) {
			var te *TokenError
			if !errors.As(err, &te) || te.Description != "upstream [31m exploded" {
				t.Fatalf("got %#v", err)
			}
		}},
		{"html block page", 403, "text/html", "<html><head><title>Access Denied - Corp Web Filter</title></head><body>blocked</body></html>", func(t *testing.T, err error) {
			var he *HTMLError
			if !errors.As(err, &he) || he.Title != "Access Denied - Corp Web Filter" || he.Status != 403 {
				t.Fatalf("got %#v", err)
			}
		}},
		{"html with 200 and json type", 200, "application/json", "\n <!DOCTYPE html><title>Captive portal</title>", func(t *testing.T, err error) {
			var he *HTMLError
			if !errors.As(err, &he) || he.Title != "Captive portal" {
				t.Fatalf("got %#v", err)
			}
		}},
		{"oversized", 200, "application/json", `{"id_token":"` + strings.Repeat("a", maxReply) + `"}`, func(t *testing.T, err error) {
			var re *ResponseError
			if !errors.As(err, &re) || !strings.Contains(re.Problem, "1 MiB") {
				t.Fatalf("got %#v", err)
			}
		}},
		{"missing refresh token", 200, "application/json", `{"id_token":"` + id + `","access_token":"a"}`, func(t *testing.T, err error) {
			var re *ResponseError
			if !errors.As(err, &re) || !strings.Contains(re.Problem, "refresh_token") {
				t.Fatalf("got %#v", err)
			}
		}},
		{"id_token not a JWT", 200, "application/json", `{"id_token":"x","access_token":"a","refresh_token":"r"}`, func(t *testing.T, err error) {
			var re *ResponseError
			if !errors.As(err, &re) || !errors.Is(err, ErrMalformedIDToken) && !strings.Contains(re.Problem, "JWT") {
				t.Fatalf("got %#v", err)
			}
		}},
		{"not json", 200, "application/json", `ok`, func(t *testing.T, err error) {
			var re *ResponseError
			if !errors.As(err, &re) {
				t.Fatalf("got %#v", err)
			}
		}},
		{"proxy gateway error", 503, "text/plain", "", func(t *testing.T, err error) {
			var ge *GatewayError
			if !errors.As(err, &ge) || ge.ProxyError != "ERR_DNS_FAIL 0" {
				t.Fatalf("got %#v", err)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tokenServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.ctype)
				if tc.status == 503 {
					w.Header().Set("X-Squid-Error", "ERR_DNS_FAIL 0")
				}
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			})
			_, err := exchangeCode(context.Background(), s.Client(), s.URL, "cid", "code", RedirectURI(1455), "ver")
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), "ver") && strings.Contains(err.Error(), "code_verifier") {
				t.Fatalf("error leaks the request: %v", err)
			}
			tc.check(t, err)
		})
	}
}

func TestAPIKeyExchangeAndRevokeBodies(t *testing.T) {
	var forms []string
	s := tokenServer(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		forms = append(forms, r.URL.Path+" "+r.Header.Get("Content-Type")+" "+string(body))
		if r.URL.Path == "/oauth/revoke" {
			return // 200 with an empty body
		}
		io.WriteString(w, `{"access_token":"sk-proj-1"}`)
	})
	key, err := exchangeAPIKey(context.Background(), s.Client(), s.URL, "cid", "ID.TOKEN.X")
	if err != nil || key != "sk-proj-1" {
		t.Fatalf("key %q, %v", key, err)
	}
	if err := revoke(context.Background(), s.Client(), s.URL, "cid", "rt_old"); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"/oauth/token application/x-www-form-urlencoded grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&client_id=cid&requested_token=openai-api-key&subject_token=ID.TOKEN.X&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid_token",
		`/oauth/revoke application/json {"token":"rt_old","token_type_hint":"refresh_token","client_id":"cid"}`,
	}
	for i := range want {
		if i >= len(forms) || forms[i] != want[i] {
			t.Fatalf("request %d\n got %v\nwant %s", i, forms, want[i])
		}
	}
}
