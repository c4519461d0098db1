package main

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// doctorLines are the report's lines that start with status and name.
func hasCheck(stderr, status, name, text string) bool {
	for _, line := range strings.Split(stderr, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == status && f[1] == name && strings.Contains(line, text) {
			return true
		}
	}
	return false
}

func TestDoctorWithTheCAPassesAndOffersTrustCodex(t *testing.T) {
	w := newWorld(t, worldOptions{})
	code, _, stderr := w.run("doctor", "--ca", w.caFile, "--issuer", w.issuerURL)
	if code != 0 {
		t.Fatalf("doctor: exit %d\n%s", code, stderr)
	}
	for _, c := range []struct{ status, name, text string }{
		{"ok", "proxy", "(HTTPS_PROXY)"},
		{"ok", "ca", "1 configured"},
		{"ok", "route", "through proxy"},
		{"ok", "connect", "200"},
		{"ok", "tls", ""},
		{"ok", "chain", "verified with a root from --ca"},
		{"ok", "token", "answers JSON"},
		{"ok", "store", w.home},
		{"warn", "codex", "trust the CA (it comes from --ca)"},
	} {
		if !hasCheck(stderr, c.status, c.name, c.text) {
			t.Errorf("no %q line for %s saying %q", c.status, c.name, c.text)
		}
	}
	if !strings.Contains(stderr, "hint: run: codex-login trust codex") {
		t.Error("the codex warning does not offer trust codex")
	}
}

func TestDoctorNamesTheInspectingProductAndItsCA(t *testing.T) {
	w := newWorld(t, worldOptions{proxyCAName: "Zscaler Root CA"})
	code, stdout, stderr := w.run("doctor", "--json", "--issuer", w.issuerURL)
	if code != 1 {
		t.Fatalf("doctor without the CA: exit %d, want 1\n%s", code, stderr)
	}
	if !hasCheck(stderr, "fail", "tls", `"Zscaler Root CA"`) || !hasCheck(stderr, "ok", "chain", "made by Zscaler") {
		t.Errorf("the TLS failure does not name the proxy's CA and product:\n%s", stderr)
	}
	var failed []string
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		if e["type"] == "check" && e["status"] == "fail" {
			failed = append(failed, e["name"].(string))
			if e["hint"] == "" {
				t.Errorf("failed check %v has no hint", e["name"])
			}
		}
	}
	if strings.Join(failed, ",") != "tls" {
		t.Errorf("failed checks %v, want only tls", failed)
	}
}

func TestDoctorNamesStaleSettingsInDotEnv(t *testing.T) {
	w := newWorld(t, worldOptions{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := l.Addr().String()
	l.Close()
	delete(w.env, "HTTPS_PROXY")
	env := filepath.Join(w.home, ".env")
	writeTestFile(t, env, "HTTPS_PROXY=http://"+dead+"\nSSL_CERT_FILE="+filepath.Join(w.dir, "old-project", "ca.pem")+"\n")
	code, _, stderr := w.run("doctor", "--issuer", w.issuerURL)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !hasCheck(stderr, "fail", "proxy", "nobody answers at http://"+dead+" (HTTPS_PROXY in "+env+")") ||
		!strings.Contains(stderr, "delete the HTTPS_PROXY line from "+env) {
		t.Errorf("the dead proxy port in .env is not named with its fix:\n%s", stderr)
	}
	if !hasCheck(stderr, "warn", "ca", "SSL_CERT_FILE") || !strings.Contains(stderr, "delete the SSL_CERT_FILE line from "+env) {
		t.Errorf("the stale SSL_CERT_FILE in .env is not named with its fix:\n%s", stderr)
	}
	if _, err := os.Stat(filepath.Join(w.home, "auth.json")); err == nil {
		t.Error("doctor wrote credentials")
	}
}

func TestDoctorWarnsOfAnSSLCertFileWithoutPublicRoots(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.env["SSL_CERT_FILE"] = w.caFile
	code, _, stderr := w.run("doctor", "--issuer", w.issuerURL)
	if code != 0 || !hasCheck(stderr, "warn", "ca", "SSL_CERT_FILE holds only 1 certificate(s)") {
		t.Fatalf("exit %d; no warning about SSL_CERT_FILE replacing the roots of other tools\n%s", code, stderr)
	}
	if code, _, _ := w.run("trust", "codex", "--issuer", w.issuerURL); code != 0 {
		t.Fatal("trust codex failed")
	}
	delete(w.env, "SSL_CERT_FILE") // now in .env, pointing at the full bundle
	code, _, stderr = w.run("doctor", "--issuer", w.issuerURL)
	if code != 0 || hasCheck(stderr, "warn", "ca", "holds only") || !hasCheck(stderr, "ok", "codex", "") {
		t.Fatalf("after trust codex: exit %d\n%s", code, stderr)
	}
}
