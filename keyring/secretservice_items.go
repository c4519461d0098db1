//go:build !darwin && !windows

package keyring

import (
	"context"
	"fmt"

	"github.com/godbus/dbus/v5"
)

// ssClient is one connection with one open session, for one operation.
type ssClient struct {
	conn    ssConn
	session *ssSession
}

// connect dials the bus and opens a session on it.
func (s *SecretService) connect(ctx context.Context) (*ssClient, error) {
	conn, err := s.dial(ctx)
	if err != nil {
		return nil, err
	}
	session, err := openSession(ctx, conn)
	if err != nil {
		conn.close()
		return nil, err
	}
	return &ssClient{conn: conn, session: session}, nil
}

// close closes the session and the connection; closing the connection
// alone would end the session too, so a failure here changes nothing.
func (cl *ssClient) close(ctx context.Context) {
	cl.conn.call(ctx, ssName, cl.session.path, ssSessionName+".Close")
	cl.conn.close()
}

// noDefaultCollection is the answer when the service has no default
// collection (WSL and minimal setups): Codex has nowhere to store its item.
func noDefaultCollection() error {
	return &UnavailableError{Reason: `the Secret Service has no default keyring collection (no "default" alias)`}
}

// defaultCollection is the collection behind the "default" alias, or
// noObject when there is none.
func (cl *ssClient) defaultCollection(ctx context.Context) (dbus.ObjectPath, error) {
	var coll dbus.ObjectPath
	body, err := cl.conn.call(ctx, ssName, ssPath, ssService+".ReadAlias", "default")
	if err == nil {
		err = dbus.Store(body, &coll)
	}
	if err != nil {
		return "", fmt.Errorf("read the default Secret Service collection: %w", err)
	}
	return coll, nil
}

// search returns the items of every collection that have attrs, unlocked
// ones first, then locked ones.
func (cl *ssClient) search(ctx context.Context, attrs map[string]string) ([]dbus.ObjectPath, error) {
	var unlocked, locked []dbus.ObjectPath
	body, err := cl.conn.call(ctx, ssName, ssPath, ssService+".SearchItems", attrs)
	if err == nil {
		err = dbus.Store(body, &unlocked, &locked)
	}
	if err != nil {
		return nil, fmt.Errorf("search Secret Service items: %w", err)
	}
	return append(unlocked, locked...), nil
}

// searchDefault returns the items of the default collection with service
// and username, whatever their other attributes (none when there is no
// default collection).
func (cl *ssClient) searchDefault(ctx context.Context, service, account string) ([]dbus.ObjectPath, error) {
	coll, err := cl.defaultCollection(ctx)
	if err != nil || coll == noObject {
		return nil, err
	}
	var items []dbus.ObjectPath
	attrs := map[string]string{"service": service, "username": account}
	body, err := cl.conn.call(ctx, ssName, coll, ssCollection+".SearchItems", attrs)
	if err == nil {
		err = dbus.Store(body, &items)
	}
	if err != nil {
		return nil, fmt.Errorf("search Secret Service items: %w", err)
	}
	return items, nil
}

// unlock unlocks objects (collections or items); where the service needs
// the user's password it returns a prompt, which is shown and waited for.
func (cl *ssClient) unlock(ctx context.Context, objects []dbus.ObjectPath) error {
	var unlocked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	body, err := cl.conn.call(ctx, ssName, ssPath, ssService+".Unlock", objects)
	if err == nil {
		err = dbus.Store(body, &unlocked, &prompt)
	}
	if err != nil {
		return fmt.Errorf("unlock the keyring: %w", err)
	}
	if prompt == noObject {
		return nil
	}
	dismissed, _, err := cl.conn.prompt(ctx, prompt)
	if err != nil {
		return fmt.Errorf("unlock the keyring: %w", err)
	}
	if dismissed {
		return &UnavailableError{Reason: "the keyring is locked and was not unlocked"}
	}
	return nil
}

// newest is the most recently modified of items (the first on a tie).
func (cl *ssClient) newest(ctx context.Context, items []dbus.ObjectPath) (dbus.ObjectPath, error) {
	best, bestTime := items[0], uint64(0)
	for i, item := range items {
		if len(items) == 1 {
			break
		}
		var v dbus.Variant
		var modified uint64
		body, err := cl.conn.call(ctx, ssName, item, ssProperties+".Get", ssItem, "Modified")
		if err == nil {
			err = dbus.Store(body, &v)
		}
		if err == nil {
			err = v.Store(&modified)
		}
		if err != nil {
			return "", fmt.Errorf("read Secret Service item: %w", err)
		}
		if i == 0 || modified > bestTime {
			best, bestTime = item, modified
		}
	}
	return best, nil
}

// secret reads and decrypts the secret of item.
func (cl *ssClient) secret(ctx context.Context, item dbus.ObjectPath) ([]byte, error) {
	var sec ssSecret
	body, err := cl.conn.call(ctx, ssName, item, ssItem+".GetSecret", cl.session.path)
	if err == nil {
		err = dbus.Store(body, &sec)
	}
	if err != nil {
		return nil, fmt.Errorf("read Secret Service item: %w", err)
	}
	value, err := cl.session.open(sec)
	if err != nil {
		return nil, fmt.Errorf("read Secret Service item: %w", err)
	}
	return value, nil
}

// create creates the item in coll, replacing one with exactly attrs there,
// and returns its path.
func (cl *ssClient) create(ctx context.Context, coll dbus.ObjectPath, label string, attrs map[string]string, secret []byte) (dbus.ObjectPath, error) {
	sec, err := cl.session.seal(secret)
	if err != nil {
		return "", fmt.Errorf("create Secret Service item: %w", err)
	}
	props := map[string]dbus.Variant{
		ssItem + ".Label":      dbus.MakeVariant(label),
		ssItem + ".Attributes": dbus.MakeVariant(attrs),
	}
	var item, prompt dbus.ObjectPath
	body, err := cl.conn.call(ctx, ssName, coll, ssCollection+".CreateItem", props, sec, true)
	if err == nil {
		err = dbus.Store(body, &item, &prompt)
	}
	if err == nil && prompt != noObject {
		item, err = cl.promptFor(ctx, prompt)
	}
	if err != nil {
		return "", fmt.Errorf("create Secret Service item: %w", err)
	}
	return item, nil
}

// delete deletes item, confirming through a prompt when the service asks.
func (cl *ssClient) delete(ctx context.Context, item dbus.ObjectPath) error {
	var prompt dbus.ObjectPath
	body, err := cl.conn.call(ctx, ssName, item, ssItem+".Delete")
	if err == nil {
		err = dbus.Store(body, &prompt)
	}
	if err == nil && prompt != noObject {
		_, err = cl.promptFor(ctx, prompt)
	}
	if err != nil {
		return fmt.Errorf("delete Secret Service item: %w", err)
	}
	return nil
}

// promptFor shows a prompt that creating or deleting an item returned and
// returns the object path it completes with.
func (cl *ssClient) promptFor(ctx context.Context, prompt dbus.ObjectPath) (dbus.ObjectPath, error) {
	dismissed, result, err := cl.conn.prompt(ctx, prompt)
	if err != nil {
		return "", err
	}
	if dismissed {
		return "", &UnavailableError{Reason: "the keyring prompt was dismissed"}
	}
	path, _ := result.Value().(dbus.ObjectPath)
	return path, nil
}
