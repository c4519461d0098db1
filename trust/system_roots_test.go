package trust

import (
	"errors"
	"testing"

	"github.com/codex-login/codex-login/trust/trusttest"
)

// TestSystemBundleAddsNothing: a location that names certificates the
// system already trusts (SSL_CERT_FILE pointing at the system bundle)
// adds none of them to Configured; the corporate CA next to them counts.
func TestSystemBundleAddsNothing(t *testing.T) {
	sys, corp := newCA(t, "Public Root"), newCA(t, "Corp Root")
	p, err := NewPool(false, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.add(Cert{Certificate: sys.Cert, Source: SystemSource, File: "/etc/ssl/certs/ca-certificates.crt"})
	dir := t.TempDir()
	bundle := write(t, dir, "bundle.pem", pemOf(sys.Cert))
	mixed := write(t, dir, "mixed.pem", pemOf(sys.Cert, corp.Cert))
	for _, l := range []Location{
		{Path: bundle, Source: "SSL_CERT_FILE", Optional: true},
		{Path: dir, Source: "SSL_CERT_DIR", Dir: true, Optional: true},
		{Path: mixed, Source: "--ca"},
	} {
		fcs, err := p.readLocation(l)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fcs {
			p.addAll(l, f.file, f.certs)
		}
	}
	got := p.Configured()
	if len(got) != 1 || !got[0].Equal(corp.Cert) || got[0].Source != "SSL_CERT_DIR" {
		t.Errorf("Configured() = %+v, want only Corp Root", got)
	}
	if c, _ := p.Source(sys.Cert); c.Source != SystemSource {
		t.Errorf("Source(system root) = %q", c.Source)
	}
}

// TestRealSystemBundleAsSSLCertFile does the same with this machine's own
// bundle, where there is one.
func TestRealSystemBundleAsSSLCertFile(t *testing.T) {
	bundle := systemBundle()
	if bundle == "" {
		t.Skip("no system bundle file here")
	}
	p, err := NewPool(true, []Location{{Path: bundle, Source: "SSL_CERT_FILE", Optional: true}})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Configured(); len(got) != 0 {
		t.Errorf("SSL_CERT_FILE=%s: %d configured certificates, want none", bundle, len(got))
	}
}

// TestUntrustedCountsConfigured: the error says how many configured CAs
// were tried, so that a hint speaks of CA files only when there are some.
func TestUntrustedCountsConfigured(t *testing.T) {
	for want, p := range map[int]*Pool{0: pool(t, true), 1: pool(t, true, newCA(t, "Some Other Corp Root"))} {
		n := newCorpNet(t, trusttest.ProxyOptions{})
		c, err := NewClient(Options{Pool: p, Proxy: n.proxyURL("", "")})
		if err != nil {
			t.Fatal(err)
		}
		_, err = get(t, c, "https://auth.corp.test/")
		var e *UntrustedError
		if !errors.As(err, &e) || e.Configured != want {
			t.Errorf("err = %v (%+v), want *UntrustedError with Configured %d", err, e, want)
		}
	}
}
