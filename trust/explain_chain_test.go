package trust

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/codex-login/codex-login/trust/trusttest"
)

// serveChain serves the given chain (leaf first) signed for key on
// 127.0.0.1 and returns the port.
func serveChain(t *testing.T, key any, chain ...*x509.Certificate) string {
	t.Helper()
	cert := tls.Certificate{PrivateKey: key, Leaf: chain[0]}
	for _, c := range chain {
		cert.Certificate = append(cert.Certificate, c.Raw)
	}
	_, port, _ := net.SplitHostPort(serveTLSWith(t, cert, issuerPages).Listener.Addr().String())
	return port
}

// TestCommonNameOnlyCertificate: a server whose certificate names its host
// only in the Common Name is told as such, not as a mismatch.
func TestCommonNameOnlyCertificate(t *testing.T) {
	p := newCorpPKI(t, ecKey(t))
	key := ecKey(t)
	leaf := p.leaf(t, key, func(c *x509.Certificate) { c.Subject.CommonName, c.DNSNames = "localhost", nil })
	port := serveChain(t, key, leaf, p.inter)
	c, err := NewClient(Options{Pool: pool(t, false, &trusttest.CA{Cert: p.root})})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.HTTP.Get("https://localhost:" + port + "/")
	var e *NoSANError
	if !errors.As(err, &e) || e.Host != "localhost" || e.Subject != "localhost" {
		t.Fatalf("err = %v (%T), want *NoSANError", err, err)
	}
	if !strings.Contains(err.Error(), "no subject alternative name") {
		t.Errorf("Error() = %q", err)
	}
	t.Log(err)
}

// TestServerLeftOutIntermediate: a server that sends only its own
// certificate is told apart from a CA nobody trusts, and Inspect shows it
// among the chain's problems.
func TestServerLeftOutIntermediate(t *testing.T) {
	p := newCorpPKI(t, ecKey(t))
	key := ecKey(t)
	leaf := p.leaf(t, key, func(c *x509.Certificate) { c.Subject.CommonName, c.DNSNames = "localhost", []string{"localhost"} })
	port := serveChain(t, key, leaf)
	c, err := NewClient(Options{Pool: pool(t, false, &trusttest.CA{Cert: p.root})})
	if err != nil {
		t.Fatal(err)
	}
	defer c.HTTP.CloseIdleConnections()
	_, err = c.HTTP.Get("https://localhost:" + port + "/")
	var e *MissingIntermediateError
	if !errors.As(err, &e) || e.Host != "localhost" || e.Subject != "localhost" || e.Issuer != "Corp Intermediate" || e.Proxy != "" {
		t.Fatalf("err = %v (%T), want *MissingIntermediateError", err, err)
	}
	t.Log(err)

	in := c.Inspect(context.Background(), mustURL(t, "https://localhost:"+port+"/"))
	if !errors.As(in.Err, &e) || len(in.Problems) != 1 || in.Problems[0].Kind != ProblemMissingIntermediate {
		t.Errorf("Inspect: err %v, problems %v", in.Err, in.Problems)
	}

	// The same leaf with its intermediate verifies.
	port = serveChain(t, key, leaf, p.inter)
	if _, err := get(t, c, "https://localhost:"+port+"/"); err != nil {
		t.Errorf("with the intermediate: %v", err)
	}
}

// TestProxyLeafAloneIsUntrusted: an inspecting proxy that sends only its
// forged leaf (no AIA URL) is still a CA nobody trusts.
func TestProxyLeafAloneIsUntrusted(t *testing.T) {
	ca := newCA(t, "Corp Inspection CA")
	key := ecKey(t)
	leaf := mint(t, &x509.Certificate{Subject: pkix.Name{CommonName: "localhost"}, DNSNames: []string{"localhost"}}, ca.Cert, ca.Key, key)
	port := serveChain(t, key, leaf)
	c, err := NewClient(Options{Pool: pool(t, false, newCA(t, "Corp Root"))})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.HTTP.Get("https://localhost:" + port + "/")
	var e *UntrustedError
	if !errors.As(err, &e) || e.CA != "Corp Inspection CA" {
		t.Fatalf("err = %v (%T), want *UntrustedError", err, err)
	}
}
