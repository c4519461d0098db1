package trust

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"runtime"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The stores of the current user, which also show the certificates of the
// machine's stores (and so the CAs that IT pushed by Group Policy): Root
// holds the roots, AuthRoot the Microsoft program roots that Windows has
// downloaded so far (it fetches the others when a chain needs them, which a
// bundle cannot do), and Disallowed what an administrator has distrusted.
const (
	rootStore       = "Root"
	authRootStore   = "AuthRoot"
	disallowedStore = "Disallowed"
)

// systemRoots reads the Root and AuthRoot stores through crypt32, less the
// certificates of the Disallowed store.
func (p *Pool) systemRoots() ([]*x509.Certificate, error) {
	roots, err := storeCerts(rootStore, true)
	if err != nil {
		return nil, err
	}
	auth, err := storeCerts(authRootStore, false)
	if err != nil {
		return nil, err
	}
	banned, err := storeCerts(disallowedStore, false)
	if err != nil {
		return nil, err
	}
	skip := map[[32]byte]bool{}
	for _, c := range banned {
		skip[sha256.Sum256(c.Raw)] = true
	}
	var out []*x509.Certificate
	for _, c := range append(roots, auth...) {
		if sum := sha256.Sum256(c.Raw); !skip[sum] {
			skip[sum] = true
			out = append(out, c)
		}
	}
	return out, nil
}

// storeCerts returns the certificates of the current user's system store
// name that parse. A store that does not exist is empty unless must.
func storeCerts(name string, must bool) ([]*x509.Certificate, error) {
	store, err := openStore(name, windows.CERT_STORE_READONLY_FLAG)
	if err != nil {
		if !must && errors.Is(err, windows.ERROR_FILE_NOT_FOUND) {
			return nil, nil
		}
		return nil, err
	}
	defer windows.CertCloseStore(store, 0)
	var certs []*x509.Certificate
	err = eachCert(store, func(ctx *windows.CertContext, der []byte) error {
		if c, err := x509.ParseCertificate(bytes.Clone(der)); err == nil {
			certs = append(certs, c)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list the %s certificate store: %w", name, err)
	}
	return certs, nil
}

// openStore opens an existing system store of the current user.
func openStore(name string, flags uint32) (windows.Handle, error) {
	n, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return 0, err
	}
	flags |= windows.CERT_SYSTEM_STORE_CURRENT_USER | windows.CERT_STORE_OPEN_EXISTING_FLAG
	store, err := windows.CertOpenStore(windows.CERT_STORE_PROV_SYSTEM_W, 0, 0, flags, uintptr(unsafe.Pointer(n)))
	runtime.KeepAlive(n)
	if err != nil {
		return 0, fmt.Errorf("open the %s certificate store: %w", name, err)
	}
	return store, nil
}

// eachCert calls fn with every certificate context of store and its DER
// bytes, which are valid only during the call.
func eachCert(store windows.Handle, fn func(ctx *windows.CertContext, der []byte) error) error {
	var ctx *windows.CertContext
	for {
		var err error
		ctx, err = windows.CertEnumCertificatesInStore(store, ctx)
		if ctx == nil {
			var errno syscall.Errno
			if err == nil || errors.As(err, &errno) && (errno == syscall.Errno(windows.CRYPT_E_NOT_FOUND) || errno == windows.ERROR_NO_MORE_FILES) {
				return nil
			}
			return err
		}
		if err := fn(ctx, unsafe.Slice(ctx.EncodedCert, ctx.Length)); err != nil {
			windows.CertFreeCertificateContext(ctx)
			return err
		}
	}
}
