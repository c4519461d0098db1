package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestEnvFile: $CODEX_HOME/.env supplies the variables config consults, each
// with the file as its source, below the real environment.
func TestEnvFile(t *testing.T) {
	tests := []struct {
		name        string
		dotenv      string
		env         map[string]string
		proxy       string
		proxySource string // %s stands for the .env file's path
		noProxy     string
		noSource    string
	}{
		{"from the file", "HTTPS_PROXY=http://file.test:1\nexport no_proxy='.corp.test' # corp\n", nil,
			"http://file.test:1", "HTTPS_PROXY in %s", ".corp.test", "no_proxy in %s"},
		{"the real environment wins", "HTTPS_PROXY=http://file.test:1\nNO_PROXY=.file.test\n",
			map[string]string{"HTTPS_PROXY": "http://real.test:1", "NO_PROXY": ".real.test"},
			"http://real.test:1", "HTTPS_PROXY", ".real.test", "NO_PROXY"},
		{"an empty real variable counts as unset", "HTTPS_PROXY=http://file.test:1\n", map[string]string{"HTTPS_PROXY": ""},
			"http://file.test:1", "HTTPS_PROXY in %s", "", "default"},
		{"the file's HTTPS_PROXY beats a real https_proxy, as Codex sees them", "HTTPS_PROXY=http://file.test:1\n",
			map[string]string{"https_proxy": "http://real.test:1"}, "http://file.test:1", "HTTPS_PROXY in %s", "", "default"},
		{"a real HTTPS_PROXY beats the file's ALL_PROXY", "ALL_PROXY=socks5://file.test:1\n",
			map[string]string{"HTTPS_PROXY": "http://real.test:1"}, "http://real.test:1", "HTTPS_PROXY", "", "default"},
		{"substituted from the real environment", "HTTPS_PROXY=\"http://${PROXY_HOST}:8080\"\n",
			map[string]string{"PROXY_HOST": "proxy.corp.test"}, "http://proxy.corp.test:8080", "HTTPS_PROXY in %s", "", "default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			path := writeFile(t, filepath.Join(home, ".codex", ".env"), tt.dotenv)
			s := load(t, Inputs{Home: home, Env: envMap(tt.env)})
			source := func(f string) string { return strings.ReplaceAll(f, "%s", path) }
			if s.Proxy.V != tt.proxy || s.Proxy.Source != source(tt.proxySource) {
				t.Errorf("Proxy = %q from %q, want %q from %q", s.Proxy.V, s.Proxy.Source, tt.proxy, source(tt.proxySource))
			}
			if s.NoProxy.V != tt.noProxy || s.NoProxy.Source != source(tt.noSource) {
				t.Errorf("NoProxy = %q from %q, want %q from %q", s.NoProxy.V, s.NoProxy.Source, tt.noProxy, source(tt.noSource))
			}
			if s.EnvFile != path {
				t.Errorf("EnvFile = %q, want %q", s.EnvFile, path)
			}
		})
	}
}

// TestEnvFileCA: SSL_CERT_FILE and SSL_CERT_DIR from the file name CA
// files, with the file as their source.
func TestEnvFileCA(t *testing.T) {
	home := t.TempDir()
	certs := t.TempDir()
	path := writeFile(t, filepath.Join(home, ".codex", ".env"),
		"SSL_CERT_FILE="+filepath.Join(certs, "corp.pem")+"\nSSL_CERT_DIR="+filepath.Join(certs, "d")+"\n")
	s := load(t, Inputs{Home: home, Env: envMap(map[string]string{"SSL_CERT_DIR": filepath.Join(certs, "real")})})
	want := []CAFile{
		{Path: filepath.Join(certs, "corp.pem"), Source: "SSL_CERT_FILE in " + path, Optional: true},
		{Path: filepath.Join(certs, "real"), Source: "SSL_CERT_DIR", Dir: true, Optional: true},
	}
	if !reflect.DeepEqual(s.CA, want) {
		t.Errorf("CA:\n%s\nwant:\n%s", caString(s.CA), caString(want))
	}
	if !reflect.DeepEqual(s.EnvOverridden, []string{"SSL_CERT_DIR"}) {
		t.Errorf("EnvOverridden = %q, want the SSL_CERT_DIR both set differently", s.EnvOverridden)
	}
}

// TestEnvOverridden names only the variables that the real environment and
// the file both set, to different values: Codex would use the file's.
func TestEnvOverridden(t *testing.T) {
	home := t.TempDir()
	writeFile(t, filepath.Join(home, ".codex", ".env"), "HTTPS_PROXY=http://file.test:1\nNO_PROXY=.same.test\nSSL_CERT_FILE=/file.pem\nPATH=/x\n")
	env := map[string]string{"HTTPS_PROXY": "http://real.test:1", "NO_PROXY": ".same.test", "PATH": "/usr/bin"}
	if got := load(t, Inputs{Home: home, Env: envMap(env)}).EnvOverridden; !reflect.DeepEqual(got, []string{"HTTPS_PROXY"}) {
		t.Errorf("EnvOverridden = %q, want [HTTPS_PROXY]", got)
	}
}

// TestEnvFileIgnoresCodexVariables: as in Codex, a CODEX_ variable in the
// file, in any case, changes nothing, not even CODEX_HOME.
func TestEnvFileIgnoresCodexVariables(t *testing.T) {
	home := t.TempDir()
	elsewhere := t.TempDir()
	writeFile(t, filepath.Join(elsewhere, "config.toml"), "[login]\nproxy = 'http://elsewhere.test:1'\n")
	writeFile(t, filepath.Join(home, ".codex", ".env"), "CODEX_HOME="+elsewhere+"\ncodex_home="+elsewhere+
		"\nCODEX_CA_CERTIFICATE=/corp.pem\nCodex_Ca_Certificate=/corp2.pem\nNO_PROXY=${CODEX_HOME}\n")
	s := load(t, Inputs{Home: home, Env: envMap(nil)})
	if s.CodexHome != filepath.Join(home, ".codex") || s.CodexHomeSource != "default" {
		t.Errorf("CodexHome = %q from %q, want ~/.codex", s.CodexHome, s.CodexHomeSource)
	}
	if s.Proxy.Set || len(s.CA) != 0 {
		t.Errorf("Proxy = %+v, CA = %s, want neither", s.Proxy, caString(s.CA))
	}
	// Substitution still sees the file's earlier lines, as dotenvy does.
	if s.NoProxy.V != elsewhere {
		t.Errorf("NoProxy = %q, want %q", s.NoProxy.V, elsewhere)
	}
}

// TestEnvFileLocation: the file is read from the resolved CODEX_HOME, and a
// missing one is skipped.
func TestEnvFileLocation(t *testing.T) {
	home := t.TempDir()
	other := t.TempDir()
	writeFile(t, filepath.Join(home, ".codex", ".env"), "HTTPS_PROXY=http://wrong.test:1\n")
	path := writeFile(t, filepath.Join(other, ".env"), "HTTPS_PROXY=http://right.test:1\n")
	s := load(t, Inputs{Home: home, Flags: Flags{CodexHome: &other}})
	if s.Proxy.V != "http://right.test:1" || s.EnvFile != path {
		t.Errorf("Proxy = %+v, EnvFile = %q, want the one in %s", s.Proxy, s.EnvFile, path)
	}
	s = load(t, Inputs{Home: t.TempDir()})
	if s.EnvFile != "" || s.Proxy.Set {
		t.Errorf("without .env: EnvFile = %q, Proxy = %+v", s.EnvFile, s.Proxy)
	}
}

// TestEnvFileErrors: a bad line, or a .env that is not a file, is an
// *Error naming the file.
func TestEnvFileErrors(t *testing.T) {
	home := t.TempDir()
	path := writeFile(t, filepath.Join(home, ".codex", ".env"), "# proxy\nHTTPS_PROXY=http://a.test:1 http://b.test:1\n")
	_, err := Load(Inputs{Home: home})
	ce := configError(t, err, path+":2: HTTPS_PROXY: unquoted text after a space")
	if ce.File != path || ce.Line != 2 || ce.Key != "HTTPS_PROXY" {
		t.Errorf("Error = %+v", ce)
	}

	home = t.TempDir()
	dir := filepath.Join(home, ".codex", ".env")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	_, err = Load(Inputs{Home: home})
	configError(t, err, dir+": cannot read it: it is a directory, not a regular file")
}

// A CODEX_HOME below a regular file holds no config.toml and no .env: they
// are skipped, and the credential store reports the bad CODEX_HOME.
func TestCodexHomeBelowAFileIsNotAConfigError(t *testing.T) {
	home := t.TempDir()
	file := writeFile(t, filepath.Join(home, "file"), "x")
	s := load(t, Inputs{Home: home, Env: envMap(map[string]string{"CODEX_HOME": filepath.Join(file, "codex")})})
	if s.CodexHome != filepath.Join(file, "codex") || s.EnvFile != "" {
		t.Fatalf("CodexHome %q, EnvFile %q", s.CodexHome, s.EnvFile)
	}
}
