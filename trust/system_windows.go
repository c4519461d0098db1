package trust

import (
	"crypto/x509"
	"fmt"
)

// loadSystem starts from the Windows certificate store. crypto/x509
// verifies through CryptoAPI, so the machine and user Root stores (with a
// CA that IT pushed by Group Policy) and the AuthRoot update apply; when
// that fails, the certificates added from Locations are tried. Because of
// the update, the store's size says little, so SystemCount is -1.
func (p *Pool) loadSystem() error {
	pool, err := x509.SystemCertPool()
	if err != nil {
		return fmt.Errorf("load the Windows certificate store: %w", err)
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
