//go:build darwin

package keyring

import (
	"bytes"
	"context"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
)

// Keychain is the macOS keychain as Codex uses it: a generic password in
// the default keychain of the user's preference domain (the login
// keychain), whose service is "Codex Auth", whose account is
// "cli|<16 hex digits>" and whose password is the credentials JSON as it
// is. It calls Security.framework the way Codex's keyring crate (3.x,
// through security-framework) does, with the same functions, so the item
// it creates is the one Codex would create (labelled with the service):
// SecKeychainCopyDomainDefault, SecKeychainFindGenericPassword,
// SecKeychainItemModifyAttributesAndData, SecKeychainAddGenericPassword
// and SecKeychainItemDelete. Release builds have no cgo: the framework is
// loaded at run time with purego, once, on first use.
//
// # The access prompt
//
// Every keychain item has an access list of the programs that may read it
// without asking. An item codex-login creates lists codex-login's binary,
// so the first time Codex reads it macOS asks once: "codex wants to use
// your confidential information stored in "Codex Auth" in your keychain";
// choosing Always Allow adds Codex to the list. An item Codex created and
// codex-login updates keeps Codex's access list, and macOS may ask
// codex-login the same question when it writes or reads the item back.
// Where macOS cannot ask (no desktop session, e.g. over SSH) the calls
// fail with errSecInteractionNotAllowed, returned as an *UnavailableError.
//
// # Cancellation
//
// Security.framework's calls cannot be cancelled and may wait for the user
// to answer a prompt. Each method runs them on a goroutine of its own and
// returns as soon as its context ends, with an error wrapping ctx.Err();
// the call itself goes on in the background, so a Set may still complete
// after it returned.
//
// The zero value is ready to use and safe for concurrent use.
type Keychain struct{}

// Get returns the password of the item for service and account, or nil,
// nil when there is none.
func (k *Keychain) Get(ctx context.Context, service, account string) ([]byte, error) {
	return kcCall(ctx, func() ([]byte, error) {
		f, err := kcLoad()
		if err != nil {
			return nil, err
		}
		return kcGet(f, service, account)
	})
}

// Set stores secret as the password of the item for service and account,
// replacing the password of the item there is or creating one, and reads
// it back to make sure the keychain holds exactly those bytes.
func (k *Keychain) Set(ctx context.Context, service, account string, secret []byte) error {
	_, err := kcCall(ctx, func() (struct{}, error) {
		f, err := kcLoad()
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, kcSet(f, service, account, secret)
	})
	return err
}

// Delete removes the item for service and account (every one, should
// there be several); removed is false when there was none.
func (k *Keychain) Delete(ctx context.Context, service, account string) (removed bool, err error) {
	return kcCall(ctx, func() (bool, error) {
		f, err := kcLoad()
		if err != nil {
			return false, err
		}
		return kcDelete(f, service, account)
	})
}

// Probe checks that Security.framework loads and that the user has a
// default keychain. It does not unlock the keychain or read any item, so
// it never prompts.
func (k *Keychain) Probe(ctx context.Context) error {
	_, err := kcCall(ctx, func() (struct{}, error) {
		f, err := kcLoad()
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, kcProbe(f)
	})
	return err
}

// Describe names the item: `login keychain item "Codex Auth" (account cli|…)`.
func (k *Keychain) Describe(service, account string) string {
	return kcDescribe(service, account)
}

const (
	kcSecurityPath       = "/System/Library/Frameworks/Security.framework/Security"
	kcCoreFoundationPath = "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation"

	kcDomainUser = 0          // kSecPreferencesDomainUser
	kcUTF8       = 0x08000100 // kCFStringEncodingUTF8
)

// kcFramework holds the Security.framework and CoreFoundation functions
// the keychain uses. CF objects (keychains, items, strings) are uintptr
// handles that Go never dereferences; the one pointer to C memory that Go
// reads, a password, comes back as an unsafe.Pointer.
type kcFramework struct {
	// OSStatus SecKeychainCopyDomainDefault(SecPreferencesDomain, SecKeychainRef *)
	copyDomainDefault func(domain int32, keychain *uintptr) int32
	// OSStatus SecKeychainFindGenericPassword(CFTypeRef keychainOrArray,
	//   UInt32, const char *service, UInt32, const char *account,
	//   UInt32 *passwordLength, void **passwordData, SecKeychainItemRef *item)
	findGenericPassword func(keychain uintptr, serviceLen uint32, service *byte, accountLen uint32, account *byte, passwordLen *uint32, password *unsafe.Pointer, item *uintptr) int32
	// OSStatus SecKeychainAddGenericPassword(SecKeychainRef, UInt32, const char *service,
	//   UInt32, const char *account, UInt32 passwordLength, const void *passwordData,
	//   SecKeychainItemRef *item)
	addGenericPassword func(keychain uintptr, serviceLen uint32, service *byte, accountLen uint32, account *byte, passwordLen uint32, password *byte, item *uintptr) int32
	// OSStatus SecKeychainItemModifyAttributesAndData(SecKeychainItemRef,
	//   const SecKeychainAttributeList *, UInt32 length, const void *data)
	modifyAttributesAndData func(item uintptr, attrList uintptr, length uint32, data *byte) int32
	// OSStatus SecKeychainItemDelete(SecKeychainItemRef)
	itemDelete func(item uintptr) int32
	// OSStatus SecKeychainItemFreeContent(SecKeychainAttributeList *, void *data)
	freeContent func(attrList uintptr, data unsafe.Pointer) int32
	// CFStringRef SecCopyErrorMessageString(OSStatus, void *reserved)
	copyErrorMessageString func(status int32, reserved uintptr) uintptr
	// void CFRelease(CFTypeRef)
	cfRelease func(cf uintptr)
	// CFIndex CFStringGetLength(CFStringRef)
	cfStringGetLength func(s uintptr) int
	// Boolean CFStringGetCString(CFStringRef, char *buffer, CFIndex size, CFStringEncoding)
	cfStringGetCString func(s uintptr, buffer *byte, size int, encoding uint32) bool
}

var (
	kcLoadOnce sync.Once
	kcLoaded   *kcFramework
	kcLoadErr  error
)

// kcLoad loads the frameworks on first use; a failure is final.
func kcLoad() (*kcFramework, error) {
	kcLoadOnce.Do(func() { kcLoaded, kcLoadErr = kcOpen() })
	return kcLoaded, kcLoadErr
}

func kcOpen() (*kcFramework, error) {
	security, err := purego.Dlopen(kcSecurityPath, purego.RTLD_NOW|purego.RTLD_GLOBAL)
	if err != nil {
		return nil, &UnavailableError{Reason: "cannot load Security.framework", Err: err}
	}
	cf, err := purego.Dlopen(kcCoreFoundationPath, purego.RTLD_NOW|purego.RTLD_GLOBAL)
	if err != nil {
		return nil, &UnavailableError{Reason: "cannot load CoreFoundation.framework", Err: err}
	}
	f := &kcFramework{}
	for _, fn := range []struct {
		lib  uintptr
		name string
		fptr any
	}{
		{security, "SecKeychainCopyDomainDefault", &f.copyDomainDefault},
		{security, "SecKeychainFindGenericPassword", &f.findGenericPassword},
		{security, "SecKeychainAddGenericPassword", &f.addGenericPassword},
		{security, "SecKeychainItemModifyAttributesAndData", &f.modifyAttributesAndData},
		{security, "SecKeychainItemDelete", &f.itemDelete},
		{security, "SecKeychainItemFreeContent", &f.freeContent},
		{security, "SecCopyErrorMessageString", &f.copyErrorMessageString},
		{cf, "CFRelease", &f.cfRelease},
		{cf, "CFStringGetLength", &f.cfStringGetLength},
		{cf, "CFStringGetCString", &f.cfStringGetCString},
	} {
		sym, err := purego.Dlsym(fn.lib, fn.name)
		if err != nil {
			return nil, &UnavailableError{Reason: "this macOS lacks " + fn.name, Err: err}
		}
		purego.RegisterFunc(fn.fptr, sym)
	}
	return f, nil
}

// kcString is s as the keychain functions take it: a length and the
// address of its bytes, which they copy. s is never empty (kcCheck).
func kcString(s string) (uint32, *byte) {
	return uint32(len(s)), unsafe.StringData(s)
}

// keychain is the default keychain of the user's preference domain, which
// the caller releases; it is what Codex's keyring crate uses.
func (f *kcFramework) keychain() (uintptr, int32) {
	var kc uintptr
	st := f.copyDomainDefault(kcDomainUser, &kc)
	if st == kcSuccess && kc == 0 {
		st = kcNoDefaultKeychain
	}
	return kc, st
}

// item finds the item for service and account in kc, without reading its
// password (which needs no access); the caller releases it.
func (f *kcFramework) item(kc uintptr, service, account string) (uintptr, int32) {
	sl, sp := kcString(service)
	al, ap := kcString(account)
	var item uintptr
	st := f.findGenericPassword(kc, sl, sp, al, ap, nil, nil, &item)
	if st == kcSuccess && item == 0 {
		st = kcItemNotFound
	}
	return item, st
}

func (f *kcFramework) read(service, account string) ([]byte, int32) {
	kc, st := f.keychain()
	if st != kcSuccess {
		return nil, st
	}
	defer f.cfRelease(kc)
	sl, sp := kcString(service)
	al, ap := kcString(account)
	var n uint32
	var p unsafe.Pointer
	if st := f.findGenericPassword(kc, sl, sp, al, ap, &n, &p, nil); st != kcSuccess {
		return nil, st
	}
	data := make([]byte, 0, n)
	if p != nil {
		data = append(data, unsafe.Slice((*byte)(p), n)...)
		f.freeContent(0, p)
	}
	return data, kcSuccess
}

func (f *kcFramework) modify(service, account string, secret []byte) int32 {
	kc, st := f.keychain()
	if st != kcSuccess {
		return st
	}
	defer f.cfRelease(kc)
	item, st := f.item(kc, service, account)
	if st != kcSuccess {
		return st
	}
	defer f.cfRelease(item)
	return f.modifyAttributesAndData(item, 0, uint32(len(secret)), unsafe.SliceData(secret))
}

func (f *kcFramework) add(service, account string, secret []byte) int32 {
	kc, st := f.keychain()
	if st != kcSuccess {
		return st
	}
	defer f.cfRelease(kc)
	sl, sp := kcString(service)
	al, ap := kcString(account)
	return f.addGenericPassword(kc, sl, sp, al, ap, uint32(len(secret)), unsafe.SliceData(secret), nil)
}

func (f *kcFramework) remove(service, account string) int32 {
	kc, st := f.keychain()
	if st != kcSuccess {
		return st
	}
	defer f.cfRelease(kc)
	item, st := f.item(kc, service, account)
	if st != kcSuccess {
		return st
	}
	defer f.cfRelease(item)
	return f.itemDelete(item)
}

func (f *kcFramework) probe() int32 {
	kc, st := f.keychain()
	if st == kcSuccess {
		f.cfRelease(kc)
	}
	return st
}

// message is Security.framework's text for status, or "".
func (f *kcFramework) message(status int32) string {
	s := f.copyErrorMessageString(status, 0)
	if s == 0 {
		return ""
	}
	defer f.cfRelease(s)
	n := f.cfStringGetLength(s) // UTF-16 units, each at most 3 bytes of UTF-8
	if n <= 0 || n > 4096 {
		return ""
	}
	buf := make([]byte, 3*n+1)
	if !f.cfStringGetCString(s, &buf[0], len(buf), kcUTF8) {
		return ""
	}
	if i := bytes.IndexByte(buf, 0); i >= 0 {
		buf = buf[:i]
	}
	return string(buf)
}

var _ kcBackend = (*kcFramework)(nil)
