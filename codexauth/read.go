package codexauth

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// maxAuthFile bounds what is read as auth.json. Codex's file is a few KiB.
const maxAuthFile = 1 << 20

// readBounded reads the auth.json at path. Anything but a regular file (a
// named pipe, a device, a directory) is refused before it is opened, so a
// read never blocks, and a file over maxAuthFile is refused.
func readBounded(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := checkRegular(path, info); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openNonBlocking, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil { // it may have been replaced since
		return nil, err
	}
	if err := checkRegular(path, info); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(io.LimitReader(f, maxAuthFile+1)); err != nil {
		return nil, err
	}
	if b.Len() > maxAuthFile {
		return nil, &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("larger than %d KiB, which no auth.json is", maxAuthFile>>10)}
	}
	return b.Bytes(), nil
}

func checkRegular(path string, info fs.FileInfo) error {
	m := info.Mode()
	switch {
	case m.IsRegular() && info.Size() > maxAuthFile:
		return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("larger than %d KiB, which no auth.json is", maxAuthFile>>10)}
	case m.IsRegular():
		return nil
	case m.IsDir():
		return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("it is a directory, not a file")}
	case m&fs.ModeNamedPipe != 0:
		return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("it is a named pipe, not a file")}
	}
	return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("it is not a regular file")}
}
