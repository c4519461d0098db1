//go:build e2e

package main_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// IT's preconfigured build: a profile with squid's inspection CA, squid as
// the proxy and the suite's issuer, built by the release tool. The user
// runs it with no flags and no proxy in the environment, and signs in.
var e2eReleaseCases = []e2eCase{
	{"profile_build_signs_in_without_flags", func(t *testing.T, w *e2eWorld) {
		r := e2eNewRun(t, w)
		r.Bin = e2eProfileBuild(t, w, r.Issuer)
		out, err := exec.Command(r.Bin, "version").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "preconfigured by profile corp-e2e") || !strings.Contains(string(out), w.squid.CACN) {
			t.Errorf("codex-login version: %v\n%s", err, out)
		}
		r.Bare = true
		r.Browser = e2eBrowser{w.squid.URL, w.squid.CA}
		r.expectThroughSquid(t, w, w.squid.accessLog, func() { r.Run(t, w) })
		r.wantSuccess(t, w)
	}},
}

func init() { e2eCases = append(e2eCases, e2eReleaseCases...) }

// e2eProfileBuild writes a profile directory and builds it for linux/amd64
// with `go run ./tools/release`, then unpacks the binary. It runs in the
// suite's network namespace, so nothing may be downloaded: GOPROXY=off and
// -mod=readonly, with the module and build caches that run.sh filled.
func e2eProfileBuild(t *testing.T, w *e2eWorld, issuer string) string {
	t.Helper()
	dir := t.TempDir()
	prof := filepath.Join(dir, "corp-e2e")
	ca, err := os.ReadFile(w.squid.CA)
	if err != nil {
		t.Fatal(err)
	}
	settings := fmt.Sprintf("[login]\nproxy = %q\nissuer = %q\n", w.squid.URL, issuer)
	if err := os.Mkdir(prof, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"corp.toml": []byte(settings), "inspection-ca.pem": ca} {
		if err := os.WriteFile(filepath.Join(prof, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = "/usr/local/go/bin/go"
	}
	out := filepath.Join(dir, "dist")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goBin, "run", "./tools/release", "--profile", prof, "--version", "0.0.0-e2e",
		"--targets", "linux/amd64", "--out", out)
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=readonly")
	start := time.Now()
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("release --profile: %v\n%s", err, b)
	} else {
		t.Logf("release --profile (%v):\n%s", time.Since(start).Round(time.Second), b)
	}
	untar := exec.Command("tar", "-xzf", filepath.Join(out, "codex-login_0.0.0-e2e_linux_amd64.tar.gz"), "-C", dir)
	if b, err := untar.CombinedOutput(); err != nil {
		t.Fatalf("unpack: %v\n%s", err, b)
	}
	return filepath.Join(dir, "codex-login_0.0.0-e2e_linux_amd64", "codex-login")
}
