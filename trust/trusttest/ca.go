// Package trusttest makes the certificate authorities, the TLS-inspecting
// proxy and the SOCKS 5 proxy that tests need, in the spirit of
// net/http/httptest, with the faults of real proxies (no answer, hang-ups,
// tunnels dropped while idle). Everything listens on 127.0.0.1 and is
// generated in memory when a test runs; no key is ever written to the
// repository.
package trusttest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// CA is a certificate authority generated for one test run.
type CA struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// NewCA returns a self-signed root CA whose subject common name is cn,
// with an ECDSA P-256 key.
func NewCA(cn string) (*CA, error) { return NewCAWith(cn, CAOptions{}) }

// CAOptions adjusts a CA made by NewCAWith, so tests can produce the weak
// CAs that some inspecting proxies still use.
type CAOptions struct {
	Key                crypto.Signer           // nil: a new ECDSA P-256 key; e.g. an RSA-1024 key
	SignatureAlgorithm x509.SignatureAlgorithm // of the self-signature; zero: the key's default
}

// NewCAWith is NewCA with options.
func NewCAWith(cn string, o CAOptions) (*CA, error) {
	key := o.Key
	if key == nil {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		key = k
	}
	tmpl := &x509.Certificate{
		SignatureAlgorithm:    o.SignatureAlgorithm,
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"codex-login tests"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(48 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &CA{Cert: cert, Key: key}, nil
}

// LeafOptions adjusts a certificate made by Issue, so tests can produce the
// broken certificates that corporate networks hand out.
type LeafOptions struct {
	NotBefore, NotAfter time.Time               // zero: valid from an hour ago for two days
	SignatureAlgorithm  x509.SignatureAlgorithm // zero: the CA key's default
	Key                 crypto.Signer           // the leaf's key; nil: a new P-256 key
	IsCA                bool                    // mark the leaf CA:TRUE, as some inspecting proxies do
}

// Issue returns a server certificate for the given DNS names and IP
// addresses, signed by ca, with the chain [leaf, ca].
func (ca *CA) Issue(names ...string) (tls.Certificate, error) {
	return ca.IssueWith(LeafOptions{}, names...)
}

// IssueWith is Issue with options.
func (ca *CA) IssueWith(o LeafOptions, names ...string) (tls.Certificate, error) {
	key := o.Key
	if key == nil {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return tls.Certificate{}, err
		}
		key = k
	}
	if o.NotBefore.IsZero() {
		o.NotBefore = time.Now().Add(-time.Hour)
	}
	if o.NotAfter.IsZero() {
		o.NotAfter = time.Now().Add(48 * time.Hour)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		NotBefore:             o.NotBefore,
		NotAfter:              o.NotAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  o.IsCA,
		SignatureAlgorithm:    o.SignatureAlgorithm,
	}
	if len(names) > 0 {
		tmpl.Subject = pkix.Name{CommonName: names[0]}
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, key.Public(), ca.Key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der, ca.Cert.Raw}, PrivateKey: key, Leaf: leaf}, nil
}

// PEM returns the CA certificate (never its key) in PEM form.
func (ca *CA) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw})
}

// Pool returns a pool that trusts only ca.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.Cert)
	return p
}

// WriteCert writes the CA certificate as PEM to dir/name and returns the path.
func (ca *CA) WriteCert(dir, name string) (string, error) {
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, ca.PEM(), 0o644); err != nil {
		return "", fmt.Errorf("write CA certificate: %w", err)
	}
	return path, nil
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic(err)
	}
	return n
}
