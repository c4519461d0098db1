package config

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// itWorld is a home, a CODEX_HOME, an environment and a system file, for
// the managed-settings tests.
type itWorld struct {
	dir string
	env map[string]string
	in  Inputs
}

func newITWorld(t *testing.T) *itWorld {
	dir := t.TempDir()
	w := &itWorld{dir: dir, env: map[string]string{"CODEX_HOME": filepath.Join(dir, "codex")}}
	w.in = Inputs{Home: dir, Env: envMap(w.env), Fallback: fallback, SystemFile: filepath.Join(dir, "etc", "config.toml")}
	return w
}

func (w *itWorld) system(t *testing.T, doc string) string { return writeFile(t, w.in.SystemFile, doc) }
func (w *itWorld) home(t *testing.T, name, doc string) string {
	return writeFile(t, filepath.Join(w.dir, "codex", name), doc)
}

const managedProxy = "[login]\nproxy = 'http://proxy.corp.test:8080'\nmanaged = ['proxy', 'ca_certificate', 'forced_chatgpt_workspace_id']\n"

// managedError asserts that err is a *ManagedError for key, attempted by
// attempt and enforced by enforcer.
func managedError(t *testing.T, err error, key, attempt, enforcer string) {
	t.Helper()
	var me *ManagedError
	if !errors.As(err, &me) {
		t.Fatalf("error = %v (%T), want *config.ManagedError", err, err)
	}
	if want := (ManagedError{Key: key, Attempt: attempt, Enforcer: enforcer}); *me != want {
		t.Errorf("ManagedError = %+v, want %+v", *me, want)
	}
}

// TestManagedOverrideRefused: every later source that tries to change a
// managed key is refused, naming itself and the source that manages it,
// whether IT manages it in the built-in defaults or in the system file.
func TestManagedOverrideRefused(t *testing.T) {
	attempts := []struct {
		name    string
		key     string
		attempt func(t *testing.T, w *itWorld) string // sets it up, returns the Attempt
	}{
		{"CODEX_HOME file", "proxy", func(t *testing.T, w *itWorld) string {
			return w.home(t, "config.toml", "[login]\nproxy = 'http://mine.test:1'\n")
		}},
		{"--config", "proxy", func(t *testing.T, w *itWorld) string {
			w.in.ConfigFile = writeFile(t, filepath.Join(w.dir, "x.toml"), "[login]\nproxy = 'http://mine.test:1'\n")
			return "--config " + w.in.ConfigFile
		}},
		{".env", "proxy", func(t *testing.T, w *itWorld) string {
			path := w.home(t, ".env", "HTTPS_PROXY=http://mine.test:1\n")
			return "HTTPS_PROXY in " + path
		}},
		{"HTTPS_PROXY", "proxy", func(t *testing.T, w *itWorld) string {
			w.env["HTTPS_PROXY"] = "http://mine.test:1"
			return "HTTPS_PROXY"
		}},
		{"https_proxy", "proxy", func(t *testing.T, w *itWorld) string {
			w.env["https_proxy"] = "http://mine.test:1"
			return "https_proxy"
		}},
		{"ALL_PROXY", "proxy", func(t *testing.T, w *itWorld) string { w.env["ALL_PROXY"] = "http://mine.test:1"; return "ALL_PROXY" }},
		{"--proxy", "proxy", func(t *testing.T, w *itWorld) string { w.in.Flags.Proxy = ptr(""); return "--proxy" }},
		{"--ca", "ca_certificate", func(t *testing.T, w *itWorld) string { w.in.Flags.CA = []string{"/x/ca.pem"}; return "--ca" }},
		{"CODEX_CA_CERTIFICATE", "ca_certificate", func(t *testing.T, w *itWorld) string {
			w.env["CODEX_CA_CERTIFICATE"] = "/x/ca.pem"
			return "CODEX_CA_CERTIFICATE"
		}},
		{"SSL_CERT_FILE", "ca_certificate", func(t *testing.T, w *itWorld) string { w.env["SSL_CERT_FILE"] = "/x/ca.pem"; return "SSL_CERT_FILE" }},
		{"SSL_CERT_DIR", "ca_certificate", func(t *testing.T, w *itWorld) string { w.env["SSL_CERT_DIR"] = "/x/certs"; return "SSL_CERT_DIR" }},
		{"ca_certificate in a user file", "ca_certificate", func(t *testing.T, w *itWorld) string {
			path := w.home(t, "config.toml", "[login]\nca_certificate = '/x/ca.pem'\n")
			return path + ": [login] ca_certificate"
		}},
		{"workspace in a user file", "forced_chatgpt_workspace_id", func(t *testing.T, w *itWorld) string {
			return w.home(t, "config.toml", "forced_chatgpt_workspace_id = 'ws-mine'\n")
		}},
	}
	for _, where := range []string{"built-in", "system file"} {
		for _, a := range attempts {
			t.Run(where+"/"+a.name, func(t *testing.T) {
				w := newITWorld(t)
				doc := "forced_chatgpt_workspace_id = 'ws-corp'\n" + managedProxy
				enforcer := "built-in profile acme"
				if where == "built-in" {
					w.in.BuiltIn = []byte("profile = 'acme'\n" + doc)
				} else {
					enforcer = w.system(t, doc)
				}
				attempt := a.attempt(t, w)
				_, err := Load(w.in)
				managedError(t, err, a.key, attempt, enforcer)
				if want := a.key + " is managed by " + enforcer + " (IT's setting); " + attempt + " cannot change it"; err.Error() != want {
					t.Errorf("error %q, want %q", err, want)
				}
			})
		}
	}
}

// TestManagedWarnMode: with managed_mode = "warn" an attempt is ignored and
// noted; the managed value stays.
func TestManagedWarnMode(t *testing.T) {
	w := newITWorld(t)
	system := w.system(t, managedProxy+"managed_mode = 'warn'\n")
	w.env["HTTPS_PROXY"] = "http://mine.test:1"
	w.env["SSL_CERT_FILE"] = "/x/ca.pem"
	w.in.Flags.Proxy = ptr("http://flag.test:2")
	s := load(t, w.in)
	if want := (Value[string]{V: "http://proxy.corp.test:8080", Source: system, Set: true}); s.Proxy != want {
		t.Errorf("Proxy = %+v, want %+v", s.Proxy, want)
	}
	if len(s.CA) != 0 {
		t.Errorf("CA = %+v, want none: SSL_CERT_FILE is ignored", s.CA)
	}
	want := []string{
		"proxy is managed by " + system + " (IT's setting); HTTPS_PROXY is ignored",
		"ca_certificate is managed by " + system + " (IT's setting); SSL_CERT_FILE is ignored",
		"proxy is managed by " + system + " (IT's setting); --proxy is ignored",
	}
	if !reflect.DeepEqual(s.ManagedWarnings, want) {
		t.Errorf("ManagedWarnings =\n%q\nwant\n%q", s.ManagedWarnings, want)
	}
}

// TestManagedSameValue: a later source that sets a managed key to the value
// it already has changes nothing and is not an attempt.
func TestManagedSameValue(t *testing.T) {
	w := newITWorld(t)
	system := w.system(t, managedProxy)
	w.env["HTTPS_PROXY"] = "http://proxy.corp.test:8080"
	s := load(t, w.in)
	if s.Proxy.Source != system || len(s.ManagedWarnings) != 0 {
		t.Errorf("Proxy = %+v, warnings %q; want the system file's, none", s.Proxy, s.ManagedWarnings)
	}
}

// TestManagedLayers: the system file can manage what the built-in profile
// set; a key managed by nobody's value is pinned to its default; what the
// built-in profile manages, the system file cannot change.
func TestManagedLayers(t *testing.T) {
	t.Run("system file manages a built-in value", func(t *testing.T) {
		w := newITWorld(t)
		w.in.BuiltIn = []byte("profile = 'acme'\n[login]\ntimeout = '5m'\n")
		system := w.system(t, "[login]\nmanaged = ['timeout', 'issuer']\n")
		s := load(t, w.in)
		if s.Timeout.V != 5*time.Minute || s.Timeout.Source != "built-in profile acme" || s.Managed["timeout"] != system {
			t.Errorf("Timeout = %+v, managed by %q", s.Timeout, s.Managed["timeout"])
		}
		w.in.Flags.Issuer = ptr("https://other.test")
		_, err := Load(w.in)
		managedError(t, err, "issuer", "--issuer", system)
	})
	t.Run("built-in manages, system file tries", func(t *testing.T) {
		w := newITWorld(t)
		w.in.BuiltIn = []byte("[login]\nmanaged = ['no_proxy']\nno_proxy = '.corp.test'\n")
		system := w.system(t, "[login]\nno_proxy = '.other.test'\n")
		_, err := Load(w.in)
		managedError(t, err, "no_proxy", system, "built-in defaults")
	})
}

// TestManagedCAUnion: CA files from users are added to IT's unless
// ca_certificate is managed.
func TestManagedCAUnion(t *testing.T) {
	w := newITWorld(t)
	w.in.BuiltIn = []byte("[login]\nca_certificate = '/corp/root.pem'\nmanaged = ['proxy']\n")
	w.in.Flags.CA = []string{"/mine/ca.pem"}
	s := load(t, w.in)
	var paths []string
	for _, c := range s.CA {
		paths = append(paths, filepath.ToSlash(c.Path))
	}
	if !strings.HasSuffix(paths[0], "/corp/root.pem") || len(paths) != 2 || !strings.HasSuffix(paths[1], "/mine/ca.pem") {
		t.Errorf("CA paths = %q, want IT's and --ca's", paths)
	}
	// The same file named again is no attempt.
	w.in.BuiltIn = []byte("[login]\nca_certificate = '/corp/root.pem'\nmanaged = ['ca_certificate']\n")
	w.in.Flags.CA = []string{"/corp/root.pem"}
	if s := load(t, w.in); len(s.CA) != 1 {
		t.Errorf("CA = %+v, want IT's only", s.CA)
	}
}

// TestManagedInUserFile: users cannot manage: managed or managed_mode in
// their files is an error naming the file and line.
func TestManagedInUserFile(t *testing.T) {
	for _, doc := range []string{"[login]\nmanaged = ['proxy']\n", "[login]\nmanaged_mode = 'warn'\n"} {
		_, path, err := loadConfig(t, doc)
		ce := configError(t, err, path+":2: [login] managed", "only IT can manage settings")
		if ce.Line != 2 {
			t.Errorf("Line = %d, want 2", ce.Line)
		}
	}
	w := newITWorld(t)
	path := w.home(t, "config.toml", "model = 'o3'\n\n[login]\nmanaged = ['proxy']\n")
	_, err := Load(w.in)
	configError(t, err, path+":4: [login] managed")
}

// TestManagedBadDeclaration: managed lists keys that can be managed, and
// managed_mode is enforce or warn.
func TestManagedBadDeclaration(t *testing.T) {
	for doc, want := range map[string]string{
		"[login]\nmanaged = ['proxyy']\n":        `"proxyy" is not a key that can be managed`,
		"[login]\nmanaged = 'managed'\n":         `"managed" is not a key that can be managed`,
		"[login]\nmanaged_mode = 'loose'\n":      `"loose" is not one of enforce, warn`,
		"profile = 7\n":                          "profile: want the profile's name",
		"[login]\nmanaged = [1]\n":               "want a string or a list of strings",
		"profile = 'acme'\n[login]\nproxy = 1\n": "built-in profile acme:3: [login] proxy",
	} {
		w := newITWorld(t)
		w.in.BuiltIn = []byte(doc)
		_, err := Load(w.in)
		configError(t, err, want)
	}
}

// TestCodexManagedRows: Codex's managed_config.toml still wins, and says
// so in its source and as the enforcer.
func TestCodexManagedRows(t *testing.T) {
	w := newITWorld(t)
	w.in.CodexSystemDir = filepath.Join(w.dir, "etc-codex")
	managed := writeFile(t, filepath.Join(w.in.CodexSystemDir, "managed_config.toml"), "forced_chatgpt_workspace_id = 'ws-codex'\n")
	w.in.BuiltIn = []byte("forced_chatgpt_workspace_id = 'ws-it'\n[login]\nmanaged = ['forced_chatgpt_workspace_id']\n")
	s := load(t, w.in)
	for _, r := range s.Rows() {
		if r.Key != "forced_chatgpt_workspace_id" {
			continue
		}
		if want := (Row{Key: r.Key, Value: "ws-codex", Source: managed + " (managed by Codex)", Enforced: true, Enforcer: managed}); r != want {
			t.Errorf("row = %+v, want %+v", r, want)
		}
	}
}

// TestRows: every setting in its fixed order, with its source, the proxy's
// password redacted, and the managed ones marked.
func TestRows(t *testing.T) {
	w := newITWorld(t)
	w.in.BuiltIn = []byte("profile = 'acme'\nforced_chatgpt_workspace_id = ['ws-1', 'ws-2']\n[login]\nca_certificate = '/corp/root.pem'\nmanaged = ['forced_chatgpt_workspace_id', 'issuer']\n")
	system := w.system(t, "[login]\nno_proxy = '.corp.test'\ntimeout = '20m'\n")
	home := w.home(t, "config.toml", "cli_auth_credentials_store = 'keyring'\n[login]\nopen_browser = false\n")
	dotenv := w.home(t, ".env", "SSL_CERT_FILE=/etc/mine.pem\n")
	w.env["HTTPS_PROXY"] = "http://alice:s3cret@proxy.corp.test:8080"
	w.in.Flags.Port = ptr(1460)
	w.in.Flags.PAC = ptr("http://wpad.corp.test/wpad.dat")
	s := load(t, w.in)
	var got []string
	for _, r := range s.Rows() {
		line := r.Key + "|" + filepath.ToSlash(r.Value) + "|" + r.Source
		if r.Enforced {
			line += "|enforced by " + r.Enforcer
		}
		got = append(got, line)
	}
	root, _ := filepath.Abs("/corp/root.pem")
	mine, _ := filepath.Abs("/etc/mine.pem")
	want := []string{
		"ca_certificate|" + filepath.ToSlash(root) + "|built-in profile acme: [login] ca_certificate",
		"ca_certificate|" + filepath.ToSlash(mine) + "|SSL_CERT_FILE in " + dotenv,
		"use_system_roots|true|default",
		"proxy|http://alice:xxxxx@proxy.corp.test:8080|HTTPS_PROXY",
		"no_proxy|.corp.test|" + system,
		"pac_url|http://wpad.corp.test/wpad.dat|--pac",
		"proxy_auth|auto|default",
		"issuer|https://issuer.fallback.test|default|enforced by built-in profile acme",
		"client_id|app_fallback|default",
		"callback_port|1460|--port",
		"open_browser|false|" + home,
		"timeout|20m|" + system,
		"forced_login_method||default",
		"forced_chatgpt_workspace_id|ws-1, ws-2|built-in profile acme|enforced by built-in profile acme",
		"cli_auth_credentials_store|keyring|" + home,
		"codex_home|" + filepath.ToSlash(filepath.Join(w.dir, "codex")) + "|CODEX_HOME",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if s.Profile != "acme" {
		t.Errorf("Profile = %q", s.Profile)
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://proxy:3128":             "http://proxy:3128",
		"http://u:p@proxy:3128":         "http://u:xxxxx@proxy:3128",
		"u:p@proxy:3128":                "u:xxxxx@proxy:3128",
		"http://u@proxy:3128":           "http://u@proxy:3128",
		"":                              "",
		"http://u:p%zz@proxy:3128":      "xxxxx",
		"socks5://u:pw@socks.test:1080": "socks5://u:xxxxx@socks.test:1080",
	} {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
