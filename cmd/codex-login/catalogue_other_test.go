//go:build !unix

package main

import "testing"

// Named pipes are made only on unix; the cases that use them are skipped
// elsewhere.
func fifoConfig(t *testing.T, _ *world) []string { t.Skip("needs unix"); return nil }

func fifoCA(t *testing.T, _ *world) []string { t.Skip("needs unix"); return nil }
