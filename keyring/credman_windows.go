//go:build windows

package keyring

import (
	"context"
	"errors"
	"fmt"

	"github.com/danieljoos/wincred"
	"golang.org/x/sys/windows"
)

// CredentialManager is the Windows Credential Manager as Codex's keyring
// crate (3.6.3) uses it: one generic credential per service and account,
// whose target name is "<account>.<service>", whose user name is the
// account, and whose blob is the secret as UTF-16LE text without a
// terminating NUL, persisted for the user's enterprise roaming profile.
// Codex keeps the passphrase of its encrypted secrets files there (service
// "codex", account "secrets|<16 hex digits>").
//
// A CredentialManager holds no state and is safe for concurrent use. Its
// calls do not block, so ctx is only checked before each one.
type CredentialManager struct{}

// credBlobMax is CRED_MAX_CREDENTIAL_BLOB_SIZE, the most bytes a generic
// credential holds.
const credBlobMax = 5 * 512

// credTarget is the target name the keyring crate gives the entry.
func credTarget(service, account string) string { return account + "." + service }

// Get returns the secret of the entry for service and account, or nil, nil
// when there is none.
func (CredentialManager) Get(ctx context.Context, service, account string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cred, err := wincred.GetGenericCredential(credTarget(service, account))
	if errors.Is(err, wincred.ErrElementNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, credError("reading", service, account, err)
	}
	secret, err := utf8FromUTF16LE(cred.CredentialBlob)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", describeCredential(service, account), err)
	}
	return secret, nil
}

// Set writes the entry for service and account, replacing the one there:
// the target name identifies a generic credential, so there is only one.
// The comment is the one the keyring crate writes.
func (CredentialManager) Set(ctx context.Context, service, account string, secret []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	blob, err := utf16LEFromUTF8(secret)
	if err != nil {
		return err
	}
	if len(blob) > credBlobMax {
		return fmt.Errorf("the secret takes %d bytes as UTF-16, more than the %d a Credential Manager entry holds", len(blob), credBlobMax)
	}
	target := credTarget(service, account)
	cred := wincred.NewGenericCredential(target)
	cred.UserName = account
	cred.Comment = fmt.Sprintf("%s@%s:%s (keyring v3.6.3)", account, service, target)
	cred.Persist = wincred.PersistEnterprise
	cred.CredentialBlob = blob
	if err := cred.Write(); err != nil {
		return credError("writing", service, account, err)
	}
	return nil
}

// Delete removes the entry for service and account; removed is false when
// there was none.
func (CredentialManager) Delete(ctx context.Context, service, account string) (removed bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	err = wincred.NewGenericCredential(credTarget(service, account)).Delete()
	if errors.Is(err, wincred.ErrElementNotFound) {
		return false, nil
	}
	if err != nil {
		return false, credError("deleting", service, account, err)
	}
	return true, nil
}

// Probe reads an entry that does not exist: the Credential Manager is
// there for every logged-on user, so only an unexpected answer (no logon
// session, as for some services and scheduled tasks) makes it unusable.
func (CredentialManager) Probe(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := wincred.GetGenericCredential("codex-login.probe")
	if err == nil || errors.Is(err, wincred.ErrElementNotFound) {
		return nil
	}
	return &UnavailableError{Reason: "the Windows Credential Manager cannot be read", Err: err}
}

// Describe names the entry: `Credential Manager entry "secrets|….codex"`.
func (CredentialManager) Describe(service, account string) string {
	return describeCredential(service, account)
}

func describeCredential(service, account string) string {
	return fmt.Sprintf("Credential Manager entry %q", credTarget(service, account))
}

// credError is the error for a failed call while doing what: an
// *UnavailableError when the user has no logon session to keep
// credentials in, a plain error otherwise.
func credError(what, service, account string, err error) error {
	if errors.Is(err, windows.ERROR_NO_SUCH_LOGON_SESSION) {
		return &UnavailableError{Reason: "no logon session to keep credentials in while " + what + " " + describeCredential(service, account), Err: err}
	}
	return fmt.Errorf("%s %s: %w", what, describeCredential(service, account), err)
}
