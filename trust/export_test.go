package trust

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"
)

// bundleEntry is one certificate of an exported bundle with the comment
// line before it.
type bundleEntry struct {
	comment string
	cert    *x509.Certificate
}

// readBundle parses an exported bundle back, insisting that every block
// follows exactly one comment line and that nothing else is in it.
func readBundle(t *testing.T, data []byte) []bundleEntry {
	t.Helper()
	var out []bundleEntry
	for rest := data; len(rest) > 0; {
		comment, after, ok := bytes.Cut(rest, []byte("\n"))
		if !ok || !bytes.HasPrefix(comment, []byte("# ")) {
			t.Fatalf("expected a comment line, got %q", firstLine(rest))
		}
		b, next := pem.Decode(after)
		if b == nil || b.Type != "CERTIFICATE" || !bytes.HasPrefix(after, []byte("-----BEGIN CERTIFICATE-----\n")) {
			t.Fatalf("no certificate right after %q", comment)
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, bundleEntry{string(comment), c})
		rest = next
	}
	return out
}

func firstLine(b []byte) string {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	return string(line)
}

// TestExportWithoutSystemRoots: use_system_roots = false exports exactly
// the configured CAs, each once, in the order read, named with their source.
func TestExportWithoutSystemRoots(t *testing.T) {
	a, b := newCA(t, "Corp Root A"), newCA(t, "Corp Root B")
	dir := t.TempDir()
	p, err := NewPool(false, []Location{
		{Path: write(t, dir, "a.pem", pemOf(a.Cert)), Source: "--ca"},
		{Path: write(t, dir, "both.pem", pemOf(b.Cert, a.Cert)), Source: "CODEX_CA_CERTIFICATE"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if sys, err := p.SystemCerts(); sys != nil || err != nil {
		t.Errorf("SystemCerts() = %d certificates, %v; want nil without system roots", len(sys), err)
	}
	data, err := p.ExportPEM()
	if err != nil {
		t.Fatal(err)
	}
	got := readBundle(t, data)
	want := []bundleEntry{{"# Corp Root A (--ca)", a.Cert}, {"# Corp Root B (CODEX_CA_CERTIFICATE)", b.Cert}}
	if len(got) != len(want) {
		t.Fatalf("bundle holds %d certificates, want %d:\n%s", len(got), len(want), data)
	}
	for i := range want {
		if got[i].comment != want[i].comment || !got[i].cert.Equal(want[i].cert) {
			t.Errorf("entry %d = %q %q, want %q %q", i, got[i].comment, got[i].cert.Subject, want[i].comment, want[i].cert.Subject)
		}
	}
}

// TestExportNameCannotForgeABlock: a CA's name is chosen by whoever made
// it; a line break in it must not put text of its own at the start of a
// line of the bundle.
func TestExportNameCannotForgeABlock(t *testing.T) {
	forged := pemOf(newCA(t, "Forged").Cert)
	cn := "Corp\n" + string(forged) + "\r\u2028\x00 Root"
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		BasicConstraintsValid: true, IsCA: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Skipf("cannot make a certificate with that name: %v", err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPool(false, []Location{{Path: write(t, t.TempDir(), "odd.pem", pemOf(c)), Source: "--ca\nsecond line"}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := p.ExportPEM()
	if err != nil {
		t.Fatal(err)
	}
	got := readBundle(t, data)
	if len(got) != 1 || !got[0].cert.Equal(c) {
		t.Fatalf("bundle holds %d certificates, want only the odd one:\n%s", len(got), data)
	}
	if strings.ContainsAny(got[0].comment, "\r\x00\u2028") || !strings.HasSuffix(got[0].comment, "(--ca?second line)") {
		t.Errorf("comment = %q", got[0].comment)
	}
}

// TestExportZeroPool: a Pool that was never built exports nothing.
func TestExportZeroPool(t *testing.T) {
	for _, p := range []*Pool{nil, {}} {
		if data, err := p.ExportPEM(); len(data) != 0 || err != nil {
			t.Errorf("ExportPEM() = %q, %v", data, err)
		}
	}
}

// certSet returns the DER of certs, sorted, to compare sets.
func certSet(certs []*x509.Certificate) [][]byte {
	var out [][]byte
	for _, c := range certs {
		out = append(out, c.Raw)
	}
	slices.SortFunc(out, bytes.Compare)
	return slices.CompactFunc(out, bytes.Equal)
}

// BenchmarkNewPool measures what every command of a corporate user does
// first: the system roots plus one configured CA file.
func BenchmarkNewPool(b *testing.B) {
	ca := newCA(b, "Corp Root")
	locs := []Location{{Path: write(b, b.TempDir(), "corp.pem", ca.PEM()), Source: "--ca"}}
	for b.Loop() {
		if _, err := NewPool(true, locs); err != nil {
			b.Fatal(err)
		}
	}
}
