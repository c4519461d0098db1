//go:build !unix && !windows

package trust

import (
	"crypto/x509"
	"fmt"
	"runtime"
)

// loadSystem uses whatever crypto/x509 finds on other systems (Plan 9,
// js/wasm, WASI), without knowing how many roots that is.
func (p *Pool) loadSystem() error {
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
		p.warn(Warning{Kind: WarnNoSystemRoots})
	}
	p.pool = pool
	p.system = -1
	return nil
}

// systemRoots cannot list what crypto/x509 found, so no bundle can be
// exported with the system roots here.
func (p *Pool) systemRoots() ([]*x509.Certificate, error) {
	return nil, fmt.Errorf("list the system root certificates: not supported on %s", runtime.GOOS)
}

// systemRootsInBackground is false: the platform's pool replaces the
// pool, so StartPool completes it before it returns.
const systemRootsInBackground = false

// PreloadSystemRoots does nothing here: the operating system's verifier
// reads its own store when it is asked.
func PreloadSystemRoots() {}
