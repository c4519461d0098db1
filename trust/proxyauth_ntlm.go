package trust

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"

	"github.com/Azure/go-ntlmssp"
)

// ntlmAuth answers NTLM (NTLMv2 responses) with a user name and password:
// the user as DOMAIN\user or user@domain.
type ntlmAuth struct {
	user, pass string
	legs       int
}

func (*ntlmAuth) scheme() string     { return "NTLM" }
func (n *ntlmAuth) identity() string { return n.user }

func (n *ntlmAuth) step(_ context.Context, challenge []byte) ([]byte, error) {
	n.legs++
	switch {
	case n.legs == 1 && challenge == nil:
		return ntlmssp.NewNegotiateMessage("", "")
	case n.legs == 2 && challenge != nil:
		msg, err := normalizeChallenge(challenge)
		if err != nil {
			return nil, err
		}
		return ntlmssp.NewAuthenticateMessage(msg, n.user, n.pass, nil)
	}
	return nil, errors.New("NTLM has two legs")
}

var ntlmSignature = []byte("NTLMSSP\x00")

// normalizeChallenge returns an NTLM CHALLENGE message (MS-NLMP 2.2.1.2)
// rebuilt in the well-formed layout: a 48-byte header, then TargetName,
// then TargetInfo. The optional fields are kept when they lie inside the
// message (TargetInfo only when its AV pairs end with MsvAvEOL) and read
// as empty otherwise: some servers send an offset past the end, or a
// 40-byte header whose "TargetInfo" is the start of the payload. Only the
// signature, the type and the server challenge are required.
func normalizeChallenge(msg []byte) ([]byte, error) {
	if len(msg) < 32 || !bytes.Equal(msg[:8], ntlmSignature) || binary.LittleEndian.Uint32(msg[8:12]) != 2 {
		return nil, errors.New("the proxy's NTLM challenge is not an NTLM CHALLENGE message")
	}
	field := func(at int) []byte {
		if at+8 > len(msg) {
			return nil
		}
		n := int(binary.LittleEndian.Uint16(msg[at:]))
		off := int(binary.LittleEndian.Uint32(msg[at+4:]))
		if n == 0 || off < 32 || off > len(msg) || n > len(msg)-off {
			return nil
		}
		return msg[off : off+n]
	}
	name := field(12)
	var info []byte
	if len(msg) >= 48 {
		info = field(40)
		if !avPairsEnd(info) {
			info = nil
		}
	}
	out := make([]byte, 48, 48+len(name)+len(info))
	copy(out, msg[:12])
	copy(out[20:40], msg[20:40]) // flags, server challenge, reserved
	if len(msg) < 40 {
		clear(out[32:40])
	}
	put := func(at int, b []byte) {
		binary.LittleEndian.PutUint16(out[at:], uint16(len(b)))
		binary.LittleEndian.PutUint16(out[at+2:], uint16(len(b)))
		binary.LittleEndian.PutUint32(out[at+4:], uint32(len(out)))
		out = append(out, b...)
	}
	put(12, name)
	put(40, info)
	return out, nil
}

// avPairsEnd reports whether b is a list of AV pairs ending with MsvAvEOL.
func avPairsEnd(b []byte) bool {
	for len(b) >= 4 {
		id, n := binary.LittleEndian.Uint16(b), int(binary.LittleEndian.Uint16(b[2:]))
		if id == 0 {
			return true
		}
		if 4+n > len(b) {
			return false
		}
		b = b[4+n:]
	}
	return false
}
