//go:build !darwin && !windows

package keyring

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math/big"

	"github.com/godbus/dbus/v5"
)

// wire sends body through D-Bus encoding and back, so that the fake sees
// arguments, and the backend sees replies, with the Go types godbus
// decodes from a real bus (maps, []any for structs, variants, ...).
func wire(body []any) ([]any, error) {
	if len(body) == 0 {
		return nil, nil
	}
	msg := &dbus.Message{
		Type: dbus.TypeSignal,
		Headers: map[dbus.HeaderField]dbus.Variant{
			dbus.FieldPath:      dbus.MakeVariant(dbus.ObjectPath("/wire")),
			dbus.FieldInterface: dbus.MakeVariant("test.Wire"),
			dbus.FieldMember:    dbus.MakeVariant("Body"),
			dbus.FieldSignature: dbus.MakeVariant(dbus.SignatureOf(body...)),
		},
		Body: body,
	}
	var buf bytes.Buffer
	if err := msg.EncodeTo(&buf, binary.LittleEndian); err != nil {
		return nil, err
	}
	out, err := dbus.DecodeMessage(&buf)
	if err != nil {
		return nil, err
	}
	return out.Body, nil
}

// fakeDH is the service's half of dh-ietf1024-sha256-aes128-cbc-pkcs7,
// written apart from the backend's: it answers the client's public value
// peer with a session and the service's public value.
func fakeDH(peer []byte) (*fakeSession, []byte) {
	p := ietf1024
	x, _ := rand.Int(rand.Reader, new(big.Int).Sub(p, big.NewInt(3)))
	x.Add(x, big.NewInt(2))
	pub := new(big.Int).Exp(big.NewInt(2), x, p).Bytes()
	shared := new(big.Int).Exp(new(big.Int).SetBytes(peer), x, p).FillBytes(make([]byte, 128))
	return &fakeSession{key: fakeHKDF(shared)}, pub
}

// fakeHKDF is HKDF-SHA256 (RFC 5869) with no salt and no info, cut to 16
// bytes, spelt out with HMAC: extract with a zero salt of hash length,
// then the first block of expand.
func fakeHKDF(secret []byte) []byte {
	ext := hmac.New(sha256.New, make([]byte, sha256.Size))
	ext.Write(secret)
	exp := hmac.New(sha256.New, ext.Sum(nil))
	exp.Write([]byte{1})
	return exp.Sum(nil)[:16]
}

// seal is what GetSecret returns in session s.
func (s *fakeSession) seal(path dbus.ObjectPath, value []byte, contentType string) ssSecret {
	if s.key == nil {
		return ssSecret{Session: path, Parameters: []byte{}, Value: bytes.Clone(value), ContentType: contentType}
	}
	iv := make([]byte, 16)
	rand.Read(iv)
	n := 16 - len(value)%16
	buf := append(bytes.Clone(value), bytes.Repeat([]byte{byte(n)}, n)...)
	block, _ := aes.NewCipher(s.key)
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(buf, buf)
	return ssSecret{Session: path, Parameters: iv, Value: buf, ContentType: contentType}
}

// open is how the service reads a secret sent in session s.
func (s *fakeSession) open(sec ssSecret) ([]byte, error) {
	if s.key == nil {
		if len(sec.Parameters) != 0 {
			return nil, errors.New("a plain secret has no parameters")
		}
		return bytes.Clone(sec.Value), nil
	}
	if len(sec.Parameters) != 16 || len(sec.Value) == 0 || len(sec.Value)%16 != 0 {
		return nil, errors.New("malformed")
	}
	buf := bytes.Clone(sec.Value)
	block, _ := aes.NewCipher(s.key)
	cipher.NewCBCDecrypter(block, sec.Parameters).CryptBlocks(buf, buf)
	n := int(buf[len(buf)-1])
	if n < 1 || n > 16 || !bytes.Equal(buf[len(buf)-n:], bytes.Repeat([]byte{byte(n)}, n)) {
		return nil, errors.New("bad padding")
	}
	return buf[:len(buf)-n], nil
}
