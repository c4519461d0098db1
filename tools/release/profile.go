package main

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/codex-login/codex-login/config"
	"github.com/codex-login/codex-login/trust"
	"github.com/pelletier/go-toml/v2"
)

// profile is IT's directory, validated: the settings and the CA
// certificates that a preconfigured build embeds.
type profile struct {
	Name  string              // from `profile = "NAME"`, else the directory's name
	TOML  []byte              // defaults.toml: the profile's file with profile = "NAME" at the top
	PEM   []byte              // defaults.pem: every CA certificate, re-encoded
	Certs []*x509.Certificate // the CA certificates, in file-name order
}

var profileName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// loadProfile reads and checks a profile directory: exactly one *.toml with
// a [login] table, and *.pem or *.crt files that hold CA certificates only.
// Anything else (a private key, a leaf certificate, another file) is refused
// with the file's name, so that nothing secret is ever built into a binary.
func loadProfile(dir string) (*profile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read profile directory: %w", err)
	}
	var tomls, certs []string
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		switch ext := strings.ToLower(filepath.Ext(e.Name())); {
		case !e.Type().IsRegular():
			return nil, fmt.Errorf("%s: not a regular file; a profile holds one .toml file and .pem or .crt CA certificates only", path)
		case ext == ".toml":
			tomls = append(tomls, path)
		case ext == ".pem" || ext == ".crt":
			certs = append(certs, path)
		default:
			return nil, fmt.Errorf("%s: unexpected file; a profile holds one .toml file and .pem or .crt CA certificates only", path)
		}
	}
	if len(tomls) != 1 {
		return nil, fmt.Errorf("%s: want exactly one .toml file, found %d", dir, len(tomls))
	}
	p := &profile{}
	if err := p.readTOML(tomls[0], filepath.Base(filepath.Clean(dir))); err != nil {
		return nil, err
	}
	slices.Sort(certs)
	for _, path := range certs {
		if err := p.readCerts(path); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// readTOML checks the settings file and ensures `profile = "NAME"` at its top.
func (p *profile) readTOML(path, dirName string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if _, ok := doc["login"].(map[string]any); !ok {
		return fmt.Errorf("%s: no [login] table", path)
	}
	// The same strict reading the binary does: an unknown key in [login] or
	// a bad value fails here, at build time, not on every user's machine.
	if _, err := config.Load(config.Inputs{BuiltIn: data, Home: os.TempDir(), Env: func(string) string { return "" }}); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	name, set := doc["profile"]
	if !set {
		name = dirName
	}
	s, ok := name.(string)
	if !ok || !profileName.MatchString(s) {
		return fmt.Errorf("%s: profile name %q: use letters, digits, '.', '_' and '-' (at most 64)", path, name)
	}
	p.Name, p.TOML = s, data
	if !set {
		p.TOML = append([]byte(fmt.Sprintf("profile = %q\n\n", s)), data...)
	}
	return nil
}

// readCerts adds the CA certificates of one PEM (or DER) file.
func (p *profile) readCerts(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var ders [][]byte
	if rest := data; !bytes.Contains(rest, []byte("-----BEGIN")) {
		ders = append(ders, data) // DER
	} else {
		for {
			var b *pem.Block
			b, rest = pem.Decode(rest)
			if b == nil {
				break
			}
			if strings.Contains(b.Type, "PRIVATE KEY") {
				return fmt.Errorf("%s: holds a private key (%s); a profile must never contain one: remove it and keep only the CA certificate", path, b.Type)
			}
			if b.Type != "CERTIFICATE" {
				return fmt.Errorf("%s: holds a %q PEM block; only CA certificates belong in a profile", path, b.Type)
			}
			ders = append(ders, b.Bytes)
		}
		if bytes.Contains(rest, []byte("PRIVATE KEY")) {
			return fmt.Errorf("%s: holds a private key; a profile must never contain one: remove it and keep only the CA certificate", path)
		}
		if len(bytes.TrimSpace(rest)) > 0 {
			return fmt.Errorf("%s: cannot parse: text that is not a PEM certificate", path)
		}
	}
	for _, der := range ders {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return fmt.Errorf("%s: cannot parse a certificate: %w", path, err)
		}
		// The same rule as trust install: one definition of a CA to trust.
		var notCA *trust.NotCAError
		if err := trust.CheckInstallable(c); errors.As(err, &notCA) {
			return fmt.Errorf("%s: %q cannot be a profile's CA: %s; give the corporate root or intermediate CA, not a server's certificate", path, notCA.Subject, notCA.Reason)
		} else if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		p.Certs = append(p.Certs, c)
		p.PEM = append(p.PEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	if len(ders) == 0 {
		return fmt.Errorf("%s: cannot parse: no certificate in it", path)
	}
	return nil
}
