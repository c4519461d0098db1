package codexauth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// SecretsStore keeps the credentials as Codex does with a keyring on
// Windows, where a Credential Manager entry is too small for them: in
// CODEX_HOME/secrets/codex_auth.age, an age file encrypted with a scrypt
// passphrase that the keyring holds (service SecretsService, account
// SecretsAccount(Home), 32 random bytes in standard base64). The file holds
// {"version":1,"secrets":{"global/CODEX_AUTH":"<compact auth json>"}}.
// Changes happen under Codex's locks; after a save auth.json is removed.
type SecretsStore struct {
	Home    string // CODEX_HOME, absolute
	Keyring Keyring
	OnWait  func(lock string) // as in FileStore
}

var _ Store = (*SecretsStore)(nil)

const (
	secretsVersion = 1
	secretsAuthKey = "global/CODEX_AUTH"
	secretsTemp    = ".codex_auth.age.tmp-"
)

// The age file format, from codexauth/agefile. Only Windows builds set
// these (secretsstore_windows.go), so that age is linked only where Codex
// keeps this file; the tests set them on every system.
var (
	sealAge func(plain []byte, passphrase string, workFactor int) ([]byte, error)
	openAge func(sealed []byte, passphrase string, max int64) ([]byte, error)
)

// errNoAge is a SecretsStore used in a build without the age format.
var errNoAge = errors.New("the encrypted secrets file Codex keeps on Windows cannot be read or written by this build")

// scryptWorkFactor is age's default, 2^18: about a second of work to open
// the file with its passphrase. Tests lower it.
var scryptWorkFactor = 18

// secretsFile is the decrypted content of the age file.
type secretsFile struct {
	Version int               `json:"version"`
	Secrets map[string]string `json:"secrets"`
}

// Path is the age file.
func (s *SecretsStore) Path() string { return filepath.Join(s.Home, "secrets", "codex_auth.age") }

// Location names the file and the keyring entry that unlocks it.
func (s *SecretsStore) Location() string {
	return s.Path() + " (its key in " + s.Keyring.Describe(SecretsService, SecretsAccount(s.Home)) + ")"
}

func (s *SecretsStore) file() *FileStore { return &FileStore{Home: s.Home, OnWait: s.OnWait} }

// Load returns the credentials in the age file, or nil when there are none.
func (s *SecretsStore) Load(ctx context.Context) (*AuthFile, error) {
	sf, err := s.read(ctx)
	if err != nil || sf == nil {
		return nil, err
	}
	raw, ok := sf.Secrets[secretsAuthKey]
	if !ok {
		return nil, nil
	}
	a, err := Parse([]byte(raw))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.Path(), err)
	}
	return a, nil
}

// Save stores a in the age file, whatever it holds now, keeping its other
// secrets, and removes auth.json.
func (s *SecretsStore) Save(ctx context.Context, a *AuthFile) error {
	return s.write(ctx, false, func(*AuthFile) (*AuthFile, error) { return a, nil })
}

// Update reads the credentials under the locks, passes them to fn and
// stores what fn returns.
func (s *SecretsStore) Update(ctx context.Context, fn func(current *AuthFile) (*AuthFile, error)) error {
	return s.write(ctx, true, fn)
}

func (s *SecretsStore) write(ctx context.Context, read bool, fn func(*AuthFile) (*AuthFile, error)) error {
	return s.file().rewrite(ctx, read, s.Load, fn, func(data []byte) error {
		if err := removeTemps(s.Home, filepath.Dir(s.Path()), secretsTemp); err != nil {
			return err
		}
		sf, err := s.read(ctx)
		if err != nil || sf == nil {
			sf = &secretsFile{Version: secretsVersion, Secrets: map[string]string{}}
		}
		sf.Secrets[secretsAuthKey] = string(data)
		return s.seal(ctx, sf)
	})
}

// Delete removes the credentials from the age file (the file, its other
// secrets and its key stay, as Codex leaves them) and removes auth.json.
func (s *SecretsStore) Delete(ctx context.Context) (removed bool, err error) {
	f := s.file()
	if _, err := os.Stat(s.Home); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	err = f.locked(ctx, func() error {
		sf, err := s.read(ctx)
		if err != nil {
			return err
		}
		if sf != nil {
			if _, ok := sf.Secrets[secretsAuthKey]; ok {
				delete(sf.Secrets, secretsAuthKey)
				if err := s.seal(ctx, sf); err != nil {
					return err
				}
				removed = true
			}
		}
		if err := os.Remove(f.Path()); err == nil {
			removed = true
		} else if !errors.Is(err, fs.ErrNotExist) {
			return newWriteError(s.Home, "remove", f.Path(), err)
		}
		return nil
	})
	return removed, err
}

// Check proves that the keyring answers and that CODEX_HOME and its
// secrets directory can be written under the locks.
func (s *SecretsStore) Check(ctx context.Context) error {
	if err := s.Keyring.Probe(ctx); err != nil {
		return err
	}
	if err := s.file().Check(ctx); err != nil {
		return err
	}
	return s.makeDir()
}

func (s *SecretsStore) makeDir() error {
	dir := filepath.Dir(s.Path())
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return newWriteError(s.Home, "create", dir, err)
	}
	return nil
}

// read decrypts the age file, or returns nil when there is none.
func (s *SecretsStore) read(ctx context.Context) (*secretsFile, error) {
	sealed, err := readBounded(s.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.Path(), err)
	}
	pass, err := s.Keyring.Get(ctx, SecretsService, SecretsAccount(s.Home))
	if err != nil {
		return nil, fmt.Errorf("read the key of %s from %s: %w", s.Path(), s.Keyring.Describe(SecretsService, SecretsAccount(s.Home)), err)
	}
	if pass == nil {
		return nil, fmt.Errorf("read %s: its key is missing from %s", s.Path(), s.Keyring.Describe(SecretsService, SecretsAccount(s.Home)))
	}
	if openAge == nil {
		return nil, fmt.Errorf("read %s: %w", s.Path(), errNoAge)
	}
	plain, err := openAge(sealed, string(pass), maxAuthFile)
	if err != nil {
		return nil, fmt.Errorf("decrypt %s: %w", s.Path(), err)
	}
	var sf secretsFile
	if err := json.Unmarshal(plain, &sf); err != nil {
		return nil, fmt.Errorf("read %s: not Codex's secrets file: %w", s.Path(), err)
	}
	if sf.Version > secretsVersion {
		return nil, fmt.Errorf("read %s: version %d, newer than codex-login reads (%d)", s.Path(), sf.Version, secretsVersion)
	}
	if sf.Secrets == nil {
		sf.Secrets = map[string]string{}
	}
	sf.Version = secretsVersion
	return &sf, nil
}

// seal encrypts sf to the keyring's passphrase, creating the passphrase
// when there is none, and replaces the age file through a synced temporary
// file and a rename.
func (s *SecretsStore) seal(ctx context.Context, sf *secretsFile) error {
	if sealAge == nil {
		return fmt.Errorf("write %s: %w", s.Path(), errNoAge)
	}
	pass, err := s.passphrase(ctx)
	if err != nil {
		return err
	}
	plain, err := json.Marshal(sf)
	if err != nil {
		return err
	}
	sealed, err := sealAge(plain, pass, scryptWorkFactor)
	if err != nil {
		return err
	}
	if err := s.makeDir(); err != nil {
		return err
	}
	return replaceFile(s.Home, s.Path(), secretsTemp, sealed)
}

// passphrase returns the key of the age file, creating and storing a new
// one when the keyring has none.
func (s *SecretsStore) passphrase(ctx context.Context) (string, error) {
	where := s.Keyring.Describe(SecretsService, SecretsAccount(s.Home))
	pass, err := s.Keyring.Get(ctx, SecretsService, SecretsAccount(s.Home))
	if err != nil {
		return "", fmt.Errorf("read the key of %s from %s: %w", s.Path(), where, err)
	}
	if pass != nil {
		return string(pass), nil
	}
	key := make([]byte, 32)
	rand.Read(key)
	p := base64.StdEncoding.EncodeToString(key)
	if err := s.Keyring.Set(ctx, SecretsService, SecretsAccount(s.Home), []byte(p)); err != nil {
		return "", fmt.Errorf("store the key of %s in %s: %w", s.Path(), where, err)
	}
	return p, nil
}
