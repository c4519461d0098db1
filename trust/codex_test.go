package trust

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"reflect"
	"testing"

	"github.com/codex-login/codex-login/trust/trusttest"
)

// TestPeerChainOfSmallKeyInspection: Go accepts an inspecting proxy whose
// CA has a 1024-bit RSA key when that CA is trusted; Codex would not, and
// the chain recorded for the host says why.
func TestPeerChainOfSmallKeyInspection(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	weak, err := trusttest.NewCAWith("Corp Inspection CA", trusttest.CAOptions{Key: key})
	if err != nil {
		t.Fatal(err)
	}
	n := newCorpNet(t, trusttest.ProxyOptions{CA: weak})
	c, err := NewClient(Options{Pool: pool(t, false, weak), Proxy: n.proxyURL("", "")})
	if err != nil {
		t.Fatal(err)
	}
	defer c.HTTP.CloseIdleConnections()
	if c.PeerChain("auth.corp.test") != nil {
		t.Error("PeerChain before any connection")
	}
	if _, err := get(t, c, "https://auth.corp.test/"); err != nil {
		t.Fatal(err)
	}
	chain := c.PeerChain("auth.corp.test:443")
	if len(chain) != 2 || chain[0].Subject.CommonName != "auth.corp.test" || !chain[1].Equal(weak.Cert) {
		t.Fatalf("PeerChain = %d certificates, want the forged leaf and the inspection CA", len(chain))
	}
	want := []Refusal{{Subject: "Corp Inspection CA", Reason: RefuseSmallRSA, Bits: 1024}}
	if got := CodexRefuses(chain); !reflect.DeepEqual(got, want) {
		t.Errorf("CodexRefuses = %+v, want %+v", got, want)
	}
}

func TestCodexRefuses(t *testing.T) {
	ca := newCA(t, "Corp Root")
	sha1Root, err := trusttest.NewCAWith("Old Corp Root", trusttest.CAOptions{SignatureAlgorithm: x509.ECDSAWithSHA1})
	if err != nil {
		t.Fatal(err)
	}
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leaf := func(ca *trusttest.CA, o trusttest.LeafOptions) *x509.Certificate {
		c, err := ca.IssueWith(o, "auth.corp.test")
		if err != nil {
			t.Fatal(err)
		}
		return c.Leaf
	}
	tests := []struct {
		name  string
		chain []*x509.Certificate
		want  []Refusal
	}{
		{"sound", []*x509.Certificate{leaf(ca, trusttest.LeafOptions{}), ca.Cert}, nil},
		{"leaf marked CA", []*x509.Certificate{leaf(ca, trusttest.LeafOptions{IsCA: true}), ca.Cert},
			[]Refusal{{Subject: "auth.corp.test", Reason: RefuseLeafIsCA}}},
		{"leaf signed with SHA-1", []*x509.Certificate{leaf(ca, trusttest.LeafOptions{SignatureAlgorithm: x509.ECDSAWithSHA1, Key: ecKey}), ca.Cert},
			[]Refusal{{Subject: "auth.corp.test", Reason: RefuseSHA1}}},
		{"root self-signed with SHA-1", []*x509.Certificate{leaf(sha1Root, trusttest.LeafOptions{}), sha1Root.Cert}, nil},
		{"empty", nil, nil},
	}
	for _, tt := range tests {
		if got := CodexRefuses(tt.chain); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: CodexRefuses = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
