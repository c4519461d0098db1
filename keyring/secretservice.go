//go:build !darwin && !windows

package keyring

import (
	"context"
	"fmt"
	"slices"

	"github.com/godbus/dbus/v5"
)

// SecretService is the Secret Service (gnome-keyring, KeePassXC, KWallet's
// ksecretd, ...) as Codex's keyring crate uses it. Codex's entry for a
// service and account is an item in the default collection with exactly
// the attributes application=rust-keyring, service, target=default and
// username, labelled "<account>@<service>:default (keyring v3.6.3)", whose
// secret is the raw bytes with content type text/plain.
//
// Every method connects to the session bus, opens a session (encrypted
// when the service allows), does its work, and closes both before it
// returns: a SecretService holds no connection, needs no Close, and may be
// used from several goroutines. Every D-Bus call, and every wait for an
// unlock prompt, is bounded by the method's ctx.
type SecretService struct {
	dial func(ctx context.Context) (ssConn, error)
}

// keyringVersion is the keyring crate version Codex builds with; it is
// part of the label of every item it writes.
const keyringVersion = "3.6.3"

// ssLabel is the label Codex gives the item for service and account.
func ssLabel(service, account string) string {
	return account + "@" + service + ":default (keyring v" + keyringVersion + ")"
}

// ssAttributes are the four attributes of Codex's item.
func ssAttributes(service, account string) map[string]string {
	return map[string]string{
		"application": "rust-keyring",
		"service":     service,
		"target":      "default",
		"username":    account,
	}
}

// Describe names the item for messages: Secret Service item "<label>".
func (s *SecretService) Describe(service, account string) string {
	return `Secret Service item "` + ssLabel(service, account) + `"`
}

// Get returns the secret of the item Codex would read for service and
// account, or nil, nil when there is none. Codex looks for items with
// target=default, service and username in every collection, and failing
// that for items with service and username in the default collection. Where
// Codex would find two and fail, Get reads the most recently modified one;
// the next Set or Delete removes the others. Locked items are unlocked
// first, which may show the desktop's unlock prompt.
func (s *SecretService) Get(ctx context.Context, service, account string) ([]byte, error) {
	cl, err := s.connect(ctx)
	if err != nil {
		return nil, err
	}
	defer cl.close(ctx)
	items, err := cl.search(ctx, map[string]string{"target": "default", "service": service, "username": account})
	if err == nil && len(items) == 0 {
		items, err = cl.searchDefault(ctx, service, account)
	}
	if err != nil || len(items) == 0 {
		return nil, err
	}
	if err := cl.unlock(ctx, items); err != nil {
		return nil, err
	}
	item, err := cl.newest(ctx, items)
	if err != nil {
		return nil, err
	}
	return cl.secret(ctx, item)
}

// Set stores secret as Codex's item for service and account in the default
// collection, replacing an item with the same attributes there, and then
// deletes every other item with that service and username in any collection
// (an older copy elsewhere, one written with other attributes), so that
// exactly one item remains and Codex never finds two.
func (s *SecretService) Set(ctx context.Context, service, account string, secret []byte) error {
	cl, err := s.connect(ctx)
	if err != nil {
		return err
	}
	defer cl.close(ctx)
	coll, err := cl.defaultCollection(ctx)
	if err != nil {
		return err
	}
	if coll == noObject {
		return noDefaultCollection()
	}
	others, err := cl.search(ctx, map[string]string{"service": service, "username": account})
	if err != nil {
		return err
	}
	if err := cl.unlock(ctx, append([]dbus.ObjectPath{coll}, others...)); err != nil {
		return err
	}
	item, err := cl.create(ctx, coll, ssLabel(service, account), ssAttributes(service, account), secret)
	if err != nil {
		return err
	}
	for _, other := range others {
		if other == item {
			continue
		}
		if err := cl.delete(ctx, other); err != nil {
			return err
		}
	}
	return nil
}

// Delete deletes every item with service and username in any collection,
// whatever its other attributes; removed is false when there was none.
func (s *SecretService) Delete(ctx context.Context, service, account string) (bool, error) {
	cl, err := s.connect(ctx)
	if err != nil {
		return false, err
	}
	defer cl.close(ctx)
	items, err := cl.search(ctx, map[string]string{"service": service, "username": account})
	if err != nil || len(items) == 0 {
		return false, err
	}
	if err := cl.unlock(ctx, items); err != nil {
		return false, err
	}
	for i, item := range items {
		if err := cl.delete(ctx, item); err != nil {
			return i > 0, err
		}
	}
	return true, nil
}

// Probe returns nil when Codex's item can be written now: a Secret Service
// is on the session bus (or can be started there), a session opens, there
// is a default collection, and it is unlocked or gets unlocked (the
// desktop's unlock prompt may show, for as long as ctx allows). It writes
// nothing.
func (s *SecretService) Probe(ctx context.Context) error {
	conn, err := s.dial(ctx)
	if err != nil {
		return err
	}
	var owned bool
	body, err := conn.call(ctx, busName, busPath, busName+".NameHasOwner", ssName)
	if err == nil {
		err = dbus.Store(body, &owned)
	}
	if err == nil && !owned {
		var names []string
		body, err = conn.call(ctx, busName, busPath, busName+".ListActivatableNames")
		if err == nil {
			err = dbus.Store(body, &names)
		}
		if err == nil && !slices.Contains(names, ssName) {
			conn.close()
			return &UnavailableError{Reason: "no Secret Service on the D-Bus session bus (nothing owns or can start " + ssName + ")"}
		}
	}
	if err != nil {
		conn.close()
		return fmt.Errorf("ask the D-Bus session bus for the Secret Service: %w", err)
	}
	session, err := openSession(ctx, conn)
	if err != nil {
		conn.close()
		return err
	}
	cl := &ssClient{conn: conn, session: session}
	defer cl.close(ctx)
	coll, err := cl.defaultCollection(ctx)
	if err != nil {
		return err
	}
	if coll == noObject {
		return noDefaultCollection()
	}
	return cl.unlock(ctx, []dbus.ObjectPath{coll})
}
