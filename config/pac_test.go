package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPACLocation(t *testing.T) {
	tests := []struct {
		value string
		want  func(dir string) string
	}{
		{"http://wpad.corp.test/wpad.dat", func(string) string { return "http://wpad.corp.test/wpad.dat" }},
		{"https://it.corp.test/proxy.pac", func(string) string { return "https://it.corp.test/proxy.pac" }},
		{"file:///etc/proxy.pac", func(string) string { return "file:///etc/proxy.pac" }},
		{"proxy.pac", func(dir string) string { return filepath.Join(dir, "proxy.pac") }},
		{"pac/proxy.pac", func(dir string) string { return filepath.Join(dir, "pac", "proxy.pac") }},
		{"~/proxy.pac", func(dir string) string { return filepath.Join(dir, "proxy.pac") }}, // Home is dir
		{"", func(string) string { return "" }},
	}
	for _, tt := range tests {
		s, path, err := loadConfig(t, "[login]\npac_url = '"+tt.value+"'\n")
		if err != nil {
			t.Fatalf("%q: %v", tt.value, err)
		}
		want := tt.want(filepath.Dir(path))
		if s.PAC.V != want || s.PAC.Source != "--config "+path || !s.PAC.Set {
			t.Errorf("pac_url %q: got %+v, want %q from --config %s", tt.value, s.PAC, want, path)
		}
	}
}

func TestPACBuiltInNeedsAbsolutePath(t *testing.T) {
	_, err := Load(Inputs{Home: t.TempDir(), Env: envMap(nil), BuiltIn: []byte("[login]\npac_url = 'proxy.pac'\n")})
	configError(t, err, `[login] pac_url: "proxy.pac" must be an absolute path or start with ~/`)
}

func TestPACFlag(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for value, want := range map[string]string{
		"http://wpad/wpad.dat": "http://wpad/wpad.dat",
		"proxy.pac":            filepath.Join(wd, "proxy.pac"),
		"":                     "",
	} {
		s, err := Load(Inputs{Home: t.TempDir(), Env: envMap(nil), Fallback: fallback, Flags: Flags{PAC: ptr(value)}})
		if err != nil {
			t.Fatal(err)
		}
		if s.PAC.V != want || s.PAC.Source != "--pac" {
			t.Errorf("--pac %q: got %+v, want %q", value, s.PAC, want)
		}
	}
	_, err = Load(Inputs{Home: t.TempDir(), Env: envMap(nil), Fallback: fallback, Flags: Flags{PAC: ptr("ftp://x/p.pac")}})
	if ce := configError(t, err, "--pac"); ce.Key != "--pac" || !strings.Contains(ce.Msg, "want an http://") {
		t.Errorf("got %+v", ce)
	}
}
