package keyring

import (
	"encoding/binary"
	"errors"
	"unicode/utf16"
	"unicode/utf8"
)

// The Windows Credential Manager backend stores a secret the way Codex's
// keyring crate stores a password there: its characters as UTF-16 code
// units, little-endian, with no terminating NUL, so that Codex reads back
// the same string. These conversions have no build tag so that they are
// tested everywhere.

// utf16LEFromUTF8 encodes the UTF-8 text s as UTF-16LE bytes. It refuses
// s when it is not valid UTF-8, which the keyring crate could not have
// stored either (its passwords are Rust strings).
func utf16LEFromUTF8(s []byte) ([]byte, error) {
	if !utf8.Valid(s) {
		return nil, errors.New("the secret is not valid UTF-8 text, which the Credential Manager entry must hold")
	}
	units := utf16.Encode([]rune(string(s)))
	b := make([]byte, 2*len(units))
	for i, u := range units {
		binary.LittleEndian.PutUint16(b[2*i:], u)
	}
	return b, nil
}

// utf8FromUTF16LE decodes UTF-16LE bytes to UTF-8 text. Like the keyring
// crate, it refuses an odd number of bytes and a surrogate without its
// pair, rather than guessing.
func utf8FromUTF16LE(b []byte) ([]byte, error) {
	if len(b)%2 != 0 {
		return nil, errors.New("the Credential Manager entry holds an odd number of bytes, which is not UTF-16 text")
	}
	out := make([]byte, 0, len(b)/2)
	for i := 0; i < len(b); i += 2 {
		u := rune(binary.LittleEndian.Uint16(b[i:]))
		switch {
		case utf16.IsSurrogate(u) && u < 0xdc00 && i+4 <= len(b):
			next := rune(binary.LittleEndian.Uint16(b[i+2:]))
			r := utf16.DecodeRune(u, next)
			if r == utf8.RuneError {
				return nil, errors.New("the Credential Manager entry holds a UTF-16 surrogate without its pair")
			}
			out = utf8.AppendRune(out, r)
			i += 2
		case utf16.IsSurrogate(u):
			return nil, errors.New("the Credential Manager entry holds a UTF-16 surrogate without its pair")
		default:
			out = utf8.AppendRune(out, u)
		}
	}
	return out, nil
}
