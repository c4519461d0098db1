package logintest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

type userCodeReply struct {
	DeviceAuthID string `json:"device_auth_id"`
	UserCode     string `json:"user_code"`
	Interval     any    `json:"interval"`
}

func startDevice(t *testing.T, i *Issuer) userCodeReply {
	t.Helper()
	w := postJSON(i, "/api/accounts/deviceauth/usercode", map[string]string{"client_id": DefaultClientID})
	var r userCodeReply
	if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil || w.Code != http.StatusOK {
		t.Fatalf("usercode: %d %s", w.Code, w.Body)
	}
	return r
}

func poll(i *Issuer, r userCodeReply) *httptest.ResponseRecorder {
	return postJSON(i, "/api/accounts/deviceauth/token", map[string]string{"device_auth_id": r.DeviceAuthID, "user_code": r.UserCode})
}

func TestDeviceFlow(t *testing.T) {
	i := NewIssuer(Options{})
	r := startDevice(t, i)
	if s, ok := r.Interval.(string); !ok || s != "5" || r.UserCode == "" || r.DeviceAuthID == "" {
		t.Fatalf("usercode reply %+v, want interval \"5\" as a string", r)
	}
	if got := i.UserCodes(); len(got) != 1 || got[0] != r.UserCode {
		t.Errorf("UserCodes() = %v", got)
	}
	if p := poll(i, r); p.Code != http.StatusForbidden {
		t.Fatalf("poll before approval: %d %s, want 403", p.Code, p.Body)
	}
	if err := i.Approve(r.UserCode); err != nil {
		t.Fatal(err)
	}
	p := poll(i, r)
	var got struct {
		Code     string `json:"authorization_code"`
		Verifier string `json:"code_verifier"`
	}
	if err := json.Unmarshal(p.Body.Bytes(), &got); err != nil || p.Code != http.StatusOK || got.Code == "" || len(got.Verifier) < 43 {
		t.Fatalf("poll after approval: %d %s", p.Code, p.Body)
	}
	if p := poll(i, r); p.Code != http.StatusBadRequest {
		t.Errorf("poll after the code was handed out: %d, want 400", p.Code)
	}

	exchange := url.Values{
		"grant_type":    {"authorization_code"},
		"client_id":     {DefaultClientID},
		"code":          {got.Code},
		"redirect_uri":  {"https://" + testHost + "/deviceauth/callback"},
		"code_verifier": {got.Verifier},
	}
	bad := url.Values{}
	for k, v := range exchange {
		bad[k] = v
	}
	bad.Set("redirect_uri", testRedirect)
	wantError(t, postForm(i, bad), 400, "invalid_grant", "redirect_uri differs")

	// The failed attempt consumed that code; a second device login succeeds.
	r = startDevice(t, i)
	if err := i.Approve(r.UserCode); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(poll(i, r).Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	exchange.Set("code", got.Code)
	exchange.Set("code_verifier", got.Verifier)
	if w := postForm(i, exchange); w.Code != http.StatusOK {
		t.Fatalf("device code exchange: %d %s", w.Code, w.Body)
	}
}

func TestDeviceRefused(t *testing.T) {
	i := NewIssuer(Options{DeviceInterval: "1"})
	r := startDevice(t, i)
	if r.Interval != "1" {
		t.Errorf("interval %v, want \"1\"", r.Interval)
	}
	if err := i.Approve("NOPE-NOPE"); err == nil {
		t.Error("Approve of an unknown code succeeded")
	}
	if p := poll(i, userCodeReply{DeviceAuthID: r.DeviceAuthID, UserCode: "ABCD-EFGH"}); p.Code != http.StatusBadRequest {
		t.Errorf("poll with another user code: %d, want 400", p.Code)
	}
	if p := poll(i, userCodeReply{DeviceAuthID: "deviceauth_forged", UserCode: r.UserCode}); p.Code != http.StatusBadRequest {
		t.Errorf("poll with another device id: %d, want 400", p.Code)
	}
	w := postJSON(i, "/api/accounts/deviceauth/usercode", map[string]string{"client_id": "app_other"})
	wantError(t, w, 401, "invalid_client", "")
	w = serve(i, "POST", "/api/accounts/deviceauth/usercode", "application/x-www-form-urlencoded", "client_id="+DefaultClientID)
	wantError(t, w, 400, "invalid_request", "Content-Type")
}

func TestNoDeviceAuth(t *testing.T) {
	i := NewIssuer(Options{NoDeviceAuth: true})
	for _, path := range []string{"/api/accounts/deviceauth/usercode", "/api/accounts/deviceauth/token"} {
		if w := postJSON(i, path, map[string]string{"client_id": DefaultClientID}); w.Code != http.StatusNotFound {
			t.Errorf("POST %s: %d, want 404", path, w.Code)
		}
	}
}
