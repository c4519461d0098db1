package trust

import (
	"crypto/x509"
	"fmt"
)

// loadSystem starts from the macOS trust store. crypto/x509 verifies
// through Security.framework, so the keychains and their trust settings
// (including a CA that IT pushed by MDM) apply; when that fails, the
// certificates added from Locations are tried. The store cannot be
// listed without cgo, so SystemCount is -1.
func (p *Pool) loadSystem() error {
	pool, err := x509.SystemCertPool()
	if err != nil {
		return fmt.Errorf("load the macOS trust store: %w", err)
	}
	p.pool = pool
	p.system = -1
	return nil
}

// systemRootsInBackground is false: the platform's pool replaces the
// pool, so StartPool completes it before it returns.
const systemRootsInBackground = false

// PreloadSystemRoots does nothing here: the operating system's verifier
// reads its own store when it is asked.
func PreloadSystemRoots() {}
