//go:build !darwin && !windows

package keyring

import (
	"context"
	"os"
	"path/filepath"
	"strconv"

	"github.com/godbus/dbus/v5"
)

// System returns the keyring Codex uses on this system: the Secret Service
// on the D-Bus session bus. Nothing is connected until the first call; each
// call then connects on its own (see SecretService).
func System() *SecretService {
	return &SecretService{dial: dialSessionBus}
}

// dialSessionBus connects to the session bus the way Codex's D-Bus library
// finds it: DBUS_SESSION_BUS_ADDRESS, else the bus socket in the user's
// runtime directory. It never launches a bus (no dbus-launch, no
// autolaunch), and connecting, authenticating and saying Hello are bounded
// by ctx. The connection outlives ctx; close ends it.
func dialSessionBus(ctx context.Context) (ssConn, error) {
	addr := sessionBusAddress()
	if addr == "" {
		return nil, &UnavailableError{Reason: "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	conn, err := dbus.Dial(addr)
	if err != nil {
		return nil, &UnavailableError{Reason: "cannot reach the D-Bus session bus", Err: err}
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	err = conn.Auth(nil)
	if err == nil {
		err = conn.Hello()
	}
	if !stop() {
		conn.Close()
		return nil, &UnavailableError{Reason: "cannot reach the D-Bus session bus", Err: ctx.Err()}
	}
	if err != nil {
		conn.Close()
		return nil, &UnavailableError{Reason: "cannot reach the D-Bus session bus", Err: err}
	}
	return godbusConn{conn}, nil
}

// sessionBusAddress is DBUS_SESSION_BUS_ADDRESS, or, when that is unset
// (or the "autolaunch:" placeholder), the unix socket "bus" in
// XDG_RUNTIME_DIR (else /run/user/<uid>) when it exists, as systemd user
// sessions provide. It is "" when there is neither.
func sessionBusAddress() string {
	if addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); addr != "" && addr != "autolaunch:" {
		return addr
	}
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = filepath.Join("/run/user", strconv.Itoa(os.Getuid()))
	}
	sock := filepath.Join(dir, "bus")
	if fi, err := os.Stat(sock); err != nil || fi.Mode().Type() != os.ModeSocket {
		return ""
	}
	return "unix:path=" + dbus.EscapeBusAddressValue(sock)
}
