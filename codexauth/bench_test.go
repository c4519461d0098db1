package codexauth

import (
	"context"
	"os"
	"testing"
)

// BenchmarkSave is one auth.json write: two flocks, a temporary file,
// fsync, rename, and the look for leftovers. Target: under 10 ms.
func BenchmarkSave(b *testing.B) {
	data, err := os.ReadFile("testdata/auth.golden.json")
	if err != nil {
		b.Fatal(err)
	}
	a, err := Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	s := &FileStore{Home: b.TempDir()}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Save(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
}
