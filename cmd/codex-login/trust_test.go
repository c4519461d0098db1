package main

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/codex-login/codex-login/trust"
	"github.com/codex-login/codex-login/trust/trusttest"
)

func TestTrustFetchSavesNothingWithoutConfirmation(t *testing.T) {
	w := newWorld(t, worldOptions{})
	save := filepath.Join(w.dir, "fetched.pem")
	code, _, stderr := w.run("trust", "fetch", "--issuer", w.issuerURL, "--save", save)
	if code != exitUsage || !strings.Contains(stderr, "Corp Inspection CA") || !strings.Contains(stderr, trust.Fingerprint(w.proxyCA.Cert)) {
		t.Fatalf("exit %d: the CA and its fingerprint were not shown, or the fetch did not stop\n%s", code, stderr)
	}
	if _, err := os.Stat(save); !os.IsNotExist(err) {
		t.Fatal("a certificate was saved without confirmation")
	}
	code, _, stderr = w.run("trust", "fetch", "--issuer", w.issuerURL, "--save", save, "--fingerprint", strings.Repeat("AB:", 31)+"AB")
	if code != exitFailure || !strings.Contains(stderr, "do not trust this certificate") {
		t.Fatalf("a wrong fingerprint: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(save); !os.IsNotExist(err) {
		t.Fatal("a certificate with another fingerprint was saved")
	}
}

func TestTrustFetchWithTheFingerprintThenLoginSucceeds(t *testing.T) {
	w := newWorld(t, worldOptions{})
	save := filepath.Join(w.dir, "fetched.pem")
	fp := strings.ToLower(strings.ReplaceAll(trust.Fingerprint(w.proxyCA.Cert), ":", ""))
	code, _, stderr := w.run("trust", "fetch", "--issuer", w.issuerURL, "--save", save, "--fingerprint", fp)
	if code != 0 || !strings.Contains(stderr, "codex-login --ca "+save) {
		t.Fatalf("trust fetch: exit %d\n%s", code, stderr)
	}
	if got, _ := os.ReadFile(save); string(got) != string(w.proxyCA.PEM()) {
		t.Fatalf("saved %q, want the proxy's CA", got)
	}
	if code, _, stderr := w.login("--ca", save); code != 0 {
		t.Fatalf("login with the fetched CA: exit %d\n%s", code, stderr)
	}
	code, _, stderr = w.run("trust", "fetch", "--issuer", w.issuerURL, "--ca", save)
	if code != 0 || !strings.Contains(stderr, "nothing to fetch") {
		t.Fatalf("trust fetch when the chain verifies: exit %d\n%s", code, stderr)
	}
}

func TestTrustCodexWritesDotEnvKeepingItsLines(t *testing.T) {
	w := newWorld(t, worldOptions{user: "ann", pw: "s3cret-pw"})
	u := w.proxy.URL()
	w.env["HTTPS_PROXY"] = "http://ann:s3cret-pw@" + u.Host
	env := filepath.Join(w.home, ".env")
	writeTestFile(t, env, "# mine\nOPENAI_BASE_URL=https://api.corp.test\n")
	code, _, stderr := w.run("trust", "codex", "--ca", w.caFile, "--issuer", w.issuerURL)
	if code != 0 || strings.Contains(stderr, "s3cret-pw") {
		t.Fatalf("trust codex: exit %d\n%s", code, stderr)
	}
	data, _ := os.ReadFile(env)
	got := string(data)
	bundle := filepath.Join(w.home, codexBundle)
	for _, want := range []string{"# mine\n", "OPENAI_BASE_URL=https://api.corp.test\n", "SSL_CERT_FILE=", bundle, "HTTPS_PROXY=", "ann@" + u.Host} {
		if !strings.Contains(got, want) {
			t.Errorf(".env lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "s3cret-pw") || !strings.Contains(stderr, "--include-password") {
		t.Errorf("the proxy password was written, or its absence not explained")
	}
	if info, _ := os.Stat(env); info.Mode().Perm() != 0o600 {
		t.Errorf(".env mode %v, want 0600", info.Mode().Perm())
	}
	pemData, _ := os.ReadFile(bundle)
	if !strings.Contains(string(pemData), strings.TrimSpace(string(w.proxyCA.PEM()))) {
		t.Error("the bundle does not hold the proxy's CA")
	}
	// Codex now reads the route from .env, and so does codex-login: the
	// login needs no flag, and doctor finds nothing Codex would miss.
	delete(w.env, "HTTPS_PROXY")
	code, _, stderr = w.run("doctor", "--issuer", w.issuerURL, "--proxy", "http://ann:s3cret-pw@"+u.Host)
	if !hasCheck(stderr, "ok", "tls", "") {
		t.Fatalf("doctor after trust codex: exit %d\n%s", code, stderr)
	}
}

func TestTrustInstallRefusesAServerCertificateAndAsksFirst(t *testing.T) {
	w := newWorld(t, worldOptions{})
	ca, err := trusttest.NewCA("Some CA")
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := ca.Issue("proxy.corp.test")
	server := filepath.Join(w.dir, "server.pem")
	writeTestFile(t, server, string(pemOf(leaf.Certificate[0])))
	code, _, stderr := w.run("trust", "install", server)
	if code != exitFailure || !strings.Contains(stderr, "not a CA") {
		t.Fatalf("install of a server certificate: exit %d\n%s", code, stderr)
	}
	code, _, stderr = w.run("trust", "install", w.caFile)
	if code != exitUsage || !strings.Contains(stderr, "Corp Inspection CA") || !strings.Contains(stderr, "--yes") {
		t.Fatalf("install without a terminal: exit %d, want %d and the plan\n%s", code, exitUsage, stderr)
	}
}

func TestTrustListAndExport(t *testing.T) {
	w := newWorld(t, worldOptions{})
	code, stdout, _ := w.run("trust", "list", "--ca", w.caFile)
	if code != 0 || !strings.Contains(stdout, "Corp Inspection CA") || !strings.Contains(stdout, "source --ca") {
		t.Fatalf("trust list: exit %d\n%s", code, stdout)
	}
	out := filepath.Join(w.dir, "bundle.pem")
	code, _, stderr := w.run("trust", "export", "--ca", w.caFile, "--out", out)
	data, _ := os.ReadFile(out)
	if code != 0 || !strings.Contains(string(data), strings.TrimSpace(string(w.proxyCA.PEM()))) || !strings.Contains(stderr, "NODE_EXTRA_CA_CERTS="+out) {
		t.Fatalf("trust export: exit %d\n%s", code, stderr)
	}
}

func pemOf(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
