package login

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Store is the auth.json in one CODEX_HOME, written the way Codex writes it.
type Store struct {
	Home string // CODEX_HOME, absolute
}

// Path is the auth.json path.
func (s Store) Path() string { return filepath.Join(s.Home, "auth.json") }

// Load returns the current auth.json, or nil when there is none.
func (s Store) Load() (*AuthFile, error) {
	data, err := os.ReadFile(s.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.Path(), err)
	}
	a, err := ParseAuthFile(data)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.Path(), err)
	}
	return a, nil
}

// Save replaces auth.json with a, as Codex does: CODEX_HOME is created if
// missing, auth.lock and auth.json.lock are held, and the new content goes to
// a 0600 temporary file in the same directory that is synced and renamed
// over auth.json. Readers see the old file or the new one, never a mix; a
// failure before the rename leaves the old file untouched.
func (s Store) Save(a *AuthFile) error {
	data, err := a.Marshal()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(s.Home, 0o700); err != nil {
		return fmt.Errorf("create CODEX_HOME %s: %w", s.Home, err)
	}
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	return writeAtomic(s.Path(), data)
}

// lock takes Codex's two locks, in Codex's order, blocking until they are free.
func (s Store) lock() (func(), error) {
	var held []*os.File
	release := func() {
		for i := len(held) - 1; i >= 0; i-- {
			unlockFile(held[i])
			held[i].Close()
		}
	}
	for _, name := range []string{"auth.lock", "auth.json.lock"} {
		path := filepath.Join(s.Home, name)
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			release()
			return nil, fmt.Errorf("open lock %s: %w", path, err)
		}
		if err := lockFile(f); err != nil {
			f.Close()
			release()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		held = append(held, f)
	}
	return release, nil
}

// writeAtomic writes data to path through a synced temporary file and a rename.
func writeAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".auth.json.tmp-*")
	if err != nil {
		return fmt.Errorf("create temporary file in %s: %w", dir, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("set mode of %s: %w", tmp.Name(), err)
	}
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", tmp.Name(), err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp.Name(), err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}
