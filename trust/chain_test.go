package trust

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// mint signs tmpl with parentKey as parent (tmpl itself when parent is
// nil) for key's public half.
func mint(t testing.TB, tmpl, parent *x509.Certificate, parentKey, key crypto.Signer) *x509.Certificate {
	t.Helper()
	if tmpl.SerialNumber == nil {
		tmpl.SerialNumber = serialFor(t)
	}
	if tmpl.NotBefore.IsZero() {
		tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(48*time.Hour)
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func serialFor(t testing.TB) *big.Int {
	t.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func ecKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func rsaKey(t testing.TB, bits int) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// caTemplate is a CA valid from 2020 to 2040, so that tests may judge
// chains at any fixed time of this decade.
func caTemplate(cn string) *x509.Certificate {
	return &x509.Certificate{Subject: pkix.Name{CommonName: cn}, KeyUsage: x509.KeyUsageCertSign,
		BasicConstraintsValid: true, IsCA: true,
		NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func TestDescribe(t *testing.T) {
	rootKey := rsaKey(t, 2048)
	root := mint(t, caTemplate("Corp Root"), nil, nil, rootKey)
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leaf := mint(t, &x509.Certificate{Subject: pkix.Name{Organization: []string{"Corp"}}, DNSNames: []string{"auth.corp.test"}},
		root, rootKey, edKey)

	got := Describe(root)
	if got.Subject != "Corp Root" || got.Issuer != "Corp Root" || !got.IsCA || !got.SelfSigned ||
		got.Key != "RSA 2048" || got.SignatureAlgorithm != "SHA256-RSA" || !got.NotAfter.Equal(root.NotAfter) {
		t.Errorf("Describe(root) = %+v", got)
	}
	got = Describe(leaf)
	if got.Subject != "O=Corp" || got.Issuer != "Corp Root" || got.IsCA || got.SelfSigned || got.Key != "Ed25519" ||
		fmt.Sprint(got.DNSNames) != "[auth.corp.test]" {
		t.Errorf("Describe(leaf) = %+v", got)
	}
	if k := Describe(newCA(t, "EC").Cert).Key; k != "ECDSA P-256" {
		t.Errorf("Key = %q, want ECDSA P-256", k)
	}
}

func TestFingerprint(t *testing.T) {
	c := newCA(t, "Corp Root").Cert
	sum := sha256.Sum256(c.Raw)
	var pairs []string
	for _, b := range sum {
		pairs = append(pairs, fmt.Sprintf("%02X", b))
	}
	want := strings.Join(pairs, ":") // as `openssl x509 -fingerprint -sha256` prints it
	if got := Fingerprint(c); got != want {
		t.Fatalf("Fingerprint = %s, want %s", got, want)
	}
	if Describe(c).SHA256 != want {
		t.Errorf("CertInfo.SHA256 = %s", Describe(c).SHA256)
	}

	// With openssl at hand, compare with what it prints.
	if _, err := exec.LookPath("openssl"); err == nil {
		path := write(t, t.TempDir(), "ca.pem", pemOf(c))
		out, err := exec.Command("openssl", "x509", "-in", filepath.Clean(path), "-noout", "-fingerprint", "-sha256").Output()
		if err != nil {
			t.Fatalf("openssl: %v", err)
		}
		line := strings.TrimSpace(string(out)) // "sha256 Fingerprint=AB:CD:..."
		if _, fp, _ := strings.Cut(line, "="); fp != want {
			t.Errorf("openssl prints %q, Fingerprint %q", line, want)
		}
		if b, err := ParseFingerprint(line); err != nil || !bytes.Equal(b, sum[:]) {
			t.Errorf("ParseFingerprint(%q) = %x, %v", line, b, err)
		}
	}
}

func TestParseFingerprint(t *testing.T) {
	sum := sha256.Sum256([]byte("codex-login"))
	hexLower := fmt.Sprintf("%x", sum)
	colon := Fingerprint(&x509.Certificate{Raw: []byte("codex-login")})
	good := []string{
		colon,
		strings.ToLower(colon),
		hexLower,
		strings.ToUpper(hexLower),
		"sha256:" + hexLower,
		"SHA256:" + colon,
		"SHA256=" + colon,
		"sha-256:" + hexLower,
		"SHA256 Fingerprint=" + colon,
		"sha256 Fingerprint=" + colon,
		"  " + strings.ReplaceAll(colon, ":", " ") + "\n",
	}
	for _, s := range good {
		b, err := ParseFingerprint(s)
		if err != nil || !bytes.Equal(b, sum[:]) {
			t.Errorf("ParseFingerprint(%q) = %x, %v", s, b, err)
		}
	}
	bad := []string{"", "sha256:", hexLower[:62], hexLower + "00", "zz" + hexLower[2:], "sha1:" + hexLower, colon[:len(colon)-3]}
	for _, s := range bad {
		if b, err := ParseFingerprint(s); err == nil {
			t.Errorf("ParseFingerprint(%q) = %x, want an error", s, b)
		}
	}
}

// FuzzParseFingerprint feeds what people paste for --fingerprint: it never
// panics, and what it accepts is 32 bytes that read back the same.
func FuzzParseFingerprint(f *testing.F) {
	f.Add("SHA256 Fingerprint=" + strings.Repeat("AB:", 31) + "AB")
	f.Add("sha256:" + strings.Repeat("0f", 32))
	f.Add("İ" + strings.Repeat("a", 64))
	f.Add("fingerprint=sha256=")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseFingerprint(s)
		if err != nil {
			return
		}
		if len(b) != 32 {
			t.Fatalf("ParseFingerprint(%q) = %d bytes", s, len(b))
		}
		var pairs []string
		for _, x := range b {
			pairs = append(pairs, fmt.Sprintf("%02X", x))
		}
		if again, err := ParseFingerprint(strings.Join(pairs, ":")); err != nil || !bytes.Equal(again, b) {
			t.Fatalf("the colon form of %q does not read back: %x, %v", s, again, err)
		}
	})
}
