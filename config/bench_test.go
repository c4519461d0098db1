package config

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkLoadManyProjects loads a $CODEX_HOME/config.toml holding n
// [projects."..."] tables, as Codex writes one per trusted directory, and a
// [login] table. The time per load must grow linearly with n.
func BenchmarkLoadManyProjects(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		b.Run(fmt.Sprintf("projects=%d", n), func(b *testing.B) {
			home := b.TempDir()
			var doc strings.Builder
			doc.WriteString("model = \"o3\"\n")
			for i := range n {
				fmt.Fprintf(&doc, "[projects.\"/path/%d\"]\ntrust_level = \"trusted\"\n", i)
			}
			doc.WriteString("[login]\nproxy = \"http://proxy.corp.test:8080\"\ntimeout = \"5m\"\n")
			path := filepath.Join(home, ".codex", "config.toml")
			writeFile(b, path, doc.String())
			b.SetBytes(int64(doc.Len()))
			in := Inputs{Home: home, Env: envMap(nil)}
			for b.Loop() {
				if _, err := Load(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
