package oauth

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestDeviceUserCode(t *testing.T) {
	for _, tc := range []struct {
		name, body   string
		wantCode     string
		wantInterval time.Duration
	}{
		{"interval as a string", `{"device_auth_id":"d1","user_code":"K7QD-9MXF","interval":"7"}`, "K7QD-9MXF", 7 * time.Second},
		{"interval as a number", `{"device_auth_id":"d1","usercode":"ABCD-EFGH","interval":3}`, "ABCD-EFGH", 3 * time.Second},
		{"no interval", `{"device_auth_id":"d1","user_code":"K7QD-9MXF"}`, "K7QD-9MXF", 5 * time.Second},
		{"nonsense interval", `{"device_auth_id":"d1","user_code":"K7QD-9MXF","interval":"soon"}`, "K7QD-9MXF", 5 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, tc.body) }, false)
			before := time.Now()
			d, err := s.client().DeviceUserCode(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if d.DeviceAuthID != "d1" || d.UserCode != tc.wantCode || d.Interval != tc.wantInterval || d.VerificationURI != s.URL+"/codex/device" {
				t.Fatalf("got %+v", d)
			}
			if left := d.ExpiresAt.Sub(before); left < 15*time.Minute || left > 15*time.Minute+time.Minute {
				t.Fatalf("expires in %v, want 15m", left)
			}
		})
	}
}

func TestDeviceUserCodeRefusals(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		header http.Header
		body   string
		check  func(t *testing.T, err error)
	}{
		{"not enabled", 404, nil, `{"error":"not_found"}`, func(t *testing.T, err error) {
			var de *DeviceUnavailableError
			if !errors.As(err, &de) || !strings.HasSuffix(de.Endpoint, "/api/accounts/deviceauth/usercode") {
				t.Fatalf("got %#v", err)
			}
		}},
		{"404 from a proxy", 404, http.Header{"Content-Type": {"text/html"}, "Via": {"1.1 proxy"}}, `<title>Not Found</title>`,
			htmlErr("proxy", "Not Found", 404)},
		{"no user code", 200, nil, `{"device_auth_id":"d1"}`, wantProblem("it has no user_code")},
		{"user code with escapes", 200, nil, "{\"device_auth_id\":\"d1\",\"user_code\":\"AB\\u001b[2J\"}", wantProblem("its user_code is not printable")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tc.header {
					w.Header()[k] = v
				}
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			}, false)
			_, err := s.client().DeviceUserCode(t.Context())
			tc.check(t, err)
		})
	}
}

func wantProblem(problem string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		var re *ResponseError
		if !errors.As(err, &re) || re.Problem != problem {
			t.Fatalf("got %#v, want %q", err, problem)
		}
	}
}

func TestDeviceTokenPoll(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		header http.Header
		body   string
		want   error
	}{
		{"403 pending", 403, nil, `{"error":"authorization_pending"}`, ErrPending},
		{"404 pending", 404, nil, ``, ErrPending},
		{"400 authorization_pending", 400, nil, `{"error":"authorization_pending"}`, ErrPending},
		{"slow down", 400, nil, `{"error":"slow_down"}`, ErrSlowDown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			}, false)
			_, err := s.client().DeviceToken(t.Context(), DeviceCode{DeviceAuthID: "d1", UserCode: "K7QD-9MXF"})
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	// A bot challenge on 403 is no "pending": polling on would never end.
	s := newStub(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cf-Mitigated", "challenge")
		w.WriteHeader(http.StatusForbidden)
	}, false)
	_, err := s.client().DeviceToken(t.Context(), DeviceCode{DeviceAuthID: "d1", UserCode: "K7QD-9MXF"})
	htmlErr("challenge", "", 403)(t, err)
}
