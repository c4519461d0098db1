package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestBuiltBinary runs the real executable, built from this package, as a
// person would: main, signal handling, exit codes and the environment.
func TestBuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	w := newWorld(t, worldOptions{})
	runBin := func(extra map[string]string, args ...string) (int, string) {
		cmd := exec.Command(bin, append([]string{"--issuer", w.issuerURL, "--timeout", "20s"}, args...)...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
		for k, v := range w.env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		for k, v := range extra {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode(), stderr.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, stderr.String()
	}

	old := w.writeOld()
	if code, stderr := runBin(nil, "--port", "0"); code != exitUsage && code != exitFailure {
		t.Fatalf("--port 0: exit %d\n%s", code, stderr)
	}
	if code, stderr := runBin(nil); code != exitFailure || !strings.Contains(stderr, `"Corp Inspection CA"`) {
		t.Fatalf("without the CA: exit %d\n%s", code, stderr)
	}
	w.assertUnchanged(old)
	code, stderr := runBin(map[string]string{"SSL_CERT_FILE": w.caFile})
	if code != 0 || !strings.Contains(stderr, "Signed in to Codex as dev@corp.test") {
		t.Fatalf("with SSL_CERT_FILE: exit %d\n%s", code, stderr)
	}
	checkAuthFile(t, w.authPath(), w.issuerURL)
	w.assertNoSecrets(stderr)
}

var built struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// buildBinary builds codex-login once per test binary run.
func buildBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "codex-login-bin-")
		if err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(dir, "codex-login")
		built.out, built.err = exec.Command("go", "build", "-o", built.path, ".").CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.path
}

// TestLoginTrustsBuiltInCA is the IT build: the corporate root is compiled
// in, and the user passes nothing.
func TestLoginTrustsBuiltInCA(t *testing.T) {
	w := newWorld(t, worldOptions{})
	saved := builtInPEM
	builtInPEM = w.proxyCA.PEM()
	defer func() { builtInPEM = saved }()
	if code, _, stderr := w.login(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	checkAuthFile(t, w.authPath(), w.issuerURL)
}
