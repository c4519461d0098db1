// Package keyring is the operating system's secret store as Codex's keyring
// crate (Rust `keyring` 3.6.3) uses it: the Secret Service on Linux and other
// unix systems, the login keychain on macOS, the Credential Manager on
// Windows.
//
// Each backend stores one secret per service and account, in the place and
// with the names Codex itself reads, so that what codex-login writes Codex
// finds and what Codex wrote codex-login can replace. The backends satisfy
// codexauth.Keyring structurally; System returns the one for this operating
// system.
//
// When the store cannot be reached or used at all (no session bus, no
// Secret Service on it, no default collection, a locked keyring that was
// not unlocked, ...) the backends return an *UnavailableError, so that
// callers can tell "there is no usable keyring here" from a failure of one
// operation.
package keyring

// UnavailableError means the operating system's keyring cannot be used
// now: it cannot be reached, it has nowhere to store the entry, or it is
// locked and was not unlocked. Reason says why in words; Err is the
// underlying failure, when there is one. Test for it with errors.As.
type UnavailableError struct {
	// Reason says why the keyring is unusable, for messages, e.g. "no
	// D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)".
	Reason string
	// Err is the failure behind Reason, or nil.
	Err error
}

// Error reads "no usable keyring: <reason>", followed by ": <err>" when an
// underlying failure is known.
func (e *UnavailableError) Error() string {
	msg := "no usable keyring: " + e.Reason
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying failure, so that errors.Is sees through to
// it (context.DeadlineExceeded, for instance).
func (e *UnavailableError) Unwrap() error { return e.Err }
