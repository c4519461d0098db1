package codexauth

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// FileStore is the auth.json in one CODEX_HOME, written the way Codex
// writes it: CODEX_HOME is created if missing (0700), auth.lock and
// auth.json.lock are held, and the new content goes to a 0600 temporary
// file in the same directory that is synced and renamed over auth.json.
// Readers see the old file or the new one, never a mix; a failure before
// the rename leaves the old file untouched.
type FileStore struct {
	Home string // CODEX_HOME, absolute
	// OnWait, when set, is called once for each lock that someone else
	// has held for a second while a call waits for it.
	OnWait func(lock string)
}

// Path is the auth.json path.
func (s *FileStore) Path() string { return filepath.Join(s.Home, "auth.json") }

// Location is the auth.json path.
func (s *FileStore) Location() string { return s.Path() }

// Load returns the current auth.json, or nil when there is none. It takes
// no lock: auth.json is only ever replaced by a rename.
func (s *FileStore) Load(ctx context.Context) (*AuthFile, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.read()
}

// Save replaces auth.json with a, whatever it holds now.
func (s *FileStore) Save(ctx context.Context, a *AuthFile) error {
	data, err := a.Marshal()
	if err != nil {
		return err
	}
	if err := s.makeHome(); err != nil {
		return err
	}
	return s.locked(ctx, func() error {
		if err := s.removeLeftovers(); err != nil {
			return err
		}
		return s.replace(data)
	})
}

// Update reads auth.json while holding the locks, passes it to fn and
// writes what fn returns. Like Save, it creates CODEX_HOME when missing.
func (s *FileStore) Update(ctx context.Context, fn func(current *AuthFile) (*AuthFile, error)) error {
	if err := s.makeHome(); err != nil {
		return err
	}
	return s.locked(ctx, func() error {
		if err := s.removeLeftovers(); err != nil {
			return err
		}
		current, err := s.read()
		if err != nil {
			return err
		}
		next, err := fn(current)
		if err != nil || next == nil {
			return err
		}
		data, err := next.Marshal()
		if err != nil {
			return err
		}
		return s.replace(data)
	})
}

// Delete removes auth.json, and any temporary file a killed writer left,
// under the locks. The lock files stay, as Codex leaves them. A missing
// CODEX_HOME is not created.
func (s *FileStore) Delete(ctx context.Context) (removed bool, err error) {
	if _, err := os.Stat(s.Home); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	err = s.locked(ctx, func() error {
		if err := s.removeLeftovers(); err != nil {
			return err
		}
		switch err := os.Remove(s.Path()); {
		case errors.Is(err, fs.ErrNotExist):
			return nil
		case err != nil:
			return newWriteError(s.Home, "remove", s.Path(), err)
		}
		removed = true
		syncDir(s.Home)
		return nil
	})
	return removed, err
}

// Check does everything Save does except replacing auth.json: it creates
// CODEX_HOME if missing, takes both locks, and writes, syncs, renames and
// removes an empty 0600 temporary file. Only CODEX_HOME and the lock
// files, which Save would create too, may remain.
func (s *FileStore) Check(ctx context.Context) error {
	if err := s.makeHome(); err != nil {
		return err
	}
	return s.locked(ctx, func() error {
		tmp, err := s.writeTemp(nil)
		if err != nil {
			return err
		}
		moved := tmp + "-check"
		if err := os.Rename(tmp, moved); err != nil {
			os.Remove(tmp)
			return newWriteError(s.Home, "rename", tmp, err)
		}
		if err := os.Remove(moved); err != nil {
			return newWriteError(s.Home, "remove", moved, err)
		}
		return nil
	})
}

// read returns the current auth.json, or nil when there is none.
func (s *FileStore) read() (*AuthFile, error) {
	data, err := readBounded(s.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == s.Path() {
		return nil, fmt.Errorf("read %s: %w", s.Path(), pe.Err)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.Path(), err)
	}
	a, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.Path(), err)
	}
	return a, nil
}

func (s *FileStore) makeHome() error {
	if err := os.MkdirAll(s.Home, 0o700); err != nil {
		return newWriteError(s.Home, "create", s.Home, err)
	}
	return nil
}
