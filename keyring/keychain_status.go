package keyring

// The parts of the macOS keychain backend that do not need macOS: how
// Security.framework's OSStatus codes become errors, and the order of calls
// behind Get, Set, Delete and Probe. keychain_darwin.go supplies the calls
// themselves (a kcBackend); the tests supply a fake one.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
)

// OSStatus codes of Security.framework (SecBase.h, MacErrors.h) that the
// keychain backend acts on.
const (
	kcSuccess               = 0
	kcUserCanceled          = -128   // errSecUserCanceled
	kcNotAvailable          = -25291 // errSecNotAvailable
	kcReadOnly              = -25292 // errSecReadOnly
	kcAuthFailed            = -25293 // errSecAuthFailed
	kcNoSuchKeychain        = -25294 // errSecNoSuchKeychain
	kcInvalidKeychain       = -25295 // errSecInvalidKeychain
	kcDuplicateItem         = -25299 // errSecDuplicateItem
	kcItemNotFound          = -25300 // errSecItemNotFound
	kcNoDefaultKeychain     = -25307 // errSecNoDefaultKeychain
	kcInteractionNotAllowed = -25308 // errSecInteractionNotAllowed
)

// kcMaxDuplicates bounds Delete, which removes one item per call.
const kcMaxDuplicates = 16

// KeychainError is a keychain operation that Security.framework refused:
// what was being done, the OSStatus it returned and its message for that
// status. The keychain backend returns it as it is, or as the Err of an
// *UnavailableError when the status means the keychain cannot be used at
// all (locked, access denied, missing). It never holds the secret.
type KeychainError struct {
	// Op is what failed, in words: "reading keychain item".
	Op string
	// Status is the OSStatus, e.g. -25308 (errSecInteractionNotAllowed).
	Status int32
	// Message is Security.framework's text for Status, or "".
	Message string
}

// Error reads "<op>: <message> (OSStatus <status>)".
func (e *KeychainError) Error() string {
	msg := strings.TrimSpace(e.Message)
	if msg == "" {
		msg = "failed"
	}
	return fmt.Sprintf("%s: %s (OSStatus %d)", e.Op, msg, e.Status)
}

// kcUnavailableReason says, for a status that means the keychain cannot be
// used now, what happened and what to do; it is "" for other statuses.
func kcUnavailableReason(status int32) string {
	switch status {
	case kcUserCanceled:
		return "access to the login keychain was refused in the macOS prompt: run again and choose Always Allow (or Allow)"
	case kcAuthFailed:
		return "the login keychain is locked or access was denied: unlock it and allow codex-login to use it"
	case kcInteractionNotAllowed:
		return "the login keychain is locked or access was denied, and macOS cannot ask here (no desktop session, e.g. over SSH): unlock it (security unlock-keychain) or run codex-login at the desktop and allow it to use the keychain"
	case kcNoSuchKeychain:
		return "the login keychain cannot be found"
	case kcNoDefaultKeychain:
		return "there is no default keychain (choose one in Keychain Access)"
	case kcNotAvailable:
		return "no keychain is available"
	case kcInvalidKeychain:
		return "the login keychain is damaged"
	case kcReadOnly:
		return "the login keychain is read-only"
	}
	return ""
}

// kcStatusError is the error for status returned while doing op
// ("reading keychain item"), with message Security.framework's text for
// it: nil for success, an *UnavailableError wrapping a *KeychainError when
// the keychain is locked, refused or missing, else the *KeychainError.
func kcStatusError(op string, status int32, message string) error {
	if status == kcSuccess {
		return nil
	}
	err := &KeychainError{Op: op, Status: status, Message: message}
	if reason := kcUnavailableReason(status); reason != "" {
		return &UnavailableError{Reason: reason, Err: err}
	}
	return err
}

// kcBackend is the keychain itself: the default keychain of the user's
// preference domain, as Codex uses it. Every method returns an OSStatus;
// none returns any other error. The darwin implementation calls
// Security.framework; tests use a fake.
type kcBackend interface {
	// read returns the password of the generic password item for service
	// and account (non-nil, possibly empty), or kcItemNotFound.
	read(service, account string) ([]byte, int32)
	// modify replaces the password of that item, or returns kcItemNotFound.
	modify(service, account string, secret []byte) int32
	// add creates the item, or returns kcDuplicateItem when there is one.
	add(service, account string, secret []byte) int32
	// remove deletes one such item, or returns kcItemNotFound.
	remove(service, account string) int32
	// probe finds the default keychain.
	probe() int32
	// message is Security.framework's text for status, or "".
	message(status int32) string
}

// kcCheck refuses what the keychain cannot take: an empty service or
// account, which the keychain treats as "any" (so that Delete would remove
// someone else's item), and lengths beyond its 32-bit length fields.
func kcCheck(service, account string, secret []byte) error {
	if service == "" || account == "" {
		return fmt.Errorf("a keychain item needs a service and an account (service %q, account %q): an empty one matches every item", service, account)
	}
	if uint64(len(service)) > math.MaxUint32 || uint64(len(account)) > math.MaxUint32 || uint64(len(secret)) > math.MaxUint32 {
		return errors.New("too long for a keychain item")
	}
	return nil
}

// kcGet returns the password of the item for service and account, or nil,
// nil when there is none.
func kcGet(b kcBackend, service, account string) ([]byte, error) {
	if err := kcCheck(service, account, nil); err != nil {
		return nil, err
	}
	data, st := b.read(service, account)
	switch st {
	case kcSuccess:
		if data == nil {
			data = []byte{}
		}
		return data, nil
	case kcItemNotFound:
		return nil, nil
	}
	return nil, kcStatusError("reading keychain item", st, b.message(st))
}

// kcSet replaces the password of the item for service and account with
// secret, creating the item when there is none, as Codex's keyring crate
// does, and reads it back to make sure the keychain holds those bytes.
func kcSet(b kcBackend, service, account string, secret []byte) error {
	if err := kcCheck(service, account, secret); err != nil {
		return err
	}
	if len(secret) == 0 {
		return errors.New("refusing to store an empty secret in the keychain")
	}
	st := b.modify(service, account, secret)
	if st == kcItemNotFound {
		st = b.add(service, account, secret)
		if st == kcDuplicateItem {
			// Created by someone else since modify looked: update it.
			st = b.modify(service, account, secret)
		}
	}
	if st != kcSuccess {
		return kcStatusError("writing keychain item", st, b.message(st))
	}
	got, err := kcGet(b, service, account)
	if err != nil {
		return fmt.Errorf("reading back what was written: %w", err)
	}
	return kcCompare(got, secret)
}

// kcCompare checks that the keychain read back what was written. Its
// errors give lengths only, never the bytes.
func kcCompare(got, want []byte) error {
	switch {
	case got == nil:
		return errors.New("the keychain item is missing right after it was written")
	case !bytes.Equal(got, want):
		return fmt.Errorf("the keychain did not store the credentials: the item reads back %d bytes that differ from the %d written", len(got), len(want))
	}
	return nil
}

// kcDelete removes every item for service and account, one per call, at
// most kcMaxDuplicates.
func kcDelete(b kcBackend, service, account string) (removed bool, err error) {
	if err := kcCheck(service, account, nil); err != nil {
		return false, err
	}
	for range kcMaxDuplicates {
		switch st := b.remove(service, account); st {
		case kcSuccess:
			removed = true
		case kcItemNotFound:
			return removed, nil
		default:
			return removed, kcStatusError("deleting keychain item", st, b.message(st))
		}
	}
	return removed, fmt.Errorf("deleted %d keychain items for the service and account and more remain", kcMaxDuplicates)
}

// kcProbe checks that there is a default keychain; any failure makes the
// keychain unusable.
func kcProbe(b kcBackend) error {
	st := b.probe()
	if st == kcSuccess {
		return nil
	}
	reason := kcUnavailableReason(st)
	if reason == "" {
		reason = "no default keychain"
	}
	return &UnavailableError{Reason: reason, Err: &KeychainError{Op: "finding the default keychain", Status: st, Message: b.message(st)}}
}

// kcDescribe names the item for service and account, for messages.
func kcDescribe(service, account string) string {
	return fmt.Sprintf("login keychain item %q (account %s)", service, account)
}

// kcCall runs op, a keychain call that nothing can interrupt (it may wait
// for the user to answer a macOS prompt), on a goroutine of its own, and
// returns its result, or an error wrapping ctx.Err() as soon as ctx ends.
// In that case op goes on in the background and its result is dropped: a
// write may still complete after kcCall returned.
func kcCall[T any](ctx context.Context, op func() (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := op()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		select {
		case r := <-done: // finished at the same time: keep its result
			return r.v, r.err
		default:
		}
		return zero, fmt.Errorf("gave up waiting for the keychain (macOS may be showing a prompt; the call goes on in the background): %w", ctx.Err())
	}
}
