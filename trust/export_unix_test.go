//go:build unix && !darwin

package trust

import (
	"bytes"
	"crypto/x509"
	"slices"
	"testing"
)

// useSystemBundle makes NewPool read the system roots from bundle and the
// files of dirs instead of this machine's.
func useSystemBundle(t *testing.T, bundle string, dirs ...string) {
	t.Helper()
	old := systemRootPaths
	systemRootPaths = func() ([]string, []string) { return []string{bundle}, dirs }
	t.Cleanup(func() { systemRootPaths = old })
}

// TestExportWithSystemRoots: the bundle holds the system roots first, then
// the configured CAs; a CA that is both (SSL_CERT_FILE naming a copy of
// the system bundle, a --ca file that repeats a public root) is there once,
// as a system root. Read back, it is the same set of certificates.
func TestExportWithSystemRoots(t *testing.T) {
	pub1, pub2, pub3, corp := newCA(t, "Public Root 1"), newCA(t, "Public Root 2"), newCA(t, "Public Root 3"), newCA(t, "Corp Root")
	sys := t.TempDir()
	bundle := write(t, sys, "ca-certificates.crt", pemOf(pub1.Cert, pub2.Cert))
	write(t, sys, "extra.pem", pemOf(pub3.Cert, pub1.Cert))
	useSystemBundle(t, bundle, sys)

	dir := t.TempDir()
	p, err := NewPool(true, []Location{
		{Path: write(t, dir, "copy.crt", pemOf(pub2.Cert, pub1.Cert)), Source: "SSL_CERT_FILE", Optional: true},
		{Path: write(t, dir, "corp.pem", pemOf(pub3.Cert, corp.Cert)), Source: "--ca"},
	})
	if err != nil {
		t.Fatal(err)
	}
	system, err := p.SystemCerts()
	if err != nil || len(system) != 3 || !system[0].Equal(pub1.Cert) || !system[1].Equal(pub2.Cert) || !system[2].Equal(pub3.Cert) {
		t.Fatalf("SystemCerts() = %d certificates, %v; want the 3 public roots in order", len(system), err)
	}
	data, err := p.ExportPEM()
	if err != nil {
		t.Fatal(err)
	}
	got := readBundle(t, data)
	want := []string{"# Public Root 1 (system roots)", "# Public Root 2 (system roots)", "# Public Root 3 (system roots)", "# Corp Root (--ca)"}
	var comments []string
	var back []*x509.Certificate
	for _, e := range got {
		comments = append(comments, e.comment)
		back = append(back, e.cert)
	}
	if !slices.Equal(comments, want) {
		t.Errorf("comments = %q, want %q", comments, want)
	}
	if !slices.EqualFunc(certSet(back), certSet(append(system, corp.Cert)), bytes.Equal) {
		t.Errorf("read back %d certificates, want the 3 public roots and Corp Root", len(back))
	}
}

// TestExportRealSystemRoots: on this machine, the bundle holds every
// system root NewPool counted, but for server certificates (Debian keeps
// ssl-cert-snakeoil.pem in /etc/ssl/certs).
func TestExportRealSystemRoots(t *testing.T) {
	if !hasSystemBundle() {
		t.Skip("no system bundle file here")
	}
	p, err := NewPool(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := p.ExportPEM()
	if err != nil {
		t.Fatal(err)
	}
	system, _ := p.SystemCerts()
	servers := 0
	for _, c := range system {
		if c.BasicConstraintsValid && !c.IsCA {
			servers++
		}
	}
	if got := len(readBundle(t, data)); got != p.SystemCount()-servers || got == 0 {
		t.Errorf("bundle holds %d certificates, SystemCount() = %d of which %d are not CAs", got, p.SystemCount(), servers)
	}
}

// TestExportLeavesOutServerCertificates: a server certificate in the system
// directory is no root; the bundle leaves it out, so that the bundle works
// as SSL_CERT_FILE (a file holding a server certificate is refused whole).
func TestExportLeavesOutServerCertificates(t *testing.T) {
	pub := newCA(t, "Public Root 1")
	leaf, err := pub.Issue("localhost")
	if err != nil {
		t.Fatal(err)
	}
	sys := t.TempDir()
	bundle := write(t, sys, "ca-certificates.crt", pemOf(pub.Cert))
	write(t, sys, "ssl-cert-snakeoil.pem", pemOf(leaf.Leaf))
	useSystemBundle(t, bundle, sys)
	p, err := NewPool(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := p.ExportPEM()
	if err != nil {
		t.Fatal(err)
	}
	if got := readBundle(t, data); len(got) != 1 || !got[0].cert.Equal(pub.Cert) {
		t.Fatalf("bundle holds %d certificates, want only the root", len(got))
	}
	exported := write(t, t.TempDir(), "bundle.pem", data)
	again, err := NewPool(false, []Location{{Path: exported, Source: "SSL_CERT_FILE", Optional: true}})
	if err != nil || len(again.Warnings()) != 0 || len(again.Configured()) != 1 {
		t.Fatalf("the exported bundle read back: %v, warnings %v", err, again.Warnings())
	}
}
