package trust

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"io/fs"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/codex-login/codex-login/trust/trusttest"
)

func TestNewPoolLocations(t *testing.T) {
	a, b := newCA(t, "Corp Root A"), newCA(t, "Corp Root B")
	server, err := a.Issue("srv.corp.test")
	if err != nil {
		t.Fatal(err)
	}
	aux, err := asn1.Marshal(struct {
		Trust []asn1.ObjectIdentifier
		Alias string `asn1:"utf8"`
	}{[]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 1}}, "corp"})
	if err != nil {
		t.Fatal(err)
	}
	pkcs7, _ := asn1.Marshal(struct{ Type asn1.ObjectIdentifier }{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}})

	tests := []struct {
		name     string
		files    map[string][]byte // written to a fresh dir
		loc      Location          // Path relative to that dir
		want     []string          // CNs of Configured(), in order
		reason   string            // FileError.Reason prefix; "" = no error
		notExist bool              // FileError wraps fs.ErrNotExist
		warning  Warning           // expected single warning
		warnErr  string            // the reason of its *FileError
	}{
		{name: "PEM bundle", files: map[string][]byte{"b.pem": append(pemOf(a.Cert), pemOf(b.Cert)...)},
			loc: Location{Path: "b.pem"}, want: []string{"Corp Root A", "Corp Root B"}},
		{name: "PEM with text around it", files: map[string][]byte{"b.pem": append([]byte("subject=Corp\r\n"), pemOf(a.Cert)...)},
			loc: Location{Path: "b.pem"}, want: []string{"Corp Root A"}},
		{name: "TRUSTED CERTIFICATE", files: map[string][]byte{"t.pem": pem.EncodeToMemory(&pem.Block{
			Type: "TRUSTED CERTIFICATE", Bytes: append(append([]byte(nil), a.Cert.Raw...), aux...)})},
			loc: Location{Path: "t.pem"}, want: []string{"Corp Root A"}},
		{name: "DER", files: map[string][]byte{"a.cer": a.Cert.Raw}, loc: Location{Path: "a.cer"}, want: []string{"Corp Root A"}},
		{name: "directory", files: map[string][]byte{"a.pem": pemOf(a.Cert), "b.crt": b.Cert.Raw, "README": []byte("hi")},
			loc: Location{Path: ".", Dir: true}, want: []string{"Corp Root A", "Corp Root B"}},
		{name: "duplicate listed once", files: map[string][]byte{"b.pem": append(pemOf(a.Cert), pemOf(a.Cert)...)},
			loc: Location{Path: "b.pem"}, want: []string{"Corp Root A"}},
		{name: "missing file", loc: Location{Path: "nope.pem"}, notExist: true},
		{name: "missing directory", loc: Location{Path: "nope", Dir: true}, notExist: true},
		{name: "empty file", files: map[string][]byte{"e.pem": nil}, loc: Location{Path: "e.pem"}, reason: "no certificate in it (the file is empty)"},
		{name: "garbage", files: map[string][]byte{"g.pem": []byte("not a certificate\n")}, loc: Location{Path: "g.pem"},
			reason: "no certificate in it (neither PEM nor DER)"},
		{name: "key only", files: map[string][]byte{"k.pem": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}})},
			loc: Location{Path: "k.pem"}, reason: "no certificate in it, only PRIVATE KEY"},
		{name: "PKCS #7", files: map[string][]byte{"c.p7b": pkcs7}, loc: Location{Path: "c.p7b"}, reason: "no certificate in it that can be read: it is a PKCS #7"},
		{name: "corrupt certificate", files: map[string][]byte{"c.pem": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{0x30, 1, 2}})},
			loc: Location{Path: "c.pem"}, reason: "certificate 1 cannot be parsed"},
		{name: "server certificate", files: map[string][]byte{"s.pem": pemOf(server.Leaf)}, loc: Location{Path: "s.pem"},
			reason: `"srv.corp.test" is a server certificate for srv.corp.test, not a CA`},
		{name: "server certificate in bundle", files: map[string][]byte{"s.pem": pemOf(a.Cert, server.Leaf)}, loc: Location{Path: "s.pem"},
			reason: `"srv.corp.test" is a server certificate`},
		{name: "empty directory", files: map[string][]byte{"README": []byte("hi")}, loc: Location{Path: ".", Dir: true}, reason: "no certificate in it"},
		{name: "optional missing", loc: Location{Path: "nope.pem", Source: "SSL_CERT_FILE", Optional: true},
			warning: Warning{Kind: WarnMissing, Source: "SSL_CERT_FILE", Path: "$D/nope.pem"}},
		{name: "optional missing directory", loc: Location{Path: "nope", Source: "SSL_CERT_DIR", Dir: true, Optional: true},
			warning: Warning{Kind: WarnMissing, Source: "SSL_CERT_DIR", Path: "$D/nope"}},
		{name: "optional garbage", files: map[string][]byte{"g.pem": []byte("junk")}, loc: Location{Path: "g.pem", Source: "SSL_CERT_FILE", Optional: true},
			warning: Warning{Kind: WarnUnusable, Source: "SSL_CERT_FILE", Path: "$D/g.pem"}, warnErr: "no certificate in it (neither PEM nor DER)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range tt.files {
				write(t, dir, name, data)
			}
			loc := tt.loc
			loc.Path = filepath.Join(dir, loc.Path)
			if loc.Source == "" {
				loc.Source = "--ca"
			}
			p, err := NewPool(false, []Location{loc})
			if tt.reason != "" || tt.notExist {
				var fe *FileError
				if !errors.As(err, &fe) {
					t.Fatalf("err = %v, want *FileError", err)
				}
				if !strings.HasPrefix(fe.Reason, tt.reason) || tt.notExist != errors.Is(err, fs.ErrNotExist) {
					t.Errorf("Reason = %q, err = %v; want reason %q, not-exist %v", fe.Reason, err, tt.reason, tt.notExist)
				}
				if want := strings.Contains(tt.reason, "server certificate"); fe.NotCA != want {
					t.Errorf("NotCA = %v, want %v", fe.NotCA, want)
				}
				if msg := err.Error(); !strings.Contains(msg, dir) || !strings.Contains(msg, "(from --ca)") || !strings.HasPrefix(msg, "read CA ") {
					t.Errorf("Error() = %q, want the path and the source", msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range p.Configured() {
				got = append(got, c.Subject.CommonName)
				if c.Source != loc.Source || !strings.HasPrefix(c.File, dir) {
					t.Errorf("cert %s: Source %q File %q", c.Subject.CommonName, c.Source, c.File)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("Configured() = %v, want %v", got, tt.want)
			}
			w := p.Warnings()
			switch {
			case tt.warning.Kind == 0 && len(w) != 0:
				t.Errorf("Warnings() = %+v, want none", w)
			case tt.warning.Kind == 0:
			case len(w) != 1:
				t.Errorf("Warnings() = %+v, want one", w)
			default:
				want := tt.warning
				want.Path = strings.ReplaceAll(want.Path, "$D", dir)
				var fe *FileError
				if tt.warnErr != "" && (!errors.As(w[0].Err, &fe) || fe.Reason != tt.warnErr) {
					t.Errorf("warning error %v, want a *FileError saying %q", w[0].Err, tt.warnErr)
				}
				got := w[0]
				got.Err = nil
				if !reflect.DeepEqual(got, want) {
					t.Errorf("Warnings()[0] = %+v, want %+v", got, want)
				}
			}
			if p.SystemCount() != 0 {
				t.Errorf("SystemCount() = %d without system roots", p.SystemCount())
			}
		})
	}
}

func TestFileErrorMessage(t *testing.T) {
	e := &FileError{Path: "/x/ca.pem", Source: "--ca", Reason: "no certificate in it"}
	if got, want := e.Error(), "read CA file /x/ca.pem (from --ca): no certificate in it"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	_, err := NewPool(false, []Location{{Path: "/nonexistent/ca.pem", Source: "--ca"}})
	if got, want := err.Error(), "read CA file /nonexistent/ca.pem (from --ca): no such file or directory"; runtime.GOOS != "windows" && got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// TestPoolUnion: the configured CAs are added to the system roots, and
// use_system_roots = false leaves only the configured ones.
func TestPoolUnion(t *testing.T) {
	corp := newCA(t, "Corp Root")
	leaf, err := corp.Issue("auth.corp.test")
	if err != nil {
		t.Fatal(err)
	}
	sys, err := NewPool(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	var systemRoot *x509.Certificate
	for _, c := range sys.sources {
		if validAt(c.Certificate, time.Now()) && c.IsCA {
			systemRoot = c.Certificate
			break
		}
	}
	if runtime.GOOS == "linux" && hasSystemBundle() && (sys.SystemCount() == 0 || systemRoot == nil) {
		t.Fatalf("SystemCount() = %d on a machine with a system bundle", sys.SystemCount())
	}

	for _, useSystem := range []bool{true, false} {
		p := pool(t, useSystem, corp)
		opts := x509.VerifyOptions{Roots: p.CertPool(), DNSName: "auth.corp.test"}
		if _, err := leaf.Leaf.Verify(opts); err != nil {
			t.Errorf("useSystemRoots=%v: leaf of a configured CA: %v", useSystem, err)
		}
		if c, ok := p.Source(corp.Cert); !ok || c.Source != "--ca" {
			t.Errorf("useSystemRoots=%v: Source(corp) = %+v, %v", useSystem, c, ok)
		}
		if systemRoot == nil {
			continue
		}
		_, err := systemRoot.Verify(x509.VerifyOptions{Roots: p.CertPool(), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
		if useSystem != (err == nil) {
			t.Errorf("useSystemRoots=%v: system root %q verifies: %v", useSystem, systemRoot.Subject, err)
		}
		if c, ok := p.Source(systemRoot); useSystem && (!ok || c.Source != SystemSource) {
			t.Errorf("Source(system root) = %+v, %v", c, ok)
		}
		if n := p.SystemCount(); useSystem != (n != 0) {
			t.Errorf("useSystemRoots=%v: SystemCount() = %d", useSystem, n)
		}
	}
}

func TestExpiredCAWarning(t *testing.T) {
	old := caWith(t, "Old Corp Root", time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour))
	p := pool(t, false, old)
	if w := p.Warnings(); len(w) != 1 || w[0].Kind != WarnExpired || w[0].Subject != "Old Corp Root" || !w[0].NotAfter.Equal(old.Cert.NotAfter) {
		t.Errorf("Warnings() = %+v", w)
	}
}

// BenchmarkNewPoolSystem measures reading the system roots, which every
// run of codex-login does once.
func BenchmarkNewPoolSystem(b *testing.B) {
	for b.Loop() {
		p, err := NewPool(true, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(p.SystemCount()), "roots")
	}
}

func TestBuiltInCertificatesNeedNoFile(t *testing.T) {
	ca, err := trusttest.NewCA("Built In Corp Root")
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPool(false, []Location{{Path: "corp-root.pem", Source: "built-in defaults", Data: ca.PEM()}})
	if err != nil {
		t.Fatal(err)
	}
	got := p.Configured()
	if len(got) != 1 || got[0].Subject.CommonName != "Built In Corp Root" || got[0].Source != "built-in defaults" {
		t.Fatalf("configured = %+v", got)
	}
	if _, err := NewPool(false, []Location{{Path: "corp-root.pem", Source: "built-in defaults", Data: []byte("junk")}}); err == nil {
		t.Fatal("built-in junk was accepted")
	}
}
