package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// runArgs runs codex-login in-process with the world's environment and
// exactly the given arguments (login adds the flags of a sign-in).
func (w *world) runArgs(args ...string) (code int, stdout, stderr string) {
	w.t.Helper()
	var out, errOut bytes.Buffer
	e := env{getenv: func(k string) string { return w.env[k] }, stdout: &out, stderr: &errOut,
		systemFile: filepath.Join(w.dir, "system-config.toml"), codexSystemDir: filepath.Join(w.dir, "etc-codex"),
		root: fstest.MapFS{}, limits: w.limits, terminal: func() (int, int, bool) { return 0, 0, false }}
	code = run(context.Background(), args, e)
	w.t.Logf("codex-login %s → %d\n%s", strings.Join(args, " "), code, errOut.String())
	return code, out.String(), errOut.String()
}

// setting is one `config show --json` event.
type setting struct {
	Key, Value, Source, Enforcer string
	Enforced                     bool
}

func settingsShown(t *testing.T, stdout string) map[string][]setting {
	t.Helper()
	got := map[string][]setting{}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var e struct {
			Type string `json:"type"`
			setting
		}
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("bad event %q: %v", line, err)
		}
		if e.Type == "setting" {
			got[e.Key] = append(got[e.Key], e.setting)
		}
	}
	return got
}

// withBuiltIn replaces the TOML built into the binary for one test.
func withBuiltIn(t *testing.T, doc string) {
	saved := builtInTOML
	builtInTOML = []byte(doc)
	t.Cleanup(func() { builtInTOML = saved })
}

// TestConfigShowSources: config show --json names the source of every key
// in a world with a built-in profile, the system file, CODEX_HOME's file,
// the environment and flags, and which keys IT enforces.
func TestConfigShowSources(t *testing.T) {
	w := newWorld(t, worldOptions{})
	withBuiltIn(t, "profile = 'acme'\nforced_chatgpt_workspace_id = 'ws-corp'\n[login]\nissuer = '"+w.issuerURL+"'\nmanaged = ['forced_chatgpt_workspace_id', 'issuer']\n")
	system := filepath.Join(w.dir, "system-config.toml")
	writeTestFile(t, system, "[login]\nmanaged = ['no_proxy']\nno_proxy = '.corp.example'\ntimeout = '20m'\n")
	writeTestFile(t, filepath.Join(w.home, "config.toml"), "[login]\nproxy_auth = 'basic'\n")
	w.env["HTTPS_PROXY"] = "http://dev:hunter22@" + w.proxy.URL().Host
	code, stdout, stderr := w.runArgs("config", "show", "--json", "--ca", w.caFile, "--client-id", "app_mine")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if strings.Contains(stdout+stderr, "hunter22") {
		t.Errorf("the proxy password was printed:\n%s", stdout)
	}
	got := settingsShown(t, stdout)
	want := map[string]setting{
		"ca_certificate":              {Value: w.caFile, Source: "--ca"},
		"proxy":                       {Value: "http://dev:xxxxx@" + w.proxy.URL().Host, Source: "HTTPS_PROXY"},
		"no_proxy":                    {Value: ".corp.example", Source: system, Enforced: true, Enforcer: system},
		"proxy_auth":                  {Value: "basic", Source: filepath.Join(w.home, "config.toml")},
		"issuer":                      {Value: w.issuerURL, Source: "built-in profile acme", Enforced: true, Enforcer: "built-in profile acme"},
		"client_id":                   {Value: "app_mine", Source: "--client-id"},
		"timeout":                     {Value: "20m", Source: system},
		"open_browser":                {Value: "true", Source: "default"},
		"forced_chatgpt_workspace_id": {Value: "ws-corp", Source: "built-in profile acme", Enforced: true, Enforcer: "built-in profile acme"},
		"codex_home":                  {Value: w.home, Source: "CODEX_HOME"},
	}
	for key, s := range want {
		s.Key = key
		if rows := got[key]; len(rows) != 1 || rows[0] != s {
			t.Errorf("%s: shown %+v, want %+v", key, rows, s)
		}
	}
	if route := got["route"]; len(route) != 1 || !strings.Contains(route[0].Value, "through proxy") {
		t.Errorf("route: shown %+v, want the proxy", route)
	}
	// Without --json: a table on stdout.
	_, stdout, _ = w.runArgs("config", "show", "--ca", w.caFile)
	if !strings.Contains(stdout, "enforced by built-in profile acme") || !strings.Contains(stdout, "forced_chatgpt_workspace_id") {
		t.Errorf("table:\n%s", stdout)
	}
}

// TestConfigShowManagedRefusal: config show takes the network flags, so a
// flag that tries to change a managed key is refused there too.
func TestConfigShowManagedRefusal(t *testing.T) {
	w := newWorld(t, worldOptions{})
	managedProxy("", "")(t, w)
	code, _, stderr := w.runArgs("config", "show", "--proxy", "http://proxy.other.test:3128")
	if code != exitUsage || !strings.Contains(stderr, "system-config.toml (IT's setting); --proxy cannot change it") {
		t.Errorf("exit %d, want %d naming the system file and --proxy:\n%s", code, exitUsage, stderr)
	}
	code, stdout, stderr := w.runArgs("config", "show", "--json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if p := settingsShown(t, stdout)["proxy"]; len(p) != 1 || !p[0].Enforced || p[0].Source != filepath.Join(w.dir, "system-config.toml") {
		t.Errorf("proxy shown as %+v", p)
	}
}

// TestManagedWarnLogin: in warn mode an attempt to change a managed proxy
// is ignored with a warning, and the login goes through IT's proxy.
func TestManagedWarnLogin(t *testing.T) {
	w := newWorld(t, worldOptions{})
	writeTestFile(t, filepath.Join(w.dir, "system-config.toml"),
		"[login]\nmanaged = ['proxy']\nmanaged_mode = 'warn'\nproxy = '"+w.proxy.URL().String()+"'\n")
	code, _, stderr := w.login("--ca", w.caFile, "--proxy", "http://127.0.0.1:1")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "codex-login: warning: proxy is managed by "+filepath.Join(w.dir, "system-config.toml")+" (IT's setting); --proxy is ignored") {
		t.Errorf("no warning about --proxy:\n%s", stderr)
	}
}
