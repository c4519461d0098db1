package keyring

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// kcFake is a keychain held in memory. fail makes an operation ("read",
// "modify", "add", "remove", "probe") return a status; the other switches
// imitate a keychain that misbehaves.
type kcFake struct {
	items map[[2]string][]byte
	fail  map[string]int32
	// raceAdd makes the first add find that someone else created the
	// item (holding "theirs") since modify looked.
	raceAdd bool
	// garble stores writes with their last byte changed.
	garble bool
	// stuck makes remove report success without removing anything.
	stuck bool
	calls []string
}

func newKCFake() *kcFake { return &kcFake{items: map[[2]string][]byte{}, fail: map[string]int32{}} }

func (f *kcFake) call(op string) (int32, bool) {
	f.calls = append(f.calls, op)
	st, ok := f.fail[op]
	return st, ok
}

func (f *kcFake) store(key [2]string, secret []byte) {
	v := bytes.Clone(secret)
	if f.garble {
		v[len(v)-1] ^= 1
	}
	f.items[key] = v
}

func (f *kcFake) read(service, account string) ([]byte, int32) {
	if st, ok := f.call("read"); ok {
		return nil, st
	}
	v, ok := f.items[[2]string{service, account}]
	if !ok {
		return nil, kcItemNotFound
	}
	return bytes.Clone(v), kcSuccess
}

func (f *kcFake) modify(service, account string, secret []byte) int32 {
	if st, ok := f.call("modify"); ok {
		return st
	}
	key := [2]string{service, account}
	if _, ok := f.items[key]; !ok {
		return kcItemNotFound
	}
	f.store(key, secret)
	return kcSuccess
}

func (f *kcFake) add(service, account string, secret []byte) int32 {
	if st, ok := f.call("add"); ok {
		return st
	}
	key := [2]string{service, account}
	if f.raceAdd {
		f.raceAdd = false
		f.items[key] = []byte("theirs")
	}
	if _, ok := f.items[key]; ok {
		return kcDuplicateItem
	}
	f.store(key, secret)
	return kcSuccess
}

func (f *kcFake) remove(service, account string) int32 {
	if st, ok := f.call("remove"); ok {
		return st
	}
	key := [2]string{service, account}
	if _, ok := f.items[key]; !ok {
		return kcItemNotFound
	}
	if !f.stuck {
		delete(f.items, key)
	}
	return kcSuccess
}

func (f *kcFake) probe() int32 {
	st, _ := f.call("probe")
	return st
}

func (f *kcFake) message(status int32) string {
	return fmt.Sprintf("message for %d.", status)
}

const (
	kcTestService = "Codex Auth"
	kcTestAccount = "cli|0123456789abcdef"
)

// kcTestSecret is long, like Codex's credentials, and easy to spot in a
// message.
var kcTestSecret = []byte(`{"tokens":{"id_token":"` + strings.Repeat("SECRETSECRET", 400) + `"}}`)

func TestKeychainStatusUnavailable(t *testing.T) {
	for _, st := range []int32{kcUserCanceled, kcAuthFailed, kcInteractionNotAllowed, kcNoSuchKeychain, kcNoDefaultKeychain, kcNotAvailable, kcInvalidKeychain, kcReadOnly} {
		err := kcStatusError("reading keychain item", st, "The message.")
		var un *UnavailableError
		if !errors.As(err, &un) {
			t.Errorf("status %d: %T %v, want *UnavailableError", st, err, err)
			continue
		}
		var ke *KeychainError
		if !errors.As(err, &ke) || ke.Status != st || ke.Op != "reading keychain item" || ke.Message != "The message." {
			t.Errorf("status %d: Err is %#v, want the *KeychainError", st, un.Err)
		}
		if un.Reason == "" || !strings.Contains(err.Error(), fmt.Sprintf("(OSStatus %d)", st)) {
			t.Errorf("status %d: %q lacks a reason or the status", st, err)
		}
	}
	for st, want := range map[int32]string{
		kcInteractionNotAllowed: "locked or access was denied",
		kcAuthFailed:            "allow codex-login to use it",
		kcUserCanceled:          "Always Allow",
	} {
		if err := kcStatusError("x", st, ""); !strings.Contains(err.Error(), want) {
			t.Errorf("status %d: %q does not say %q", st, err, want)
		}
	}
}

func TestKeychainStatusOther(t *testing.T) {
	if err := kcStatusError("writing keychain item", kcSuccess, "ignored"); err != nil {
		t.Errorf("success: %v", err)
	}
	for _, st := range []int32{kcDuplicateItem, -34018, -67808, -50} {
		err := kcStatusError("writing keychain item", st, "Something went wrong.")
		var un *UnavailableError
		if errors.As(err, &un) {
			t.Errorf("status %d: %v is an *UnavailableError", st, err)
		}
		want := fmt.Sprintf("writing keychain item: Something went wrong. (OSStatus %d)", st)
		if err == nil || err.Error() != want {
			t.Errorf("status %d: %v, want %q", st, err, want)
		}
	}
	if got := kcStatusError("deleting keychain item", -1, " ").Error(); got != "deleting keychain item: failed (OSStatus -1)" {
		t.Errorf("without a message: %q", got)
	}
}

func TestKeychainSetCreatesThenUpdates(t *testing.T) {
	f := newKCFake()
	if err := kcSet(f, kcTestService, kcTestAccount, kcTestSecret); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.calls, ","); got != "modify,add,read" {
		t.Errorf("first Set called %s, want modify,add,read", got)
	}
	f.calls = nil
	next := append(bytes.Clone(kcTestSecret), ' ')
	if err := kcSet(f, kcTestService, kcTestAccount, next); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.calls, ","); got != "modify,read" {
		t.Errorf("second Set called %s, want modify,read", got)
	}
	if len(f.items) != 1 || !bytes.Equal(f.items[[2]string{kcTestService, kcTestAccount}], next) {
		t.Errorf("keychain holds %d items, not exactly the new secret", len(f.items))
	}
	got, err := kcGet(f, kcTestService, kcTestAccount)
	if err != nil || !bytes.Equal(got, next) {
		t.Errorf("Get = %d bytes, %v; want the new secret", len(got), err)
	}
}

func TestKeychainSetUpdatesItemCreatedMeanwhile(t *testing.T) {
	f := newKCFake()
	f.raceAdd = true
	if err := kcSet(f, kcTestService, kcTestAccount, kcTestSecret); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.calls, ","); got != "modify,add,modify,read" {
		t.Errorf("Set called %s, want modify,add,modify,read", got)
	}
	if !bytes.Equal(f.items[[2]string{kcTestService, kcTestAccount}], kcTestSecret) {
		t.Error("the item created meanwhile was not replaced")
	}
}

func TestKeychainSetReadBackMismatch(t *testing.T) {
	f := newKCFake()
	f.garble = true
	err := kcSet(f, kcTestService, kcTestAccount, kcTestSecret)
	if err == nil || !strings.Contains(err.Error(), "did not store") {
		t.Fatalf("Set = %v, want a read-back mismatch", err)
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("the error repeats the secret: %.200s", err)
	}
	if err := kcCompare(nil, kcTestSecret); err == nil || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("missing after write: %v", err)
	}
}

func TestKeychainSetFailures(t *testing.T) {
	for _, tc := range []struct {
		op          string
		status      int32
		unavailable bool
	}{
		{"modify", kcInteractionNotAllowed, true},
		{"modify", kcUserCanceled, true},
		{"add", kcAuthFailed, true},
		{"add", -34018, false},
		{"read", kcInteractionNotAllowed, true},
		{"read", -67808, false},
	} {
		f := newKCFake()
		f.fail[tc.op] = tc.status
		err := kcSet(f, kcTestService, kcTestAccount, kcTestSecret)
		if err == nil {
			t.Errorf("%s failing with %d: Set succeeded", tc.op, tc.status)
			continue
		}
		var un *UnavailableError
		if errors.As(err, &un) != tc.unavailable {
			t.Errorf("%s failing with %d: %v, unavailable %v, want %v", tc.op, tc.status, err, !tc.unavailable, tc.unavailable)
		}
		var ke *KeychainError
		if !errors.As(err, &ke) || ke.Status != tc.status {
			t.Errorf("%s failing with %d: %v does not carry the status", tc.op, tc.status, err)
		}
		if strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%s failing: the error repeats the secret", tc.op)
		}
	}
}

func TestKeychainGet(t *testing.T) {
	f := newKCFake()
	if got, err := kcGet(f, kcTestService, kcTestAccount); got != nil || err != nil {
		t.Errorf("no item: Get = %q, %v; want nil, nil", got, err)
	}
	// An empty password may come back as no bytes at all (nil).
	for _, empty := range [][]byte{nil, {}} {
		f.items[[2]string{kcTestService, kcTestAccount}] = empty
		if got, err := kcGet(f, kcTestService, kcTestAccount); got == nil || len(got) != 0 || err != nil {
			t.Errorf("empty item: Get = %#v, %v; want an empty non-nil slice", got, err)
		}
	}
	f.fail["read"] = kcInteractionNotAllowed
	_, err := kcGet(f, kcTestService, kcTestAccount)
	var un *UnavailableError
	if !errors.As(err, &un) || !strings.Contains(err.Error(), "reading keychain item: message for -25308. (OSStatus -25308)") {
		t.Errorf("locked: Get error %v", err)
	}
}

func TestKeychainDelete(t *testing.T) {
	f := newKCFake()
	if removed, err := kcDelete(f, kcTestService, kcTestAccount); removed || err != nil {
		t.Errorf("no item: Delete = %v, %v", removed, err)
	}
	f.items[[2]string{kcTestService, kcTestAccount}] = kcTestSecret
	f.items[[2]string{kcTestService, "cli|other"}] = kcTestSecret
	if removed, err := kcDelete(f, kcTestService, kcTestAccount); !removed || err != nil {
		t.Errorf("one item: Delete = %v, %v", removed, err)
	}
	if _, ok := f.items[[2]string{kcTestService, "cli|other"}]; !ok || len(f.items) != 1 {
		t.Error("Delete removed another account's item")
	}

	f = newKCFake()
	f.items[[2]string{kcTestService, kcTestAccount}] = kcTestSecret
	f.stuck = true
	removed, err := kcDelete(f, kcTestService, kcTestAccount)
	if !removed || err == nil || len(f.calls) != kcMaxDuplicates {
		t.Errorf("item that stays: Delete = %v, %v after %d calls", removed, err, len(f.calls))
	}

	f = newKCFake()
	f.items[[2]string{kcTestService, kcTestAccount}] = kcTestSecret
	f.fail["remove"] = kcAuthFailed
	removed, err = kcDelete(f, kcTestService, kcTestAccount)
	var un *UnavailableError
	if removed || !errors.As(err, &un) {
		t.Errorf("refused: Delete = %v, %v", removed, err)
	}
}

func TestKeychainEmptyNames(t *testing.T) {
	for _, names := range [][2]string{{"", kcTestAccount}, {kcTestService, ""}} {
		f := newKCFake()
		if _, err := kcGet(f, names[0], names[1]); err == nil {
			t.Errorf("Get(%q, %q) succeeded", names[0], names[1])
		}
		if err := kcSet(f, names[0], names[1], kcTestSecret); err == nil {
			t.Errorf("Set(%q, %q) succeeded", names[0], names[1])
		}
		if _, err := kcDelete(f, names[0], names[1]); err == nil {
			t.Errorf("Delete(%q, %q) succeeded", names[0], names[1])
		}
		if len(f.calls) != 0 {
			t.Errorf("empty names reached the keychain: %v", f.calls)
		}
	}
	f := newKCFake()
	if err := kcSet(f, kcTestService, kcTestAccount, nil); err == nil || len(f.calls) != 0 {
		t.Errorf("empty secret: Set = %v after %v", err, f.calls)
	}
}

func TestKeychainProbe(t *testing.T) {
	f := newKCFake()
	if err := kcProbe(f); err != nil {
		t.Errorf("Probe = %v", err)
	}
	for _, st := range []int32{kcNoDefaultKeychain, -61} {
		f.fail["probe"] = st
		err := kcProbe(f)
		var un *UnavailableError
		var ke *KeychainError
		if !errors.As(err, &un) || !errors.As(err, &ke) || ke.Status != st {
			t.Errorf("status %d: Probe = %v", st, err)
		}
	}
	if err := kcProbe(f); !strings.Contains(err.Error(), "no usable keyring: no default keychain: finding the default keychain: message for -61. (OSStatus -61)") {
		t.Errorf("Probe message %q", err)
	}
}

func TestKeychainDescribe(t *testing.T) {
	if got, want := kcDescribe(kcTestService, kcTestAccount), `login keychain item "Codex Auth" (account cli|0123456789abcdef)`; got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
}

func TestKeychainCallContext(t *testing.T) {
	v, err := kcCall(context.Background(), func() (int, error) { return 7, nil })
	if v != 7 || err != nil {
		t.Errorf("kcCall = %v, %v", v, err)
	}
	boom := errors.New("boom")
	if _, err := kcCall(context.Background(), func() (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Errorf("kcCall error = %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	if _, err := kcCall(ctx, func() (int, error) { ran = true; return 1, nil }); !errors.Is(err, context.Canceled) || ran {
		t.Errorf("ended context: kcCall = %v, ran %v", err, ran)
	}

	// A call blocked on a prompt: kcCall returns when the context ends.
	release := make(chan struct{})
	finished := make(chan struct{})
	ctx, cancel = context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = kcCall(ctx, func() (int, error) {
		defer close(finished)
		<-release
		return 1, nil
	})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "keychain") {
		t.Errorf("blocked call: kcCall = %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("kcCall waited %v for a blocked call", d)
	}
	close(release)
	<-finished
}
