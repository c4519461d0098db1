package pac

import "context"

// SystemSettings reads the proxy settings of the current network service
// through `scutil --proxy`. No setting is not an error.
func SystemSettings(ctx context.Context, getenv func(string) string) (System, error) {
	out, err := output(ctx, "/usr/sbin/scutil", "--proxy")
	if err != nil {
		return System{}, err
	}
	s, _ := scutilSystem(out)
	return s, nil
}
