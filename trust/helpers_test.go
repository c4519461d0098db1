package trust

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/codex-login/codex-login/trust/trusttest"
)

// newCA makes a CA for one test.
func newCA(t testing.TB, cn string) *trusttest.CA {
	t.Helper()
	ca, err := trusttest.NewCA(cn)
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

// caWith makes a self-signed CA valid from notBefore to notAfter.
func caWith(t testing.TB, cn string, notBefore, notAfter time.Time) *trusttest.CA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &trusttest.CA{Cert: c, Key: key}
}

// leafWith signs a leaf for names with ca, letting the test pick the
// signature algorithm and the key (weak certificates).
func leafWith(t testing.TB, ca *trusttest.CA, alg x509.SignatureAlgorithm, key crypto.Signer, names ...string) tls.Certificate {
	t.Helper()
	cert, err := ca.IssueWith(trusttest.LeafOptions{SignatureAlgorithm: alg, Key: key}, names...)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// serveTLS starts an HTTPS server on 127.0.0.1 presenting cert.
func serveTLS(t testing.TB, cert tls.Certificate) *httptest.Server {
	return serveTLSWith(t, cert, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello from "+r.Host)
	})
}

// serveTLSWith is serveTLS with a handler.
func serveTLSWith(t testing.TB, cert tls.Certificate, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	s := httptest.NewUnstartedServer(h)
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

// write writes data to dir/name and returns the path.
func write(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func pemOf(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

// pool builds a pool that trusts only the given CAs, as --ca files.
func pool(t testing.TB, useSystem bool, cas ...*trusttest.CA) *Pool {
	t.Helper()
	var locs []Location
	for _, ca := range cas {
		path := write(t, t.TempDir(), "ca.pem", ca.PEM())
		locs = append(locs, Location{Path: path, Source: "--ca"})
	}
	p, err := NewPool(useSystem, locs)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
