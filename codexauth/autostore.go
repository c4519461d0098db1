package codexauth

import (
	"context"
	"sync"
)

// AutoStore is cli_auth_credentials_store = "auto" as Codex does it: the
// keyring when it can be used, else auth.json. It chooses once, on first
// use, by probing the keyring; when the keyring fails a save, the save goes
// to auth.json instead. Credentials are read from the keyring first and
// from auth.json when the keyring has none.
type AutoStore struct {
	Keyring    Keyring
	Keyed      Store // the store on Keyring
	File       *FileStore
	OnFallback func(err error) // told why, each time auth.json is used instead of the keyring

	once   sync.Once
	picked Store
}

var _ Store = (*AutoStore)(nil)

// pick probes the keyring once and returns the store to use.
func (s *AutoStore) pick(ctx context.Context) Store {
	s.once.Do(func() {
		s.picked = s.Keyed
		if err := s.Keyring.Probe(ctx); err != nil {
			s.picked = s.File
			s.fellBack(err)
		}
	})
	return s.picked
}

// chosen is the store picked so far: the keyring's until a probe failed.
func (s *AutoStore) chosen() Store {
	if s.picked != nil {
		return s.picked
	}
	return s.Keyed
}

func (s *AutoStore) fellBack(err error) {
	if s.OnFallback != nil {
		s.OnFallback(err)
	}
}

// Location is where the credentials are, or will be.
func (s *AutoStore) Location() string { return s.chosen().Location() }

// Load reads the keyring entry, or auth.json when there is none.
func (s *AutoStore) Load(ctx context.Context) (*AuthFile, error) {
	if s.pick(ctx) == s.Keyed {
		if a, err := s.Keyed.Load(ctx); a != nil || err != nil {
			return a, err
		}
	}
	return s.File.Load(ctx)
}

// Save stores a in the keyring, or in auth.json when the keyring cannot be
// used or fails.
func (s *AutoStore) Save(ctx context.Context, a *AuthFile) error {
	if s.pick(ctx) == s.Keyed {
		err := s.Keyed.Save(ctx, a)
		if err == nil || ctx.Err() != nil {
			return err
		}
		s.picked = s.File
		s.fellBack(err)
	}
	return s.File.Save(ctx, a)
}

// Update updates the keyring entry, starting from auth.json when the
// keyring has none (the save then moves the credentials to the keyring,
// as Codex's does), or auth.json when the keyring cannot be used.
func (s *AutoStore) Update(ctx context.Context, fn func(current *AuthFile) (*AuthFile, error)) error {
	if s.pick(ctx) != s.Keyed {
		return s.File.Update(ctx, fn)
	}
	return s.Keyed.Update(ctx, func(current *AuthFile) (*AuthFile, error) {
		if current == nil {
			var err error
			if current, err = s.File.Load(ctx); err != nil {
				return nil, err
			}
		}
		return fn(current)
	})
}

// Delete removes the keyring entry, when the keyring can be used, and auth.json.
func (s *AutoStore) Delete(ctx context.Context) (bool, error) {
	if s.pick(ctx) == s.Keyed {
		return s.Keyed.Delete(ctx) // it removes auth.json too
	}
	return s.File.Delete(ctx)
}

// Check checks the store that a save would use.
func (s *AutoStore) Check(ctx context.Context) error { return s.pick(ctx).Check(ctx) }
