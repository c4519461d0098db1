package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestEnvProxyOrder(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		want       string
		wantSource string
	}{
		{"none", nil, "", "default"},
		{"HTTPS_PROXY first", map[string]string{"HTTPS_PROXY": "http://a:1", "https_proxy": "http://b:1", "ALL_PROXY": "http://c:1", "all_proxy": "http://d:1"}, "http://a:1", "HTTPS_PROXY"},
		{"https_proxy", map[string]string{"https_proxy": "http://b:1", "ALL_PROXY": "http://c:1", "all_proxy": "http://d:1"}, "http://b:1", "https_proxy"},
		{"empty HTTPS_PROXY skipped", map[string]string{"HTTPS_PROXY": "", "ALL_PROXY": "socks5://c:1"}, "socks5://c:1", "ALL_PROXY"},
		{"all_proxy", map[string]string{"all_proxy": "http://d:1"}, "http://d:1", "all_proxy"},
		{"HTTP_PROXY is not used", map[string]string{"HTTP_PROXY": "http://e:1", "http_proxy": "http://e:1"}, "", "default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := load(t, Inputs{Home: t.TempDir(), Env: envMap(tt.env)})
			if s.Proxy.V != tt.want || s.Proxy.Source != tt.wantSource {
				t.Errorf("Proxy = %q from %q, want %q from %q", s.Proxy.V, s.Proxy.Source, tt.want, tt.wantSource)
			}
		})
	}
}

func TestEnvNoProxyOrder(t *testing.T) {
	tests := []struct {
		env        map[string]string
		want, from string
	}{
		{map[string]string{"NO_PROXY": ".a", "no_proxy": ".b"}, ".a", "NO_PROXY"},
		{map[string]string{"no_proxy": ".b"}, ".b", "no_proxy"},
		{nil, "", "default"},
	}
	for _, tt := range tests {
		s := load(t, Inputs{Home: t.TempDir(), Env: envMap(tt.env)})
		if s.NoProxy.V != tt.want || s.NoProxy.Source != tt.from {
			t.Errorf("env %v: NoProxy = %q from %q, want %q from %q", tt.env, s.NoProxy.V, s.NoProxy.Source, tt.want, tt.from)
		}
	}
}

// TestFlagProxyEmpty: --proxy "" means direct, over the environment.
func TestFlagProxyEmpty(t *testing.T) {
	s := load(t, Inputs{Home: t.TempDir(), Env: envMap(map[string]string{"HTTPS_PROXY": "http://a:1"}), Flags: Flags{Proxy: ptr("")}})
	if s.Proxy.V != "" || s.Proxy.Source != "--proxy" || !s.Proxy.Set {
		t.Errorf("Proxy = %+v, want empty from --proxy", s.Proxy)
	}
}

func TestCodexHome(t *testing.T) {
	home := t.TempDir()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		flag       *string
		env        string
		want, from string
	}{
		{"default", nil, "", filepath.Join(home, ".codex"), "default"},
		{"env", nil, filepath.Join(home, "env-home"), filepath.Join(home, "env-home"), "CODEX_HOME"},
		{"env tilde", nil, "~/codex", filepath.Join(home, "codex"), "CODEX_HOME"},
		{"env relative", nil, "rel/codex", filepath.Join(wd, "rel", "codex"), "CODEX_HOME"},
		{"flag over env", ptr(filepath.Join(home, "flag-home")), filepath.Join(home, "env-home"), filepath.Join(home, "flag-home"), "--codex-home"},
		{"flag tilde", ptr("~"), "", home, "--codex-home"},
		{"flag relative", ptr("x/../y"), "", filepath.Join(wd, "y"), "--codex-home"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := load(t, Inputs{Home: home, Env: envMap(map[string]string{"CODEX_HOME": tt.env}), Flags: Flags{CodexHome: tt.flag}})
			if s.CodexHome != tt.want || s.CodexHomeSource != tt.from {
				t.Errorf("CodexHome = %q from %q, want %q from %q", s.CodexHome, s.CodexHomeSource, tt.want, tt.from)
			}
		})
	}
}

// TestCodexHomeFile: config.toml is read from the resolved CODEX_HOME, not
// from ~/.codex.
func TestCodexHomeFile(t *testing.T) {
	home := t.TempDir()
	writeFile(t, filepath.Join(home, ".codex", "config.toml"), "[login]\nproxy = 'http://wrong:1'\n")
	other := filepath.Join(t.TempDir(), "codex")
	right := writeFile(t, filepath.Join(other, "config.toml"), "[login]\nproxy = 'http://right:1'\n")

	s := load(t, Inputs{Home: home, Env: envMap(map[string]string{"CODEX_HOME": other})})
	if s.Proxy.V != "http://right:1" || s.Proxy.Source != right {
		t.Errorf("Proxy = %+v, want http://right:1 from %s", s.Proxy, right)
	}
	s = load(t, Inputs{Home: home, Env: envMap(nil), Flags: Flags{CodexHome: &other}})
	if s.Proxy.V != "http://right:1" {
		t.Errorf("with --codex-home: Proxy = %+v, want http://right:1", s.Proxy)
	}
}

func TestCodexHomeErrors(t *testing.T) {
	_, err := Load(Inputs{Env: envMap(nil)})
	configError(t, err, "CODEX_HOME")
	_, err = Load(Inputs{Home: t.TempDir(), Flags: Flags{CodexHome: ptr("")}})
	configError(t, err, "--codex-home: empty path")
	_, err = Load(Inputs{Env: envMap(map[string]string{"CODEX_HOME": "~/x"})})
	configError(t, err, "CODEX_HOME ~/x: ~ needs the home directory")
}

// TestNilEnv: a nil Env reads as an empty environment.
func TestNilEnv(t *testing.T) {
	home := t.TempDir()
	s := load(t, Inputs{Home: home})
	if s.Proxy.Set || s.CodexHome != filepath.Join(home, ".codex") {
		t.Errorf("settings = %+v", s)
	}
}

// TestFallback: values no source sets are the caller's, with source
// "default"; config has none of its own.
func TestFallback(t *testing.T) {
	s := load(t, Inputs{Home: t.TempDir(), Fallback: fallback})
	checks := []struct {
		name      string
		got, want any
		source    string
		set       bool
	}{
		{"issuer", s.Issuer.V, fallback.Issuer, s.Issuer.Source, s.Issuer.Set},
		{"client_id", s.ClientID.V, fallback.ClientID, s.ClientID.Source, s.ClientID.Set},
		{"callback_port", s.CallbackPort.V, fallback.Port, s.CallbackPort.Source, s.CallbackPort.Set},
		{"timeout", s.Timeout.V, fallback.Timeout, s.Timeout.Source, s.Timeout.Set},
	}
	for _, c := range checks {
		if c.got != c.want || c.source != "default" || c.set {
			t.Errorf("%s = %v from %q (set %v), want %v from \"default\"", c.name, c.got, c.source, c.set, c.want)
		}
	}
	s = load(t, Inputs{Home: t.TempDir()})
	if s.Issuer.V != "" || s.ClientID.V != "" || s.CallbackPort.V != 0 || s.Timeout.V != 0 {
		t.Errorf("without a fallback: %q %q %d %v, want zero values", s.Issuer.V, s.ClientID.V, s.CallbackPort.V, s.Timeout.V)
	}
}

// TestIssuerNotChecked: the issuer is checked by the caller, which names
// its source; config only wants a string.
func TestIssuerNotChecked(t *testing.T) {
	s := load(t, Inputs{Home: t.TempDir(), Flags: Flags{Issuer: ptr("auth.corp.test")}})
	if s.Issuer.V != "auth.corp.test" || s.Issuer.Source != "--issuer" {
		t.Errorf("Issuer = %+v, want auth.corp.test from --issuer", s.Issuer)
	}
	s, path, err := loadConfig(t, "[login]\nissuer = 'https://'\n")
	if err != nil || s.Issuer.V != "https://" || s.Issuer.Source != "--config "+path {
		t.Errorf("Issuer = %+v, %v; want https:// from the file", s.Issuer, err)
	}
}

func TestProxyAuthFlagOverFile(t *testing.T) {
	home := t.TempDir()
	s := load(t, Inputs{Home: home, Env: envMap(nil)})
	if s.ProxyAuth.V != "auto" {
		t.Errorf("default ProxyAuth = %q, want auto", s.ProxyAuth.V)
	}
	s = load(t, Inputs{Home: home, Env: envMap(nil), Flags: Flags{ProxyAuth: ptr("ntlm")}})
	if s.ProxyAuth.V != "ntlm" || s.ProxyAuth.Source != "--proxy-auth" {
		t.Errorf("ProxyAuth = %q from %q, want ntlm from --proxy-auth", s.ProxyAuth.V, s.ProxyAuth.Source)
	}
}
