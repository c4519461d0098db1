package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// pack writes b's archive and SBOM into out and returns their file names.
func pack(b built, version, out string, src *source, docs []entry) ([]string, error) {
	bin, err := os.ReadFile(b.Path)
	if err != nil {
		return nil, err
	}
	base := fmt.Sprintf("codex-login_%s_%s_%s", version, b.Target.OS, b.Target.Arch)
	es := append([]entry{{Name: b.Target.exe(), Mode: 0o755, Data: bin}}, docs...)
	var buf bytes.Buffer
	name := base + ".tar.gz"
	if b.Target.OS == "windows" {
		name = base + ".zip"
		err = writeZip(&buf, base, src.Time, es)
	} else {
		err = writeTarGz(&buf, base, src.Time, es)
	}
	if err != nil {
		return nil, fmt.Errorf("pack %s: %w", name, err)
	}
	if err := os.WriteFile(filepath.Join(out, name), buf.Bytes(), 0o644); err != nil {
		return nil, err
	}
	bom, err := sbom(b.Path, b.Target, version, src)
	if err != nil {
		return nil, err
	}
	bomName := base + ".cdx.json"
	if err := os.WriteFile(filepath.Join(out, bomName), bom, 0o644); err != nil {
		return nil, err
	}
	fmt.Printf("  %-14s binary %6.2f MiB  %-40s %6.2f MiB  built in %v\n", b.Target,
		mib(len(bin)), name, mib(buf.Len()), b.Took.Round(100_000_000))
	return []string{name, bomName}, nil
}

func mib(n int) float64 { return float64(n) / (1 << 20) }

// writeSums writes SHA256SUMS (the format sha256sum -c reads) for files in
// out, sorted by name, and prints it.
func writeSums(out string, files []string) error {
	slices.Sort(files)
	var sb strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(&sb, "%s  %s\n", hex.EncodeToString(sum[:]), f)
	}
	fmt.Printf("SHA256SUMS\n%s", sb.String())
	return os.WriteFile(filepath.Join(out, "SHA256SUMS"), []byte(sb.String()), 0o644)
}
