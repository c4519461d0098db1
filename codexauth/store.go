package codexauth

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
)

// Store is where Codex keeps the credentials.
type Store interface {
	// Load returns the current credentials, or nil, nil when there are none.
	Load(ctx context.Context) (*AuthFile, error)
	// Save replaces the credentials with a under Codex's locks, whatever
	// the current content is, even unparseable.
	Save(ctx context.Context, a *AuthFile) error
	// Update re-reads the current credentials inside Codex's locks and
	// passes them to fn (nil when there are none). fn returns the new
	// content, or nil, nil to leave everything as it is; when fn fails its
	// error is returned and nothing is written. A refresh goes through
	// Update so that a concurrent Codex refresh is never overwritten with
	// older tokens.
	Update(ctx context.Context, fn func(current *AuthFile) (*AuthFile, error)) error
	// Delete removes the credentials and keeps the lock files; removed is
	// false when there was nothing to remove.
	Delete(ctx context.Context) (removed bool, err error)
	// Check proves, before any sign-in, that Save would succeed, changing
	// nothing but what Save itself would create. Failures are *WriteError.
	Check(ctx context.Context) error
	// Location is where the credentials live, for messages.
	Location() string
}

var _ Store = (*FileStore)(nil)

// NewStore returns the store Codex uses for mode, its
// cli_auth_credentials_store setting: "" and "file" give the auth.json in
// home, "keyring" the keyring kr (on Windows an age file whose key kr
// holds, as Codex does there), and "auto" the keyring when kr can be used,
// else auth.json, after telling onFallback why. onWait is called when a
// lock is held by someone else for a second. Any other mode is a
// *ModeError: with "ephemeral" Codex keeps credentials in memory only, so
// nothing can be handed to it.
func NewStore(home, mode string, kr Keyring, onWait func(lock string), onFallback func(error)) (Store, error) {
	file := &FileStore{Home: home, OnWait: onWait}
	switch mode {
	case "", "file":
		return file, nil
	case "keyring":
		return keyringStore(home, kr, onWait), nil
	case "auto":
		return &AutoStore{Keyring: kr, Keyed: keyringStore(home, kr, onWait), File: file, OnFallback: onFallback}, nil
	}
	return nil, &ModeError{Mode: mode}
}

// keyringStore is where Codex keeps the credentials when it uses kr.
func keyringStore(home string, kr Keyring, onWait func(string)) Store {
	if runtime.GOOS == "windows" {
		return &SecretsStore{Home: home, Keyring: kr, OnWait: onWait}
	}
	return &KeyringStore{Home: home, Keyring: kr, OnWait: onWait}
}

// Kind is "file" or "keyring": the kind of store s is, once an AutoStore
// has chosen.
func Kind(s Store) string {
	if a, ok := s.(*AutoStore); ok {
		s = a.chosen()
	}
	if _, ok := s.(*FileStore); ok {
		return "file"
	}
	return "keyring"
}

// ModeError reports a cli_auth_credentials_store mode that codex-login
// cannot write credentials for.
type ModeError struct {
	Mode string
}

func (e *ModeError) Error() string {
	return fmt.Sprintf("credential store %q cannot be written by codex-login", e.Mode)
}

// WriteError reports that CODEX_HOME, or a file in it, cannot be written.
type WriteError struct {
	Dir   string // CODEX_HOME
	Path  string // what could not be written: Dir itself, a lock or a file in it
	Op    string // "create", "lock", "write", "rename" or "remove"
	Owner string // who owns Dir when it exists and is not ours ("alice" or "uid 1001"); unix only
	Err   error  // the operating system's error
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("%s %s: %v", e.Op, e.Path, e.Err)
}

func (e *WriteError) Unwrap() error { return e.Err }

// newWriteError builds a *WriteError for an operation on path inside dir.
// The path and the OS error are taken out of *fs.PathError and
// *os.LinkError, so that the message names each only once.
func newWriteError(dir, op, path string, err error) *WriteError {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		path, err = pe.Path, pe.Err
	case errors.As(err, &le):
		err = le.Err
	}
	return &WriteError{Dir: dir, Path: path, Op: op, Owner: foreignOwner(dir), Err: err}
}
