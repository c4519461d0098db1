//go:build !unix

package main

// fileWarnings: file modes and owners are unix checks; Windows protects
// the profile directory instead.
func fileWarnings(string) []string { return nil }
