package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// readBack reads the .env file at path as codex-login (and Codex) would,
// with a real environment that would change any value substituted by mistake.
func readBack(t testing.TB, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	vars, err := parseDotenv(data, path, envMap(map[string]string{"HOME": "/home/real", "X": "real-x", "A": "real-a"}))
	if err != nil {
		t.Fatalf("%s does not read back: %v\n%s", path, err, data)
	}
	return vars
}

// TestUpdateDotEnvValuesReadBack: every value that may be written reads
// back exactly, whatever dotenv gives a meaning to.
func TestUpdateDotEnvValuesReadBack(t *testing.T) {
	values := []string{
		"http://proxy.corp.test:8080", "", " leading and trailing ", "two  spaces\tand a tab",
		"a#b", "a #not a comment", "#", `single ' quote`, `double " quote`, `both ' and "`, `'`, `"`,
		"$HOME", "${X}", "$", `\$A`, `C:\Users\me\.codex\ca-bundle.pem`, `ends with \`, `\`, `\\`, `a\'b`,
		`\n is not a newline`, "k=v=w", "=", "ünïcödé ✓", "\u2028\u00a0", "export X=1", "' # '",
	}
	dir := t.TempDir()
	path := filepath.Join(dir, ".env")
	for _, v := range values {
		if err := UpdateDotEnv(path, map[string]string{"SSL_CERT_FILE": v}, nil); err != nil {
			t.Errorf("set %q: %v", v, err)
			continue
		}
		if got := readBack(t, path)["SSL_CERT_FILE"]; got != v {
			data, _ := os.ReadFile(path)
			t.Errorf("set %q, read back %q from %s", v, got, data)
		}
	}
}

// TestUpdateDotEnvKeepsTheRest: comments, blank lines and other keys stay
// as they were; a key is replaced where it stood, keeping export, its
// indentation and its comment; later duplicates and unset keys go; new keys
// are appended, one line each.
func TestUpdateDotEnvKeepsTheRest(t *testing.T) {
	tests := []struct {
		name, in, want string
		set            map[string]string
		unset          []string
	}{
		{"replace in place", "# corp settings\n\nA=1\nHTTPS_PROXY=http://old:3128 # the old one\nB='two'\n",
			"# corp settings\n\nA=1\nHTTPS_PROXY='http://new:8080' # the old one\nB='two'\n",
			map[string]string{"HTTPS_PROXY": "http://new:8080"}, nil},
		{"export form", "  export   HTTPS_PROXY = old\nexport=1\n", "  export HTTPS_PROXY='new'\nexport='x'\n",
			map[string]string{"HTTPS_PROXY": "new", "export": "x"}, nil},
		{"duplicates", "P=1\nQ=$P\nP=2\nP='3\nstill three'\nR=r\n", "P='new'\nQ=$P\nR=r\n",
			map[string]string{"P": "new"}, nil},
		{"unset", "A=1\nexport NO_PROXY=x\nB=2\nNO_PROXY=y # again\n", "A=1\nB=2\n", nil, []string{"NO_PROXY", "ABSENT"}},
		{"append", "A=1", "A=1\nHTTPS_PROXY='p'\nSSL_CERT_FILE='/c.pem'\n",
			map[string]string{"SSL_CERT_FILE": "/c.pem", "HTTPS_PROXY": "p"}, nil},
		{"CRLF", "A=1\r\nB=2\r\n", "A='x'\r\nB=2\r\nC='y'\r\n", map[string]string{"A": "x", "C": "y"}, nil},
		{"byte order mark", "\xef\xbb\xbfA=1\n", "\xef\xbb\xbfA='2'\n", map[string]string{"A": "2"}, nil},
		{"commented-out key stays", "# HTTPS_PROXY=old\n", "# HTTPS_PROXY=old\nHTTPS_PROXY='new'\n",
			map[string]string{"HTTPS_PROXY": "new"}, nil},
		{"quoted value with a comment sign", "A=\"x # y\" # real comment\n", "A='z' # real comment\n", map[string]string{"A": "z"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, filepath.Join(t.TempDir(), ".env"), tt.in)
			if err := UpdateDotEnv(path, tt.set, tt.unset); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// TestUpdateDotEnvFile: the file ends up 0600 even when it was 0644, no
// temporary file is left behind, a missing file is created, a symbolic
// link keeps pointing at the file it named.
func TestUpdateDotEnvFile(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, filepath.Join(dir, ".env"), "A=1\n")
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := UpdateDotEnv(path, map[string]string{"B": "2"}, nil); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after update: %v, %v; want 0600", fi.Mode(), err)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{".env"}) {
		t.Errorf("directory holds %q, want only .env", names)
	}

	fresh := filepath.Join(t.TempDir(), ".env")
	if err := UpdateDotEnv(fresh, nil, []string{"A"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(fresh); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("removing a key from a missing file created it: %v", err)
	}
	if err := UpdateDotEnv(fresh, map[string]string{"A": "1"}, nil); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(fresh); err != nil || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("new file: %v, %v; want 0600", fi, err)
	}
	if err := UpdateDotEnv(filepath.Join(dir, "missing", ".env"), map[string]string{"A": "1"}, nil); err == nil {
		t.Error("a file in a missing directory was written")
	}

	if runtime.GOOS == "windows" {
		return
	}
	link := filepath.Join(t.TempDir(), ".env")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	if err := UpdateDotEnv(link, map[string]string{"C": "3"}, nil); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 || readBack(t, path)["C"] != "3" {
		t.Errorf("the link was replaced or its file not updated: %v, %v", fi, err)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestUpdateDotEnvRefuses: what cannot be written, or a file that Codex
// cannot read either, is an *Error, and the file stays as it was.
func TestUpdateDotEnvRefuses(t *testing.T) {
	tests := []struct {
		name, in string
		set      map[string]string
		unset    []string
		want     string
	}{
		{"newline", "", map[string]string{"A": "x\ny"}, nil, "cannot set A: its value holds a line break"},
		{"carriage return", "", map[string]string{"A": "x\r"}, nil, "line break"},
		{"NUL", "", map[string]string{"A": "x\x00"}, nil, "cannot set A: its value holds a NUL character"},
		{"invalid UTF-8", "", map[string]string{"A": "\xff"}, nil, "not valid UTF-8"},
		{"bad name", "", map[string]string{"1A": "x"}, nil, `cannot write "1A": a name starts with a letter or _`},
		{"bad name to unset", "", nil, []string{"A B"}, `cannot write "A B"`},
		{"CODEX_ name", "", map[string]string{"codex_home": "x"}, nil, "Codex ignores CODEX_ variables in .env"},
		{"set and unset", "", map[string]string{"A": "x"}, []string{"A"}, "both set and removed"},
		{"unreadable file", "A=1\nB='open\n", map[string]string{"A": "x"}, nil, ".env:2: a 'quoted' value is not closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in + "KEEP=1\n"
			path := writeFile(t, filepath.Join(t.TempDir(), ".env"), in)
			configError(t, UpdateDotEnv(path, tt.set, tt.unset), tt.want)
			if got, _ := os.ReadFile(path); string(got) != in {
				t.Errorf("file changed to %q", got)
			}
		})
	}
}
