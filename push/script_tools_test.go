package push

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// basicTools are what the script needs on any target, besides sh itself.
var basicTools = []string{"id", "sed", "tail", "ls", "mkdir", "rm", "cat", "sync", "mv"}

// minimalPath is a PATH holding only the basic tools and extra: a small
// target without flock, and with one way (or none) to compute SHA-256.
func minimalPath(t *testing.T, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, tool := range append(append([]string(nil), basicTools...), extra...) {
		path, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("%s is not installed here", tool)
		}
		if err := os.Symlink(path, filepath.Join(dir, tool)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// The script checks the SHA-256 with whichever tool the target has, and
// replaces auth.json with a plain rename where there is no flock.
func TestPushScriptUsesWhicheverHashToolExists(t *testing.T) {
	for _, tool := range []string{"sha256sum", "shasum", "openssl"} {
		t.Run(tool, func(t *testing.T) {
			tg := newTarget(t)
			tg.path = minimalPath(t, tool)
			tg.checkWritten(tg.codexHome(), tg.run("", sumLine(authJSON)))
		})
	}
}

func TestPushScriptRefusesWithoutAHashTool(t *testing.T) {
	tg := newTarget(t)
	tg.path = minimalPath(t)
	a := tg.run("", sumLine(authJSON))
	if err, ok := a.failure(a["error"], "", "").(*RemoteError); !ok || err.Step != StepSHA256 {
		t.Fatalf("answer %v, want the missing hash tool reported", a)
	}
	if _, err := os.Stat(filepath.Join(tg.codexHome(), "auth.json")); err == nil {
		t.Errorf("auth.json was written unchecked")
	}
}

func TestPushScriptNeedsAHome(t *testing.T) {
	tg := newTarget(t)
	cmd := exec.Command("sh", "-c", script, scriptName, "", tg.systemDir)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	out, _ := cmd.Output()
	a := parseAnswer(out)
	if err, ok := a.failure(a["error"], "", "").(*RemoteError); !ok || err.Step != StepHome {
		t.Fatalf("answer %v, want no HOME reported", a)
	}
}

// A relative CODEX_HOME is taken from the directory the shell starts in
// (over ssh, the user's home), and reported absolute.
func TestPushScriptReportsARelativeHomeAbsolute(t *testing.T) {
	tg := newTarget(t)
	cmd := exec.Command("sh", "-c", script, scriptName, "rel/codex", tg.systemDir)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + tg.home}
	cmd.Dir = tg.home
	cmd.Stdin = bytes.NewReader(sumLine(authJSON))
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	a := parseAnswer(out)
	want := filepath.Join(tg.home, "rel", "codex")
	if a["home"] != want {
		t.Errorf("home %q, want %q", a["home"], want)
	}
	tg.checkWritten(want, a)
}
