package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// target is one GOOS/GOARCH pair.
type target struct{ OS, Arch string }

func (t target) String() string { return t.OS + "/" + t.Arch }

// exe is the binary's file name on the target.
func (t target) exe() string {
	if t.OS == "windows" {
		return "codex-login.exe"
	}
	return "codex-login"
}

var allTargets = []target{
	{"linux", "amd64"}, {"linux", "arm64"},
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"windows", "amd64"}, {"windows", "arm64"},
}

func parseTargets(s string) ([]target, error) {
	if s == "" {
		return allTargets, nil
	}
	var ts []target
	for _, f := range strings.Split(s, ",") {
		os, arch, ok := strings.Cut(strings.TrimSpace(f), "/")
		if !ok || os == "" || arch == "" {
			return nil, fmt.Errorf("target %q: want OS/ARCH, for example linux/amd64", f)
		}
		ts = append(ts, target{os, arch})
	}
	return ts, nil
}

// built is one binary: where it is and how long it took.
type built struct {
	Target target
	Path   string
	Took   time.Duration
}

// buildAll builds cmd/codex-login for every target from src into binDir,
// two at a time (go build itself uses every core).
func buildAll(src *source, version, binDir string, targets []target) ([]built, error) {
	out := make([]built, len(targets))
	errs := make([]error, len(targets))
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i], errs[i] = build(src, version, filepath.Join(binDir, t.OS+"_"+t.Arch), t)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func build(src *source, version, dir string, t target) (built, error) {
	b := built{Target: t, Path: filepath.Join(dir, t.exe())}
	ldflags := fmt.Sprintf("-s -w -buildid= -X main.version=%s -X main.commit=%s", version, src.Commit)
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-ldflags", ldflags, "-o", b.Path, "./cmd/codex-login")
	cmd.Dir = src.Dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+t.OS, "GOARCH="+t.Arch, "GOFLAGS="+goflags(os.Getenv("GOFLAGS")))
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return b, fmt.Errorf("build %s: %v\n%s", t, err, stderr.Bytes())
	}
	b.Took = time.Since(start)
	return b, nil
}

// goflags keeps the caller's GOFLAGS and adds -mod=readonly unless it
// names a -mod already: a release never edits go.mod or go.sum.
func goflags(env string) string {
	if strings.Contains(env, "-mod=") {
		return env
	}
	return strings.TrimSpace(env + " -mod=readonly")
}
