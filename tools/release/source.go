package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// source is the module as it will be built: a copy in a temporary
// directory, with the profile (if any) as its embedded defaults.
type source struct {
	Dir    string    // the copy
	Commit string    // git rev-parse HEAD of the original, or "unknown"
	Time   time.Time // the commit's time (archive mtimes), or the Unix epoch
}

// defaultsDir is where the embedded defaults live, relative to the module.
const defaultsDir = "cmd/codex-login"

// copySource copies the module at root into a new directory under tmp:
// the files git knows (tracked, or untracked and not ignored), else every
// file except .git and dist. With a profile, its settings and CAs replace
// defaults.toml and defaults.pem.
func copySource(root, tmp string, p *profile) (*source, error) {
	s := &source{Commit: "unknown", Time: time.Unix(0, 0).UTC()}
	files, err := gitFiles(root)
	if err != nil {
		files, err = walkFiles(root)
		if err != nil {
			return nil, err
		}
	} else {
		s.Commit = strings.TrimSpace(git(root, "rev-parse", "HEAD"))
		if sec, err := strconv.ParseInt(strings.TrimSpace(git(root, "log", "-1", "--format=%ct")), 10, 64); err == nil {
			s.Time = time.Unix(sec, 0).UTC()
		}
	}
	if s.Dir, err = os.MkdirTemp(tmp, "codex-login-src-"); err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, f))
		if os.IsNotExist(err) {
			continue // deleted in the work tree
		}
		if err != nil {
			return nil, err
		}
		if err := writeFile(filepath.Join(s.Dir, f), data); err != nil {
			return nil, err
		}
	}
	if p != nil {
		if err := writeFile(filepath.Join(s.Dir, defaultsDir, "defaults.toml"), p.TOML); err != nil {
			return nil, err
		}
		if err := writeFile(filepath.Join(s.Dir, defaultsDir, "defaults.pem"), p.PEM); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// git runs git in dir and returns its output, "" on failure.
func git(dir string, args ...string) string {
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).Output()
	if err != nil {
		return ""
	}
	return string(out)
}

func gitFiles(root string) ([]string, error) {
	cmd := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git ls-files: %w", err)
	}
	var files []string
	for _, f := range bytes.Split(out, []byte{0}) {
		if len(f) > 0 && !strings.HasPrefix(string(f), "dist/") {
			files = append(files, string(f))
		}
	}
	return files, nil
}

func walkFiles(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() && (d.Name() == ".git" || rel == "dist") {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	return files, err
}

// moduleRoot is the directory holding go.mod, from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod in the working directory or above")
		}
		dir = parent
	}
}
