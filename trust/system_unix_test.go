//go:build unix && !darwin

package trust

import "os"

// hasSystemBundle reports whether one of the system bundle files exists,
// so a test can insist on system roots being found.
func hasSystemBundle() bool {
	files, _ := systemPaths()
	for _, f := range files {
		if _, err := os.Stat(f); err == nil {
			return true
		}
	}
	return false
}
