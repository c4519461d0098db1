package codexauth

import (
	"context"
	"errors"
	"sync"
)

// fakeKeyring is a keyring in memory: one secret per service and account.
type fakeKeyring struct {
	mu       sync.Mutex
	entries  map[string][]byte
	probeErr error // what Probe returns
	setErr   error // what Set returns
	sets     int
}

func newFakeKeyring() *fakeKeyring { return &fakeKeyring{entries: map[string][]byte{}} }

func key(service, account string) string { return service + "\x00" + account }

func (k *fakeKeyring) Get(ctx context.Context, service, account string) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.probeErr != nil {
		return nil, k.probeErr
	}
	if v, ok := k.entries[key(service, account)]; ok {
		return append([]byte(nil), v...), nil
	}
	return nil, nil
}

func (k *fakeKeyring) Set(ctx context.Context, service, account string, secret []byte) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.setErr != nil {
		return k.setErr
	}
	if k.probeErr != nil {
		return k.probeErr
	}
	k.sets++
	k.entries[key(service, account)] = append([]byte(nil), secret...)
	return nil
}

func (k *fakeKeyring) Delete(ctx context.Context, service, account string) (bool, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.probeErr != nil {
		return false, k.probeErr
	}
	_, ok := k.entries[key(service, account)]
	delete(k.entries, key(service, account))
	return ok, nil
}

func (k *fakeKeyring) Probe(context.Context) error { return k.probeErr }

func (k *fakeKeyring) Describe(service, account string) string {
	return `test keyring entry "` + account + `@` + service + `"`
}

func (k *fakeKeyring) get(service, account string) []byte {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.entries[key(service, account)]
}

func (k *fakeKeyring) len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.entries)
}

var errNoKeyring = errors.New("no Secret Service on the session bus")
