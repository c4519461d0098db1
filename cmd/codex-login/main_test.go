package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMain removes the binary that tests built, if any.
func TestMain(m *testing.M) {
	code := m.Run()
	if built.path != "" {
		os.RemoveAll(filepath.Dir(built.path))
	}
	os.Exit(code)
}
