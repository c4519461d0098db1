package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"testing"
	"time"
)

var testEntries = []entry{
	{Name: "codex-login", Mode: 0o755, Data: bytes.Repeat([]byte("binary"), 1000)},
	{Name: "SECURITY.md", Mode: 0o644, Data: []byte("security\n")},
	{Name: "README.md", Mode: 0o644, Data: []byte("readme\n")},
}

func TestArchivesAreReproducible(t *testing.T) {
	mtime := time.Unix(1_700_000_000, 0)
	for _, tc := range []struct {
		name  string
		write func(io.Writer, string, time.Time, []entry) error
	}{{"tar.gz", writeTarGz}, {"zip", writeZip}} {
		t.Run(tc.name, func(t *testing.T) {
			var a, b bytes.Buffer
			if err := tc.write(&a, "top", mtime, testEntries); err != nil {
				t.Fatal(err)
			}
			// The same files in another order, later: the same bytes.
			reversed := []entry{testEntries[2], testEntries[0], testEntries[1]}
			time.Sleep(1100 * time.Millisecond)
			if err := tc.write(&b, "top", mtime, reversed); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("two writes of the same files differ")
			}
		})
	}
}

func TestTarGzHeaders(t *testing.T) {
	var buf bytes.Buffer
	mtime := time.Unix(1_700_000_000, 0)
	if err := writeTarGz(&buf, "top", mtime, testEntries); err != nil {
		t.Fatal(err)
	}
	gz, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if gz.Name != "" || !gz.ModTime.IsZero() {
		t.Errorf("gzip header has name %q and time %v, want neither", gz.Name, gz.ModTime)
	}
	tr := tar.NewReader(gz)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
		if h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" || !h.ModTime.Equal(mtime) {
			t.Errorf("%s: uid %d gid %d %q %q mtime %v", h.Name, h.Uid, h.Gid, h.Uname, h.Gname, h.ModTime)
		}
		if h.Name == "top/codex-login" && h.Mode != 0o755 {
			t.Errorf("binary mode %o, want 755", h.Mode)
		}
	}
	want := []string{"top/", "top/README.md", "top/SECURITY.md", "top/codex-login"}
	if len(names) != len(want) {
		t.Fatalf("entries %q, want %q", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Errorf("entries %q, want %q (sorted)", names, want)
		}
	}
}

func TestZipEntries(t *testing.T) {
	var buf bytes.Buffer
	if err := writeZip(&buf, "top", time.Unix(0, 0), testEntries); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 4 || zr.File[3].Name != "top/codex-login" || zr.File[3].Mode().Perm() != 0o755 {
		t.Errorf("zip entries wrong: %d", len(zr.File))
	}
	if got := zr.File[1].Modified.UTC(); !got.Equal(zipEpoch) {
		t.Errorf("mtime %v, want %v (zip cannot hold 1970)", got, zipEpoch)
	}
}
