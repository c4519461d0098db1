// Command release builds codex-login for every platform, reproducibly, and
// packs each binary with the README and SECURITY.md; with --profile, the
// binaries carry IT's settings and CA certificates as their built-in
// defaults.
//
//	go run ./tools/release [--profile DIR] [--version V] [--out DIR] [--targets linux/amd64,...]
//
// It writes codex-login_V_OS_ARCH.tar.gz (.zip for Windows), a CycloneDX
// SBOM per binary and SHA256SUMS into --out.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/codex-login/codex-login/trust"
)

type options struct {
	Profile, Version, Out, Targets string
}

func main() {
	var o options
	flag.StringVar(&o.Profile, "profile", "", "IT's profile `directory`: one .toml file and CA certificates (.pem, .crt)")
	flag.StringVar(&o.Version, "version", "", "the version to stamp (default: git describe, else dev)")
	flag.StringVar(&o.Out, "out", "dist", "the `directory` for archives, SBOMs and SHA256SUMS")
	flag.StringVar(&o.Targets, "targets", "", "comma-separated OS/ARCH list (default: all six)")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "release: error: unexpected argument %q\n", flag.Arg(0))
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintf(os.Stderr, "release: error: %v\n", err)
		os.Exit(1)
	}
}

var versionRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.+_-]*$`)

func run(o options) error {
	start := time.Now()
	targets, err := parseTargets(o.Targets)
	if err != nil {
		return err
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	var p *profile
	if o.Profile != "" {
		if p, err = loadProfile(o.Profile); err != nil {
			return err
		}
		fmt.Printf("profile %s: %d CA certificate(s)\n", p.Name, len(p.Certs))
		for _, c := range p.Certs {
			fmt.Printf("  CA %s  SHA-256 %s\n", c.Subject, trust.Fingerprint(c))
		}
	}
	if o.Version == "" {
		o.Version = strings.TrimPrefix(strings.TrimSpace(git(root, "describe", "--tags", "--always", "--dirty")), "v")
		if o.Version == "" {
			o.Version = "dev"
		}
	}
	if !versionRE.MatchString(o.Version) {
		return fmt.Errorf("version %q: use letters, digits, '.', '+', '_' and '-'", o.Version)
	}
	tmp, err := os.MkdirTemp("", "codex-login-release-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	src, err := copySource(root, tmp, p)
	if err != nil {
		return err
	}
	fmt.Printf("building codex-login %s (commit %s) for %d target(s)\n", o.Version, src.Commit, len(targets))
	bins, err := buildAll(src, o.Version, filepath.Join(tmp, "bin"), targets)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return err
	}
	docs, err := docEntries(src.Dir)
	if err != nil {
		return err
	}
	var sums []string
	for _, b := range bins {
		files, err := pack(b, o.Version, o.Out, src, docs)
		if err != nil {
			return err
		}
		sums = append(sums, files...)
	}
	if err := writeSums(o.Out, sums); err != nil {
		return err
	}
	fmt.Printf("done in %v: %s\n", time.Since(start).Round(100*time.Millisecond), o.Out)
	return nil
}

// docEntries are the documents every archive carries beside the binary.
func docEntries(dir string) ([]entry, error) {
	var es []entry
	for _, name := range []string{"README.md", "LICENSE", "SECURITY.md"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if os.IsNotExist(err) && name == "LICENSE" {
			continue
		}
		if err != nil {
			return nil, err
		}
		es = append(es, entry{Name: name, Mode: 0o644, Data: data})
	}
	return es, nil
}
