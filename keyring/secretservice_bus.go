//go:build !darwin && !windows

package keyring

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/godbus/dbus/v5"
)

// Names of the Secret Service API (https://specifications.freedesktop.org/
// secret-service/) and of the bus itself.
const (
	ssName        = "org.freedesktop.secrets"
	ssPath        = dbus.ObjectPath("/org/freedesktop/secrets")
	ssService     = "org.freedesktop.Secret.Service"
	ssCollection  = "org.freedesktop.Secret.Collection"
	ssItem        = "org.freedesktop.Secret.Item"
	ssSessionName = "org.freedesktop.Secret.Session"
	ssPrompt      = "org.freedesktop.Secret.Prompt"
	ssProperties  = "org.freedesktop.DBus.Properties"
	busName       = "org.freedesktop.DBus"
	busPath       = dbus.ObjectPath("/org/freedesktop/DBus")
	// noObject is "/", the Secret Service's "none": no prompt needed, no
	// collection behind an alias, no item created yet.
	noObject = dbus.ObjectPath("/")
)

// ssConn is what the backend needs of a session-bus connection: method
// calls (each bounded by ctx) and prompts. godbusConn is the real one; the
// tests answer it with an in-process Secret Service.
type ssConn interface {
	// call invokes method ("interface.Member") on the object at path of
	// dest and returns the reply's body.
	call(ctx context.Context, dest string, path dbus.ObjectPath, method string, args ...any) ([]any, error)
	// prompt shows the prompt at path (Prompt.Prompt with no parent
	// window) and waits, bounded by ctx, for its Completed signal.
	prompt(ctx context.Context, path dbus.ObjectPath) (dismissed bool, result dbus.Variant, err error)
	// close ends the connection, and with it the service's sessions for it.
	close()
}

// godbusConn is a private session-bus connection.
type godbusConn struct{ conn *dbus.Conn }

func (c godbusConn) call(ctx context.Context, dest string, path dbus.ObjectPath, method string, args ...any) ([]any, error) {
	call := c.conn.Object(dest, path).CallWithContext(ctx, method, 0, args...)
	return call.Body, call.Err
}

func (c godbusConn) prompt(ctx context.Context, path dbus.ObjectPath) (bool, dbus.Variant, error) {
	match := []dbus.MatchOption{
		dbus.WithMatchObjectPath(path),
		dbus.WithMatchInterface(ssPrompt),
		dbus.WithMatchMember("Completed"),
	}
	if err := c.conn.AddMatchSignalContext(ctx, match...); err != nil {
		return false, dbus.Variant{}, err
	}
	defer c.conn.RemoveMatchSignalContext(ctx, match...)
	signals := make(chan *dbus.Signal, 8)
	c.conn.Signal(signals)
	defer c.conn.RemoveSignal(signals)

	obj := c.conn.Object(ssName, path)
	if err := obj.CallWithContext(ctx, ssPrompt+".Prompt", 0, "").Err; err != nil {
		return false, dbus.Variant{}, err
	}
	for {
		select {
		case sig, ok := <-signals:
			if !ok {
				return false, dbus.Variant{}, errors.New("the D-Bus connection closed while waiting for the keyring prompt")
			}
			if sig.Path != path || sig.Name != ssPrompt+".Completed" {
				continue
			}
			var dismissed bool
			var result dbus.Variant
			if err := dbus.Store(sig.Body, &dismissed, &result); err != nil {
				return false, dbus.Variant{}, fmt.Errorf("malformed prompt completion: %w", err)
			}
			return dismissed, result, nil
		case <-ctx.Done():
			// No Prompt.Dismiss: gnome-keyring 42 aborts (assertion in
			// gkd-secret-unlock.c) when an unlock prompt whose dialog is up
			// is dismissed. The dialog stays; answering it later unlocks
			// the keyring and harms nothing.
			return false, dbus.Variant{}, ctx.Err()
		}
	}
}

func (c godbusConn) close() { c.conn.Close() }

// errorName is the D-Bus error name of err ("" when err is no D-Bus
// error reply).
func errorName(err error) string {
	var v dbus.Error
	if errors.As(err, &v) {
		return v.Name
	}
	var p *dbus.Error
	if errors.As(err, &p) && p != nil {
		return p.Name
	}
	return ""
}

// noService reports whether err says the bus has no Secret Service and
// cannot start one.
func noService(err error) bool {
	name := errorName(err)
	return name == "org.freedesktop.DBus.Error.ServiceUnknown" ||
		name == "org.freedesktop.DBus.Error.NameHasNoOwner" ||
		strings.HasPrefix(name, "org.freedesktop.DBus.Error.Spawn.")
}
