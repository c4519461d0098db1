package trust

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"
)

// certWith makes a self-signed certificate from tmpl, with the fields every
// certificate needs filled in.
func certWith(t *testing.T, tmpl x509.Certificate) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl.SerialNumber = big.NewInt(42)
	tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, &tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCheckInstallable: only a CA that may sign certificates can go into a
// trust store; a server certificate (what a user may export from the
// browser by mistake) never does.
func TestCheckInstallable(t *testing.T) {
	leaf, err := newCA(t, "Corp Root").Issue("proxy.corp.test")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		cert   *x509.Certificate
		reason string // "" when installable
	}{
		{"a root CA", newCA(t, "Corp Root").Cert, ""},
		{"a CA without key usage", certWith(t, x509.Certificate{Subject: pkix.Name{CommonName: "Old Root"}, BasicConstraintsValid: true, IsCA: true}), ""},
		{"a server certificate", leaf.Leaf, "it is a server certificate for proxy.corp.test, not a CA"},
		{"a server certificate for an address", certWith(t, x509.Certificate{Subject: pkix.Name{CommonName: "box"}, BasicConstraintsValid: true,
			IPAddresses: []net.IP{net.IPv4(10, 0, 0, 1)}}), "it is a server certificate for 10.0.0.1, not a CA"},
		{"CA:FALSE", certWith(t, x509.Certificate{Subject: pkix.Name{CommonName: "Someone"}, BasicConstraintsValid: true}),
			"it is not a CA certificate (basic constraints CA:FALSE)"},
		{"no basic constraints", certWith(t, x509.Certificate{Subject: pkix.Name{CommonName: "Vague"}, KeyUsage: x509.KeyUsageCertSign}),
			"it does not say it is a CA (it has no basic constraints)"},
		{"a CA that may not sign certificates", certWith(t, x509.Certificate{Subject: pkix.Name{CommonName: "Signer"}, BasicConstraintsValid: true, IsCA: true,
			KeyUsage: x509.KeyUsageDigitalSignature}), "its key usage does not allow it to sign certificates"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckInstallable(tt.cert)
			var e *NotCAError
			switch {
			case tt.reason == "" && err != nil:
				t.Errorf("CheckInstallable: %v", err)
			case tt.reason != "" && (!errors.As(err, &e) || e.Reason != tt.reason || e.Subject != name(tt.cert)):
				t.Errorf("CheckInstallable = %v, want *NotCAError with reason %q", err, tt.reason)
			case tt.reason != "" && len(InstallPlan(tt.cert, InstallOptions{})) != 1:
				t.Errorf("InstallPlan of a refused certificate = %q, want only the refusal", InstallPlan(tt.cert, InstallOptions{}))
			}
		})
	}
	if err := CheckInstallable(nil); err == nil {
		t.Error("CheckInstallable(nil) = nil")
	}
}

// TestInstallErrorSaysWhatFailedAndWhatItNeeds: the message names the CA,
// the store, the command and its last words, and root when that is what
// was missing.
func TestInstallErrorSaysWhatFailedAndWhatItNeeds(t *testing.T) {
	e := &InstallError{CA: "Corp Root", Store: StoreSystem, Command: "sudo -- tee /usr/local/share/ca-certificates/x.crt",
		Output: "sudo: a terminal is required to read the password", NeedRoot: true, Err: errors.New("exit status 1")}
	want := `install "Corp Root" in the system trust store: sudo -- tee /usr/local/share/ca-certificates/x.crt: exit status 1: ` +
		`sudo: a terminal is required to read the password (this needs root: run with sudo)`
	if e.Error() != want {
		t.Errorf("Error() =\n%s\nwant\n%s", e.Error(), want)
	}
	u := &InstallError{Uninstall: true, CA: "Corp Root", Store: StoreJava, Missing: "JAVA_HOME", Err: errors.New("JAVA_HOME is not set")}
	if got := u.Error(); got != `remove "Corp Root" from the Java cacerts: JAVA_HOME is not set` {
		t.Errorf("Error() = %s", got)
	}
}

// TestStorePrefixKeepsCAsApart: two CAs with one serial number get
// different names in the stores, so installing one never replaces the
// other.
func TestStorePrefixKeepsCAsApart(t *testing.T) {
	a := certWith(t, x509.Certificate{Subject: pkix.Name{CommonName: "A"}, BasicConstraintsValid: true, IsCA: true})
	b := certWith(t, x509.Certificate{Subject: pkix.Name{CommonName: "A"}, BasicConstraintsValid: true, IsCA: true})
	if storePrefix(a) == storePrefix(b) || !strings.HasPrefix(storePrefix(a), "codex-login-") {
		t.Errorf("storePrefix = %q and %q", storePrefix(a), storePrefix(b))
	}
}
