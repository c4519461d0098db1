package codexauth

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// lockNames are Codex's locks in CODEX_HOME, in the order Codex takes them.
var lockNames = []string{"auth.lock", "auth.json.lock"}

const (
	lockRetry    = 50 * time.Millisecond // how often a held lock is tried again
	lockPatience = time.Second           // how long a lock is waited for before OnWait
)

// tempPrefix starts the name of every temporary file that holds new
// credentials before the rename.
const tempPrefix = ".auth.json.tmp-"

// locked runs fn while holding Codex's two locks. It waits for each lock
// until ctx is done, and runs nothing when ctx is done by the time both
// locks are held.
func (s *FileStore) locked(ctx context.Context, fn func() error) error {
	var held []*os.File
	defer func() {
		for i := len(held) - 1; i >= 0; i-- {
			unlockFile(held[i])
			held[i].Close()
		}
	}()
	for _, name := range lockNames {
		path := filepath.Join(s.Home, name)
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return newWriteError(s.Home, "lock", path, err)
		}
		if err := s.acquire(ctx, f, path); err != nil {
			f.Close()
			return err
		}
		held = append(held, f)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return fn()
}

// acquire takes an exclusive lock on f without blocking, trying again
// every lockRetry until ctx is done.
func (s *FileStore) acquire(ctx context.Context, f *os.File, path string) error {
	start := time.Now()
	var tick *time.Ticker
	told := false
	for {
		ok, err := tryLock(f)
		if err != nil {
			return newWriteError(s.Home, "lock", path, err)
		}
		if ok {
			return nil
		}
		if tick == nil {
			tick = time.NewTicker(lockRetry)
			defer tick.Stop()
		}
		if !told && s.OnWait != nil && time.Since(start) >= lockPatience {
			told = true
			s.OnWait(path)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for lock %s: %w", path, ctx.Err())
		case <-tick.C:
		}
	}
}

// removeLeftovers removes the temporary files of writers killed between
// creating and renaming them: they hold tokens. It must run under the
// locks, when no writer can be between those two steps.
func (s *FileStore) removeLeftovers() error {
	return removeTemps(s.Home, s.Home, tempPrefix)
}

// removeTemps removes the files in dir whose names start with prefix.
func removeTemps(home, dir, prefix string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil // what cannot be listed cannot be cleaned; writing may still work
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) || e.IsDir() {
			continue
		}
		path := filepath.Join(dir, e.Name())
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return newWriteError(home, "remove", path, err)
		}
	}
	return nil
}

// replace writes data to auth.json through a synced temporary file and a rename.
func (s *FileStore) replace(data []byte) error {
	return replaceFile(s.Home, s.Path(), tempPrefix, data)
}

// writeTemp writes data to a new 0600 temporary file in CODEX_HOME.
func (s *FileStore) writeTemp(data []byte) (string, error) {
	return writeTemp(s.Home, s.Home, tempPrefix, data)
}

// replaceFile replaces path, a file in home or below it, with data through
// a synced 0600 temporary file (named prefix and a random suffix, in the
// same directory) and a rename.
func replaceFile(home, path, prefix string, data []byte) error {
	tmp, err := writeTemp(home, filepath.Dir(path), prefix, data)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return newWriteError(home, "rename", path, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// writeTemp writes data to a new 0600 temporary file in dir, synced and
// closed, and returns its path. On failure nothing is left behind.
func writeTemp(home, dir, prefix string, data []byte) (path string, err error) {
	tmp, err := os.CreateTemp(dir, prefix+"*")
	if err != nil {
		return "", newWriteError(home, "create", filepath.Join(dir, prefix+"*"), err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = newWriteError(home, "write", tmp.Name(), err)
		}
	}()
	if err = tmp.Chmod(0o600); err != nil {
		return "", err
	}
	if _, err = tmp.Write(data); err != nil {
		return "", err
	}
	if err = tmp.Sync(); err != nil {
		return "", err
	}
	if err = tmp.Close(); err != nil {
		return "", err
	}
	return tmp.Name(), nil
}
