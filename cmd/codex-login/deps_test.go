package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The layers stay apart: the packages that speak to one thing (settings,
// credentials, the issuer, the browser, trust) import nothing of ours, and
// the flows never reach for settings or trust.
func TestPackageDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	const mod = "github.com/codex-login/codex-login/"
	allowed := map[string][]string{
		"config":    nil,
		"codexauth": nil,
		"oauth":     nil,
		"browser":   nil,
		"push":      nil,
		"trust":     nil,
		"pac":       nil,
		"keyring":   nil,
		"login":     {"oauth", "codexauth"},
		"web":       {"login", "oauth", "codexauth"},
	}
	for pkg, want := range allowed {
		out, err := exec.Command("go", "list", "-deps", mod+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			name, ours := strings.CutPrefix(dep, mod)
			if !ours || name == pkg || contains(want, name) {
				continue
			}
			t.Errorf("%s imports %s", pkg, name)
		}
	}
}
