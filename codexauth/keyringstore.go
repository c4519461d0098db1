package codexauth

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// KeyringStore keeps the credentials as Codex does with
// cli_auth_credentials_store = "keyring": one keyring entry, service
// KeyringService and account KeyringAccount(Home), holding the compact
// JSON. Every change happens under Codex's locks in CODEX_HOME, so that two
// codex-login runs, or a run and a Codex that locks, never interleave, and
// after a save the auth.json that Codex would no longer read is removed.
type KeyringStore struct {
	Home    string // CODEX_HOME, absolute
	Keyring Keyring
	OnWait  func(lock string) // as in FileStore
}

var _ Store = (*KeyringStore)(nil)

func (s *KeyringStore) account() string { return KeyringAccount(s.Home) }

func (s *KeyringStore) file() *FileStore { return &FileStore{Home: s.Home, OnWait: s.OnWait} }

// Location names the keyring entry.
func (s *KeyringStore) Location() string { return s.Keyring.Describe(KeyringService, s.account()) }

// Load returns the credentials in the keyring entry, or nil when there is none.
func (s *KeyringStore) Load(ctx context.Context) (*AuthFile, error) {
	data, err := s.Keyring.Get(ctx, KeyringService, s.account())
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.Location(), err)
	}
	if data == nil {
		if s.hasSplitLayout(ctx) {
			return nil, fmt.Errorf("read %s: a newer Codex keeps these credentials in several keyring entries (%s|v2|...), which codex-login does not read; signing in again with codex-login replaces them", s.Location(), s.account())
		}
		return nil, nil
	}
	a, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.Location(), err)
	}
	return a, nil
}

// Save replaces the keyring entry with a, whatever it holds now, and
// removes auth.json.
func (s *KeyringStore) Save(ctx context.Context, a *AuthFile) error {
	return s.write(ctx, false, func(*AuthFile) (*AuthFile, error) { return a, nil })
}

// Update reads the entry under the locks, passes it to fn and stores what
// fn returns.
func (s *KeyringStore) Update(ctx context.Context, fn func(current *AuthFile) (*AuthFile, error)) error {
	return s.write(ctx, true, fn)
}

func (s *KeyringStore) write(ctx context.Context, read bool, fn func(current *AuthFile) (*AuthFile, error)) error {
	return s.file().rewrite(ctx, read, s.Load, fn, func(data []byte) error {
		if err := s.Keyring.Set(ctx, KeyringService, s.account(), data); err != nil {
			return fmt.Errorf("write %s: %w", s.Location(), err)
		}
		s.clearSplitLayout(ctx)
		return nil
	})
}

// rewrite is a write of credentials kept outside auth.json, under Codex's
// locks in CODEX_HOME (created if missing): the current credentials from
// load (only when read), fn's answer, its compact JSON to put, and then
// auth.json, which Codex no longer reads, removed. Nothing is put when fn
// fails or returns nil.
func (f *FileStore) rewrite(ctx context.Context, read bool, load func(context.Context) (*AuthFile, error),
	fn func(current *AuthFile) (*AuthFile, error), put func(compact []byte) error) error {
	if err := f.makeHome(); err != nil {
		return err
	}
	return f.locked(ctx, func() error {
		var current *AuthFile
		if read {
			var err error
			if current, err = load(ctx); err != nil {
				return err
			}
		}
		next, err := fn(current)
		if err != nil || next == nil {
			return err
		}
		data, err := next.MarshalCompact()
		if err != nil {
			return err
		}
		if err := put(data); err != nil {
			return err
		}
		return f.removeAuthJSON()
	})
}

// Delete removes the keyring entry and auth.json; the lock files stay.
func (s *KeyringStore) Delete(ctx context.Context) (removed bool, err error) {
	removed, err = s.Keyring.Delete(ctx, KeyringService, s.account())
	if err != nil {
		return false, fmt.Errorf("remove %s: %w", s.Location(), err)
	}
	s.clearSplitLayout(ctx)
	fileRemoved, err := s.file().Delete(ctx)
	return removed || fileRemoved, err
}

// Check proves that the keyring can be used now and that CODEX_HOME takes
// Codex's locks.
func (s *KeyringStore) Check(ctx context.Context) error {
	if err := s.Keyring.Probe(ctx); err != nil {
		return err
	}
	f := s.file()
	if err := f.makeHome(); err != nil {
		return err
	}
	return f.locked(ctx, func() error { return nil })
}

// removeAuthJSON removes the auth.json Codex no longer reads once its
// credentials are elsewhere, and any temporary file a killed writer left.
// It runs under the locks.
func (f *FileStore) removeAuthJSON() error {
	if err := f.removeLeftovers(); err != nil {
		return err
	}
	if err := os.Remove(f.Path()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return newWriteError(f.Home, "remove", f.Path(), err)
	}
	return nil
}

// A newer Codex splits the credentials into several entries under
// account|v2|..., found through account|v2|active, and reads the single
// entry only when there is no active revision. Removing the split entries
// after a save keeps that Codex reading what codex-login wrote.
var splitEntries = []string{"manifest", "OPENAI_API_KEY", "tokens.id_token", "tokens.access_token", "tokens.refresh_token", "tokens.account_id"}

func (s *KeyringStore) hasSplitLayout(ctx context.Context) bool {
	rev, err := s.Keyring.Get(ctx, KeyringService, s.account()+"|v2|active")
	return err == nil && len(rev) > 0
}

// clearSplitLayout removes the split entries, best effort.
func (s *KeyringStore) clearSplitLayout(ctx context.Context) {
	active := s.account() + "|v2|active"
	rev, err := s.Keyring.Get(ctx, KeyringService, active)
	if err != nil || len(rev) == 0 {
		return
	}
	for _, e := range splitEntries {
		s.Keyring.Delete(ctx, KeyringService, s.account()+"|v2|"+string(rev)+"|"+e)
	}
	s.Keyring.Delete(ctx, KeyringService, active)
}
