package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestExpandPath(t *testing.T) {
	home := filepath.FromSlash("/home/dev")
	base := filepath.FromSlash("/etc/codex-login")
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		p, base, want string
	}{
		{"~", base, home},
		{"~/certs/corp.pem", base, filepath.Join(home, "certs", "corp.pem")},
		{"~/../other/x.pem", base, filepath.FromSlash("/home/other/x.pem")},
		{"corp.pem", base, filepath.Join(base, "corp.pem")},
		{"./certs/../corp.pem", base, filepath.Join(base, "corp.pem")},
		{"../corp.pem", base, filepath.FromSlash("/etc/corp.pem")},
		{"~user/corp.pem", base, filepath.Join(base, "~user", "corp.pem")},
		{"/opt/ca//corp.pem", base, filepath.FromSlash("/opt/ca/corp.pem")},
		{"corp.pem", "", filepath.Join(wd, "corp.pem")},
		{"~/corp.pem", "", filepath.Join(home, "corp.pem")},
	}
	for _, tt := range tests {
		got, err := expandPath(filepath.FromSlash(tt.p), tt.base, home)
		if err != nil || got != tt.want {
			t.Errorf("expandPath(%q, %q) = %q, %v, want %q", tt.p, tt.base, got, err, tt.want)
		}
	}
	if _, err := expandPath("~/x", base, ""); err != errNoHome {
		t.Errorf("expandPath without home: err = %v, want %v", err, errNoHome)
	}
}

// TestFilePaths: paths in files resolve against the file's directory, in
// flags and the environment against the working directory.
func TestFilePaths(t *testing.T) {
	home := t.TempDir()
	dir := filepath.Join(t.TempDir(), "conf")
	cfg := writeFile(t, filepath.Join(dir, "codex-login.toml"), "[login]\nca_certificate = ['corp.pem', '~/home.pem']\n")
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	s := load(t, Inputs{
		Home:       home,
		ConfigFile: cfg,
		Env:        envMap(map[string]string{"CODEX_CA_CERTIFICATE": "env.pem"}),
		Flags:      Flags{CA: []string{"flag.pem", "~/flag.pem"}},
	})
	want := []string{
		filepath.Join(dir, "corp.pem"),
		filepath.Join(home, "home.pem"),
		filepath.Join(wd, "env.pem"),
		filepath.Join(wd, "flag.pem"),
		filepath.Join(home, "flag.pem"),
	}
	if len(s.CA) != len(want) {
		t.Fatalf("CA:\n%s\nwant paths %q", caString(s.CA), want)
	}
	for i, c := range s.CA {
		if c.Path != want[i] {
			t.Errorf("CA[%d] = %q, want %q", i, c.Path, want[i])
		}
	}

	// A relative --config file is found from the working directory, and its
	// relative paths from its own directory.
	t.Chdir(filepath.Dir(dir))
	s = load(t, Inputs{Home: home, ConfigFile: filepath.Join("conf", "codex-login.toml")})
	if s.CA[0].Path != filepath.Join(dir, "corp.pem") || s.Files[0] != cfg {
		t.Errorf("relative --config: CA[0] = %q, Files = %q", s.CA[0].Path, s.Files)
	}
	if s.CA[0].Source != "--config "+cfg+": [login] ca_certificate" {
		t.Errorf("relative --config: source %q", s.CA[0].Source)
	}
}

// TestTildeWithoutHome: ~ in a file with no home directory known is an
// *Error naming file, line and key.
func TestTildeWithoutHome(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, filepath.Join(dir, "c.toml"), "\n[login]\nca_certificate = '~/x.pem'\n")
	_, err := Load(Inputs{ConfigFile: cfg, Flags: Flags{CodexHome: &dir}})
	configError(t, err, cfg+`:3: [login] ca_certificate: "~/x.pem": ~ needs the home directory`)
}
