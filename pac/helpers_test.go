package pac

import (
	"context"

	"github.com/dop251/goja"
)

// evalGlobal runs the script and returns a global's value as a string; for
// tests of the functions.
func (s *Script) evalGlobal(ctx context.Context, name string, o Options) (string, error) {
	o = o.withDefaults()
	r := goja.New()
	if err := install(ctx, r, o); err != nil {
		return "", err
	}
	if _, err := r.RunProgram(s.prog); err != nil {
		return "", s.scriptError(err)
	}
	return r.Get(name).String(), nil
}
