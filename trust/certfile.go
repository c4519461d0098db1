package trust

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// fileCerts are the certificates read from one file of a location.
type fileCerts struct {
	file  string
	certs []*x509.Certificate
}

// readLocation reads the certificates of l, file by file. A problem is
// an error for a location a person chose; for an Optional one it is
// recorded as a warning and nothing is read.
func (p *Pool) readLocation(l Location) ([]fileCerts, error) {
	if l.Dir {
		return p.readDir(l)
	}
	data := l.Data
	if data == nil {
		var err error
		if data, err = readBounded(l.Path, maxCAFile); err != nil {
			if reason, _ := problemReason(err); reason != "" {
				return nil, p.fail(l, &FileError{Path: l.Path, Source: l.Source, Reason: reason}, nil)
			}
			return nil, p.fail(l, &FileError{Path: l.Path, Source: l.Source, Err: err}, err)
		}
	}
	certs, reason, err := parseCertFile(data)
	notCA := false
	if reason == "" {
		reason = checkCAs(certs)
		notCA = reason != ""
	}
	if reason != "" {
		return nil, p.fail(l, &FileError{Path: l.Path, Source: l.Source, Reason: reason, NotCA: notCA, Err: err}, nil)
	}
	return []fileCerts{{l.Path, certs}}, nil
}

// readDir reads every file of a directory, like OpenSSL's CApath. Files
// without certificates (hash links, CRLs, READMEs) are skipped.
func (p *Pool) readDir(l Location) ([]fileCerts, error) {
	entries, err := listDir(l.Path)
	if err != nil {
		if reason, _ := problemReason(err); reason != "" {
			return nil, p.fail(l, &FileError{Path: l.Path, Source: l.Source, Dir: true, Reason: reason}, nil)
		}
		return nil, p.fail(l, &FileError{Path: l.Path, Source: l.Source, Dir: true, Err: err}, err)
	}
	var out []fileCerts
	for _, e := range entries {
		path := filepath.Join(l.Path, e.Name())
		if e.IsDir() || sameDirSymlink(l.Path, e) {
			continue
		}
		data, err := readBounded(path, maxCAFile)
		if err != nil {
			reason, notFile := problemReason(err)
			if reason == "" || notFile || l.Optional {
				continue // a dangling link, a subdirectory behind a link, a FIFO, a device
			}
			return nil, &FileError{Path: path, Source: l.Source, Reason: reason}
		}
		certs, reason, err := parseCertFile(data)
		if strings.HasPrefix(reason, ReasonNoCert) {
			continue
		}
		notCA := false
		if reason == "" {
			reason = checkCAs(certs)
			notCA = reason != ""
		}
		if reason != "" && l.Optional {
			continue // a system-style directory also holds server certificates and CRLs
		}
		if reason != "" {
			return nil, &FileError{Path: path, Source: l.Source, Reason: reason, NotCA: notCA, Err: err}
		}
		out = append(out, fileCerts{path, certs})
	}
	if len(out) == 0 {
		return nil, p.fail(l, &FileError{Path: l.Path, Source: l.Source, Dir: true, Reason: ReasonNoCert}, nil)
	}
	return out, nil
}

// fail returns fe, or for an Optional location records it as a warning.
func (p *Pool) fail(l Location, fe *FileError, readErr error) error {
	if !l.Optional {
		return fe
	}
	if errors.Is(readErr, fs.ErrNotExist) {
		p.warn(Warning{Kind: WarnMissing, Source: l.Source, Path: l.Path})
	} else {
		p.warn(Warning{Kind: WarnUnusable, Source: l.Source, Path: l.Path, Err: fe})
	}
	return nil
}

func (p *Pool) addAll(l Location, file string, certs []*x509.Certificate) {
	now := time.Now()
	for _, c := range certs {
		// Bundles named by SSL_CERT_FILE or SSL_CERT_DIR are usually the
		// system's own, where expired roots are normal: warn only about
		// certificates somebody chose for codex-login.
		if !l.Optional && now.After(c.NotAfter) && !p.isSystem(c) {
			p.warn(Warning{Kind: WarnExpired, Source: l.Source, Path: file, Subject: name(c), NotAfter: c.NotAfter})
		}
		p.add(Cert{Certificate: c, Source: l.Source, File: file})
	}
}

// parseCertFile returns the certificates of a PEM bundle ("CERTIFICATE"
// and OpenSSL "TRUSTED CERTIFICATE" blocks) or of a single DER
// certificate. A non-empty reason says why the file cannot be used.
func parseCertFile(data []byte) (certs []*x509.Certificate, reason string, err error) {
	var others []string
	rest := data
	for n := 1; ; n++ {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		der := b.Bytes
		switch b.Type {
		case "CERTIFICATE":
		case "TRUSTED CERTIFICATE":
			// OpenSSL's X509_AUX form: the certificate is the first
			// SEQUENCE, trust settings follow and are ignored.
			var raw asn1.RawValue
			if _, err := asn1.Unmarshal(der, &raw); err != nil {
				return nil, fmt.Sprintf("certificate %d cannot be parsed", n), err
			}
			der = raw.FullBytes
		default:
			if !slices.Contains(others, b.Type) {
				others = append(others, b.Type)
			}
			continue
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Sprintf("certificate %d cannot be parsed", n), err
		}
		certs = append(certs, c)
	}
	switch {
	case len(certs) > 0:
		return certs, "", nil
	case len(others) > 0:
		return nil, fmt.Sprintf("%s, only %s", ReasonNoCert, strings.Join(others, ", ")), nil
	case len(bytes.TrimSpace(data)) == 0:
		return nil, ReasonNoCert + " (the file is empty)", nil
	}
	if c, err := x509.ParseCertificate(data); err == nil {
		return []*x509.Certificate{c}, "", nil
	}
	if isPKCS7(data) {
		return nil, ReasonNoCert + " that can be read: it is a PKCS #7 (.p7b) bundle, not PEM or DER", nil
	}
	return nil, ReasonNoCert + " (neither PEM nor DER)", nil
}

// isPKCS7 reports whether data is a DER PKCS #7 ContentInfo (RFC 2315,
// section 7), as Windows exports certificate bundles.
func isPKCS7(data []byte) bool {
	var ci struct {
		Type    asn1.ObjectIdentifier
		Content asn1.RawValue `asn1:"explicit,optional,tag:0"`
	}
	if _, err := asn1.Unmarshal(data, &ci); err != nil {
		return false
	}
	return ci.Type.Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2})
}

// checkCAs returns why certs cannot be trust anchors: a certificate that
// says it is not a CA is a server (or client) certificate. Version 1
// certificates, which carry no basic constraints, are allowed.
func checkCAs(certs []*x509.Certificate) string {
	for _, c := range certs {
		if !c.BasicConstraintsValid || c.IsCA {
			continue
		}
		names := slices.Clone(c.DNSNames)
		for _, ip := range c.IPAddresses {
			names = append(names, ip.String())
		}
		if len(names) == 0 {
			return fmt.Sprintf("%q is not a CA certificate", name(c))
		}
		return fmt.Sprintf("%q is a server certificate for %s, not a CA", name(c), strings.Join(names, ", "))
	}
	return ""
}

// name is a certificate's subject common name, else its whole subject.
func name(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return c.Subject.CommonName
	}
	return c.Subject.String()
}

// sameDirSymlink reports whether e is a symlink to a file in the same
// directory (OpenSSL's hash links), as crypto/x509 skips them.
func sameDirSymlink(dir string, e fs.DirEntry) bool {
	if e.Type()&fs.ModeSymlink == 0 {
		return false
	}
	target, err := os.Readlink(filepath.Join(dir, e.Name()))
	return err == nil && !strings.ContainsAny(target, "/"+string(filepath.Separator))
}
