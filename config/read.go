package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// maxFileSize bounds every file config reads. Codex users keep thousands of
// [projects."..."] tables in config.toml, which stays far below it.
const maxFileSize = 16 << 20

// readRegular reads the file at the absolute path abs. It refuses anything
// that is not a regular file (a directory, a named pipe, a device, a
// socket) before opening it, so that reading never blocks, and anything
// over maxFileSize. A missing file is an *Error wrapping fs.ErrNotExist.
// The *Error names the file; the caller sets Key.
func readRegular(abs string) ([]byte, error) {
	info, err := os.Stat(abs)
	if err != nil {
		return nil, readError(abs, err)
	}
	if err := checkRegular(abs, info); err != nil {
		return nil, err
	}
	// Opened without blocking where the OS allows it, in case the file was
	// replaced by a named pipe since Stat; checked again below.
	f, err := os.OpenFile(abs, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, readError(abs, err)
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, readError(abs, err)
	}
	if err := checkRegular(abs, info); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Grow(int(info.Size()) + 1) // at most maxFileSize + 1: checked above
	if _, err := b.ReadFrom(io.LimitReader(f, maxFileSize+1)); err != nil {
		return nil, readError(abs, err)
	}
	if b.Len() > maxFileSize {
		return nil, tooLarge(abs, int64(b.Len()))
	}
	return b.Bytes(), nil
}

// absent reports whether err says that a file is not there: missing, or
// below a path that is not a directory (CODEX_HOME may name a file; the
// credential store reports that, with its own fix).
func absent(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, errNotDir)
}

// checkRegular returns an *Error unless info describes a regular file of at
// most maxFileSize bytes.
func checkRegular(abs string, info fs.FileInfo) error {
	m := info.Mode()
	if m.IsRegular() {
		if info.Size() > maxFileSize {
			return tooLarge(abs, info.Size())
		}
		return nil
	}
	what := "not a regular file"
	switch {
	case m.IsDir():
		what = "a directory, " + what
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO), " + what
	case m&fs.ModeDevice != 0:
		what = "a device, " + what
	case m&fs.ModeSocket != 0:
		what = "a socket, " + what
	}
	return &Error{File: abs, Msg: "cannot read it: it is " + what}
}

func tooLarge(abs string, size int64) *Error {
	return &Error{File: abs, Msg: fmt.Sprintf("cannot read it: it is %d bytes, over the size limit of %d MiB", size, maxFileSize>>20)}
}

// readError describes a failed stat, open or read, without repeating the
// path that Error already names.
func readError(abs string, err error) *Error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &Error{File: abs, Msg: "cannot read it: " + err.Error(), Err: err}
}
