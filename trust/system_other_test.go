//go:build !unix || darwin

package trust

// hasSystemBundle: the OS keeps its own store, which is not counted.
func hasSystemBundle() bool { return false }

// systemBundle: there is no bundle file to name.
func systemBundle() string { return "" }
