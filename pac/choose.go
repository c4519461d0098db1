package pac

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// UnreachableError is a PAC answer none of whose proxies could be reached.
type UnreachableError struct {
	Tried []string // each proxy, redacted
}

func (e *UnreachableError) Error() string {
	return "no proxy the PAC file named could be reached: " + strings.Join(e.Tried, ", ")
}

// Choose asks s for u and returns the first usable candidate: DIRECT, or a
// proxy for which reachable returns nil. The errors of the proxies skipped
// on the way come back too, in order. When no candidate is usable the
// error is an *UnreachableError naming every proxy tried.
func Choose(ctx context.Context, s *Script, u *url.URL, o Options, reachable func(ctx context.Context, proxy *url.URL) error) (Candidate, []error, error) {
	cands, err := s.FindProxy(ctx, u, o)
	if err != nil {
		return Candidate{}, nil, err
	}
	var errs []error
	var tried []string
	for _, c := range cands {
		if c.Direct {
			return c, errs, nil
		}
		if err := ctx.Err(); err != nil {
			return Candidate{}, errs, err
		}
		if err := reachable(ctx, c.Proxy); err != nil {
			errs = append(errs, fmt.Errorf("proxy %s: %w", c.Proxy.Redacted(), err))
			tried = append(tried, c.Proxy.Redacted())
			continue
		}
		return c, errs, nil
	}
	return Candidate{}, errs, &UnreachableError{Tried: tried}
}
