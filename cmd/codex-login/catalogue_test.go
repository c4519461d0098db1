package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// badInput is one case of the bad-input catalogue: something a person or a
// network gets wrong, and what codex-login must answer. Every case also
// checks that auth.json is unchanged and that no secret is printed.
type badInput struct {
	area  string // config, flags, ca, env, store, callback, proxy, issuer
	name  string // what is wrong, as the catalogue document lists it
	world worldOptions
	// setup prepares the world and returns the arguments (default: --ca
	// with the proxy's CA, so that only the case's own fault remains).
	setup func(t *testing.T, w *world) []string
	code  int
	msg   string // in the error line
	hint  string // in the one hint line; "" for none
	unix  bool   // needs named pipes or /dev/zero
}

var updateCatalogue = flag.Bool("update-catalogue", false, "rewrite docs/bad-input.md from the catalogue")

const catalogueDoc = "../../docs/bad-input.md"

func TestBadInputCatalogue(t *testing.T) {
	for _, c := range badInputs() {
		t.Run(c.area+"/"+c.name, func(t *testing.T) {
			t.Parallel()
			if c.unix && runtime.GOOS == "windows" {
				t.Skip("needs unix")
			}
			w := newWorld(t, c.world)
			old := w.writeOld()
			args := []string{"--ca", w.caFile}
			if c.setup != nil {
				args = c.setup(t, w)
			}
			code, stdout, stderr := w.login(args...)
			errLine, hints := "", []string{}
			for _, line := range strings.Split(stderr, "\n") {
				if rest, ok := strings.CutPrefix(line, "codex-login: error: "); ok {
					errLine = rest
				}
				if rest, ok := strings.CutPrefix(line, "codex-login: hint: "); ok {
					hints = append(hints, rest)
				}
			}
			switch {
			case code != c.code:
				t.Errorf("exit %d, want %d", code, c.code)
			case !strings.Contains(errLine, c.msg):
				t.Errorf("error line %q does not say %q", errLine, c.msg)
			case c.hint == "" && len(hints) != 0:
				t.Errorf("hints %q, want none", hints)
			case c.hint != "" && (len(hints) != 1 || !strings.Contains(hints[0], c.hint)):
				t.Errorf("hints %q, want one saying %q", hints, c.hint)
			case c.hint != "" && strings.HasSuffix(hints[0], "run again with -v to see each step"):
				t.Errorf("the hint only says to run again with -v: %q", hints[0])
			}
			if t.Failed() {
				t.Logf("stderr:\n%s", stderr)
			}
			if w.browserOpened() && c.area != "callback" && c.area != "token" {
				t.Error("the browser was opened although the login could not succeed")
			}
			w.assertUnchanged(old)
			w.assertNoSecrets(stdout+stderr, w.issuer.Secrets()...)
		})
	}
}

// The catalogue document lists exactly these cases, one line each.
func TestBadInputCatalogueIsDocumented(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("# The bad-input catalogue\n\n")
	b.WriteString("Each line is a test case (`go test -run TestBadInputCatalogue ./cmd/codex-login`): the input,\n")
	b.WriteString("the exit code, what the error line says and what the one hint says. Every case also\n")
	b.WriteString("checks that an existing auth.json is left byte for byte as it was, that no token, code,\n")
	b.WriteString("verifier, key or password is printed, and (but for the token and callback cases) that\n")
	b.WriteString("the browser never opened. Regenerate with `go test ./cmd/codex-login -run Documented -update-catalogue`.\n\n")
	b.WriteString("| area | input | exit | error says | hint says |\n| --- | --- | --- | --- | --- |\n")
	cases := badInputs()
	for _, c := range cases {
		hint := c.hint
		if hint == "" {
			hint = "(none)"
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %s | %s |\n", c.area, cell(c.name), c.code, cell(c.msg), cell(hint))
	}
	fmt.Fprintf(&b, "\n%d cases.\n", len(cases))
	if *updateCatalogue {
		if err := os.WriteFile(catalogueDoc, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(catalogueDoc)
	if err != nil || !bytes.Equal(got, b.Bytes()) {
		t.Fatalf("%s is not the catalogue (err %v); run with -update-catalogue", filepath.Base(catalogueDoc), err)
	}
	if len(cases) < 60 {
		t.Fatalf("the catalogue has %d cases, want at least 60", len(cases))
	}
}

func cell(s string) string { return "`" + strings.ReplaceAll(s, "|", `\|`) + "`" }
