//go:build !unix && !windows

package pac

import "context"

// SearchDomains is unknown here.
func SearchDomains() []string { return nil }

// SystemSettings knows no proxy settings on this system.
func SystemSettings(ctx context.Context, getenv func(string) string) (System, error) {
	return System{}, nil
}
