//go:build !darwin && !windows

package keyring

import (
	"context"
	"errors"
	"maps"
	"strconv"
	"sync"

	"github.com/godbus/dbus/v5"
)

// fakeService is an in-process Secret Service that answers the backend as
// gnome-keyring does: collections behind aliases, items with attributes,
// labels, secrets and modification times, locked collections whose items
// need Unlock (and a prompt) before their secrets can be read or they can
// be deleted, and CreateItem that, with replace, overwrites the item of
// that collection with exactly the same attributes. Every call's arguments
// and reply go through D-Bus wire encoding (fake_wire_test.go) and must
// have the signatures of the specification.
type fakeService struct {
	mu       sync.Mutex
	colls    map[dbus.ObjectPath]*fakeColl
	aliases  map[string]dbus.ObjectPath
	items    map[dbus.ObjectPath]*fakeItem
	sessions map[dbus.ObjectPath]*fakeSession
	prompts  map[dbus.ObjectPath]func() dbus.Variant
	serial   int
	clock    uint64

	absent       bool // nothing owns org.freedesktop.secrets
	activatable  bool // the bus can start it (ListActivatableNames)
	plainOnly    bool // OpenSession refuses the dh algorithm
	dismiss      bool // the user dismisses every prompt
	hangPrompts  bool // prompts never complete
	promptWrites bool // CreateItem and Delete ask for confirmation
	failWrites   bool // CreateItem fails
	corrupt      bool // GetSecret sends a secret that does not decrypt

	prompted   int      // prompts shown
	conns      int      // connections open now
	algorithms []string // OpenSession algorithms asked for, in order
}

type fakeColl struct {
	label  string
	locked bool
}

type fakeItem struct {
	path        dbus.ObjectPath
	coll        dbus.ObjectPath
	label       string
	attrs       map[string]string
	secret      []byte
	contentType string
	modified    uint64
}

// fakeSession is a session; key is nil for a plain one.
type fakeSession struct{ key []byte }

const fakeLogin = dbus.ObjectPath("/org/freedesktop/secrets/collection/login")

// newFake is a service whose default collection "login" is unlocked and
// empty.
func newFake() *fakeService {
	f := &fakeService{
		colls:    map[dbus.ObjectPath]*fakeColl{},
		aliases:  map[string]dbus.ObjectPath{},
		items:    map[dbus.ObjectPath]*fakeItem{},
		sessions: map[dbus.ObjectPath]*fakeSession{},
		prompts:  map[dbus.ObjectPath]func() dbus.Variant{},
	}
	f.addColl("login", false)
	f.aliases["default"] = fakeLogin
	return f
}

// backend is a SecretService whose every connection reaches f.
func (f *fakeService) backend() *SecretService {
	return &SecretService{dial: func(ctx context.Context) (ssConn, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.conns++
		return &fakeConn{f: f}, nil
	}}
}

func (f *fakeService) addColl(name string, locked bool) dbus.ObjectPath {
	p := dbus.ObjectPath("/org/freedesktop/secrets/collection/" + name)
	f.colls[p] = &fakeColl{label: name, locked: locked}
	return p
}

func (f *fakeService) addItem(coll dbus.ObjectPath, label string, attrs map[string]string, secret string) dbus.ObjectPath {
	f.serial++
	f.clock++
	p := dbus.ObjectPath(string(coll) + "/" + strconv.Itoa(f.serial))
	f.items[p] = &fakeItem{path: p, coll: coll, label: label, attrs: maps.Clone(attrs), secret: []byte(secret), contentType: "text/plain", modified: f.clock}
	return p
}

// matching are the items with every attribute of attrs, oldest first.
func (f *fakeService) matching(attrs map[string]string) []*fakeItem {
	var out []*fakeItem
	for _, it := range f.items {
		ok := true
		for k, v := range attrs {
			if got, has := it.attrs[k]; !has || got != v {
				ok = false
			}
		}
		if ok {
			out = append(out, it)
		}
	}
	sortItems(out)
	return out
}

// fakeConn is one client connection to the fake.
type fakeConn struct {
	f      *fakeService
	mu     sync.Mutex
	closed bool
}

func (c *fakeConn) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.closed = true
		c.f.mu.Lock()
		c.f.conns--
		c.f.mu.Unlock()
	}
}

func (c *fakeConn) call(ctx context.Context, dest string, path dbus.ObjectPath, method string, args ...any) ([]any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return nil, errors.New("dbus: connection closed by user")
	}
	sig, ok := fakeSignatures[method]
	if !ok {
		return nil, fakeErr("org.freedesktop.DBus.Error.UnknownMethod", "no method "+method)
	}
	if got := dbus.SignatureOf(args...).String(); got != sig[0] {
		return nil, fakeErr("org.freedesktop.DBus.Error.InvalidArgs", method+" takes "+sig[0]+", not "+got)
	}
	args, err := wire(args)
	if err != nil {
		return nil, err
	}
	c.f.mu.Lock()
	out, err := c.f.dispatch(dest, path, method, args)
	c.f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if got := dbus.SignatureOf(out...).String(); got != sig[1] {
		panic("fake replies to " + method + " with " + got + ", not " + sig[1])
	}
	return wire(out)
}

// prompt shows the prompt: the user accepts it (its action runs and its
// result comes back), dismisses it, or never answers.
func (c *fakeConn) prompt(ctx context.Context, path dbus.ObjectPath) (bool, dbus.Variant, error) {
	f := c.f
	f.mu.Lock()
	action, ok := f.prompts[path]
	delete(f.prompts, path)
	f.prompted++
	hang, dismiss := f.hangPrompts, f.dismiss
	f.mu.Unlock()
	if !ok {
		return false, dbus.Variant{}, fakeErr("org.freedesktop.DBus.Error.UnknownObject", "no prompt "+string(path))
	}
	if hang {
		<-ctx.Done()
		return false, dbus.Variant{}, ctx.Err()
	}
	if dismiss {
		return true, dbus.MakeVariant(""), nil
	}
	f.mu.Lock()
	result := action()
	f.mu.Unlock()
	body, err := wire([]any{false, result})
	if err != nil {
		return false, dbus.Variant{}, err
	}
	return body[0].(bool), body[1].(dbus.Variant), nil
}

func fakeErr(name, msg string) error { return dbus.Error{Name: name, Body: []any{msg}} }

// itemsOf are the items with service and account, oldest first: for
// assertions.
func (f *fakeService) itemsOf(service, account string) []*fakeItem {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.matching(map[string]string{"service": service, "username": account})
}
