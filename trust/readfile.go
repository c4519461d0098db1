package trust

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
)

// FileError is a configured CA file or directory that cannot be used.
type FileError struct {
	Path, Source string
	Dir          bool   // Path was given as a directory of CA files
	Reason       string // "no certificate in it", `"CN" is a server certificate for host.example, not a CA`, "is a device, not a certificate file", ...
	NotCA        bool   // it holds a server (or client) certificate where a CA was expected
	Err          error  // underlying fs or parse error, when any
}

func (e *FileError) Error() string {
	what := "file"
	if e.Dir {
		what = "directory"
	}
	msg := e.Reason
	var pe *fs.PathError
	switch {
	case msg == "" && errors.As(e.Err, &pe) && pe.Path == e.Path:
		msg = pe.Err.Error() // the path is already named
	case msg == "":
		msg = fmt.Sprint(e.Err)
	case e.Err != nil:
		msg += ": " + e.Err.Error()
	}
	return fmt.Sprintf("read CA %s %s (from %s): %s", what, e.Path, e.Source, msg)
}

func (e *FileError) Unwrap() error { return e.Err }

// ReasonNoCert starts FileError.Reason when a file holds no certificate.
const ReasonNoCert = "no certificate in it"

// Size limits of the files trust reads. A CA file is a few kilobytes; the
// largest system bundles are under 1 MiB.
const (
	maxCAFile     = 4 << 20  // a configured CA file, or a file of a CA directory
	maxSystemFile = 32 << 20 // a file of the system's own roots
)

// fileProblem says why a path cannot be read as a certificate file (or
// listed as a directory). Reason completes "read CA file PATH: ...".
type fileProblem struct {
	Reason  string
	NotFile bool // a directory, FIFO, socket or device, not a regular file
}

func (e *fileProblem) Error() string { return e.Reason }

// readBounded is the one way trust reads a file: it looks before it
// opens, refuses what is not a regular file (a FIFO or a device would
// block or never end), opens without blocking, checks again what it
// opened, and reads at most limit bytes.
func readBounded(path string, limit int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := wantFile(fi, limit); err != nil {
		return nil, err
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := wantFile(fi, limit); err != nil {
		return nil, err
	}
	data, err := readSized(f, fi.Size(), limit)
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, tooBig(int64(len(data)), limit)
	}
	return data, nil
}

// readSized reads f, whose size was size when it was opened, up to
// limit+1 bytes. A regular file is read in one call when its size has not
// changed, where io.ReadAll would make six for a certificate (its buffer
// starts at 512 bytes and grows, then a last call finds the end): on a
// virtual machine where each call costs tens of microseconds, the system
// roots' hundreds of files make that count.
func readSized(f io.Reader, size, limit int64) ([]byte, error) {
	buf := make([]byte, 0, min(size, limit)+1)
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return nil, err
		case int64(len(buf)) == size && len(buf) < cap(buf):
			return buf, nil // all of it, as its size said: no call to find the end
		case int64(len(buf)) > limit:
			return buf, nil // too big; the caller says so
		case len(buf) == cap(buf):
			buf = slices.Grow(buf, min(2*cap(buf), int(limit)+1)-cap(buf))
		}
	}
}

// listDir lists a directory the same careful way, sorted by name.
func listDir(path string) ([]fs.DirEntry, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, &fileProblem{Reason: "is " + kind(fi.Mode()) + ", not a directory", NotFile: true}
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, &fileProblem{Reason: "is " + kind(fi.Mode()) + ", not a directory", NotFile: true}
	}
	entries, err := f.ReadDir(-1)
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, err
}

func wantFile(fi fs.FileInfo, limit int64) error {
	if !fi.Mode().IsRegular() {
		return &fileProblem{Reason: "is " + kind(fi.Mode()) + ", not a certificate file", NotFile: true}
	}
	if fi.Size() > limit {
		return tooBig(fi.Size(), limit)
	}
	return nil
}

func tooBig(size, limit int64) error {
	return &fileProblem{Reason: fmt.Sprintf("is %.1f MiB, more than the %d MiB a certificate file may hold",
		float64(size)/(1<<20), limit>>20)}
}

// kind names what a file system entry is, with its article.
func kind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a file"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO (named pipe)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// problemReason returns the reason of a *fileProblem, "" for other errors.
func problemReason(err error) (reason string, notFile bool) {
	var fp *fileProblem
	if errors.As(err, &fp) {
		return fp.Reason, fp.NotFile
	}
	return "", false
}
