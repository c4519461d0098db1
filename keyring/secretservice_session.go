//go:build !darwin && !windows

package keyring

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"

	"github.com/godbus/dbus/v5"
)

// Session algorithms, best first: the one libsecret and Codex's keyring
// crate use, which keeps secrets encrypted on the bus, then "plain" for
// services that do not offer it.
const (
	algorithmDH    = "dh-ietf1024-sha256-aes128-cbc-pkcs7"
	algorithmPlain = "plain"
)

// ietf1024 is the 1024-bit MODP group of RFC 2409 section 6.2 (generator
// 2), the group of dh-ietf1024-sha256-aes128-cbc-pkcs7.
var ietf1024, _ = new(big.Int).SetString(""+
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"+
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DD"+
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"+
	"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"+
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381"+
	"FFFFFFFFFFFFFFFF", 16)

// ssSecret is the Secret struct of the API, (oayays).
type ssSecret struct {
	Session     dbus.ObjectPath
	Parameters  []byte
	Value       []byte
	ContentType string
}

// ssSession is an open session: its path, and the AES-128 key secrets
// travel under (nil for a plain session).
type ssSession struct {
	path dbus.ObjectPath
	key  []byte
}

// openSession opens an encrypted session, or a plain one when the service
// does not support the encrypted algorithm.
func openSession(ctx context.Context, conn ssConn) (*ssSession, error) {
	priv, pub, err := dhKeyPair()
	if err != nil {
		return nil, fmt.Errorf("open Secret Service session: %w", err)
	}
	var output dbus.Variant
	var path dbus.ObjectPath
	body, err := conn.call(ctx, ssName, ssPath, ssService+".OpenSession", algorithmDH, dbus.MakeVariant(pub))
	if err == nil {
		if err = dbus.Store(body, &output, &path); err == nil {
			peer, ok := output.Value().([]byte)
			if !ok {
				return nil, errors.New("open Secret Service session: the service answered with no public key")
			}
			key, err := dhSessionKey(priv, peer)
			if err != nil {
				return nil, fmt.Errorf("open Secret Service session: %w", err)
			}
			return &ssSession{path: path, key: key}, nil
		}
	} else if errorName(err) == "org.freedesktop.DBus.Error.NotSupported" {
		body, err = conn.call(ctx, ssName, ssPath, ssService+".OpenSession", algorithmPlain, dbus.MakeVariant(""))
		if err == nil {
			if err = dbus.Store(body, &output, &path); err == nil {
				return &ssSession{path: path}, nil
			}
		}
	}
	if noService(err) {
		return nil, &UnavailableError{Reason: "no Secret Service on the D-Bus session bus", Err: err}
	}
	return nil, fmt.Errorf("open Secret Service session: %w", err)
}

// dhKeyPair draws a private exponent and returns it with the public value
// 2^priv mod p, as 128 big-endian bytes.
func dhKeyPair() (priv *big.Int, pub []byte, err error) {
	// priv in [2, p-2]
	priv, err = rand.Int(rand.Reader, new(big.Int).Sub(ietf1024, big.NewInt(3)))
	if err != nil {
		return nil, nil, err
	}
	priv.Add(priv, big.NewInt(2))
	y := new(big.Int).Exp(big.NewInt(2), priv, ietf1024)
	return priv, y.FillBytes(make([]byte, 128)), nil
}

// dhSessionKey derives the AES-128 key from the service's public value as
// libsecret and gnome-keyring do: the shared secret as 128 big-endian
// bytes, HKDF-SHA256 with no salt and no info, the first 16 bytes.
func dhSessionKey(priv *big.Int, peer []byte) ([]byte, error) {
	y := new(big.Int).SetBytes(peer)
	if y.Cmp(big.NewInt(1)) <= 0 || y.Cmp(new(big.Int).Sub(ietf1024, big.NewInt(1))) >= 0 {
		return nil, errors.New("the service's public key is out of range")
	}
	shared := new(big.Int).Exp(y, priv, ietf1024).FillBytes(make([]byte, 128))
	return hkdf.Key(sha256.New, shared, nil, "", 16)
}

// seal wraps value for the service: AES-128-CBC with PKCS#7 padding under
// a fresh random IV (the parameters) in an encrypted session, as is in a
// plain one.
func (s *ssSession) seal(value []byte) (ssSecret, error) {
	sec := ssSecret{Session: s.path, Parameters: []byte{}, Value: value, ContentType: "text/plain"}
	if s.key == nil {
		return sec, nil
	}
	block, err := aes.NewCipher(s.key)
	if err != nil {
		return ssSecret{}, err
	}
	iv := make([]byte, aes.BlockSize)
	if _, err := rand.Read(iv); err != nil {
		return ssSecret{}, err
	}
	n := aes.BlockSize - len(value)%aes.BlockSize
	buf := append(bytes.Clone(value), bytes.Repeat([]byte{byte(n)}, n)...)
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(buf, buf)
	sec.Parameters, sec.Value = iv, buf
	return sec, nil
}

// open unwraps a secret the service sent in this session. Its errors never
// quote the secret.
func (s *ssSession) open(sec ssSecret) ([]byte, error) {
	if s.key == nil {
		return sec.Value, nil
	}
	block, err := aes.NewCipher(s.key)
	if err != nil {
		return nil, err
	}
	if len(sec.Parameters) != aes.BlockSize || len(sec.Value) == 0 || len(sec.Value)%aes.BlockSize != 0 {
		return nil, errors.New("the service sent a malformed encrypted secret")
	}
	buf := bytes.Clone(sec.Value)
	cipher.NewCBCDecrypter(block, sec.Parameters).CryptBlocks(buf, buf)
	n := int(buf[len(buf)-1])
	if n == 0 || n > aes.BlockSize || !bytes.Equal(buf[len(buf)-n:], bytes.Repeat([]byte{byte(n)}, n)) {
		return nil, errors.New("the service sent a secret that does not decrypt")
	}
	return buf[:len(buf)-n], nil
}
