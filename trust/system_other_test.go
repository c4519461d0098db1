//go:build !unix || darwin

package trust

// hasSystemBundle: the OS keeps its own store, which is not counted.
func hasSystemBundle() bool { return false }
