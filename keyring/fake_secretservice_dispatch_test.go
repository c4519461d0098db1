//go:build !darwin && !windows

package keyring

import (
	"cmp"
	"maps"
	"slices"
	"strconv"

	"github.com/godbus/dbus/v5"
)

// fakeSignatures are the in and out signatures of every method the fake
// answers, from the Secret Service and D-Bus specifications.
var fakeSignatures = map[string][2]string{
	busName + ".NameHasOwner":         {"s", "b"},
	busName + ".ListActivatableNames": {"", "as"},
	ssService + ".OpenSession":        {"sv", "vo"},
	ssService + ".SearchItems":        {"a{ss}", "aoao"},
	ssService + ".Unlock":             {"ao", "aoo"},
	ssService + ".ReadAlias":          {"s", "o"},
	ssCollection + ".SearchItems":     {"a{ss}", "ao"},
	ssCollection + ".CreateItem":      {"a{sv}(oayays)b", "oo"},
	ssItem + ".Delete":                {"", "o"},
	ssItem + ".GetSecret":             {"o", "(oayays)"},
	ssSessionName + ".Close":          {"", ""},
	ssProperties + ".Get":             {"ss", "v"},
}

func sortItems(items []*fakeItem) {
	slices.SortFunc(items, func(a, b *fakeItem) int {
		return cmp.Or(cmp.Compare(a.modified, b.modified), cmp.Compare(a.path, b.path))
	})
}

var (
	errLocked    = fakeErr("org.freedesktop.Secret.Error.IsLocked", "the collection is locked")
	errNoObject  = fakeErr("org.freedesktop.DBus.Error.UnknownObject", "no such object")
	errNoSession = fakeErr("org.freedesktop.Secret.Error.NoSession", "the session does not exist")
)

// dispatch answers one call, with f.mu held.
func (f *fakeService) dispatch(dest string, path dbus.ObjectPath, method string, args []any) ([]any, error) {
	if dest == busName {
		if method == busName+".NameHasOwner" {
			return []any{!f.absent && args[0] == ssName}, nil
		}
		names := []string{"org.freedesktop.DBus"}
		if f.activatable {
			names = append(names, ssName)
		}
		return []any{names}, nil
	}
	if f.absent && !f.activatable {
		return nil, fakeErr("org.freedesktop.DBus.Error.ServiceUnknown", "The name "+ssName+" was not provided by any .service files")
	}
	coll, item := f.colls[path], f.items[path]
	switch {
	case method == ssProperties+".Get":
		return f.property(path, args[0].(string), args[1].(string))
	case path == ssPath:
		return f.service(method, args)
	case coll != nil && method == ssCollection+".SearchItems":
		var out []dbus.ObjectPath
		for _, it := range f.matching(args[0].(map[string]string)) {
			if it.coll == path {
				out = append(out, it.path)
			}
		}
		return []any{out}, nil
	case coll != nil && method == ssCollection+".CreateItem":
		return f.createItem(path, args)
	case item != nil && method == ssItem+".GetSecret":
		s := f.sessions[args[0].(dbus.ObjectPath)]
		if s == nil {
			return nil, errNoSession
		}
		if f.colls[item.coll].locked {
			return nil, errLocked
		}
		sec := s.seal(args[0].(dbus.ObjectPath), item.secret, item.contentType)
		if f.corrupt && len(sec.Value) > 16 {
			sec.Value[len(sec.Value)-17] ^= 0xff // spoils the padding
		}
		return []any{sec}, nil
	case item != nil && method == ssItem+".Delete":
		if f.colls[item.coll].locked {
			return nil, errLocked
		}
		del := func() dbus.Variant { delete(f.items, path); return dbus.MakeVariant("") }
		if f.promptWrites {
			return []any{f.newPrompt(del)}, nil
		}
		del()
		return []any{noObject}, nil
	case f.sessions[path] != nil && method == ssSessionName+".Close":
		delete(f.sessions, path)
		return nil, nil
	}
	return nil, errNoObject
}

// service answers the methods of /org/freedesktop/secrets.
func (f *fakeService) service(method string, args []any) ([]any, error) {
	switch method {
	case ssService + ".OpenSession":
		f.algorithms = append(f.algorithms, args[0].(string))
		f.serial++
		p := dbus.ObjectPath("/org/freedesktop/secrets/session/s" + strconv.Itoa(f.serial))
		switch {
		case args[0] == algorithmPlain:
			f.sessions[p] = &fakeSession{}
			return []any{dbus.MakeVariant(""), p}, nil
		case args[0] == algorithmDH && !f.plainOnly:
			peer, ok := args[1].(dbus.Variant).Value().([]byte)
			if !ok {
				return nil, fakeErr("org.freedesktop.DBus.Error.InvalidArgs", "the dh input is not a byte array")
			}
			s, pub := fakeDH(peer)
			f.sessions[p] = s
			return []any{dbus.MakeVariant(pub), p}, nil
		}
		return nil, fakeErr("org.freedesktop.DBus.Error.NotSupported", "algorithm not supported")
	case ssService + ".SearchItems":
		unlocked, locked := []dbus.ObjectPath{}, []dbus.ObjectPath{}
		for _, it := range f.matching(args[0].(map[string]string)) {
			if f.colls[it.coll].locked {
				locked = append(locked, it.path)
			} else {
				unlocked = append(unlocked, it.path)
			}
		}
		return []any{unlocked, locked}, nil
	case ssService + ".ReadAlias":
		if p, ok := f.aliases[args[0].(string)]; ok {
			return []any{p}, nil
		}
		return []any{noObject}, nil
	case ssService + ".Unlock":
		var done, pending []dbus.ObjectPath
		for _, p := range args[0].([]dbus.ObjectPath) {
			c := p
			if it := f.items[p]; it != nil {
				c = it.coll
			}
			if f.colls[c] == nil {
				continue
			}
			if f.colls[c].locked {
				pending = append(pending, p)
			} else {
				done = append(done, p)
			}
		}
		if len(pending) == 0 {
			return []any{append([]dbus.ObjectPath{}, done...), noObject}, nil
		}
		prompt := f.newPrompt(func() dbus.Variant {
			for _, p := range pending {
				if it := f.items[p]; it != nil {
					p = it.coll
				}
				f.colls[p].locked = false
			}
			return dbus.MakeVariant(pending)
		})
		return []any{append([]dbus.ObjectPath{}, done...), prompt}, nil
	}
	return nil, fakeErr("org.freedesktop.DBus.Error.UnknownMethod", method)
}

// createItem is Collection.CreateItem: with replace, the item of this
// collection with exactly the same attributes gets the new label and
// secret; otherwise a new item is added.
func (f *fakeService) createItem(coll dbus.ObjectPath, args []any) ([]any, error) {
	if f.colls[coll].locked {
		return nil, errLocked
	}
	if f.failWrites {
		return nil, fakeErr("org.freedesktop.Secret.Error.IsLocked", "cannot write to the collection")
	}
	props := args[0].(map[string]dbus.Variant)
	label, _ := props[ssItem+".Label"].Value().(string)
	attrs, _ := props[ssItem+".Attributes"].Value().(map[string]string)
	var sec ssSecret
	if err := dbus.Store([]any{args[1]}, &sec); err != nil {
		return nil, fakeErr("org.freedesktop.DBus.Error.InvalidArgs", err.Error())
	}
	s := f.sessions[sec.Session]
	if s == nil {
		return nil, errNoSession
	}
	value, err := s.open(sec)
	if err != nil {
		return nil, fakeErr("org.freedesktop.DBus.Error.InvalidArgs", "the secret does not decrypt")
	}
	create := func() dbus.Variant {
		if args[2].(bool) {
			for _, it := range f.items {
				if it.coll == coll && maps.Equal(it.attrs, attrs) {
					f.clock++
					it.label, it.secret, it.contentType, it.modified = label, value, sec.ContentType, f.clock
					return dbus.MakeVariant(it.path)
				}
			}
		}
		p := f.addItem(coll, label, attrs, string(value))
		f.items[p].contentType = sec.ContentType
		return dbus.MakeVariant(p)
	}
	if f.promptWrites {
		return []any{noObject, f.newPrompt(create)}, nil
	}
	return []any{create().Value(), noObject}, nil
}

// property answers Properties.Get for collections and items; the
// properties of a locked item, but Locked, are withheld.
func (f *fakeService) property(path dbus.ObjectPath, iface, name string) ([]any, error) {
	if c := f.colls[path]; c != nil && iface == ssCollection && name == "Locked" {
		return []any{dbus.MakeVariant(c.locked)}, nil
	}
	if it := f.items[path]; it != nil && iface == ssItem {
		locked := f.colls[it.coll].locked
		switch {
		case name == "Locked":
			return []any{dbus.MakeVariant(locked)}, nil
		case locked:
			return nil, errLocked
		case name == "Label":
			return []any{dbus.MakeVariant(it.label)}, nil
		case name == "Attributes":
			return []any{dbus.MakeVariant(maps.Clone(it.attrs))}, nil
		case name == "Modified":
			return []any{dbus.MakeVariant(it.modified)}, nil
		}
	}
	return nil, fakeErr("org.freedesktop.DBus.Error.UnknownProperty", iface+"."+name)
}

// newPrompt registers a prompt whose acceptance runs action.
func (f *fakeService) newPrompt(action func() dbus.Variant) dbus.ObjectPath {
	f.serial++
	p := dbus.ObjectPath("/org/freedesktop/secrets/prompt/p" + strconv.Itoa(f.serial))
	f.prompts[p] = action
	return p
}
