package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestCAUnion: every source adds to the list, in precedence order, each with
// its source; paths are expanded and resolved.
func TestCAUnion(t *testing.T) {
	home := t.TempDir()
	etc := t.TempDir()
	other := t.TempDir()
	system := writeFile(t, filepath.Join(etc, "system.toml"), "[login]\nca_certificate = 'certs/system.pem'\n")
	codexFile := writeFile(t, filepath.Join(home, ".codex", "config.toml"),
		"model = 'o3'\n[login]\nca_certificate = ['~/corp.pem', '../shared.pem']\n")
	extra := writeFile(t, filepath.Join(other, "extra.toml"), "[login]\nca_certificate = ['/opt/ca.pem']\n")
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dirs := filepath.Join(other, "d1") + string(filepath.ListSeparator) + string(filepath.ListSeparator) + filepath.Join(other, "d2")
	in := Inputs{
		Home:       home,
		SystemFile: system,
		BuiltIn:    []byte("[login]\nca_certificate = '~/built-in.pem'\n"),
		ConfigFile: extra,
		Env: envMap(map[string]string{
			"CODEX_CA_CERTIFICATE": "~/env.pem",
			"SSL_CERT_FILE":        "/etc/ssl/cert.pem",
			"SSL_CERT_DIR":         dirs,
		}),
		Flags: Flags{CA: []string{"rel/flag.pem", filepath.Join(other, "flag2.pem")}},
	}
	s := load(t, in)

	ls := "[login] ca_certificate"
	want := []CAFile{
		{Path: filepath.Join(home, "built-in.pem"), Source: "built-in defaults: " + ls},
		{Path: filepath.Join(etc, "certs", "system.pem"), Source: system + ": " + ls},
		{Path: filepath.Join(home, "corp.pem"), Source: codexFile + ": " + ls},
		{Path: filepath.Join(home, "shared.pem"), Source: codexFile + ": " + ls},
		{Path: filepath.FromSlash("/opt/ca.pem"), Source: "--config " + extra + ": " + ls},
		{Path: filepath.Join(home, "env.pem"), Source: "CODEX_CA_CERTIFICATE"},
		{Path: filepath.FromSlash("/etc/ssl/cert.pem"), Source: "SSL_CERT_FILE", Optional: true},
		{Path: filepath.Join(other, "d1"), Source: "SSL_CERT_DIR", Dir: true, Optional: true},
		{Path: filepath.Join(other, "d2"), Source: "SSL_CERT_DIR", Dir: true, Optional: true},
		{Path: filepath.Join(wd, "rel", "flag.pem"), Source: "--ca"},
		{Path: filepath.Join(other, "flag2.pem"), Source: "--ca"},
	}
	if !reflect.DeepEqual(s.CA, want) {
		t.Errorf("CA:\n%s\nwant:\n%s", caString(s.CA), caString(want))
	}
	if wantFiles := []string{system, codexFile, extra}; !reflect.DeepEqual(s.Files, wantFiles) {
		t.Errorf("Files = %q, want %q", s.Files, wantFiles)
	}
}

// TestCADuplicates: a path named twice is kept once, at its first place, and
// required if any source requires it.
func TestCADuplicates(t *testing.T) {
	home := t.TempDir()
	pem := filepath.Join(home, "corp.pem")
	s := load(t, Inputs{
		Home:    home,
		BuiltIn: []byte("[login]\nca_certificate = ['~/corp.pem', '~/corp.pem']\n"),
		Env:     envMap(map[string]string{"SSL_CERT_FILE": pem}),
		Flags:   Flags{CA: []string{pem}},
	})
	want := []CAFile{{Path: pem, Source: "built-in defaults: [login] ca_certificate"}}
	if !reflect.DeepEqual(s.CA, want) {
		t.Errorf("CA:\n%s\nwant:\n%s", caString(s.CA), caString(want))
	}

	s = load(t, Inputs{Home: home, Env: envMap(map[string]string{"SSL_CERT_FILE": pem}), Flags: Flags{CA: []string{pem}}})
	if len(s.CA) != 1 || s.CA[0].Optional || s.CA[0].Source != "SSL_CERT_FILE" {
		t.Errorf("CA = %s, want one required entry from SSL_CERT_FILE", caString(s.CA))
	}
}

func TestCANone(t *testing.T) {
	s := load(t, Inputs{Home: t.TempDir(), Env: envMap(nil)})
	if len(s.CA) != 0 {
		t.Errorf("CA = %s, want none", caString(s.CA))
	}
}

func caString(cas []CAFile) string {
	var b strings.Builder
	for _, c := range cas {
		b.WriteString("  " + c.Path + " <- " + c.Source)
		if c.Dir {
			b.WriteString(" (dir)")
		}
		if c.Optional {
			b.WriteString(" (optional)")
		}
		b.WriteString("\n")
	}
	return b.String()
}
