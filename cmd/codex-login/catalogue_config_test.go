package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// inHome writes a file under CODEX_HOME and signs in with the proxy's CA.
func inHome(name, body string) func(*testing.T, *world) []string {
	return func(t *testing.T, w *world) []string {
		writeTestFile(t, filepath.Join(w.home, name), body)
		return []string{"--ca", w.caFile}
	}
}

// inCodexSystem writes one of Codex's machine-wide files.
func inCodexSystem(name, body string) func(*testing.T, *world) []string {
	return func(t *testing.T, w *world) []string {
		writeTestFile(t, filepath.Join(w.dir, "etc-codex", name), body)
		return []string{"--ca", w.caFile}
	}
}

// args signs in with the proxy's CA and the given arguments.
func args(extra ...string) func(*testing.T, *world) []string {
	return func(t *testing.T, w *world) []string { return append([]string{"--ca", w.caFile}, extra...) }
}

// argsIn is args with "$D" replaced by the test's directory.
func argsIn(extra ...string) func(*testing.T, *world) []string {
	return func(t *testing.T, w *world) []string {
		out := []string{"--ca", w.caFile}
		for _, a := range extra {
			out = append(out, strings.ReplaceAll(a, "$D", w.dir))
		}
		return out
	}
}

// withEnv sets environment variables ("$D" is the test's directory).
func withEnv(kv ...string) func(*testing.T, *world) []string {
	return func(t *testing.T, w *world) []string {
		for i := 0; i+1 < len(kv); i += 2 {
			w.env[kv[i]] = strings.ReplaceAll(kv[i+1], "$D", w.dir)
		}
		return []string{"--ca", w.caFile}
	}
}

// managedProxy makes the system file manage the proxy: proxy, or the
// world's own when "". home is a CODEX_HOME config.toml to write, if any.
func managedProxy(proxy, home string, extra ...string) func(*testing.T, *world) []string {
	return func(t *testing.T, w *world) []string {
		managed := proxy
		if managed == "" {
			managed = w.proxy.URL().String()
		}
		writeTestFile(t, filepath.Join(w.dir, "system-config.toml"), fmt.Sprintf("[login]\nmanaged = [\"proxy\"]\nproxy = %q\n", managed))
		if home != "" {
			writeTestFile(t, filepath.Join(w.home, "config.toml"), home)
		}
		return append([]string{"--ca", w.caFile}, extra...)
	}
}

func writeTestFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

const editHint = "edit "

var configCases = []badInput{
	{area: "config", name: "unknown key in [login]", setup: inHome("config.toml", "[login]\nca_certficate = \"x.pem\"\n"), code: 1, msg: `config.toml:2: unknown key "ca_certficate" in [login]`, hint: editHint},
	{area: "config", name: "unknown table under [login]", setup: inHome("config.toml", "[login.proxy_settings]\nx = 1\n"), code: 1, msg: "unknown table [login.proxy_settings]", hint: editHint},
	{area: "config", name: "TOML syntax error", setup: inHome("config.toml", "model = \"o3\n"), code: 1, msg: "invalid TOML", hint: editHint},
	{area: "config", name: "login is not a table", setup: inHome("config.toml", "login = 1\n"), code: 1, msg: "login must be a table", hint: editHint},
	{area: "config", name: "ca_certificate is a number", setup: inHome("config.toml", "[login]\nca_certificate = 7\n"), code: 1, msg: "config.toml:2: [login] ca_certificate: want a string or a list of strings", hint: editHint},
	{area: "config", name: "callback_port out of range", setup: inHome("config.toml", "[login]\ncallback_port = 70000\n"), code: 1, msg: "70000 is not a port number", hint: editHint},
	{area: "config", name: "timeout is not a duration", setup: inHome("config.toml", "[login]\ntimeout = \"soon\"\n"), code: 1, msg: `"soon" is not a duration`, hint: editHint},
	{area: "config", name: "timeout is negative", setup: inHome("config.toml", "[login]\ntimeout = \"-1s\"\n"), code: 1, msg: "must be more than zero", hint: editHint},
	{area: "config", name: "open_browser is a string", setup: inHome("config.toml", "[login]\nopen_browser = \"yes\"\n"), code: 1, msg: "want true or false", hint: editHint},
	{area: "config", name: "client_id is empty", setup: inHome("config.toml", "[login]\nclient_id = \"\"\n"), code: 1, msg: "must not be empty", hint: editHint},
	{area: "config", name: "proxy is a number", setup: inHome("config.toml", "[login]\nproxy = 3128\n"), code: 1, msg: "want a string", hint: editHint},
	{area: "config", name: "issuer over plain http in a file", setup: func(t *testing.T, w *world) []string {
		w.issuerFlag = false
		return inHome("config.toml", "[login]\nissuer = \"http://auth.corp.test\"\n")(t, w)
	}, code: 2, msg: "codex/config.toml) must use https", hint: "https://"},
	{area: "config", name: "forced_login_method = \"api\"", setup: inHome("config.toml", "forced_login_method = \"api\"\n"), code: 1, msg: "requires an API-key login", hint: "--with-api-key"},
	{area: "config", name: "forced_login_method unknown", setup: inHome("config.toml", "forced_login_method = \"sso\"\n"), code: 1, msg: "is not one of", hint: editHint},
	{area: "config", name: "cli_auth_credentials_store unknown", setup: inHome("config.toml", "cli_auth_credentials_store = \"cloud\"\n"), code: 1, msg: "is not one of", hint: editHint},
	{area: "config", name: "forced_chatgpt_workspace_id is a number", setup: inHome("config.toml", "forced_chatgpt_workspace_id = 5\n"), code: 1, msg: "want a string or a list", hint: editHint},
	{area: "config", name: "ephemeral store in CODEX_HOME/config.toml", setup: inHome("config.toml", "cli_auth_credentials_store = \"ephemeral\"\n"), code: 1, msg: "in memory only", hint: `"file"`},
	{area: "config", name: "ephemeral store in /etc/codex/config.toml", setup: inCodexSystem("config.toml", "cli_auth_credentials_store = \"ephemeral\"\n"), code: 1, msg: "in memory only", hint: `"file"`},
	{area: "config", name: "ephemeral store in managed_config.toml", setup: inCodexSystem("managed_config.toml", "cli_auth_credentials_store = \"ephemeral\"\n"), code: 1, msg: "in memory only", hint: `"file"`},
	{area: "config", name: "keyring store without a keyring", setup: noKeyringSetup("keyring"), code: 1, msg: "no usable keyring: no D-Bus session bus", hint: `"file"`},
	{area: "config", name: "bad value in managed_config.toml", setup: inCodexSystem("managed_config.toml", "forced_login_method = 1\n"), code: 1, msg: "managed_config.toml:1", hint: editHint},
	{area: "config", name: "--config names a missing file", setup: argsIn("--config", "$D/none.toml"), code: 1, msg: "none.toml: cannot read it", hint: editHint},
	{area: "config", name: "--config names a directory", setup: argsIn("--config", "$D"), code: 1, msg: "directory", hint: editHint},
	{area: "config", name: "--config names a named pipe", setup: fifoConfig, code: 1, msg: "named pipe", hint: editHint, unix: true},
	{area: "config", name: "--config names /dev/zero", setup: args("--config", "/dev/zero"), code: 1, msg: "device", hint: editHint, unix: true},
	{area: "config", name: "config.toml over 16 MiB", setup: inHome("config.toml", strings.Repeat("# padding\n", 1700000)), code: 1, msg: "size limit", hint: editHint},
	{area: "config", name: "IT's managed proxy vs HTTPS_PROXY", setup: managedProxy("http://proxy.corp.test:8080", ""), code: 2, msg: "system-config.toml (IT's setting); HTTPS_PROXY cannot change it", hint: "ask IT to change it in"},
	{area: "config", name: "IT's managed proxy vs --proxy", setup: managedProxy("", "", "--proxy", "http://proxy.other.test:3128"), code: 2, msg: "(IT's setting); --proxy cannot change it", hint: "codex-login config show"},
	{area: "config", name: "IT's managed proxy vs a user config.toml", setup: managedProxy("", "[login]\nproxy = \"http://proxy.other.test:3128\"\n"), code: 2, msg: "codex/config.toml cannot change it", hint: "ask IT to change it in"},
	{area: "config", name: "bad line in CODEX_HOME/.env", setup: inHome(".env", "HTTPS_PROXY=http://p:1\nthis is not a variable\n"), code: 1, msg: ".env:2", hint: editHint},

	{area: "flags", name: "--port 0", setup: args("--port", "0"), code: 2, msg: "--port 0", hint: "--help"},
	{area: "flags", name: "--port 70000", setup: args("--port", "70000"), code: 2, msg: "not a port number", hint: "--help"},
	{area: "flags", name: "--timeout 0s", setup: args("--timeout", "0s"), code: 2, msg: "must be more than zero", hint: "--help"},
	{area: "flags", name: "--timeout that is not a duration", setup: args("--timeout", "soon"), code: 2, msg: "invalid argument", hint: "--help"},
	{area: "flags", name: "unknown flag", setup: args("--bogus"), code: 2, msg: "--bogus", hint: "--help"},
	{area: "flags", name: "unexpected argument", setup: args("now"), code: 2, msg: `unexpected argument "now"`, hint: "--help"},
	{area: "flags", name: "--issuer over plain http", setup: args("--issuer", "http://auth.corp.test"), code: 2, msg: "must use https", hint: "https://"},
	{area: "flags", name: "--issuer that is not a URL", setup: args("--issuer", "auth.corp.test"), code: 2, msg: "is not an absolute URL", hint: "https://"},
	{area: "flags", name: "--client-id empty", setup: args("--client-id", ""), code: 2, msg: "must not be empty", hint: "--help"},
	{area: "flags", name: "--ca empty", setup: args("--ca", ""), code: 2, msg: "--ca: empty path", hint: "--help"},
	{area: "flags", name: "--codex-home empty", setup: args("--codex-home", ""), code: 2, msg: "empty path", hint: "--help"},
	{area: "flags", name: "--proxy with an unknown scheme", setup: args("--proxy", "ftp://proxy.corp.test:21"), code: 1, msg: `has scheme "ftp"`, hint: "http://HOST:PORT"},
	{area: "flags", name: "--proxy without a host", setup: args("--proxy", "http://:3128"), code: 1, msg: "names no host", hint: "http://HOST:PORT"},
	{area: "flags", name: "--proxy with a bad port", setup: args("--proxy", "http://proxy.corp.test:99999"), code: 1, msg: "invalid port", hint: "http://HOST:PORT"},
	{area: "flags", name: "--proxy with a path and a password", setup: args("--proxy", "http://dev:hunter22@proxy.corp.test:3128/wpad"), code: 1, msg: "has a path", hint: "http://HOST:PORT"},

	{area: "env", name: "HTTPS_PROXY is not a URL", setup: withEnv("HTTPS_PROXY", "http://dev:pw@[bad"), code: 1, msg: "(from HTTPS_PROXY)", hint: "http://HOST:PORT"},
	{area: "env", name: "HTTPS_PROXY where nothing listens", setup: withEnv("HTTPS_PROXY", "http://127.0.0.1:1"), code: 1, msg: "cannot reach proxy http://127.0.0.1:1", hint: "(it comes from HTTPS_PROXY)"},
	{area: "env", name: "CODEX_CA_CERTIFICATE names a missing file", setup: withEnv("CODEX_CA_CERTIFICATE", "$D/none.pem"), code: 1, msg: "(from CODEX_CA_CERTIFICATE)", hint: "CODEX_CA_CERTIFICATE"},
	{area: "env", name: "CODEX_HOME below a regular file", setup: withEnv("CODEX_HOME", "$D/corp.pem/codex"), code: 1, msg: "corp.pem", hint: "--codex-home"},
	{area: "env", name: "SSL_CERT_FILE names a missing file and no CA is given", setup: func(t *testing.T, w *world) []string {
		w.env["SSL_CERT_FILE"] = filepath.Join(w.dir, "none.pem")
		return nil
	}, code: 1, msg: `"Corp Inspection CA", which is not trusted here`, hint: "then sign in with codex-login --ca FILE"},
}
