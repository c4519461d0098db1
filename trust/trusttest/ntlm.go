package trusttest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"net"
	"net/http"
	"strings"
	"sync"
	"unicode/utf16"

	"golang.org/x/crypto/md4" //lint:ignore SA1019 NTLM is built on MD4
)

// NTLMLogin is one NTLM handshake the proxy saw completed (or refused).
type NTLMLogin struct {
	User, Domain, Workstation string // as the AUTHENTICATE message named them
	Conn                      int    // the TCP connection of every leg
	Legs                      int    // CONNECTs on that connection for this handshake
	OK                        bool   // the NTLMv2 response proved the password
}

// ntlmConnKey is the context key of a front connection's NTLM state.
type ntlmConnKey struct{}

// ntlmConn is the NTLM state of one TCP connection to the proxy: NTLM
// authenticates the connection, so its legs must share it.
type ntlmConn struct {
	id        int
	legs      int
	challenge []byte // the server challenge sent on this connection
	done      bool   // authenticated: later CONNECTs pass
}

type ntlmState struct {
	mu     sync.Mutex
	conns  int
	logins []NTLMLogin
}

// NTLMLogins returns the NTLM handshakes completed or refused so far.
func (p *Proxy) NTLMLogins() []NTLMLogin {
	p.ntlm.mu.Lock()
	defer p.ntlm.mu.Unlock()
	return append([]NTLMLogin(nil), p.ntlm.logins...)
}

func (p *Proxy) ntlmConnContext(ctx context.Context, _ net.Conn) context.Context {
	p.ntlm.mu.Lock()
	p.ntlm.conns++
	id := p.ntlm.conns
	p.ntlm.mu.Unlock()
	return context.WithValue(ctx, ntlmConnKey{}, &ntlmConn{id: id})
}

// ntlmAuthorized runs NTLM on the CONNECT's connection: NEGOTIATE gets a
// 407 with a CHALLENGE (keeping the connection), AUTHENTICATE is checked
// against User and Password (NTLMv2). It reports whether the CONNECT may
// go on; otherwise it has answered.
func (p *Proxy) ntlmAuthorized(w http.ResponseWriter, r *http.Request) bool {
	st, _ := r.Context().Value(ntlmConnKey{}).(*ntlmConn)
	if st == nil {
		http.Error(w, "no connection state", http.StatusInternalServerError)
		return false
	}
	if st.done {
		return true
	}
	deny := func(challenge string) bool {
		w.Header().Set("Proxy-Authenticate", challenge)
		http.Error(w, "proxy authentication required", http.StatusProxyAuthRequired)
		return false
	}
	st.legs++
	scheme, b64, _ := strings.Cut(r.Header.Get("Proxy-Authorization"), " ")
	msg, err := base64.StdEncoding.DecodeString(b64)
	if !strings.EqualFold(scheme, "NTLM") || err != nil || len(msg) < 12 || !bytes.HasPrefix(msg, []byte("NTLMSSP\x00")) {
		return deny("NTLM")
	}
	switch binary.LittleEndian.Uint32(msg[8:]) {
	case 1:
		st.challenge = make([]byte, 8)
		rand.Read(st.challenge)
		if p.o.NTLMHangup {
			w.Header().Set("Connection", "close")
		}
		return deny("NTLM " + base64.StdEncoding.EncodeToString(p.challengeMessage(st.challenge)))
	case 3:
		login, ok := checkAuthenticate(msg, st.challenge, p.o.User, p.o.Password)
		login.Conn, login.Legs = st.id, st.legs
		p.ntlm.mu.Lock()
		p.ntlm.logins = append(p.ntlm.logins, login)
		p.ntlm.mu.Unlock()
		st.legs = 0
		if !ok {
			return deny("NTLM")
		}
		st.done = true
		return true
	}
	return deny("NTLM")
}

const (
	flagUnicode        = 0x00000001
	flagRequestTarget  = 0x00000004
	flagNTLM           = 0x00000200
	flagAlwaysSign     = 0x00008000
	flagTargetDomain   = 0x00010000
	flagExtendedSecure = 0x00080000
	flagTargetInfo     = 0x00800000
	flag128            = 0x20000000
	flag56             = 0x80000000
)

// challengeMessage is the CHALLENGE: well-formed (domain CORP), or, with
// NTLMMalformed, the one squid's ntlm_fake_auth sends: a 40-byte header,
// a TargetName offset past the end and no TargetInfo.
func (p *Proxy) challengeMessage(challenge []byte) []byte {
	if p.o.NTLMMalformed {
		m := make([]byte, 40, 49)
		copy(m, "NTLMSSP\x00")
		binary.LittleEndian.PutUint32(m[8:], 2)
		binary.LittleEndian.PutUint16(m[12:], 9)
		binary.LittleEndian.PutUint16(m[14:], 9)
		binary.LittleEndian.PutUint32(m[16:], 0xaaaaaaae)
		binary.LittleEndian.PutUint32(m[20:], 0xa2088207)
		copy(m[24:], challenge)
		return append(m, "WORKGROUP"...)
	}
	name := utf16le("CORP")
	info := append(append(binary.LittleEndian.AppendUint16(binary.LittleEndian.AppendUint16(nil, 2), uint16(len(name))), name...), 0, 0, 0, 0)
	m := make([]byte, 48)
	copy(m, "NTLMSSP\x00")
	binary.LittleEndian.PutUint32(m[8:], 2)
	field(m, 12, len(name), 48)
	binary.LittleEndian.PutUint32(m[20:], flagUnicode|flagRequestTarget|flagNTLM|flagAlwaysSign|flagTargetDomain|flagExtendedSecure|flagTargetInfo|flag128|flag56)
	copy(m[24:], challenge)
	field(m, 40, len(info), 48+len(name))
	return append(append(m, name...), info...)
}

func field(m []byte, at, n, off int) {
	binary.LittleEndian.PutUint16(m[at:], uint16(n))
	binary.LittleEndian.PutUint16(m[at+2:], uint16(n))
	binary.LittleEndian.PutUint32(m[at+4:], uint32(off))
}

// checkAuthenticate reads an AUTHENTICATE message and checks its NTLMv2
// response (MS-NLMP 3.3.2) against the server challenge and the password
// of want (DOMAIN\user or user@domain, compared without case).
func checkAuthenticate(msg, challenge []byte, want, password string) (NTLMLogin, bool) {
	read := func(at int) []byte {
		if len(msg) < at+8 {
			return nil
		}
		n, off := int(binary.LittleEndian.Uint16(msg[at:])), int(binary.LittleEndian.Uint32(msg[at+4:]))
		if off > len(msg) || n > len(msg)-off {
			return nil
		}
		return msg[off : off+n]
	}
	unicode := len(msg) >= 64 && binary.LittleEndian.Uint32(msg[60:])&flagUnicode != 0
	str := func(b []byte) string {
		if !unicode {
			return string(b)
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(b[2*i:])
		}
		return string(utf16.Decode(u))
	}
	login := NTLMLogin{Domain: str(read(28)), User: str(read(36)), Workstation: str(read(44))}
	name := login.User
	if login.Domain != "" {
		name = login.Domain + `\` + login.User
	}
	nt := read(20)
	if !strings.EqualFold(name, want) || len(nt) <= 16 || challenge == nil {
		return login, false
	}
	h := md4.New()
	h.Write(utf16le(password))
	ntowf := hmacMD5(h.Sum(nil), utf16le(strings.ToUpper(login.User)+login.Domain))
	proof := hmacMD5(ntowf, challenge, nt[16:])
	login.OK = hmac.Equal(proof, nt[:16])
	return login, login.OK
}

func hmacMD5(key []byte, data ...[]byte) []byte {
	m := hmac.New(md5.New, key)
	for _, d := range data {
		m.Write(d)
	}
	return m.Sum(nil)
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}
