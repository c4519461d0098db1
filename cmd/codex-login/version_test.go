package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/codex-login/codex-login/trust"
	"github.com/codex-login/codex-login/trust/trusttest"
)

func TestVersion(t *testing.T) {
	ca, err := trusttest.NewCA("Corp Root CA")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		toml, pem []byte
		want      []string
		not       []string
	}{
		{"plain build", nil, nil, []string{"codex-login dev (commit unknown)\n"}, []string{"preconfigured", "CA "}},
		{"the repository's defaults", builtInTOML, builtInPEM, []string{"codex-login dev"}, []string{"preconfigured", "CA "}},
		{"profile build", []byte("profile = \"corp\"\n\n[login]\nproxy = \"http://proxy.corp.test:8080\"\n"), ca.PEM(),
			[]string{"preconfigured by profile corp\n", "  CA CN=Corp Root CA", "SHA-256 " + trust.Fingerprint(ca.Cert)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := writeVersion(&out, tc.toml, tc.pem); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("version does not say %q:\n%s", w, out.String())
				}
			}
			for _, n := range tc.not {
				if strings.Contains(out.String(), n) {
					t.Errorf("version says %q:\n%s", n, out.String())
				}
			}
		})
	}
}
