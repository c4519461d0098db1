package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// FuzzLoad feeds arbitrary bytes as the --config file. Load must never
// panic, must fail only with an *Error, and must only return settings
// that pass its own checks. Reading only codex-login's keys must decode
// them exactly as decoding the whole document does, and must not hide a
// syntax error.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(codexConfig))
	f.Add([]byte("[login]\nca_certificate = 'x.pem'\ntimeout = '1m'\n"))
	f.Add([]byte("cli_auth_credentials_store = 'ephemeral'\n[projects.'/a']\ntrust_level = 'trusted'\n[login]\nproxy = 'x'\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "config.toml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Load(Inputs{Home: dir, ConfigFile: path, Env: envMap(nil), Fallback: fallback})
		checkFocus(t, data, err)
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is %T, want *config.Error", err, err)
			}
			if ce.File != path {
				t.Fatalf("error %v names file %q, want %q", err, ce.File, path)
			}
			return
		}
		if p := s.CallbackPort.V; p < 1 || p > 65535 {
			t.Errorf("callback port %d accepted", p)
		}
		if s.Timeout.V <= 0 {
			t.Errorf("timeout %v accepted", s.Timeout.V)
		}
		if s.ClientID.V == "" {
			t.Error("empty client_id accepted")
		}
		if !slices.Contains([]string{"file", "keyring", "auto", "ephemeral"}, s.CredentialsStore.V) {
			t.Errorf("credentials store %q accepted", s.CredentialsStore.V)
		}
		if !slices.Contains([]string{"", "chatgpt", "api"}, s.ForcedLoginMethod.V) {
			t.Errorf("forced login method %q accepted", s.ForcedLoginMethod.V)
		}
		for _, c := range s.CA {
			if !filepath.IsAbs(c.Path) {
				t.Errorf("CA path %q is not absolute", c.Path)
			}
		}
	})
}

// checkFocus compares decoding the whole document with what Load did.
func checkFocus(t *testing.T, data []byte, loadErr error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var p unstable.Parser
	p.Reset(data)
	for p.NextExpression() {
	}
	if p.Error() != nil && loadErr == nil {
		t.Fatalf("syntax error %v not reported", p.Error())
	}
	var full, focused document
	if toml.Unmarshal(data, &full) != nil || hasCaseVariant(data) {
		return
	}
	if err := toml.Unmarshal(focus(data, append(slices.Clip(codexKeys), "login")...), &focused); err != nil {
		t.Fatalf("whole document decodes, its focused copy does not: %v", err)
	}
	full.Profile = nil // read from the built-in defaults only
	if !reflect.DeepEqual(full, focused) {
		t.Fatalf("whole document decodes to %+v, its focused copy to %+v", full, focused)
	}
}

// hasCaseVariant reports whether data sets a key that differs from one of
// codex-login's only in case. go-toml matches struct fields without regard
// to case, so a whole-document decode takes such a key; Load, like Codex,
// does not.
func hasCaseVariant(data []byte) bool {
	variant := func(key string, known []string) bool {
		for _, k := range known {
			if strings.EqualFold(key, k) && key != k {
				return true
			}
		}
		return false
	}
	top := append(slices.Clip(codexKeys), "login")
	found := false
	visit(data, func(path []string, _ int, _ bool) bool {
		found = variant(path[0], top) || len(path) > 1 && path[0] == "login" && variant(path[1], loginKeys)
		return !found
	})
	return found
}

// FuzzParseDotenv feeds arbitrary bytes as $CODEX_HOME/.env. parseDotenv
// must never panic and must fail only with an *Error naming the file and a
// line inside it.
func FuzzParseDotenv(f *testing.F) {
	f.Add([]byte("HTTPS_PROXY=http://proxy.corp.test:8080\nexport NO_PROXY='.corp.test' # corp\n"))
	f.Add([]byte("A=\"multi\nline ${HOME}\"\nB=$A\\ x\nCODEX_HOME=/tmp\n"))
	env := envMap(map[string]string{"HOME": "/home/u"})
	f.Fuzz(func(t *testing.T, data []byte) {
		vars, err := parseDotenv(data, "/x/.env", env)
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is %T, want *config.Error", err, err)
			}
			if lines := 1 + bytes.Count(data, []byte{'\n'}); ce.File != "/x/.env" || ce.Line < 1 || ce.Line > lines {
				t.Fatalf("error %v: file %q line %d, want /x/.env and a line in 1..%d", err, ce.File, ce.Line, lines)
			}
			return
		}
		for k := range vars {
			if key, rest := cutKey(k); key != k || rest != "" || strings.ContainsAny(k, " =\n") {
				t.Errorf("key %q is not a name", k)
			}
		}
	})
}
