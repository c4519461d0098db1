package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testCert makes a certificate (CA or not) with a key generated here; the
// key's PEM is returned too, for the cases that must refuse it.
func testCert(t *testing.T, cn string, ca bool) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		BasicConstraintsValid: true, IsCA: ca, KeyUsage: x509.KeyUsageDigitalSignature,
	}
	if ca {
		tmpl.KeyUsage |= x509.KeyUsageCertSign
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})
}

// writeProfile makes a profile directory named acme from name -> content.
func writeProfile(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "acme")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const goodTOML = "[login]\nproxy = \"http://proxy.acme.test:8080\"\n"

func TestProfileAccepted(t *testing.T) {
	root, _ := testCert(t, "Acme Root CA", true)
	inter, _ := testCert(t, "Acme Issuing CA", true)
	der, _ := pem.Decode(inter)
	dir := writeProfile(t, map[string][]byte{"acme.toml": []byte(goodTOML), "root.pem": root, "issuing.crt": der.Bytes})
	p, err := loadProfile(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "acme" {
		t.Errorf("name %q, want the directory's, acme", p.Name)
	}
	if want := "profile = \"acme\"\n\n" + goodTOML; string(p.TOML) != want {
		t.Errorf("defaults.toml:\n%s\nwant:\n%s", p.TOML, want)
	}
	if len(p.Certs) != 2 || p.Certs[0].Subject.CommonName != "Acme Issuing CA" || p.Certs[1].Subject.CommonName != "Acme Root CA" {
		t.Errorf("certificates %v, want the .crt (DER) then the .pem, in file-name order", p.Certs)
	}
	if n := strings.Count(string(p.PEM), "BEGIN CERTIFICATE"); n != 2 {
		t.Errorf("defaults.pem holds %d certificates, want 2", n)
	}

	named := writeProfile(t, map[string][]byte{"a.toml": []byte("profile = \"corp-eu\"\n" + goodTOML)})
	if p, err := loadProfile(named); err != nil || p.Name != "corp-eu" || !strings.HasPrefix(string(p.TOML), "profile = \"corp-eu\"\n[login]") {
		t.Errorf("profile key: %v, %+v", err, p)
	}
}

func TestProfileRefused(t *testing.T) {
	ca, key := testCert(t, "Acme Root CA", true)
	leaf, _ := testCert(t, "proxy.acme.test", false)
	rsaKey := strings.ReplaceAll(string(key), "PRIVATE KEY", "RSA PRIVATE KEY")
	for _, tc := range []struct {
		name  string
		files map[string][]byte
		file  string // the file the message must name
		want  string
	}{
		{"private key beside the CA", map[string][]byte{"a.toml": []byte(goodTOML), "ca.pem": append(ca, key...)}, "ca.pem", "private key"},
		{"RSA private key alone", map[string][]byte{"a.toml": []byte(goodTOML), "key.pem": []byte(rsaKey)}, "key.pem", "private key"},
		{"server certificate", map[string][]byte{"a.toml": []byte(goodTOML), "proxy.crt": leaf}, "proxy.crt", "not a CA certificate"},
		{"extra file", map[string][]byte{"a.toml": []byte(goodTOML), "ca.pem": ca, "notes.txt": []byte("hi")}, "notes.txt", "unexpected file"},
		{"key file", map[string][]byte{"a.toml": []byte(goodTOML), "ca.key": key}, "ca.key", "unexpected file"},
		{"unparseable certificate", map[string][]byte{"a.toml": []byte(goodTOML), "ca.crt": []byte("not a certificate")}, "ca.crt", "cannot parse"},
		{"no [login]", map[string][]byte{"a.toml": []byte("model = 'o3'\n")}, "a.toml", "no [login] table"},
		{"unknown key", map[string][]byte{"a.toml": []byte("[login]\nprxy = 'http://p:1'\n")}, "a.toml", "prxy"},
		{"two settings files", map[string][]byte{"a.toml": []byte(goodTOML), "b.toml": []byte(goodTOML)}, "acme", "exactly one .toml"},
		{"bad name", map[string][]byte{"a.toml": []byte("profile = 'a b'\n" + goodTOML)}, "a.toml", "profile name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadProfile(writeProfile(t, tc.files))
			if err == nil || !strings.Contains(err.Error(), tc.file) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one naming %s and saying %q", err, tc.file, tc.want)
			}
		})
	}
}
