//go:build !darwin && !windows

package keyring

import (
	"context"
	"errors"
	"maps"
	"strings"
	"testing"
	"time"
)

const (
	tService = "Codex Auth"
	tAccount = "cli|75ece1d8be711be7"
	tLabel   = "cli|75ece1d8be711be7@Codex Auth:default (keyring v3.6.3)"
	tSecret  = `{"tokens":{"refresh_token":"rt-very-secret"}}`
)

var codexAttrs = map[string]string{"application": "rust-keyring", "service": tService, "target": "default", "username": tAccount}

// onlyItem asserts that exactly one item has the service and account and
// that it is Codex's item in the default collection with secret.
func onlyItem(t *testing.T, f *fakeService, secret string) *fakeItem {
	t.Helper()
	items := f.itemsOf(tService, tAccount)
	if len(items) != 1 {
		t.Fatalf("%d items match the service and account, want exactly 1", len(items))
	}
	it := items[0]
	if it.coll != fakeLogin || !maps.Equal(it.attrs, codexAttrs) || it.label != tLabel || it.contentType != "text/plain" || string(it.secret) != secret {
		t.Fatalf("item = %s %v %q %q %q, want it in %s with %v, label %q, text/plain, the secret", it.coll, it.attrs, it.label, it.contentType, it.secret, fakeLogin, codexAttrs, tLabel)
	}
	return it
}

// settled asserts every operation closed its connection and session.
func settled(t *testing.T, f *fakeService) {
	t.Helper()
	if f.conns != 0 || len(f.sessions) != 0 {
		t.Fatalf("%d connections and %d sessions left open", f.conns, len(f.sessions))
	}
}

func TestSetThenGet(t *testing.T) {
	f := newFake()
	k, ctx := f.backend(), context.Background()
	if err := k.Set(ctx, tService, tAccount, []byte(tSecret)); err != nil {
		t.Fatal(err)
	}
	onlyItem(t, f, tSecret)
	got, err := k.Get(ctx, tService, tAccount)
	if err != nil || string(got) != tSecret {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if len(f.algorithms) != 2 || f.algorithms[0] != algorithmDH || f.algorithms[1] != algorithmDH {
		t.Fatalf("sessions = %v, want two encrypted ones", f.algorithms)
	}
	settled(t, f)
}

func TestSetReplacesCodexItem(t *testing.T) {
	f := newFake()
	old := f.addItem(fakeLogin, tLabel, codexAttrs, "old")
	if err := f.backend().Set(context.Background(), tService, tAccount, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if it := onlyItem(t, f, "new"); it.path != old {
		t.Fatalf("item %s, want the replaced %s", it.path, old)
	}
}

func TestSetLeavesOneAmongStrayItems(t *testing.T) {
	f := newFake()
	other := f.addColl("other", false)
	vault := f.addColl("vault", true)
	f.addItem(other, tLabel, codexAttrs, "copy elsewhere")
	f.addItem(vault, tLabel, codexAttrs, "copy in a locked collection")
	f.addItem(fakeLogin, "x", map[string]string{"service": tService, "username": tAccount, "target": "other"}, "other target")
	f.addItem(fakeLogin, "v1", map[string]string{"service": tService, "username": tAccount}, "no target")
	f.addItem(fakeLogin, "x", map[string]string{"service": tService, "username": tAccount, "target": "default"}, "no application")
	unrelated := f.addItem(fakeLogin, "y", map[string]string{"service": tService, "username": "cli|0000000000000000"}, "someone else")
	if err := f.backend().Set(context.Background(), tService, tAccount, []byte(tSecret)); err != nil {
		t.Fatal(err)
	}
	onlyItem(t, f, tSecret)
	if f.items[unrelated] == nil {
		t.Fatal("Set deleted an item of another account")
	}
	settled(t, f)
}

func TestGetNone(t *testing.T) {
	f := newFake()
	f.addItem(fakeLogin, "y", map[string]string{"service": tService, "username": "cli|0000000000000000"}, "someone else")
	got, err := f.backend().Get(context.Background(), tService, tAccount)
	if got != nil || err != nil {
		t.Fatalf("Get = %q, %v; want nil, nil", got, err)
	}
	delete(f.aliases, "default")
	if got, err := f.backend().Get(context.Background(), tService, tAccount); got != nil || err != nil {
		t.Fatalf("Get with no default collection = %q, %v; want nil, nil", got, err)
	}
}

func TestGetAsCodexSearches(t *testing.T) {
	f := newFake()
	other := f.addColl("other", false)
	// Without a target attribute, only the default collection counts.
	f.addItem(other, "v1", map[string]string{"service": tService, "username": tAccount}, "elsewhere")
	if got, err := f.backend().Get(context.Background(), tService, tAccount); got != nil || err != nil {
		t.Fatalf("Get = %q, %v; want nil, nil", got, err)
	}
	f.addItem(fakeLogin, "v1", map[string]string{"service": tService, "username": tAccount}, "v1 item")
	if got, err := f.backend().Get(context.Background(), tService, tAccount); string(got) != "v1 item" || err != nil {
		t.Fatalf("Get = %q, %v; want the default collection's item", got, err)
	}
	// target=default wins anywhere; of two, the newest is read.
	f.addItem(fakeLogin, tLabel, codexAttrs, "older")
	f.addItem(other, tLabel, codexAttrs, "newest")
	if got, err := f.backend().Get(context.Background(), tService, tAccount); string(got) != "newest" || err != nil {
		t.Fatalf("Get = %q, %v; want the newest target=default item", got, err)
	}
}

func TestGetUnlocksThroughPrompt(t *testing.T) {
	f := newFake()
	f.addItem(fakeLogin, tLabel, codexAttrs, tSecret)
	f.colls[fakeLogin].locked = true
	got, err := f.backend().Get(context.Background(), tService, tAccount)
	if err != nil || string(got) != tSecret {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if f.prompted != 1 || f.colls[fakeLogin].locked {
		t.Fatalf("prompted %d times, locked %v; want one prompt that unlocked", f.prompted, f.colls[fakeLogin].locked)
	}
	settled(t, f)
}

func TestPromptDismissed(t *testing.T) {
	f := newFake()
	f.addItem(fakeLogin, tLabel, codexAttrs, tSecret)
	f.colls[fakeLogin].locked, f.dismiss = true, true
	k, ctx := f.backend(), context.Background()
	_, getErr := k.Get(ctx, tService, tAccount)
	setErr := k.Set(ctx, tService, tAccount, []byte("new secret"))
	_, delErr := k.Delete(ctx, tService, tAccount)
	probeErr := k.Probe(ctx)
	for _, err := range []error{getErr, setErr, delErr, probeErr} {
		var u *UnavailableError
		if !errors.As(err, &u) || u.Reason != "the keyring is locked and was not unlocked" {
			t.Fatalf("err = %v; want UnavailableError for the dismissed unlock", err)
		}
		if strings.Contains(err.Error(), "very-secret") || strings.Contains(err.Error(), "new secret") {
			t.Fatalf("error %q quotes the secret", err)
		}
	}
	if string(onlyItemRaw(t, f).secret) != tSecret {
		t.Fatal("the item changed although the unlock was dismissed")
	}
	settled(t, f)
}

func onlyItemRaw(t *testing.T, f *fakeService) *fakeItem {
	t.Helper()
	items := f.itemsOf(tService, tAccount)
	if len(items) != 1 {
		t.Fatalf("%d items, want 1", len(items))
	}
	return items[0]
}

func TestPromptBoundedByContext(t *testing.T) {
	f := newFake()
	f.addItem(fakeLogin, tLabel, codexAttrs, tSecret)
	f.colls[fakeLogin].locked, f.hangPrompts = true, true
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := f.backend().Get(ctx, tService, tAccount)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("Get = %v after %v; want the deadline", err, time.Since(start))
	}
}

func TestSetIntoLockedCollectionAndThroughPrompts(t *testing.T) {
	f := newFake()
	f.colls[fakeLogin].locked = true
	f.promptWrites = true // the service confirms writes and deletions
	other := f.addColl("other", false)
	f.addItem(other, tLabel, codexAttrs, "copy elsewhere")
	if err := f.backend().Set(context.Background(), tService, tAccount, []byte(tSecret)); err != nil {
		t.Fatal(err)
	}
	onlyItem(t, f, tSecret)
	if f.prompted != 3 { // unlock, create, delete the copy
		t.Fatalf("%d prompts, want 3", f.prompted)
	}
	settled(t, f)
}

func TestDelete(t *testing.T) {
	f := newFake()
	vault := f.addColl("vault", true)
	f.addItem(fakeLogin, tLabel, codexAttrs, tSecret)
	f.addItem(vault, "v1", map[string]string{"service": tService, "username": tAccount}, "old")
	k, ctx := f.backend(), context.Background()
	removed, err := k.Delete(ctx, tService, tAccount)
	if err != nil || !removed || len(f.itemsOf(tService, tAccount)) != 0 {
		t.Fatalf("Delete = %v, %v; %d items left", removed, err, len(f.itemsOf(tService, tAccount)))
	}
	if removed, err := k.Delete(ctx, tService, tAccount); err != nil || removed {
		t.Fatalf("second Delete = %v, %v; want false, nil", removed, err)
	}
	settled(t, f)
}
