// Package agefile seals and opens age files encrypted to a scrypt
// passphrase: the format of Codex's secrets file on Windows. It is its own
// package so that only the builds that use that file (Windows) link age;
// codexauth imports it from a Windows-only file, and its tests everywhere.
package agefile

import (
	"bytes"
	"io"

	"filippo.io/age"
)

// Seal encrypts plain to passphrase with scrypt at the given work factor
// (log2 of the cost; age's default is 18).
func Seal(plain []byte, passphrase string, workFactor int) ([]byte, error) {
	to, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, err
	}
	to.SetWorkFactor(workFactor)
	var sealed bytes.Buffer
	w, err := age.Encrypt(&sealed, to)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plain); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return sealed.Bytes(), nil
}

// Open decrypts sealed with passphrase and returns at most max bytes of
// what it holds.
func Open(sealed []byte, passphrase string, max int64) ([]byte, error) {
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, err
	}
	r, err := age.Decrypt(bytes.NewReader(sealed), id)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(io.LimitReader(r, max))
}
