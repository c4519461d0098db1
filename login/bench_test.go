package login_test

import (
	"context"
	"testing"
	"time"

	"github.com/codex-login/codex-login/login"
	"github.com/codex-login/codex-login/login/logintest"
)

// BenchmarkLogin is a whole browser login against the fake issuer over
// loopback TLS: pre-flight, callback, code and API-key exchange, atomic
// write under the locks. The person in
// the browser costs nothing here, so this is codex-login's own overhead.
// Target: under 50 ms and 2 MB per login on the CI machine (2 cores).
func BenchmarkLogin(b *testing.B) {
	e := newEnv(b, logintest.Options{})
	o := e.options(b)
	o.Events.(*events).t = quiet{b}
	o.Timeout = 30 * time.Second
	b.ReportAllocs()
	for b.Loop() {
		if _, err := login.Run(context.Background(), o); err != nil {
			b.Fatal(err)
		}
	}
}

// quiet drops the login's step-by-step log inside the benchmark loop.
type quiet struct{ testing.TB }

func (quiet) Logf(string, ...any) {}
