package trust

import (
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"net"
	"strings"
	"time"
)

// ChainProblem is something wrong with a presented chain that a person can act on.
type ChainProblem struct {
	Kind    ProblemKind
	Subject string // the certificate concerned
	Detail  string // e.g. "SHA1-RSA", "1024-bit RSA", "expired 2026-01-02", "issued by R3, which the server did not send"
}

// ProblemKind says what is wrong with a certificate of a chain.
type ProblemKind int

const (
	ProblemSHA1                ProblemKind = iota + 1 // a SHA-1 (or MD5) signature
	ProblemSmallRSA                                   // RSA key under 2048 bits
	ProblemExpired                                    // expired
	ProblemNotYetValid                                // not valid yet (or the clock here is wrong)
	ProblemLeafIsCA                                   // the leaf is marked CA:TRUE (Codex's rustls refuses it)
	ProblemNoSAN                                      // the leaf has no subjectAltName (only a Common Name)
	ProblemHostname                                   // the leaf does not name host
	ProblemMissingIntermediate                        // the server sent its certificate without the intermediate that issued it
	ProblemNoAKI                                      // a non-self-signed certificate without Authority Key Identifier (strict verifiers such as Python 3.13's refuse it)
)

// ChainProblems lists what is wrong with chain (leaf first, as presented)
// for a connection to host at time now, leaf first; nil when nothing is.
// A self-signed root's own signature does not count, as nobody checks
// it. A missing intermediate is told only when the last certificate sent
// is a server's own (not a CA) and says where its issuer can be fetched
// (an AIA CA Issuers URL), and no inspecting product made the chain: that
// is a server that left it out.
func ChainProblems(chain []*x509.Certificate, host string, now time.Time) []ChainProblem {
	var out []ChainProblem
	add := func(k ProblemKind, c *x509.Certificate, detail string) {
		out = append(out, ChainProblem{Kind: k, Subject: name(c), Detail: detail})
	}
	for i, c := range chain {
		if i == 0 {
			leafProblems(c, host, add)
		}
		self := selfSigned(c)
		if !self && weakSignature(c.SignatureAlgorithm) {
			add(ProblemSHA1, c, c.SignatureAlgorithm.String())
		}
		if k, ok := c.PublicKey.(*rsa.PublicKey); ok && k.N.BitLen() < 2048 {
			add(ProblemSmallRSA, c, fmt.Sprintf("%d-bit RSA", k.N.BitLen()))
		}
		switch {
		case now.After(c.NotAfter):
			add(ProblemExpired, c, "expired "+c.NotAfter.UTC().Format(time.DateOnly))
		case now.Before(c.NotBefore):
			add(ProblemNotYetValid, c, "not valid before "+c.NotBefore.UTC().Format(time.DateOnly))
		}
		if !self && len(c.AuthorityKeyId) == 0 {
			add(ProblemNoAKI, c, "no authority key identifier")
		}
	}
	if last := missingIssuer(chain); last != nil {
		add(ProblemMissingIntermediate, last, fmt.Sprintf("issued by %s, which the server did not send", issuerName(last)))
	}
	return out
}

// leafProblems finds what only a server's own certificate can get wrong.
func leafProblems(c *x509.Certificate, host string, add func(ProblemKind, *x509.Certificate, string)) {
	if c.BasicConstraintsValid && c.IsCA {
		add(ProblemLeafIsCA, c, "CA:TRUE")
	}
	if !hasSAN(c) {
		add(ProblemNoSAN, c, fmt.Sprintf("only the common name %q", c.Subject.CommonName))
		// The common name is what legacy clients would match; only
		// when it does not name host either is the name wrong too.
		if host != "" && !commonNameMatches(c, host) {
			add(ProblemHostname, c, "for "+quoteOrNone(c.Subject.CommonName)+", not "+host)
		}
		return
	}
	if host != "" && c.VerifyHostname(host) != nil {
		names := append([]string(nil), c.DNSNames...)
		for _, ip := range c.IPAddresses {
			names = append(names, ip.String())
		}
		add(ProblemHostname, c, "for "+quoteOrNone(strings.Join(names, ", "))+", not "+host)
	}
}

// missingIssuer returns the last certificate of chain when it is a
// server's own certificate whose issuer was not sent but can be fetched
// from the URL it names, else nil. A chain made by a recognised
// inspecting product is never the server's: such a proxy may copy the
// real certificate's fields, URL included, into its forgery.
func missingIssuer(chain []*x509.Certificate) *x509.Certificate {
	if len(chain) == 0 {
		return nil
	}
	last := chain[len(chain)-1]
	if selfSigned(last) || last.IsCA || len(last.IssuingCertificateURL) == 0 || Product(chain) != "" {
		return nil
	}
	return last
}

// commonNameMatches reports whether c's common name names host, as
// clients did before subjectAltName was required.
func commonNameMatches(c *x509.Certificate, host string) bool {
	cn := c.Subject.CommonName
	if cn == "" {
		return false
	}
	if ip := net.ParseIP(strings.Trim(host, "[]")); ip != nil {
		return ip.Equal(net.ParseIP(cn))
	}
	legacy := &x509.Certificate{DNSNames: []string{cn}}
	return legacy.VerifyHostname(host) == nil
}

// hasSAN reports whether c has a subjectAltName of any kind.
func hasSAN(c *x509.Certificate) bool {
	return len(c.DNSNames)+len(c.IPAddresses)+len(c.URIs)+len(c.EmailAddresses) > 0
}

func quoteOrNone(s string) string {
	if s == "" {
		return "no host"
	}
	return s
}

// String is one lowercase sentence fragment for a person, e.g.
// `certificate "auth.openai.com" is signed with SHA1-RSA`.
func (p ChainProblem) String() string {
	var what string
	switch p.Kind {
	case ProblemSHA1:
		what = "is signed with " + p.Detail + ", which is no longer accepted"
	case ProblemSmallRSA:
		what = "has a " + p.Detail + " key, and at least 2048 bits are needed"
	case ProblemExpired:
		what = p.Detail
	case ProblemNotYetValid:
		what = "is " + p.Detail + " (or the clock here is wrong)"
	case ProblemLeafIsCA:
		what = "is the server's own but marked as a CA (" + p.Detail + "), which Codex refuses"
	case ProblemNoSAN:
		what = "has no subject alternative name, " + p.Detail + ", which is no longer accepted"
	case ProblemHostname:
		what = "is " + p.Detail
	case ProblemMissingIntermediate:
		what = "was " + p.Detail
	case ProblemNoAKI:
		what = "has " + p.Detail + ", which strict verifiers (Python 3.13 and later) refuse"
	default:
		what = p.Detail
	}
	return fmt.Sprintf("certificate %q %s", p.Subject, what)
}
