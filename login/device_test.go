package login_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/codex-login/codex-login/codexauth"
	"github.com/codex-login/codex-login/login"
	"github.com/codex-login/codex-login/login/logintest"
	"github.com/codex-login/codex-login/oauth"
)

const (
	userCodePath = "/api/accounts/deviceauth/usercode"
	pollPath     = "/api/accounts/deviceauth/token"
	relayed      = "X-Test-Relayed" // marks a request a test hands on to the issuer
)

// interceptor sees each request to the issuer first, as
// logintest.Options.Intercept does, with the issuer at hand to relay to.
type interceptor func(w http.ResponseWriter, r *http.Request, issuer http.Handler) bool

// newDeviceEnv is newEnv for device logins: the issuer asks for a poll
// every second unless o says otherwise, and intercept (if any) sees every
// request first, except those it relays to the issuer.
func newDeviceEnv(t *testing.T, o logintest.Options, intercept interceptor) *env {
	t.Helper()
	if o.DeviceInterval == "" {
		o.DeviceInterval = "1"
	}
	var e *env
	if intercept != nil {
		o.Intercept = func(w http.ResponseWriter, r *http.Request) bool {
			return r.Header.Get(relayed) == "" && intercept(w, r, e.issuer)
		}
	}
	e = newEnv(t, o)
	return e
}

// relayJSON answers r through the issuer, passing its JSON reply through
// edit on the way back.
func relayJSON(w http.ResponseWriter, r *http.Request, issuer http.Handler, edit func(map[string]any)) {
	r.Header.Set(relayed, "1")
	rec := httptest.NewRecorder()
	issuer.ServeHTTP(rec, r)
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		panic(err)
	}
	edit(body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rec.Code)
	_ = json.NewEncoder(w).Encode(body)
}

// deviceRefusal replies with a JSON error, as the issuer's device endpoints do.
func deviceRefusal(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": "said the test"})
}

// pollLog records when the issuer was polled.
type pollLog struct {
	mu sync.Mutex
	at []time.Time
}

func (p *pollLog) note(r *http.Request) {
	if r.URL.Path == pollPath {
		p.mu.Lock()
		p.at = append(p.at, time.Now())
		p.mu.Unlock()
	}
}

func (p *pollLog) times() []time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.at)
}

// counting is an interceptor that only records the polls.
func (p *pollLog) counting(_ http.ResponseWriter, r *http.Request, _ http.Handler) bool {
	p.note(r)
	return false
}

// approveAfter plays the user who types the code shown, delay after it
// was shown.
func approveAfter(t *testing.T, e *env, o *login.Options, delay time.Duration) {
	o.Events.(*events).device = func(_, code string) {
		e.browsers.Add(1)
		go func() {
			defer e.browsers.Done()
			time.Sleep(delay)
			if err := e.issuer.Approve(code); err != nil {
				t.Error(err)
			}
		}()
	}
}

func TestRunDeviceWritesAuthFileWithoutAPIKey(t *testing.T) {
	t.Parallel()
	e := newDeviceEnv(t, logintest.Options{}, nil)
	e.writeOld(t)
	o := e.options(t)
	var shown string
	approveAfter(t, e, &o, 100*time.Millisecond)
	approve := o.Events.(*events).device
	o.Events.(*events).device = func(uri, code string) { shown = uri; approve(uri, code) }

	res, err := login.RunDevice(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if shown != e.url+"/codex/device" {
		t.Errorf("verification page %q, want %q", shown, e.url+"/codex/device")
	}
	if res.Email != "dev@corp.test" || res.AccountID != "acct-corp-test" || res.Plan != "plus" || res.APIKey {
		t.Fatalf("result %+v", res)
	}
	data, err := os.ReadFile(filepath.Join(e.home, "auth.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"OPENAI_API_KEY": null,`) {
		t.Fatalf("OPENAI_API_KEY is not null:\n%s", data)
	}
	f, err := (&codexauth.FileStore{Home: e.home}).Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tk := f.Tokens
	switch {
	case f.AuthMode != "chatgpt":
		t.Fatalf("auth_mode %q", f.AuthMode)
	case tk.OAuthProvenance == nil || tk.OAuthProvenance.Issuer != e.url || tk.OAuthProvenance.ClientID != logintest.DefaultClientID:
		t.Fatalf("provenance %+v", tk.OAuthProvenance)
	case tk.AccountID == nil || *tk.AccountID != "acct-corp-test":
		t.Fatalf("account %v", tk.AccountID)
	case tk.RefreshToken == "rt_old", tk.AccessToken == "":
		t.Fatal("tokens not replaced")
	}
	if got := e.issuer.Revoked(); len(got) != 0 {
		t.Fatalf("revoked %d refresh tokens, want none", len(got))
	}
	want := []string{
		"GET /.well-known/openid-configuration",
		"POST " + userCodePath,
		"POST " + pollPath,
		"POST /oauth/token grant_type=authorization_code",
	}
	if got := e.issuer.Requests(); !slices.Equal(got, want) {
		t.Fatalf("the issuer was asked\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Pre-flight, user code, poll and code exchange share one connection.
	if n := e.server.Conns(); n != 1 {
		t.Fatalf("the login opened %d TLS connections to the issuer, want 1", n)
	}
}

func TestRunDeviceKeepsPollingWhilePending(t *testing.T) {
	t.Parallel()
	var polls pollLog
	e := newDeviceEnv(t, logintest.Options{}, polls.counting)
	o := e.options(t)
	approveAfter(t, e, &o, 2500*time.Millisecond)
	if _, err := login.RunDevice(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	at := polls.times()
	if len(at) != 3 {
		t.Fatalf("polled %d times, want 3 (two pending, then approved)", len(at))
	}
	for i := 1; i < len(at); i++ {
		if gap := at[i].Sub(at[i-1]); gap < time.Second {
			t.Errorf("poll %d came %v after the one before, want at least the 1s interval", i+1, gap)
		}
	}
}

func TestRunDeviceSlowsDownWhenAsked(t *testing.T) {
	t.Parallel()
	var polls pollLog
	e := newDeviceEnv(t, logintest.Options{}, func(w http.ResponseWriter, r *http.Request, _ http.Handler) bool {
		polls.note(r)
		if r.URL.Path == pollPath && len(polls.times()) == 1 {
			deviceRefusal(w, http.StatusBadRequest, "slow_down")
			return true
		}
		return false
	})
	o := e.options(t)
	approveAfter(t, e, &o, 0)
	if _, err := login.RunDevice(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	at := polls.times()
	if len(at) != 2 {
		t.Fatalf("polled %d times, want 2", len(at))
	}
	if gap := at[1].Sub(at[0]); gap < 6*time.Second {
		t.Fatalf("after slow_down the next poll came %v later, want the 1s interval plus 5s", gap)
	}
}

// The interval is a string of seconds from OpenAI; a number works too.
func TestRunDeviceHonoursInterval(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		interval any
	}{
		{"string", "1"},
		{"number", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var issued atomic.Int64
			var polls pollLog
			e := newDeviceEnv(t, logintest.Options{DeviceInterval: "5"}, func(w http.ResponseWriter, r *http.Request, issuer http.Handler) bool {
				polls.note(r)
				if r.URL.Path != userCodePath {
					return false
				}
				relayJSON(w, r, issuer, func(body map[string]any) { body["interval"] = tc.interval })
				issued.Store(time.Now().UnixNano())
				return true
			})
			o := e.options(t)
			approveAfter(t, e, &o, 0)
			if _, err := login.RunDevice(context.Background(), o); err != nil {
				t.Fatal(err)
			}
			at := polls.times()
			if len(at) != 1 {
				t.Fatalf("polled %d times, want 1", len(at))
			}
			if wait := at[0].Sub(time.Unix(0, issued.Load())); wait < time.Second || wait > 3*time.Second {
				t.Fatalf("the first poll came %v after the code, want the 1s interval", wait)
			}
		})
	}
}

func TestRunDeviceFailuresLeaveAuthFileUntouched(t *testing.T) {
	t.Parallel()
	refusePoll := func(code string) interceptor {
		return func(w http.ResponseWriter, r *http.Request, _ http.Handler) bool {
			if r.URL.Path != pollPath {
				return false
			}
			deviceRefusal(w, http.StatusBadRequest, code)
			return true
		}
	}
	cases := []struct {
		name      string
		o         logintest.Options
		intercept interceptor
		tweak     func(*login.Options, *env)
		before    string // what the failure comes before: "asking" for a code, "showing" it, or "" (while polling)
		check     func(error) bool
	}{
		{"device login not enabled", logintest.Options{NoDeviceAuth: true}, nil, nil, "showing", func(err error) bool {
			var de *oauth.DeviceUnavailableError
			return errors.As(err, &de)
		}},
		{"CODEX_HOME cannot be written", logintest.Options{}, nil, func(o *login.Options, e *env) {
			o.Store = &codexauth.FileStore{Home: filepath.Join(e.home, "auth.json", "sub")}
		}, "asking", func(err error) bool {
			var we *codexauth.WriteError
			return errors.As(err, &we)
		}},
		{"issuer unreachable", logintest.Options{}, nil, func(o *login.Options, _ *env) {
			o.OAuth.Issuer = "https://" + closedAddr()
		}, "asking", func(err error) bool { return err != nil }},
		{"code expires unused", logintest.Options{}, nil, func(o *login.Options, _ *env) {
			// The clock jumps to a little before the code expires once
			// it is shown: one last poll, then the login gives up.
			var skew atomic.Int64
			o.Now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
			o.Events.(*events).device = func(string, string) { skew.Store(int64(15*time.Minute - 300*time.Millisecond)) }
		}, "", func(err error) bool {
			var de *login.DeviceExpiredError
			return errors.As(err, &de) && de.After == 15*time.Minute
		}},
		{"issuer says the code expired", logintest.Options{}, refusePoll("expired_token"), nil, "", func(err error) bool {
			var de *login.DeviceExpiredError
			return errors.As(err, &de) && de.After == 15*time.Minute
		}},
		{"user declines", logintest.Options{}, refusePoll("access_denied"), nil, "", func(err error) bool {
			var de *login.DeniedError
			return errors.As(err, &de) && de.Code == "access_denied"
		}},
		{"poll refused", logintest.Options{}, refusePoll("invalid_request"), nil, "", func(err error) bool {
			var te *oauth.TokenError
			return errors.As(err, &te) && te.Code == "invalid_request"
		}},
		{"timeout", logintest.Options{}, nil, func(o *login.Options, _ *env) { o.Timeout = 1500 * time.Millisecond }, "", func(err error) bool {
			var te *login.TimeoutError
			return errors.As(err, &te) && te.After == 1500*time.Millisecond
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newDeviceEnv(t, tc.o, tc.intercept)
			old := e.writeOld(t)
			o := e.options(t)
			if tc.tweak != nil {
				tc.tweak(&o, e)
			}
			start := time.Now()
			res, err := login.RunDevice(context.Background(), o)
			if err == nil || !tc.check(err) {
				t.Fatalf("RunDevice = %+v, %v", res, err)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("the login took %v to fail", took)
			}
			if codes := o.Events.(*events).codes; tc.before != "" && len(codes) != 0 {
				t.Errorf("a code was shown before the login failed: %v", codes)
			}
			if tc.before == "asking" && slices.Contains(e.issuer.Requests(), "POST "+userCodePath) {
				t.Error("a user code was asked for although the login could not succeed")
			}
			e.assertUnchanged(t, old)
		})
	}
}

func TestRunDeviceCancelledWhilePolling(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		// hang makes the issuer hold the first poll unanswered.
		hang bool
	}{
		{"between polls", false},
		{"during a poll", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var cancelled atomic.Int64
			stop := func() { cancelled.Store(time.Now().UnixNano()); cancel() }
			var polls pollLog
			e := newDeviceEnv(t, logintest.Options{}, func(w http.ResponseWriter, r *http.Request, _ http.Handler) bool {
				polls.note(r)
				if !tc.hang || r.URL.Path != pollPath {
					return false
				}
				_, _ = io.Copy(io.Discard, r.Body) // lets the server notice the client hang up
				stop()
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
				return true
			})
			old := e.writeOld(t)
			o := e.options(t)
			if !tc.hang {
				o.Events.(*events).device = func(string, string) { time.AfterFunc(1300*time.Millisecond, stop) }
			}
			_, err := login.RunDevice(ctx, o)
			if !errors.Is(err, login.ErrCancelled) {
				t.Fatalf("err = %v, want cancelled", err)
			}
			if late := time.Since(time.Unix(0, cancelled.Load())); late > 500*time.Millisecond {
				t.Errorf("the login ended %v after it was cancelled", late)
			}
			if n := len(polls.times()); n != 1 {
				t.Errorf("polled %d times, want 1", n)
			}
			e.assertUnchanged(t, old)
		})
	}
}

// The device_auth_id, the authorization code and the verifier the issuer
// sends are handed to Events as secrets, the id before the code is shown.
func TestRunDeviceReportsEverySecret(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]string{}
	keep := func(body map[string]any, names ...string) {
		mu.Lock()
		defer mu.Unlock()
		for _, n := range names {
			if s, ok := body[n].(string); ok {
				seen[n] = s
			}
		}
	}
	e := newDeviceEnv(t, logintest.Options{}, func(w http.ResponseWriter, r *http.Request, issuer http.Handler) bool {
		switch r.URL.Path {
		case userCodePath:
			relayJSON(w, r, issuer, func(b map[string]any) { keep(b, "device_auth_id") })
		case pollPath:
			relayJSON(w, r, issuer, func(b map[string]any) { keep(b, "authorization_code", "code_verifier") })
		default:
			return false
		}
		return true
	})
	o := e.options(t)
	ev := o.Events.(*events)
	approveAfter(t, e, &o, 0)
	approve := ev.device
	var idFirst bool
	ev.device = func(uri, code string) { // called with ev.mu held
		mu.Lock()
		idFirst = slices.Contains(ev.secrets, seen["device_auth_id"])
		mu.Unlock()
		approve(uri, code)
	}
	if _, err := login.RunDevice(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if !idFirst {
		t.Error("the device_auth_id was not reported as a secret before the code was shown")
	}
	for _, name := range []string{"device_auth_id", "authorization_code", "code_verifier"} {
		if v := seen[name]; v == "" || !slices.Contains(ev.secrets, v) {
			t.Errorf("the %s was not reported as a secret", name)
		}
	}
}
