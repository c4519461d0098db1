package pac

import (
	"context"
	"testing"
	"time"
)

func TestLargePAC(t *testing.T) {
	s := mustCompileFile(t, "testdata/large.pac")
	o := testOptions(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC))
	for url, want := range map[string]string{
		"https://auth.openai.com/oauth/token": "http://proxy1.corp.test:3128; http://proxy2.corp.test:3128; DIRECT",
		"https://www.site99.corp.test/":       "DIRECT",
		"http://10.3.4.5/":                    "DIRECT",
		"https://legacy150.corp.test/":        "http://legacy.corp.test:8150",
	} {
		got, err := s.FindProxy(context.Background(), mustURL(t, url), o)
		if err != nil || answer(got) != want {
			t.Errorf("%s: got %q, %v; want %q", url, answer(got), err, want)
		}
	}
}

func BenchmarkFindProxy(b *testing.B) {
	s := mustCompileFile(b, "testdata/large.pac")
	o := testOptions(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC))
	u := mustURL(b, "https://auth.openai.com/oauth/token")
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.FindProxy(ctx, u, o); err != nil {
			b.Fatal(err)
		}
	}
}
