package main

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"strings"

	"github.com/codex-login/codex-login/trust"
	"github.com/pelletier/go-toml/v2"
)

// writeVersion prints the version and commit and, for a build that IT
// preconfigured (tools/release --profile), the profile's name and each CA
// built in, with the SHA-256 fingerprint IT can compare with its own:
//
//	codex-login 1.2.0 (commit 3f2a...)
//	preconfigured by profile acme
//	  CA CN=Acme Root CA,O=Acme  SHA-256 4F:1A:...
func writeVersion(w io.Writer, builtInTOML, builtInPEM []byte) error {
	var b strings.Builder
	fmt.Fprintf(&b, "codex-login %s (commit %s)\n", version, commit)
	var doc struct {
		Profile string `toml:"profile"`
	}
	if err := toml.Unmarshal(builtInTOML, &doc); err == nil && doc.Profile != "" {
		fmt.Fprintf(&b, "preconfigured by profile %s\n", doc.Profile)
	}
	for rest := builtInPEM; ; {
		var block *pem.Block
		if block, rest = pem.Decode(rest); block == nil {
			break
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			continue
		}
		fmt.Fprintf(&b, "  CA %s  SHA-256 %s\n", c.Subject, trust.Fingerprint(c))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
