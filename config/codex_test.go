package config

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// codexConfig is a config.toml as Codex users keep it, with a [login] table
// added. Everything outside [login] and the three Codex login keys is
// Codex's and must be ignored.
const codexConfig = `# ~/.codex/config.toml
model = "gpt-5-codex"
model_provider = "azure"
model_reasoning_effort = "high"
approval_policy = "on-request"
sandbox_mode = "workspace-write"
profile = "work"
preferred_auth_method = "chatgpt"
forced_login_method = "chatgpt"
forced_chatgpt_workspace_id = ["ws-corp", "ws-corp-eu"]
cli_auth_credentials_store = "keyring"
notify = ["notify-send", "Codex"]
"login.not_ours" = "a top-level key with a dot in its name"

[sandbox_workspace_write]
network_access = true
writable_roots = ["/tmp"]

[shell_environment_policy]
inherit = "core"
exclude = ["AWS_*", "AZURE_*"]
set = { CI = "1" }

[model_providers.azure]
name = "Azure"
base_url = "https://corp.openai.azure.com/openai"
env_key = "AZURE_OPENAI_API_KEY"
query_params = { api-version = "2025-04-01-preview" }
wire_api = "responses"
request_max_retries = 4
stream_idle_timeout_ms = 300000

[model_providers.azure.http_headers]
X-Corp = "yes"

[mcp_servers.docs]
command = "npx"
args = ["-y", "@corp/docs-mcp"]
env = { "DOCS_TOKEN" = "x" }
startup_timeout_sec = 20

[mcp_servers.jira]
url = "https://mcp.corp.example/jira"

[profiles.work]
model = "o3"
approval_policy = "never"
model_reasoning_summary = "detailed"

[profiles.work.features]
web_search = true

[[skills]]
name = "a"

[[skills]]
name = "b"

[tui]
notifications = ["agent-turn-complete"]

[projects."/home/dev/src/app"]
trust_level = "trusted"

[history]
persistence = "save-all"
max_bytes = 10485760
started = 2025-01-02T03:04:05Z

[login]
ca_certificate = ["~/.certs/corp-root.pem", "certs/inspection.pem"]
use_system_roots = true
proxy = "http://proxy.corp.example:8080"
no_proxy = ".corp.example,localhost"
callback_port = 1457
open_browser = false
timeout = "5m30s"
`

func TestCodexConfig(t *testing.T) {
	home := t.TempDir()
	path := writeFile(t, filepath.Join(home, ".codex", "config.toml"), codexConfig)
	s := load(t, Inputs{Home: home, Env: envMap(nil), Fallback: fallback})

	ls := path + ": [login] ca_certificate"
	wantCA := []CAFile{
		{Path: filepath.Join(home, ".certs", "corp-root.pem"), Source: ls},
		{Path: filepath.Join(home, ".codex", "certs", "inspection.pem"), Source: ls},
	}
	if !reflect.DeepEqual(s.CA, wantCA) {
		t.Errorf("CA:\n%s\nwant:\n%s", caString(s.CA), caString(wantCA))
	}
	checks := []struct {
		name      string
		got, want any
		source    string
	}{
		{"use_system_roots", s.UseSystemRoots.V, true, s.UseSystemRoots.Source},
		{"proxy", s.Proxy.V, "http://proxy.corp.example:8080", s.Proxy.Source},
		{"no_proxy", s.NoProxy.V, ".corp.example,localhost", s.NoProxy.Source},
		{"callback_port", s.CallbackPort.V, 1457, s.CallbackPort.Source},
		{"open_browser", s.OpenBrowser.V, false, s.OpenBrowser.Source},
		{"timeout", s.Timeout.V, 5*time.Minute + 30*time.Second, s.Timeout.Source},
		{"forced_login_method", s.ForcedLoginMethod.V, "chatgpt", s.ForcedLoginMethod.Source},
		{"forced_chatgpt_workspace_id", s.ForcedWorkspaceIDs.V, []string{"ws-corp", "ws-corp-eu"}, s.ForcedWorkspaceIDs.Source},
		{"cli_auth_credentials_store", s.CredentialsStore.V, "keyring", s.CredentialsStore.Source},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) || c.source != path {
			t.Errorf("%s = %#v from %q, want %#v from %q", c.name, c.got, c.source, c.want, path)
		}
	}
	if s.Issuer.Set || s.Issuer.V != fallback.Issuer || s.ClientID.Set || s.ClientID.V != fallback.ClientID {
		t.Errorf("Issuer = %+v, ClientID = %+v, want the fallback values", s.Issuer, s.ClientID)
	}
	if !reflect.DeepEqual(s.Files, []string{path}) {
		t.Errorf("Files = %q, want [%s]", s.Files, path)
	}
}

// TestCodexConfigWithoutLogin: a Codex config with no [login] table and
// none of the login keys changes nothing.
func TestCodexConfigWithoutLogin(t *testing.T) {
	s, _, err := loadConfig(t, "model = 'o3'\n[model_providers.x]\nname = 'x'\n[mcp_servers.y]\ncommand = 'z'\n[profiles.a]\nmodel = 'b'\n[login_extra]\nz = 1\n")
	if err != nil {
		t.Fatal(err)
	}
	want := defaults(fallback)
	want.CodexHome, want.CodexHomeSource, want.Files = s.CodexHome, s.CodexHomeSource, s.Files
	if !reflect.DeepEqual(s, want) {
		t.Errorf("settings = %+v, want defaults", s)
	}
}
