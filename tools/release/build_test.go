package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/x509"
	"encoding/pem"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/codex-login/codex-login/trust"
)

// TestReleaseBuild builds the real binary: twice from the same commit
// (the archives must be identical), then with a profile, whose binary's
// version command must name the profile and its CA. It takes minutes with
// a cold build cache, so it runs only with RELEASE_BUILD_TEST=1.
func TestReleaseBuild(t *testing.T) {
	if testing.Short() || os.Getenv("RELEASE_BUILD_TEST") != "1" {
		t.Skip("builds the release for real: set RELEASE_BUILD_TEST=1 (and no -short)")
	}
	const archive = "codex-login_9.9.9-test_linux_amd64.tar.gz"
	a, b := t.TempDir(), t.TempDir()
	for _, out := range []string{a, b} {
		if err := run(options{Version: "9.9.9-test", Out: out, Targets: "linux/amd64"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{archive, "codex-login_9.9.9-test_linux_amd64.cdx.json", "SHA256SUMS"} {
		x, errX := os.ReadFile(filepath.Join(a, name))
		y, errY := os.ReadFile(filepath.Join(b, name))
		if errX != nil || errY != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds of the same commit (%v, %v)", name, errX, errY)
		}
	}
	if out := runBinary(t, filepath.Join(a, archive)); strings.Contains(out, "preconfigured") {
		t.Errorf("a plain build claims a profile:\n%s", out)
	}

	caPEM, _ := testCert(t, "Acme Root CA", true)
	prof := writeProfile(t, map[string][]byte{"acme.toml": []byte(goodTOML), "root.pem": caPEM})
	c := t.TempDir()
	if err := run(options{Profile: prof, Version: "9.9.9-test", Out: c, Targets: "linux/amd64"}); err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(caPEM)
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	out := runBinary(t, filepath.Join(c, archive))
	for _, want := range []string{"codex-login 9.9.9-test", "preconfigured by profile acme", "CN=Acme Root CA", trust.Fingerprint(cert)} {
		if !strings.Contains(out, want) {
			t.Errorf("version of the profile build does not say %q:\n%s", want, out)
		}
	}
}

// runBinary unpacks codex-login from a .tar.gz and returns what its version
// command prints.
func runBinary(t *testing.T, archive string) string {
	t.Helper()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	bin := filepath.Join(t.TempDir(), "codex-login")
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("no codex-login in %s: %v", archive, err)
		}
		if strings.HasSuffix(h.Name, "/codex-login") {
			data, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(bin, data, 0o755); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("codex-login version: %v\n%s", err, out)
	}
	t.Logf("codex-login version:\n%s", out)
	return string(out)
}
