package push

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// authJSON stands for the credentials; the script treats them as bytes.
var authJSON = []byte("{\n  \"auth_mode\": \"chatgpt\",\n  \"tokens\": {\n    \"refresh_token\": \"rt_secret-refresh\"\n  }\n}")

func sumLine(data []byte) []byte {
	d := sha256.Sum256(data)
	return append([]byte(hex.EncodeToString(d[:])+"\n"), data...)
}

// target is a machine's file system in a temp dir: a HOME, and Codex's
// machine-wide config directory.
type target struct {
	t               *testing.T
	home, systemDir string
	path            string // PATH for the script
}

func newTarget(t *testing.T) *target {
	dir := t.TempDir()
	tg := &target{t: t, home: filepath.Join(dir, "home"), systemDir: filepath.Join(dir, "etc-codex"), path: os.Getenv("PATH")}
	if err := os.Mkdir(tg.home, 0o755); err != nil {
		t.Fatal(err)
	}
	return tg
}

func (tg *target) codexHome() string { return filepath.Join(tg.home, ".codex") }

func (tg *target) write(path, body string) {
	tg.t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		tg.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		tg.t.Fatal(err)
	}
}

// run runs the script with sh, as the transport would on the target.
func (tg *target) run(codexHome string, stdin []byte, env ...string) answer {
	tg.t.Helper()
	cmd := exec.Command("sh", "-c", script, scriptName, codexHome, tg.systemDir)
	cmd.Env = append([]string{"PATH=" + tg.path, "HOME=" + tg.home}, env...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	tg.t.Logf("script: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	return parseAnswer(stdout.Bytes())
}

// checkWritten: auth.json holds exactly authJSON, 0600, in a 0700 dir,
// and no temp file is left.
func (tg *target) checkWritten(home string, a answer) {
	tg.t.Helper()
	if _, ok := a["done"]; !ok {
		tg.t.Fatalf("the script did not finish: %v", a)
	}
	got, err := os.ReadFile(filepath.Join(home, "auth.json"))
	if err != nil || !bytes.Equal(got, authJSON) {
		tg.t.Fatalf("auth.json is not what was sent (%v):\n%s", err, got)
	}
	if r, err := a.result(hex.EncodeToString(sha(authJSON))); err != nil || r.DirMode != "drwx------" || r.Path != filepath.Join(home, "auth.json") {
		tg.t.Errorf("result %+v, %v", r, err)
	}
	tg.checkModes(home)
}

func (tg *target) checkModes(home string) {
	tg.t.Helper()
	if fi, err := os.Stat(home); err != nil || fi.Mode().Perm() != 0o700 {
		tg.t.Errorf("CODEX_HOME: %v, want mode 0700", fi.Mode())
	}
	if fi, err := os.Stat(filepath.Join(home, "auth.json")); err == nil && fi.Mode().Perm() != 0o600 {
		tg.t.Errorf("auth.json mode %v, want 0600", fi.Mode().Perm())
	}
	tg.checkNoTemp(home)
}

func (tg *target) checkNoTemp(home string) {
	tg.t.Helper()
	entries, _ := os.ReadDir(home)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".auth.json.tmp-") {
			tg.t.Errorf("temp file %s left in CODEX_HOME", e.Name())
		}
	}
}

func sha(b []byte) []byte { d := sha256.Sum256(b); return d[:] }

func TestPushScriptWritesIntoHomeDotCodex(t *testing.T) {
	tg := newTarget(t)
	tg.checkWritten(tg.codexHome(), tg.run("", sumLine(authJSON)))
}

func TestPushScriptHonoursTargetCodexHome(t *testing.T) {
	tg := newTarget(t)
	dir := filepath.Join(tg.home, "elsewhere", "codex")
	tg.checkWritten(dir, tg.run("", sumLine(authJSON), "CODEX_HOME="+dir))
	named := filepath.Join(tg.home, "named")
	tg.checkWritten(named, tg.run(named, sumLine(authJSON), "CODEX_HOME="+dir))
}

func TestPushScriptReplacesAnExistingFile(t *testing.T) {
	tg := newTarget(t)
	tg.write(filepath.Join(tg.codexHome(), "auth.json"), `{"old":true}`)
	tg.checkWritten(tg.codexHome(), tg.run("", sumLine(authJSON)))
}

// A target whose Codex reads credentials from elsewhere is refused before
// anything is written; the file that decides is named. The last source
// wins: /etc/codex/config.toml, then CODEX_HOME's, then managed_config.toml.
func TestPushScriptRefusesACodexThatWouldNotReadTheFile(t *testing.T) {
	cases := []struct {
		name, system, home, managed, mode, file string
	}{
		{"keyring in CODEX_HOME", "", `cli_auth_credentials_store = "keyring"`, "", "keyring", "home"},
		{"ephemeral system-wide", "cli_auth_credentials_store='ephemeral' # here\n", "", "", "ephemeral", "system"},
		{"managed wins over file", "", `cli_auth_credentials_store = "file"`, `  cli_auth_credentials_store="keyring"`, "keyring", "managed"},
		{"CODEX_HOME wins over system", `cli_auth_credentials_store = "keyring"`, `cli_auth_credentials_store = "file"`, "", "", ""},
		{"auto", "", `cli_auth_credentials_store = "auto"`, "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tg := newTarget(t)
			files := map[string]string{
				"system":  filepath.Join(tg.systemDir, "config.toml"),
				"home":    filepath.Join(tg.codexHome(), "config.toml"),
				"managed": filepath.Join(tg.systemDir, "managed_config.toml"),
			}
			for key, body := range map[string]string{"system": c.system, "home": c.home, "managed": c.managed} {
				if body != "" {
					tg.write(files[key], "model = \"o3\"\n"+body+"\n")
				}
			}
			a := tg.run("", sumLine(authJSON))
			if c.mode == "" {
				tg.checkWritten(tg.codexHome(), a)
				return
			}
			err := a.failure(a["error"], "", "")
			se, ok := err.(*StoreError)
			if !ok || se.Mode != c.mode || se.File != files[c.file] {
				t.Fatalf("error %v, want the %s store in %s refused", err, c.mode, files[c.file])
			}
			if _, statErr := os.Stat(filepath.Join(tg.codexHome(), "auth.json")); statErr == nil {
				t.Errorf("auth.json was written")
			}
			tg.checkNoTemp(tg.codexHome())
		})
	}
}

func TestPushScriptRefusesWhatDoesNotMatchItsChecksum(t *testing.T) {
	tg := newTarget(t)
	tg.write(filepath.Join(tg.codexHome(), "auth.json"), `{"old":true}`)
	for name, stdin := range map[string][]byte{
		"changed":   append(sumLine(authJSON)[:65], bytes.ReplaceAll(authJSON, []byte("r"), []byte("R"))...),
		"truncated": sumLine(authJSON)[:100],
		"empty":     nil,
	} {
		a := tg.run("", stdin)
		if step, _, _ := strings.Cut(a["error"], " "); step != "mismatch" && step != StepInput {
			t.Errorf("%s: answer %v, want a refusal", name, a)
		}
		if got, _ := os.ReadFile(filepath.Join(tg.codexHome(), "auth.json")); string(got) != `{"old":true}` {
			t.Errorf("%s: the old auth.json changed: %s", name, got)
		}
		tg.checkNoTemp(tg.codexHome())
	}
}

func TestPushScriptChecksTheDirectory(t *testing.T) {
	tg := newTarget(t)
	open := filepath.Join(tg.home, "open")
	if err := os.Mkdir(open, 0o777); err != nil || os.Chmod(open, 0o777) != nil {
		t.Fatal(err)
	}
	a := tg.run(open, sumLine(authJSON))
	if err, ok := a.failure(a["error"], "", "").(*RemoteError); !ok || err.Step != StepDirMode || err.Detail != "drwxrwxrwx" {
		t.Fatalf("a world-writable CODEX_HOME: %v", a)
	}
	if _, err := os.Stat(filepath.Join(open, "auth.json")); err == nil {
		t.Errorf("auth.json was written into it")
	}

	readable := filepath.Join(tg.home, "readable")
	if err := os.Mkdir(readable, 0o755); err != nil {
		t.Fatal(err)
	}
	a = tg.run(readable, sumLine(authJSON))
	if r, err := a.result(hex.EncodeToString(sha(authJSON))); err != nil || r.DirMode != "drwxr-xr-x" {
		t.Errorf("a CODEX_HOME others may read is written, its mode reported: %+v, %v", r, err)
	}

	tg.write(filepath.Join(tg.home, "file"), "")
	a = tg.run(filepath.Join(tg.home, "file", "codex"), sumLine(authJSON))
	if err, ok := a.failure(a["error"], "", "").(*RemoteError); !ok || err.Step != StepMkdir {
		t.Errorf("a CODEX_HOME that cannot be created: %v", a)
	}
}
