//go:build !darwin && !windows

package keyring

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSessionEncryptsBothWays(t *testing.T) {
	f := newFake()
	conn, _ := f.backend().dial(context.Background())
	defer conn.close()
	s, err := openSession(context.Background(), conn)
	if err != nil || s.key == nil {
		t.Fatalf("openSession = %v, %v; want an encrypted session", s, err)
	}
	server := f.sessions[s.path]
	if !bytes.Equal(s.key, server.key) {
		t.Fatal("the two ends derived different keys")
	}
	for _, value := range []string{"", "x", "exactly sixteen!", tSecret} {
		sec, err := s.seal([]byte(value))
		if err != nil {
			t.Fatal(err)
		}
		if len(sec.Parameters) != 16 || len(sec.Value)%16 != 0 || len(sec.Value) <= len(value) || bytes.Contains(sec.Value, []byte(value)) && value != "" {
			t.Fatalf("sealed %q as iv %x value %x", value, sec.Parameters, sec.Value)
		}
		if got, err := server.open(sec); err != nil || string(got) != value {
			t.Fatalf("service read %q, %v; want %q", got, err, value)
		}
		if got, err := s.open(server.seal(s.path, []byte(value), "text/plain")); err != nil || string(got) != value {
			t.Fatalf("backend read %q, %v; want %q", got, err, value)
		}
	}
}

func TestSessionKeyDerivation(t *testing.T) {
	// With the service's public value 2 and the private exponent 5, the
	// shared secret is 32: the key is HKDF-SHA256 of it as 128 bytes.
	key, err := dhSessionKey(big.NewInt(5), []byte{2})
	if err != nil {
		t.Fatal(err)
	}
	if want := fakeHKDF(new(big.Int).SetInt64(32).FillBytes(make([]byte, 128))); !bytes.Equal(key, want) {
		t.Fatalf("key %x, want %x", key, want)
	}
	for _, bad := range [][]byte{{}, {1}, new(big.Int).Sub(ietf1024, big.NewInt(1)).Bytes()} {
		if _, err := dhSessionKey(big.NewInt(5), bad); err == nil {
			t.Fatalf("accepted the public value %x", bad)
		}
	}
}

func TestSessionFallsBackToPlain(t *testing.T) {
	f := newFake()
	f.plainOnly = true
	k, ctx := f.backend(), context.Background()
	if err := k.Set(ctx, tService, tAccount, []byte(tSecret)); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get(ctx, tService, tAccount); err != nil || string(got) != tSecret {
		t.Fatalf("Get = %q, %v", got, err)
	}
	onlyItem(t, f, tSecret)
	want := []string{algorithmDH, algorithmPlain, algorithmDH, algorithmPlain}
	if strings.Join(f.algorithms, " ") != strings.Join(want, " ") {
		t.Fatalf("algorithms %v, want %v", f.algorithms, want)
	}
}

func TestErrorsNeverQuoteTheSecret(t *testing.T) {
	f := newFake()
	f.addItem(fakeLogin, tLabel, codexAttrs, tSecret)
	f.corrupt = true
	_, err := f.backend().Get(context.Background(), tService, tAccount)
	if err == nil || !strings.HasPrefix(err.Error(), "read Secret Service item: ") {
		t.Fatalf("Get of a spoilt secret = %v", err)
	}
	f.failWrites = true
	err2 := f.backend().Set(context.Background(), tService, tAccount, []byte("rt-new-secret"))
	if err2 == nil || !strings.HasPrefix(err2.Error(), "create Secret Service item: ") {
		t.Fatalf("Set = %v", err2)
	}
	for _, e := range []error{err, err2} {
		if strings.Contains(e.Error(), "very-secret") || strings.Contains(e.Error(), "rt-new-secret") {
			t.Fatalf("error %q quotes the secret", e)
		}
	}
}

func TestProbe(t *testing.T) {
	f := newFake()
	if err := f.backend().Probe(context.Background()); err != nil || len(f.items) != 0 || f.prompted != 0 {
		t.Fatalf("Probe = %v, %d items, %d prompts", err, len(f.items), f.prompted)
	}
	f.colls[fakeLogin].locked = true
	if err := f.backend().Probe(context.Background()); err != nil || f.prompted != 1 || f.colls[fakeLogin].locked {
		t.Fatalf("Probe of a locked collection = %v, %d prompts", err, f.prompted)
	}
	settled(t, f)
	f.absent, f.activatable = true, true // started on demand by the bus
	if err := f.backend().Probe(context.Background()); err != nil {
		t.Fatalf("Probe of an activatable service = %v", err)
	}
	delete(f.aliases, "default")
	var u *UnavailableError
	if err := f.backend().Probe(context.Background()); !errors.As(err, &u) || !strings.Contains(u.Reason, "no default keyring collection") {
		t.Fatalf("Probe with no default collection = %v", err)
	}
	if err := f.backend().Set(context.Background(), tService, tAccount, []byte(tSecret)); !errors.As(err, &u) || len(f.items) != 0 {
		t.Fatalf("Set with no default collection = %v", err)
	}
	settled(t, f)
}

func TestNoSecretService(t *testing.T) {
	f := newFake()
	f.absent = true
	var u *UnavailableError
	if err := f.backend().Probe(context.Background()); !errors.As(err, &u) || !strings.Contains(u.Reason, "no Secret Service") {
		t.Fatalf("Probe = %v", err)
	}
	if _, err := f.backend().Get(context.Background(), tService, tAccount); !errors.As(err, &u) || !strings.Contains(u.Reason, "no Secret Service") {
		t.Fatalf("Get = %v", err)
	}
	settled(t, f)
}

func TestDescribe(t *testing.T) {
	want := `Secret Service item "cli|75ece1d8be711be7@Codex Auth:default (keyring v3.6.3)"`
	if got := System().Describe(tService, tAccount); got != want {
		t.Fatalf("Describe = %s, want %s", got, want)
	}
}

func TestUnavailableError(t *testing.T) {
	e := &UnavailableError{Reason: "no D-Bus session bus", Err: context.DeadlineExceeded}
	if e.Error() != "no usable keyring: no D-Bus session bus: context deadline exceeded" || !errors.Is(e, context.DeadlineExceeded) {
		t.Fatalf("Error = %q", e.Error())
	}
	if (&UnavailableError{Reason: "r"}).Error() != "no usable keyring: r" {
		t.Fatal("Error without Err")
	}
}

func TestSessionBusAddress(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", dir)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/somewhere/bus")
	if got := sessionBusAddress(); got != "unix:path=/somewhere/bus" {
		t.Fatalf("address %q", got)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	var u *UnavailableError
	if _, err := System().dial(context.Background()); !errors.As(err, &u) || u.Reason != "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)" {
		t.Fatalf("dial with no bus = %v", err)
	}
	// A socket that accepts but never answers: dialing gives up with ctx.
	l, err := net.Listen("unix", filepath.Join(dir, "bus"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for c, err := l.Accept(); err == nil; c, err = l.Accept() {
			defer c.Close()
		}
	}()
	if got := sessionBusAddress(); !strings.HasPrefix(got, "unix:path=") || !strings.HasSuffix(got, "bus") {
		t.Fatalf("address %q, want the runtime directory's bus", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := System().dial(ctx); !errors.As(err, &u) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("dial to a silent bus = %v", err)
	}
}
