package pac

import "context"

// evalGlobal runs the script and returns a global's value as a string; for
// tests of the functions.
func (s *Script) evalGlobal(ctx context.Context, name string, o Options) (string, error) {
	o = o.withDefaults()
	r := newRuntime()
	if err := s.load(ctx, r, o); err != nil {
		return "", s.scriptError(err)
	}
	v, err := r.vm.Get(name)
	if err != nil {
		return "", err
	}
	return v.String(), nil
}
