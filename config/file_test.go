package config

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestUnknownLoginKey(t *testing.T) {
	tests := []struct {
		name, doc, key string
		line           int
		msg            string
	}{
		{"typo", "model = 'o3'\n\n[login]\nproxy = 'http://p:1'\nca_certficate = 'x.pem'\n", "login.ca_certficate", 5, `unknown key "ca_certficate" in [login]`},
		{"dotted", "[login]\n\nfoo.bar = 1\n", "login.foo.bar", 3, `unknown key "foo.bar" in [login]`},
		{"top-level dotted", "x = 1\nlogin.prxy = 'a'\n", "login.prxy", 2, `unknown key "prxy" in [login]`},
		{"inline table", "login = { proxy = 'a', nope = 1 }\n", "login.nope", 1, `unknown key "nope" in [login]`},
		{"sub-table", "[login]\nproxy = 'a'\n[login.extra]\nx = 1\n", "login.extra", 3, `unknown table [login.extra]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, path, err := loadConfig(t, tt.doc)
			want := fmt.Sprintf("%s:%d: %s", path, tt.line, tt.msg)
			ce := configError(t, err, want)
			if err.Error() != want {
				t.Errorf("error = %q, want %q", err, want)
			}
			if ce.File != path || ce.Line != tt.line || ce.Key != tt.key {
				t.Errorf("Error = %+v, want file %s line %d key %s", ce, path, tt.line, tt.key)
			}
		})
	}
}

func TestBadValues(t *testing.T) {
	tests := []struct {
		doc  string
		key  string
		line int
		msg  string
	}{
		{"[login]\ntimeout = 'abc'\n", "login.timeout", 2, `[login] timeout: "abc" is not a duration such as "15m"`},
		{"[login]\ntimeout = '0s'\n", "login.timeout", 2, `[login] timeout: "0s" must be more than zero`},
		{"[login]\ntimeout = '-5m'\n", "login.timeout", 2, `[login] timeout: "-5m" must be more than zero`},
		{"[login]\ntimeout = 900\n", "login.timeout", 2, `[login] timeout: want a duration such as "15m", got an integer`},
		{"[login]\ncallback_port = 70000\n", "login.callback_port", 2, `[login] callback_port: 70000 is not a port number (1-65535)`},
		{"[login]\ncallback_port = 0\n", "login.callback_port", 2, `[login] callback_port: 0 is not a port number (1-65535)`},
		{"[login]\ncallback_port = '1455'\n", "login.callback_port", 2, `[login] callback_port: want a port number, got a string`},
		{"[login]\ncallback_port = 1455.0\n", "login.callback_port", 2, `[login] callback_port: want a port number, got a float`},
		{"[login]\nuse_system_roots = 'no'\n", "login.use_system_roots", 2, `[login] use_system_roots: want true or false, got a string`},
		{"[login]\nopen_browser = 1\n", "login.open_browser", 2, `[login] open_browser: want true or false, got an integer`},
		{"[login]\nproxy = 8080\n", "login.proxy", 2, `[login] proxy: want a string, got an integer`},
		{"[login]\nno_proxy = ['a']\n", "login.no_proxy", 2, `[login] no_proxy: want a string, got a list`},
		{"[login]\npac_url = 5\n", "login.pac_url", 2, `[login] pac_url: want a URL or a path, got an integer`},
		{"[login]\npac_url = 'ftp://x/wpad.dat'\n", "login.pac_url", 2, `[login] pac_url: "ftp://x/wpad.dat": want an http://, https:// or file:// URL, or a path`},
		{"[login]\nissuer = 5\n", "login.issuer", 2, `[login] issuer: want a string, got an integer`},
		{"[login]\nproxy_auth = 'kerberos'\n", "login.proxy_auth", 2, `[login] proxy_auth: "kerberos" is not one of auto, basic, ntlm, negotiate, none`},
		{"[login]\nproxy_auth = true\n", "login.proxy_auth", 2, `[login] proxy_auth: want a string, got a boolean`},
		{"[login]\nclient_id = ''\n", "login.client_id", 2, `[login] client_id: "" must not be empty`},
		{"[login]\nca_certificate = 5\n", "login.ca_certificate", 2, `[login] ca_certificate: want a string or a list of strings, got an integer`},
		{"[login]\nca_certificate = ['a.pem', true]\n", "login.ca_certificate", 2, `[login] ca_certificate: want a string or a list of strings, got a list holding a boolean`},
		{"[login]\nca_certificate = ''\n", "login.ca_certificate", 2, `[login] ca_certificate: empty path`},
		{"cli_auth_credentials_store = 'foo'\n", "cli_auth_credentials_store", 1, `cli_auth_credentials_store: "foo" is not one of file, keyring, auto, ephemeral`},
		{"cli_auth_credentials_store = true\n", "cli_auth_credentials_store", 1, `cli_auth_credentials_store: want a string, got a boolean`},
		{"a = 1\nforced_login_method = 'x'\n", "forced_login_method", 2, `forced_login_method: "x" is not one of chatgpt, api`},
		{"forced_login_method = ''\n", "forced_login_method", 1, `forced_login_method: "" is not one of chatgpt, api`},
		{"forced_chatgpt_workspace_id = 12\n", "forced_chatgpt_workspace_id", 1, `forced_chatgpt_workspace_id: want a string or a list of strings, got an integer`},
		{"forced_chatgpt_workspace_id = [{a = 1}]\n", "forced_chatgpt_workspace_id", 1, `forced_chatgpt_workspace_id: want a string or a list of strings, got a list holding a table`},
		{"login = { timeout = 1979-05-27 }\n", "login.timeout", 1, `[login] timeout: want a duration such as "15m", got a date or time`},
		{"[login.proxy]\nx = 1\n", "login.proxy", 1, `[login] proxy: want a string, got a table`},
		{"[login]\n\nproxy = { a = { b = 1 } }\n", "login.proxy", 3, `[login] proxy: want a string, got a table`},
		{"login = 5\n", "login", 1, `login must be a table: [login]`},
		{"[[login]]\nproxy = 'a'\n", "login", 1, `login must be a table: [login]`},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			_, path, err := loadConfig(t, tt.doc)
			ce := configError(t, err, fmt.Sprintf("%s:%d: %s", path, tt.line, tt.msg))
			if ce.Key != tt.key || ce.Line != tt.line || ce.File != path {
				t.Errorf("Error = %+v, want key %s line %d", ce, tt.key, tt.line)
			}
		})
	}
}

func TestBadFlags(t *testing.T) {
	tests := []struct {
		flags Flags
		key   string
		msg   string
	}{
		{Flags{Port: ptr(0)}, "--port", "--port 0: not a port number (1-65535)"},
		{Flags{Port: ptr(65536)}, "--port", "--port 65536: not a port number (1-65535)"},
		{Flags{Timeout: ptr(time.Duration(0))}, "--timeout", "--timeout 0s: must be more than zero"},
		{Flags{Timeout: ptr(-time.Second)}, "--timeout", "--timeout -1s: must be more than zero"},
		{Flags{ClientID: ptr("")}, "--client-id", `--client-id "": must not be empty`},
		{Flags{CA: []string{""}}, "--ca", "--ca: empty path"},
		{Flags{ProxyAuth: ptr("NTLM")}, "--proxy-auth", `--proxy-auth "NTLM": is not one of auto, basic, ntlm, negotiate, none`},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			_, err := Load(Inputs{Home: t.TempDir(), Flags: tt.flags})
			ce := configError(t, err, tt.msg)
			if ce.Key != tt.key || ce.File != "" {
				t.Errorf("Error = %+v, want key %s and no file", ce, tt.key)
			}
		})
	}
}

func TestSyntaxError(t *testing.T) {
	_, path, err := loadConfig(t, "model = 'o3'\n[login]\nproxy = 'http://p:1\n")
	configError(t, err, path+":3: invalid TOML: ")
	_, path, err = loadConfig(t, "[login]\nproxy = 'a'\nproxy = 'b'\n")
	configError(t, err, path+":3: invalid TOML: ")
}

// TestByteOrderMark: a file saved by Windows Notepad loads, with lines
// counted as the editor shows them.
func TestByteOrderMark(t *testing.T) {
	s, _, err := loadConfig(t, "\xef\xbb\xbf[login]\r\nproxy = 'http://p:1'\r\n")
	if err != nil || s.Proxy.V != "http://p:1" {
		t.Fatalf("Load = %+v, %v", s, err)
	}
	_, path, err := loadConfig(t, "\xef\xbb\xbf[login]\r\nprxy = 'http://p:1'\r\n")
	configError(t, err, path+`:2: unknown key "prxy" in [login]`)
}

func TestBuiltInDefaultsErrors(t *testing.T) {
	_, err := Load(Inputs{Home: t.TempDir(), BuiltIn: []byte("[login]\ncallback_port = -1\n")})
	configError(t, err, "built-in defaults:2: [login] callback_port: -1 is not a port number")
	_, err = Load(Inputs{Home: t.TempDir(), BuiltIn: []byte("[login]\nca_certificate = 'corp.pem'\n")})
	configError(t, err, `built-in defaults:2: [login] ca_certificate: "corp.pem" must be an absolute path or start with ~/`)
}

func TestMissingFiles(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.toml")

	s := load(t, Inputs{Home: dir, SystemFile: missing})
	if len(s.Files) != 0 {
		t.Errorf("Files = %q, want none", s.Files)
	}

	_, err := Load(Inputs{Home: dir, ConfigFile: missing})
	ce := configError(t, err, missing+": cannot read it: ")
	if !errors.Is(err, fs.ErrNotExist) || ce.Key != "--config" {
		t.Errorf("error = %+v, want --config and fs.ErrNotExist", ce)
	}

	// A directory is not a file: an error, even for the system file.
	_, err = Load(Inputs{Home: dir, SystemFile: dir})
	configError(t, err, dir+": cannot read it: it is a directory, not a regular file")
}

func TestStringOrList(t *testing.T) {
	tests := []struct {
		doc     string
		ca      []string
		workIDs []string
	}{
		{"forced_chatgpt_workspace_id = 'ws-1'\n[login]\nca_certificate = '/a.pem'\n", []string{"/a.pem"}, []string{"ws-1"}},
		{"forced_chatgpt_workspace_id = ['ws-1', 'ws-2']\n[login]\nca_certificate = ['/a.pem', '/b.pem']\n", []string{"/a.pem", "/b.pem"}, []string{"ws-1", "ws-2"}},
		{"forced_chatgpt_workspace_id = []\n[login]\nca_certificate = []\n", nil, []string{}},
	}
	for _, tt := range tests {
		s, path, err := loadConfig(t, tt.doc)
		if err != nil {
			t.Fatalf("%q: %v", tt.doc, err)
		}
		var ca []string
		for _, c := range s.CA {
			ca = append(ca, filepath.ToSlash(c.Path))
		}
		if !reflect.DeepEqual(ca, tt.ca) {
			t.Errorf("%q: CA = %q, want %q", tt.doc, ca, tt.ca)
		}
		w := s.ForcedWorkspaceIDs
		if !reflect.DeepEqual(w.V, tt.workIDs) || w.Source != "--config "+path || !w.Set {
			t.Errorf("%q: ForcedWorkspaceIDs = %+v, want %q", tt.doc, w, tt.workIDs)
		}
	}
}
