package trust

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// specialFiles returns paths that are not certificate files, each with
// the reason a CA location gives for it; the per-OS test files add FIFOs,
// devices and sockets.
func specialFiles(t *testing.T) map[string]string {
	dir := t.TempDir()
	big := filepath.Join(dir, "huge.pem")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(5 << 20); err != nil { // sparse: no 5 MiB written
		t.Fatal(err)
	}
	f.Close()
	files := map[string]string{
		dir: "is a directory, not a certificate file",
		big: "is 5.0 MiB, more than the 4 MiB a certificate file may hold",
	}
	addSpecialFiles(t, files)
	return files
}

// TestCAFileMustBeAFile: a CA file that is a directory, a device, a FIFO,
// a socket or too big fails at once, saying what it is; where the
// location is optional it is a warning.
func TestCAFileMustBeAFile(t *testing.T) {
	for path, reason := range specialFiles(t) {
		start := time.Now()
		_, err := NewPool(false, []Location{{Path: path, Source: "--ca"}})
		var fe *FileError
		if !errors.As(err, &fe) || fe.Reason != reason || fe.Dir {
			t.Errorf("--ca %s: err = %v, want a *FileError saying %q", path, err, reason)
		} else if want := "read CA file " + path + " (from --ca): " + reason; err.Error() != want {
			t.Errorf("Error() = %q, want %q", err, want)
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("--ca %s took %v", path, took)
		}
		p, err := NewPool(false, []Location{{Path: path, Source: "SSL_CERT_FILE", Optional: true}})
		if err != nil {
			t.Fatalf("SSL_CERT_FILE=%s: %v", path, err)
		}
		if w := p.Warnings(); len(w) != 1 || w[0].Kind != WarnUnusable || !errors.As(w[0].Err, &fe) || fe.Reason != reason {
			t.Errorf("SSL_CERT_FILE=%s: warnings %+v, want one saying %q", path, w, reason)
		}
	}
}

// TestCADirectoryMustBeADirectory: a CA directory that is something else
// says so, and what is not a file inside one is skipped.
func TestCADirectoryMustBeADirectory(t *testing.T) {
	ca := newCA(t, "Corp Root")
	file := write(t, t.TempDir(), "ca.pem", ca.PEM())
	_, err := NewPool(false, []Location{{Path: file, Source: "--ca-dir", Dir: true}})
	var fe *FileError
	if !errors.As(err, &fe) || fe.Reason != "is a file, not a directory" || !fe.Dir {
		t.Errorf("err = %v, want a *FileError saying it is a file", err)
	}
	dir := t.TempDir()
	write(t, dir, "ca.pem", ca.PEM())
	if err := os.Mkdir(filepath.Join(dir, "old"), 0o755); err != nil {
		t.Fatal(err)
	}
	addSpecialEntries(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "huge.pem"), make([]byte, 5<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := NewPool(false, []Location{{Path: dir, Source: "--ca-dir", Dir: true}})
	if err == nil {
		t.Fatalf("a file over the size limit in a CA directory was ignored: %+v", p.Configured())
	}
	if !errors.As(err, &fe) || !strings.HasSuffix(fe.Path, "huge.pem") {
		t.Errorf("err = %v, want the file that is too big", err)
	}
	os.Remove(filepath.Join(dir, "huge.pem"))
	if p, err = NewPool(false, []Location{{Path: dir, Source: "--ca-dir", Dir: true}}); err != nil || len(p.Configured()) != 1 {
		t.Errorf("NewPool = %v; what is not a file next to the CA should be skipped", err)
	}
}

// chunks reads its data a few bytes per call, as a pipe or a network file
// system may.
type chunks struct {
	data []byte
	n    int
}

func (c *chunks) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), c.n, len(c.data))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// readSized returns the whole content whatever its size was said to be,
// and stops past the limit.
func TestReadSized(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 100)
	for _, tc := range []struct {
		name        string
		size, limit int64
		chunk       int
		want        int
	}{
		{"size right, one call", 1000, 1 << 20, 1 << 20, 1000},
		{"size right, small reads", 1000, 1 << 20, 7, 1000},
		{"grew since", 10, 1 << 20, 64, 1000},
		{"shrank since", 5000, 1 << 20, 64, 1000},
		{"empty said", 0, 1 << 20, 64, 1000},
		{"past the limit", 1000, 100, 64, 101},
	} {
		got, err := readSized(&chunks{data: data, n: tc.chunk}, tc.size, tc.limit)
		if err != nil || len(got) < tc.want || !bytes.Equal(got, data[:len(got)]) || (tc.want == 1000 && len(got) != 1000) {
			t.Errorf("%s: %d bytes, %v; want %d", tc.name, len(got), err, tc.want)
		}
	}
}
