package trust

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"reflect"
	"strings"
	"testing"
	"time"
)

// corpPKI is a root, an intermediate that names where its issuer lives,
// and what the tests sign with them.
type corpPKI struct {
	root, inter       *x509.Certificate
	rootKey, interKey crypto.Signer
}

func newCorpPKI(t *testing.T, interKey crypto.Signer) *corpPKI {
	t.Helper()
	p := &corpPKI{rootKey: ecKey(t), interKey: interKey}
	p.root = mint(t, caTemplate("Corp Root"), nil, nil, p.rootKey)
	tmpl := caTemplate("Corp Intermediate")
	tmpl.IssuingCertificateURL = []string{"http://pki.corp.test/root.crt"}
	p.inter = mint(t, tmpl, p.root, p.rootKey, interKey)
	return p
}

// leaf signs a server certificate with the intermediate; adjust changes
// the template first.
func (p *corpPKI) leaf(t *testing.T, key crypto.Signer, adjust func(*x509.Certificate)) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		Subject: pkix.Name{CommonName: "auth.corp.test"}, DNSNames: []string{"auth.corp.test"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IssuingCertificateURL: []string{"http://pki.corp.test/inter.crt"},
	}
	if adjust != nil {
		adjust(tmpl)
	}
	return mint(t, tmpl, p.inter, p.interKey, key)
}

func TestChainProblems(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	p := newCorpPKI(t, rsaKey(t, 2048))
	key := ecKey(t)
	valid := func(c *x509.Certificate) { c.NotBefore, c.NotAfter = now.Add(-time.Hour), now.Add(time.Hour) }
	at := func(from, to time.Time) func(*x509.Certificate) {
		return func(c *x509.Certificate) { c.NotBefore, c.NotAfter = from, to }
	}
	leaf := p.leaf(t, key, valid)
	zscaler := mint(t, caTemplate("Zscaler Intermediate Root CA (zscaler.net)"), nil, nil, p.rootKey)
	noAKIParent := *p.inter
	noAKIParent.SubjectKeyId = nil // Go then writes no Authority Key Identifier

	tests := []struct {
		name  string
		chain []*x509.Certificate
		host  string
		want  []ChainProblem
	}{
		{"sound chain", []*x509.Certificate{leaf, p.inter}, "auth.corp.test", nil},
		{"sound chain with its root", []*x509.Certificate{leaf, p.inter, p.root}, "auth.corp.test", nil},
		{"SHA-1 signature", []*x509.Certificate{p.leaf(t, key, func(c *x509.Certificate) { valid(c); c.SignatureAlgorithm = x509.SHA1WithRSA })},
			"auth.corp.test", []ChainProblem{
				{ProblemSHA1, "auth.corp.test", "SHA1-RSA"},
				{ProblemMissingIntermediate, "auth.corp.test", "issued by Corp Intermediate, which the server did not send"},
			}},
		{"1024-bit RSA", []*x509.Certificate{p.leaf(t, rsaKey(t, 1024), valid), p.inter}, "auth.corp.test",
			[]ChainProblem{{ProblemSmallRSA, "auth.corp.test", "1024-bit RSA"}}},
		{"expired", []*x509.Certificate{p.leaf(t, key, at(now.AddDate(-1, 0, 0), time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))), p.inter},
			"auth.corp.test", []ChainProblem{{ProblemExpired, "auth.corp.test", "expired 2026-01-02"}}},
		{"not yet valid", []*x509.Certificate{p.leaf(t, key, at(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), now.AddDate(1, 0, 0))), p.inter},
			"auth.corp.test", []ChainProblem{{ProblemNotYetValid, "auth.corp.test", "not valid before 2026-04-01"}}},
		{"leaf is a CA", []*x509.Certificate{p.leaf(t, key, func(c *x509.Certificate) { valid(c); c.BasicConstraintsValid, c.IsCA = true, true }), p.inter},
			"auth.corp.test", []ChainProblem{{ProblemLeafIsCA, "auth.corp.test", "CA:TRUE"}}},
		{"common name only", []*x509.Certificate{p.leaf(t, key, func(c *x509.Certificate) { valid(c); c.DNSNames = nil }), p.inter},
			"auth.corp.test", []ChainProblem{{ProblemNoSAN, "auth.corp.test", `only the common name "auth.corp.test"`}}},
		{"common name only, of another host", []*x509.Certificate{p.leaf(t, key, func(c *x509.Certificate) {
			valid(c)
			c.DNSNames, c.Subject.CommonName = nil, "intranet.corp.test"
		}), p.inter}, "auth.corp.test", []ChainProblem{
			{ProblemNoSAN, "intranet.corp.test", `only the common name "intranet.corp.test"`},
			{ProblemHostname, "intranet.corp.test", "for intranet.corp.test, not auth.corp.test"},
		}},
		{"other host", []*x509.Certificate{leaf, p.inter}, "chatgpt.com",
			[]ChainProblem{{ProblemHostname, "auth.corp.test", "for auth.corp.test, not chatgpt.com"}}},
		{"intermediate left out", []*x509.Certificate{leaf}, "auth.corp.test",
			[]ChainProblem{{ProblemMissingIntermediate, "auth.corp.test", "issued by Corp Intermediate, which the server did not send"}}},
		{"proxy's leaf alone", []*x509.Certificate{p.leaf(t, key, func(c *x509.Certificate) { valid(c); c.IssuingCertificateURL = nil })},
			"auth.corp.test", nil},
		{"inspecting proxy's leaf alone, copying the server's fields", []*x509.Certificate{
			mint(t, &x509.Certificate{
				Subject: pkix.Name{CommonName: "auth.corp.test"}, DNSNames: []string{"auth.corp.test"},
				IssuingCertificateURL: []string{"http://pki.corp.test/inter.crt"},
				NotBefore:             now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
			}, zscaler, p.rootKey, key)}, "auth.corp.test", nil},
		{"no authority key identifier", []*x509.Certificate{mint(t, &x509.Certificate{
			Subject: pkix.Name{CommonName: "auth.corp.test"}, DNSNames: []string{"auth.corp.test"},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		}, &noAKIParent, p.interKey, key), p.inter}, "auth.corp.test",
			[]ChainProblem{{ProblemNoAKI, "auth.corp.test", "no authority key identifier"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ChainProblems(tt.chain, tt.host, now)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ChainProblems = %+v\nwant %+v", got, tt.want)
			}
			for _, p := range got {
				t.Log(p) // the text a person reads
			}
		})
	}
}

func TestChainProblemString(t *testing.T) {
	tests := []struct {
		p    ChainProblem
		want string
	}{
		{ChainProblem{ProblemSHA1, "Corp Root", "SHA1-RSA"}, `certificate "Corp Root" is signed with SHA1-RSA, which is no longer accepted`},
		{ChainProblem{ProblemSmallRSA, "Corp Root", "1024-bit RSA"}, `certificate "Corp Root" has a 1024-bit RSA key, and at least 2048 bits are needed`},
		{ChainProblem{ProblemExpired, "R3", "expired 2026-01-02"}, `certificate "R3" expired 2026-01-02`},
		{ChainProblem{ProblemNotYetValid, "R3", "not valid before 2026-04-01"}, `certificate "R3" is not valid before 2026-04-01 (or the clock here is wrong)`},
		{ChainProblem{ProblemLeafIsCA, "auth.openai.com", "CA:TRUE"}, `certificate "auth.openai.com" is the server's own but marked as a CA (CA:TRUE), which Codex refuses`},
		{ChainProblem{ProblemHostname, "x.test", "for x.test, not auth.openai.com"}, `certificate "x.test" is for x.test, not auth.openai.com`},
		{ChainProblem{ProblemMissingIntermediate, "auth.openai.com", "issued by R3, which the server did not send"}, `certificate "auth.openai.com" was issued by R3, which the server did not send`},
		{ChainProblem{ProblemNoAKI, "Corp Issuing CA", "no authority key identifier"}, `certificate "Corp Issuing CA" has no authority key identifier, which strict verifiers (Python 3.13 and later) refuse`},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %s\nwant        %s", got, tt.want)
		}
	}
	s := ChainProblem{ProblemNoSAN, "auth.openai.com", `only the common name "auth.openai.com"`}.String()
	if !strings.HasPrefix(s, "certificate ") || !strings.Contains(s, "no subject alternative name") {
		t.Errorf("String() = %s", s)
	}
}
