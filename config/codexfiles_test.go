package config

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// codexFiles are the places a test can write a file to, for one Load.
type codexFiles struct {
	home, etc, other string
	in               Inputs
}

func newCodexFiles(t *testing.T) *codexFiles {
	c := &codexFiles{home: t.TempDir(), etc: t.TempDir(), other: t.TempDir()}
	c.in = Inputs{Home: c.home, CodexSystemDir: c.etc, Env: envMap(nil), Fallback: fallback}
	return c
}

func (c *codexFiles) systemPath() string    { return filepath.Join(c.other, "codex-login.toml") }
func (c *codexFiles) etcConfigPath() string { return filepath.Join(c.etc, "config.toml") }
func (c *codexFiles) homePath() string      { return filepath.Join(c.home, ".codex", "config.toml") }
func (c *codexFiles) configPath() string    { return filepath.Join(c.other, "extra.toml") }
func (c *codexFiles) managedPath() string   { return filepath.Join(c.etc, "managed_config.toml") }

// TestCodexKeysPrecedence sets Codex's login keys in every file that may
// hold them, then drops the files from the top one at a time: the highest
// remaining file wins, with its path as the source. Codex's managed file
// beats --config and CODEX_HOME's; Codex's system config.toml loses to
// CODEX_HOME's but beats codex-login's system file.
func TestCodexKeysPrecedence(t *testing.T) {
	stores := []string{"keyring", "auto", "ephemeral", "file", "keyring", "ephemeral"}
	// Each layer writes doc and returns the file it wrote, or "".
	layers := []struct {
		name  string
		write func(c *codexFiles, doc string) string
	}{
		{"built-in", func(c *codexFiles, doc string) string { c.in.BuiltIn = []byte(doc); return "" }},
		{"codex-login system file", func(c *codexFiles, doc string) string {
			c.in.SystemFile = writeFile(t, c.systemPath(), doc)
			return c.in.SystemFile
		}},
		{"Codex system config", func(c *codexFiles, doc string) string { return writeFile(t, c.etcConfigPath(), doc) }},
		{"CODEX_HOME", func(c *codexFiles, doc string) string { return writeFile(t, c.homePath(), doc) }},
		{"--config", func(c *codexFiles, doc string) string {
			c.in.ConfigFile = writeFile(t, c.configPath(), doc)
			return c.in.ConfigFile
		}},
		{"Codex managed config", func(c *codexFiles, doc string) string { return writeFile(t, c.managedPath(), doc) }},
	}
	for top := len(layers) - 1; top >= 0; top-- {
		t.Run("top="+layers[top].name, func(t *testing.T) {
			c := newCodexFiles(t)
			var files []string
			source := ""
			for i := 0; i <= top; i++ {
				doc := fmt.Sprintf("forced_login_method = %q\nforced_chatgpt_workspace_id = 'ws-%d'\ncli_auth_credentials_store = %q\n",
					[]string{"chatgpt", "api"}[i%2], i, stores[i])
				switch path := layers[i].write(c, doc); {
				case path == "":
					source = "built-in defaults"
				case layers[i].name == "--config":
					source, files = "--config "+path, append(files, path)
				case layers[i].name == "Codex managed config":
					source, files = path+" (managed by Codex)", append(files, path)
				default:
					source, files = path, append(files, path)
				}
			}
			s := load(t, c.in)
			want := []any{[]string{"chatgpt", "api"}[top%2], []string{fmt.Sprintf("ws-%d", top)}, stores[top]}
			got := []any{s.ForcedLoginMethod.V, s.ForcedWorkspaceIDs.V, s.CredentialsStore.V}
			sources := []string{s.ForcedLoginMethod.Source, s.ForcedWorkspaceIDs.Source, s.CredentialsStore.Source}
			if !reflect.DeepEqual(got, want) || sources[0] != source || sources[1] != source || sources[2] != source {
				t.Errorf("got %v from %q, want %v from %q", got, sources, want, source)
			}
			if !reflect.DeepEqual(s.Files, files) {
				t.Errorf("Files = %q, want %q", s.Files, files)
			}
		})
	}
}

// TestEphemeralStore: "ephemeral" is valid in each of Codex's files.
func TestEphemeralStore(t *testing.T) {
	for _, where := range []string{"CODEX_HOME", "Codex system config", "Codex managed config"} {
		t.Run(where, func(t *testing.T) {
			c := newCodexFiles(t)
			path := map[string]string{
				"CODEX_HOME":           c.homePath(),
				"Codex system config":  c.etcConfigPath(),
				"Codex managed config": c.managedPath(),
			}[where]
			writeFile(t, path, "model = 'o3'\ncli_auth_credentials_store = \"ephemeral\"\n")
			s := load(t, c.in)
			source := path
			if where == "Codex managed config" {
				source += " (managed by Codex)"
			}
			if want := (Value[string]{V: "ephemeral", Source: source, Set: true}); s.CredentialsStore != want {
				t.Errorf("CredentialsStore = %+v, want %+v", s.CredentialsStore, want)
			}
			if !reflect.DeepEqual(s.Files, []string{path}) {
				t.Errorf("Files = %q, want [%s]", s.Files, path)
			}
		})
	}
}

// TestCodexFilesIgnoreLogin: Codex's files belong to Codex: a [login] table
// there is neither read nor checked, nor is anything else of Codex's.
func TestCodexFilesIgnoreLogin(t *testing.T) {
	c := newCodexFiles(t)
	doc := "model = 'o3'\nlogin.nope = 1\n[projects.'/a']\ntrust_level = 'trusted'\n[login]\nproxy = 'http://managed.test:1'\ntimeout = 5\nnot_a_key = 1\n[login.sub]\nx = 1\n"
	writeFile(t, c.etcConfigPath(), doc)
	writeFile(t, c.managedPath(), doc)
	writeFile(t, c.homePath(), "[login]\nproxy = 'http://home.test:1'\n")
	s := load(t, c.in)
	if s.Proxy.V != "http://home.test:1" || s.Proxy.Source != c.homePath() {
		t.Errorf("Proxy = %+v, want the one from %s", s.Proxy, c.homePath())
	}
	if s.Timeout.V != fallback.Timeout || s.Timeout.Set {
		t.Errorf("Timeout = %+v, want the fallback", s.Timeout)
	}
	if want := []string{c.etcConfigPath(), c.homePath(), c.managedPath()}; !reflect.DeepEqual(s.Files, want) {
		t.Errorf("Files = %q, want %q", s.Files, want)
	}
}

// TestCodexFilesErrors: a bad value for one of Codex's keys, bad TOML or an
// unreadable file in Codex's files is an *Error naming file and line.
func TestCodexFilesErrors(t *testing.T) {
	tests := []struct {
		name, file, doc string
		line            int
		msg             string
	}{
		{"store value", "managed_config.toml", "model = 'o3'\n\ncli_auth_credentials_store = 'vault'\n", 3, `cli_auth_credentials_store: "vault" is not one of file, keyring, auto, ephemeral`},
		{"method type", "config.toml", "forced_login_method = 1\n", 1, "forced_login_method: want a string, got an integer"},
		{"workspace type", "config.toml", "[login]\nx = 1\n[forced_chatgpt_workspace_id]\n", 3, "forced_chatgpt_workspace_id: want a string or a list of strings, got a table"},
		{"syntax", "config.toml", "model = 'o3'\n[login\n", 2, "invalid TOML: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCodexFiles(t)
			path := writeFile(t, filepath.Join(c.etc, tt.file), tt.doc)
			_, err := Load(c.in)
			ce := configError(t, err, fmt.Sprintf("%s:%d: %s", path, tt.line, tt.msg))
			if ce.File != path || ce.Line != tt.line {
				t.Errorf("Error = %+v, want file %s line %d", ce, path, tt.line)
			}
		})
	}

	c := newCodexFiles(t)
	if err := os.Mkdir(c.managedPath(), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Load(c.in)
	configError(t, err, c.managedPath()+": cannot read it: it is a directory, not a regular file")
}
