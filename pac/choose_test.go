package pac

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestChoose(t *testing.T) {
	down := map[string]bool{"a:1": true, "b:2": true}
	reachable := func(_ context.Context, p *url.URL) error {
		if down[p.Host] {
			return errors.New("connection refused")
		}
		return nil
	}
	tests := []struct {
		answer, want string
		skipped      int
		unreachable  string
	}{
		{"PROXY a:1; PROXY c:3; DIRECT", "http://c:3", 1, ""},
		{"PROXY a:1; PROXY b:2; DIRECT", "DIRECT", 2, ""},
		{"DIRECT; PROXY a:1", "DIRECT", 0, ""},
		{"PROXY a:1; SOCKS5 b:2", "", 2, "http://a:1, socks5://b:2"},
	}
	for _, tt := range tests {
		s, err := Compile("function FindProxyForURL(u, h) { return '"+tt.answer+"'; }", "choose.pac")
		if err != nil {
			t.Fatal(err)
		}
		c, skipped, err := Choose(context.Background(), s, mustURL(t, "https://auth.openai.com/"), testOptions(time.Now()), reachable)
		if len(skipped) != tt.skipped {
			t.Errorf("%s: skipped %v", tt.answer, skipped)
		}
		if tt.unreachable != "" {
			var ue *UnreachableError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.unreachable) {
				t.Errorf("%s: got %v, want unreachable %s", tt.answer, err, tt.unreachable)
			}
			continue
		}
		if err != nil || c.String() != tt.want {
			t.Errorf("%s: got %v, %v; want %s", tt.answer, c, err, tt.want)
		}
	}
}
