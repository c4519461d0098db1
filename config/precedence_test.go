package config

import (
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Layers, lowest precedence first.
const (
	layerDefaults = iota
	layerSystem
	layerCodexHome
	layerConfig
	layerEnv
	layerFlags
	numLayers
)

// setting describes how each layer sets one key to its i-th distinct value.
type setting struct {
	name  string
	top   func(i int) string // top-level TOML line, or nil
	login func(i int) string // TOML line inside [login], or nil
	env   func(i int) map[string]string
	flag  func(f *Flags, i int)
	get   func(s *Settings) (v any, source string, set bool)
	want  func(i int) any // value set by layer i
	def   any             // value when no layer sets it
}

func settingsUnderTest() []setting {
	return []setting{
		{
			name:  "proxy",
			login: func(i int) string { return fmt.Sprintf("proxy = 'http://p%d:3128'", i) },
			env: func(i int) map[string]string {
				return map[string]string{"HTTPS_PROXY": fmt.Sprintf("http://p%d:3128", i)}
			},
			flag: func(f *Flags, i int) { f.Proxy = ptr(fmt.Sprintf("http://p%d:3128", i)) },
			get:  func(s *Settings) (any, string, bool) { return s.Proxy.V, s.Proxy.Source, s.Proxy.Set },
			want: func(i int) any { return fmt.Sprintf("http://p%d:3128", i) },
			def:  "",
		},
		{
			name:  "no_proxy",
			login: func(i int) string { return fmt.Sprintf("no_proxy = '.corp%d.test'", i) },
			env:   func(i int) map[string]string { return map[string]string{"NO_PROXY": fmt.Sprintf(".corp%d.test", i)} },
			flag:  func(f *Flags, i int) { f.NoProxy = ptr(fmt.Sprintf(".corp%d.test", i)) },
			get:   func(s *Settings) (any, string, bool) { return s.NoProxy.V, s.NoProxy.Source, s.NoProxy.Set },
			want:  func(i int) any { return fmt.Sprintf(".corp%d.test", i) },
			def:   "",
		},
		{
			name:  "pac_url",
			login: func(i int) string { return fmt.Sprintf("pac_url = 'http://wpad%d.corp.test/wpad.dat'", i) },
			flag:  func(f *Flags, i int) { f.PAC = ptr(fmt.Sprintf("http://wpad%d.corp.test/wpad.dat", i)) },
			get:   func(s *Settings) (any, string, bool) { return s.PAC.V, s.PAC.Source, s.PAC.Set },
			want:  func(i int) any { return fmt.Sprintf("http://wpad%d.corp.test/wpad.dat", i) },
			def:   "",
		},
		{
			name:  "issuer",
			login: func(i int) string { return fmt.Sprintf("issuer = 'https://auth%d.corp.test'", i) },
			flag:  func(f *Flags, i int) { f.Issuer = ptr(fmt.Sprintf("https://auth%d.corp.test", i)) },
			get:   func(s *Settings) (any, string, bool) { return s.Issuer.V, s.Issuer.Source, s.Issuer.Set },
			want:  func(i int) any { return fmt.Sprintf("https://auth%d.corp.test", i) },
			def:   fallback.Issuer,
		},
		{
			name:  "client_id",
			login: func(i int) string { return fmt.Sprintf("client_id = 'app_%d'", i) },
			flag:  func(f *Flags, i int) { f.ClientID = ptr(fmt.Sprintf("app_%d", i)) },
			get:   func(s *Settings) (any, string, bool) { return s.ClientID.V, s.ClientID.Source, s.ClientID.Set },
			want:  func(i int) any { return fmt.Sprintf("app_%d", i) },
			def:   fallback.ClientID,
		},
		{
			name:  "callback_port",
			login: func(i int) string { return fmt.Sprintf("callback_port = %d", 2000+i) },
			flag:  func(f *Flags, i int) { f.Port = ptr(2000 + i) },
			get: func(s *Settings) (any, string, bool) {
				return s.CallbackPort.V, s.CallbackPort.Source, s.CallbackPort.Set
			},
			want: func(i int) any { return 2000 + i },
			def:  fallback.Port,
		},
		{
			name:  "timeout",
			login: func(i int) string { return fmt.Sprintf("timeout = '%dm'", i+1) },
			flag:  func(f *Flags, i int) { f.Timeout = ptr(time.Duration(i+1) * time.Minute) },
			get:   func(s *Settings) (any, string, bool) { return s.Timeout.V, s.Timeout.Source, s.Timeout.Set },
			want:  func(i int) any { return time.Duration(i+1) * time.Minute },
			def:   fallback.Timeout,
		},
		{
			name:  "open_browser",
			login: func(i int) string { return fmt.Sprintf("open_browser = %t", i%2 == 0) },
			flag:  func(f *Flags, i int) { f.NoBrowser = true },
			get:   func(s *Settings) (any, string, bool) { return s.OpenBrowser.V, s.OpenBrowser.Source, s.OpenBrowser.Set },
			want:  func(i int) any { return i%2 == 0 && i != layerFlags },
			def:   true,
		},
		{
			name:  "use_system_roots",
			login: func(i int) string { return fmt.Sprintf("use_system_roots = %t", i%2 == 0) },
			get: func(s *Settings) (any, string, bool) {
				return s.UseSystemRoots.V, s.UseSystemRoots.Source, s.UseSystemRoots.Set
			},
			want: func(i int) any { return i%2 == 0 },
			def:  true,
		},
		{
			name: "forced_login_method",
			top:  func(i int) string { return fmt.Sprintf("forced_login_method = '%s'", []string{"chatgpt", "api"}[i%2]) },
			get: func(s *Settings) (any, string, bool) {
				return s.ForcedLoginMethod.V, s.ForcedLoginMethod.Source, s.ForcedLoginMethod.Set
			},
			want: func(i int) any { return []string{"chatgpt", "api"}[i%2] },
			def:  "",
		},
		{
			name: "cli_auth_credentials_store",
			top: func(i int) string {
				return fmt.Sprintf("cli_auth_credentials_store = '%s'", []string{"keyring", "auto", "file"}[i%3])
			},
			get: func(s *Settings) (any, string, bool) {
				return s.CredentialsStore.V, s.CredentialsStore.Source, s.CredentialsStore.Set
			},
			want: func(i int) any { return []string{"keyring", "auto", "file"}[i%3] },
			def:  "file",
		},
		{
			name: "forced_chatgpt_workspace_id",
			top: func(i int) string {
				if i%2 == 0 {
					return fmt.Sprintf("forced_chatgpt_workspace_id = 'ws-%d'", i)
				}
				return fmt.Sprintf("forced_chatgpt_workspace_id = ['ws-%d', 'ws-x']", i)
			},
			get: func(s *Settings) (any, string, bool) {
				return s.ForcedWorkspaceIDs.V, s.ForcedWorkspaceIDs.Source, s.ForcedWorkspaceIDs.Set
			},
			want: func(i int) any {
				if i%2 == 0 {
					return []string{fmt.Sprintf("ws-%d", i)}
				}
				return []string{fmt.Sprintf("ws-%d", i), "ws-x"}
			},
			def: []string(nil),
		},
	}
}

// TestPrecedence sets each key in every layer that supports it, then drops
// the layers from the top one at a time: the highest remaining layer wins,
// with its source, until the caller's fallback value is left.
func TestPrecedence(t *testing.T) {
	for _, k := range settingsUnderTest() {
		for top := numLayers - 1; top >= -1; top-- {
			t.Run(fmt.Sprintf("%s/top=%d", k.name, top), func(t *testing.T) {
				home := t.TempDir()
				etc := t.TempDir()
				in := Inputs{Home: home, Env: envMap(nil), Fallback: fallback}
				env := map[string]string{}
				doc := func(i int) string {
					var b strings.Builder
					if k.top != nil {
						b.WriteString(k.top(i) + "\n")
					}
					b.WriteString("[login]\n")
					if k.login != nil {
						b.WriteString(k.login(i) + "\n")
					}
					return b.String()
				}
				system := filepath.Join(etc, "system.toml")
				codexFile := filepath.Join(home, ".codex", "config.toml")
				configFile := filepath.Join(etc, "extra.toml")
				in.SystemFile = system
				wantSource := map[int]string{
					layerDefaults:  "built-in defaults",
					layerSystem:    system,
					layerCodexHome: codexFile,
					layerConfig:    "--config " + configFile,
				}
				winner := -1
				for i := 0; i <= top; i++ {
					switch i {
					case layerDefaults:
						in.BuiltIn = []byte(doc(i))
					case layerSystem:
						writeFile(t, system, doc(i))
					case layerCodexHome:
						writeFile(t, codexFile, doc(i))
					case layerConfig:
						in.ConfigFile = writeFile(t, configFile, doc(i))
					case layerEnv:
						if k.env == nil {
							continue
						}
						for name, v := range k.env(i) {
							env[name] = v
							wantSource[i] = name
						}
						in.Env = envMap(env)
					case layerFlags:
						if k.flag == nil {
							continue
						}
						k.flag(&in.Flags, i)
						wantSource[i] = "--" + strings.ReplaceAll(k.name, "_", "-")
					}
					winner = i
				}
				switch k.name {
				case "callback_port":
					wantSource[layerFlags] = "--port"
				case "open_browser":
					wantSource[layerFlags] = "--no-browser"
				case "pac_url":
					wantSource[layerFlags] = "--pac"
				}
				s := load(t, in)
				v, source, set := k.get(s)
				if winner < 0 {
					if !reflect.DeepEqual(v, k.def) || source != "default" || set {
						t.Errorf("got %#v from %q (set %v), want default %#v", v, source, set, k.def)
					}
					return
				}
				if want := k.want(winner); !reflect.DeepEqual(v, want) || source != wantSource[winner] || !set {
					t.Errorf("got %#v from %q (set %v), want %#v from %q", v, source, set, want, wantSource[winner])
				}
			})
		}
	}
}
