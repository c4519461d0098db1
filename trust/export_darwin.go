package trust

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
)

// The macOS roots are listed with the security tool, so no cgo is needed:
// Apple's roots are in SystemRootCertificates.keychain; the System keychain
// holds the CAs that IT pushed by MDM or that an administrator added, next
// to certificates macOS does not trust (expired ones, intermediates, the
// machine's own), so only the CAs macOS trusts are taken from it.
const (
	securityTool       = "/usr/bin/security"
	appleRootsKeychain = "/System/Library/Keychains/SystemRootCertificates.keychain"
	systemKeychain     = "/Library/Keychains/System.keychain"
)

// systemRoots returns Apple's roots, then the trusted CAs of the System
// keychain.
func (p *Pool) systemRoots() ([]*x509.Certificate, error) {
	roots, err := keychainCerts(appleRootsKeychain)
	if err != nil {
		return nil, err
	}
	local, err := keychainCerts(systemKeychain)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, c := range local {
		if c.BasicConstraintsValid && c.IsCA && trustedRoot(c) {
			roots = append(roots, c)
		}
	}
	return roots, nil
}

// keychainCerts returns the certificates of a keychain file.
func keychainCerts(keychain string) ([]*x509.Certificate, error) {
	if _, err := os.Stat(keychain); err != nil {
		return nil, fmt.Errorf("list the certificates of %s: %w", keychain, err)
	}
	cmd := exec.Command(securityTool, keychainExportArgs(keychain)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if l := lastLine(stderr.Bytes()); l != "" {
			err = fmt.Errorf("%w: %s", err, l)
		}
		return nil, fmt.Errorf("list the certificates of %s: security find-certificate: %w", keychain, err)
	}
	return parsePEMCerts(out), nil
}

// trustedRoot asks macOS whether it trusts c as a root, with the trust
// settings of the administrator and of MDM, and without the network.
func trustedRoot(c *x509.Certificate) bool {
	f, err := os.CreateTemp("", "codex-login-ca-*.pem")
	if err != nil {
		return false
	}
	defer os.Remove(f.Name())
	err = pem.Encode(f, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	if err := f.Close(); err != nil {
		return false
	}
	return err == nil && exec.Command(securityTool, verifyRootArgs(f.Name())...).Run() == nil
}

// keychainExportArgs lists every certificate of keychain as PEM.
func keychainExportArgs(keychain string) []string {
	return []string{"find-certificate", "-a", "-p", keychain}
}

// verifyRootArgs verifies the CA in file as a chain of its own: -l accepts
// a CA where a leaf is expected (else every CA fails), -L uses the local
// keychains only and -R offline keeps revocation checks off the network.
func verifyRootArgs(file string) []string {
	return []string{"verify-cert", "-l", "-L", "-R", "offline", "-c", file}
}

// parsePEMCerts returns the certificates of the "CERTIFICATE" blocks of
// data that parse, skipping the others, as the system stores are read.
func parsePEMCerts(data []byte) []*x509.Certificate {
	var certs []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return certs
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		if c, err := x509.ParseCertificate(b.Bytes); err == nil {
			certs = append(certs, c)
		}
	}
}
