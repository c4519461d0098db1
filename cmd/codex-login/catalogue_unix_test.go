//go:build unix

package main

import (
	"path/filepath"
	"syscall"
	"testing"
)

// fifo makes a named pipe in the test's directory and returns its path.
func fifo(t *testing.T, w *world, name string) string {
	p := filepath.Join(w.dir, name)
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func fifoConfig(t *testing.T, w *world) []string {
	return []string{"--ca", w.caFile, "--config", fifo(t, w, "pipe.toml")}
}

func fifoCA(t *testing.T, w *world) []string {
	return []string{"--ca", fifo(t, w, "pipe.pem")}
}
