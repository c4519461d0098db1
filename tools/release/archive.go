package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"io"
	"io/fs"
	"slices"
	"strings"
	"time"
)

// entry is one file of an archive. Archives are byte-for-byte reproducible:
// entries sorted by name under one top directory, one fixed mtime, uid and
// gid 0 with no names, fixed modes, and a gzip header without name or time.
type entry struct {
	Name string // relative to the archive's top directory
	Mode fs.FileMode
	Data []byte
}

// zipEpoch is the earliest time a zip file can hold (MS-DOS dates).
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

func sortEntries(es []entry) []entry {
	es = slices.Clone(es)
	slices.SortFunc(es, func(a, b entry) int { return strings.Compare(a.Name, b.Name) })
	return es
}

// writeTarGz writes top/ and the entries under it as a gzipped tar.
func writeTarGz(w io.Writer, top string, mtime time.Time, es []entry) error {
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	gz.Header = gzip.Header{OS: 255} // no name, no mtime, "unknown" OS
	tw := tar.NewWriter(gz)
	mtime = mtime.UTC().Truncate(time.Second)
	hdr := func(name string, mode int64, typ byte, size int64) *tar.Header {
		return &tar.Header{Name: name, Mode: mode, Typeflag: typ, Size: size, ModTime: mtime, Format: tar.FormatUSTAR}
	}
	if err := tw.WriteHeader(hdr(top+"/", 0o755, tar.TypeDir, 0)); err != nil {
		return err
	}
	for _, e := range sortEntries(es) {
		if err := tw.WriteHeader(hdr(top+"/"+e.Name, int64(e.Mode.Perm()), tar.TypeReg, int64(len(e.Data)))); err != nil {
			return err
		}
		if _, err := tw.Write(e.Data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

// writeZip writes top/ and the entries under it as a zip file (Windows).
func writeZip(w io.Writer, top string, mtime time.Time, es []entry) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestCompression)
	})
	if mtime.Before(zipEpoch) {
		mtime = zipEpoch
	}
	mtime = mtime.UTC().Truncate(2 * time.Second)
	dir := &zip.FileHeader{Name: top + "/", Modified: mtime}
	dir.SetMode(fs.ModeDir | 0o755)
	if _, err := zw.CreateHeader(dir); err != nil {
		return err
	}
	for _, e := range sortEntries(es) {
		h := &zip.FileHeader{Name: top + "/" + e.Name, Method: zip.Deflate, Modified: mtime}
		h.SetMode(e.Mode.Perm())
		f, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, bytes.NewReader(e.Data)); err != nil {
			return err
		}
	}
	return zw.Close()
}
