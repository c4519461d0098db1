package trust

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
)

// Codex's TLS stack (rustls with webpki) is stricter than crypto/x509: a
// chain that codex-login accepted may still be refused by Codex itself
// when it goes through the same inspecting proxy.

// RefusalReason says why Codex would refuse a certificate of a chain.
type RefusalReason int

const (
	RefuseLeafIsCA RefusalReason = iota + 1 // the server's own certificate says it is a CA (basic constraints CA:TRUE)
	RefuseSHA1                              // a certificate other than the root is signed with SHA-1 (or MD5)
	RefuseSmallRSA                          // a certificate has an RSA key under 2048 bits
)

// Refusal is one certificate of a chain that Codex would refuse.
type Refusal struct {
	Subject string // the certificate's common name, else its whole subject
	Reason  RefusalReason
	Bits    int // RefuseSmallRSA: the size of the key
}

// CodexRefuses lists what Codex would refuse in chain (leaf first, as
// PeerChain returns it), nil when nothing. The root's own signature is
// not checked (nobody checks it), but its key is: it signed the next
// certificate.
func CodexRefuses(chain []*x509.Certificate) []Refusal {
	var out []Refusal
	for i, c := range chain {
		if i == 0 && c.BasicConstraintsValid && c.IsCA {
			out = append(out, Refusal{Subject: name(c), Reason: RefuseLeafIsCA})
		}
		root := i == len(chain)-1 && i > 0 && bytes.Equal(c.RawSubject, c.RawIssuer)
		if !root && weakSignature(c.SignatureAlgorithm) {
			out = append(out, Refusal{Subject: name(c), Reason: RefuseSHA1})
		}
		if k, ok := c.PublicKey.(*rsa.PublicKey); ok && k.N.BitLen() < 2048 {
			out = append(out, Refusal{Subject: name(c), Reason: RefuseSmallRSA, Bits: k.N.BitLen()})
		}
	}
	return out
}

func weakSignature(alg x509.SignatureAlgorithm) bool {
	switch alg {
	case x509.MD2WithRSA, x509.MD5WithRSA, x509.SHA1WithRSA, x509.DSAWithSHA1, x509.ECDSAWithSHA1:
		return true
	}
	return false
}
