package config

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzUpdateDotEnv: setting a key in any file either is refused, leaving
// the file as it was, or reads back exactly with every other key unchanged;
// removing it again leaves the other keys unchanged too.
func FuzzUpdateDotEnv(f *testing.F) {
	f.Add([]byte("# corp\nexport HTTPS_PROXY=http://old:3128 # old\n"), "HTTPS_PROXY", "http://proxy.corp.test:8080")
	f.Add([]byte("A='multi\nline'\r\nSSL_CERT_FILE=\"x\"\nSSL_CERT_FILE=y"), "SSL_CERT_FILE", `C:\Users\me\ca.pem`)
	f.Add([]byte(""), "B", `it's "$HOME" \`)
	f.Fuzz(func(t *testing.T, existing []byte, key, value string) {
		dir := t.TempDir()
		path := writeFile(t, filepath.Join(dir, ".env"), string(existing))
		before, readErr := parseDotenv(existing, path, envMap(nil))
		k, rest := cutKey(key)
		writable := k != "" && rest == "" && !strings.HasPrefix(strings.ToUpper(key), codexPrefix) &&
			!strings.ContainsAny(value, "\r\n\x00") && utf8.ValidString(value)
		err := UpdateDotEnv(path, map[string]string{key: value}, nil)
		if readErr != nil || !writable {
			if err == nil {
				t.Fatalf("UpdateDotEnv(%q=%q) accepted (reading the file: %v)", key, value, readErr)
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, existing) {
				t.Fatalf("a refused update changed the file to %q", got)
			}
			return
		}
		if err != nil {
			t.Fatalf("UpdateDotEnv(%q=%q): %v", key, value, err)
		}
		after := readBackRaw(t, path)
		if after[key] != value {
			t.Fatalf("set %q, read back %q", value, after[key])
		}
		sameOthers(t, existing, before, after, key)
		if fi, err := os.Stat(path); err != nil || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
			t.Fatalf("mode %v, %v", fi.Mode(), err)
		}
		if names := dirNames(t, dir); !slices.Equal(names, []string{".env"}) {
			t.Fatalf("directory holds %q", names)
		}
		if err := UpdateDotEnv(path, nil, []string{key}); err != nil {
			t.Fatalf("unset %q: %v", key, err)
		}
		gone := readBackRaw(t, path)
		if _, ok := gone[key]; ok {
			t.Fatalf("%q still set after unset", key)
		}
		sameOthers(t, existing, before, gone, key)
	})
}

// readBackRaw parses the file at path without a real environment.
func readBackRaw(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	vars, err := parseDotenv(data, path, envMap(nil))
	if err != nil {
		t.Fatalf("the updated file does not read back: %v\n%q", err, data)
	}
	return vars
}

// sameOthers checks that every key but key kept its value, unless the
// file substitutes variables (which may name key).
func sameOthers(t *testing.T, existing []byte, before, after map[string]string, key string) {
	t.Helper()
	if bytes.Contains(existing, []byte("$")) {
		return
	}
	for k, v := range before {
		if k != key && after[k] != v {
			t.Fatalf("%s changed from %q to %q", k, v, after[k])
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok && k != key {
			t.Fatalf("%s appeared", k)
		}
	}
}
