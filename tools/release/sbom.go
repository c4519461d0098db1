package main

import (
	"bytes"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// The SBOM is CycloneDX 1.5 JSON, read from the build information Go
// records in the binary itself (what `go version -m` shows): the module,
// every dependency linked in with its version, and the go.sum hash.
type cdxBOM struct {
	Format       string         `json:"bomFormat"`
	Spec         string         `json:"specVersion"`
	Serial       string         `json:"serialNumber"`
	Version      int            `json:"version"`
	Metadata     cdxMetadata    `json:"metadata"`
	Components   []cdxComponent `json:"components"`
	Dependencies []cdxDep       `json:"dependencies"`
}

type cdxMetadata struct {
	Timestamp  string        `json:"timestamp"`
	Tools      cdxTools      `json:"tools"`
	Component  cdxComponent  `json:"component"`
	Properties []cdxProperty `json:"properties,omitempty"`
}

type cdxTools struct {
	Components []cdxComponent `json:"components"`
}

type cdxComponent struct {
	Type    string    `json:"type"`
	BOMRef  string    `json:"bom-ref,omitempty"`
	Name    string    `json:"name"`
	Version string    `json:"version,omitempty"`
	PURL    string    `json:"purl,omitempty"`
	Hashes  []cdxHash `json:"hashes,omitempty"`
}

type cdxHash struct {
	Alg     string `json:"alg"`
	Content string `json:"content"`
}

type cdxProperty struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type cdxDep struct {
	Ref       string   `json:"ref"`
	DependsOn []string `json:"dependsOn"`
}

// sbom describes the binary at path, built for t from src as version.
func sbom(path string, t target, version string, src *source) ([]byte, error) {
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read build information of %s: %w", path, err)
	}
	app := component("application", info.Main.Path, version, "")
	app.PURL += "?goos=" + t.OS + "&goarch=" + t.Arch
	bom := cdxBOM{
		Format: "CycloneDX", Spec: "1.5", Version: 1,
		Metadata: cdxMetadata{
			Timestamp: src.Time.Format(time.RFC3339),
			Tools:     cdxTools{[]cdxComponent{{Type: "application", Name: "go", Version: info.GoVersion}}},
			Component: app,
			Properties: []cdxProperty{
				{Name: "commit", Value: src.Commit}, {Name: "goos", Value: t.OS}, {Name: "goarch", Value: t.Arch},
			},
		},
		Components: []cdxComponent{},
	}
	deps := cdxDep{Ref: app.BOMRef, DependsOn: []string{}}
	for _, m := range info.Deps {
		if m.Replace != nil {
			m = m.Replace
		}
		c := component("library", m.Path, m.Version, m.Sum)
		bom.Components = append(bom.Components, c)
		deps.DependsOn = append(deps.DependsOn, c.BOMRef)
	}
	bom.Dependencies = []cdxDep{deps}
	// The serial number is derived from the content, so that the same
	// build gives the same SBOM.
	body, err := encode(bom)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	sum[6], sum[8] = sum[6]&0x0f|0x50, sum[8]&0x3f|0x80 // UUID version 5 layout
	h := hex.EncodeToString(sum[:16])
	bom.Serial = fmt.Sprintf("urn:uuid:%s-%s-%s-%s-%s", h[:8], h[8:12], h[12:16], h[16:20], h[20:32])
	return encode(bom)
}

// encode is indented JSON without HTML escapes (purls hold '&').
func encode(bom cdxBOM) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(bom)
	return buf.Bytes(), err
}

// component is a Go module as CycloneDX has it. A go.sum hash ("h1:" and
// base64 SHA-256 of the module's file list) becomes a SHA-256 hash.
func component(typ, path, version, sum string) cdxComponent {
	ref := "pkg:golang/" + path + "@" + version
	c := cdxComponent{Type: typ, BOMRef: ref, Name: path, Version: version, PURL: ref}
	if h, ok := strings.CutPrefix(sum, "h1:"); ok {
		if raw, err := base64.StdEncoding.DecodeString(h); err == nil {
			c.Hashes = []cdxHash{{Alg: "SHA-256", Content: hex.EncodeToString(raw)}}
		}
	}
	return c
}
