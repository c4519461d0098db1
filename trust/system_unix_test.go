//go:build unix && !darwin

package trust

import "os"

// hasSystemBundle reports whether one of the system bundle files exists,
// so a test can insist on system roots being found.
func hasSystemBundle() bool { return systemBundle() != "" }

// systemBundle returns the system bundle file crypto/x509 would read, ""
// when there is none.
func systemBundle() string {
	files, _ := systemPaths()
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && fi.Mode().IsRegular() {
			return f
		}
	}
	return ""
}
