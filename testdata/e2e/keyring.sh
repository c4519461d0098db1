#!/usr/bin/env bash
# keyring.sh start DIR | stop DIR: a D-Bus session bus with GNOME Keyring's
# Secret Service on it, headless, for the keyring cases.
#
#   start  makes DIR (must not exist), starts dbus-daemon on the socket
#          DIR/bus and gnome-keyring-daemon (secrets component only) with
#          HOME and XDG_* under DIR, unlocked with a password given on its
#          stdin (the login collection is made on first start and becomes
#          the default collection), waits until org.freedesktop.secrets is
#          owned on the bus, then writes DIR/env (KEY="VALUE" lines):
#            DBUS_SESSION_BUS_ADDRESS, KEYRING_LOG.
#   stop   stops both by the PIDs recorded in DIR/pids, and removes DIR.
#
# Needs dbus-daemon, gnome-keyring and libsecret-tools (setup.sh installs them).
set -euo pipefail

die() { printf 'keyring.sh: %s\n' "$*" >&2; exit 1; }
# shellcheck source=procs.sh
. "$(dirname "${BASH_SOURCE[0]}")/procs.sh"

start() {
	command -v dbus-daemon >/dev/null || die "dbus-daemon is not installed: run testdata/e2e/setup.sh"
	command -v gnome-keyring-daemon >/dev/null || die "gnome-keyring is not installed: run testdata/e2e/setup.sh"
	[ -e "$DIR" ] && die "$DIR exists"
	mkdir -m 700 "$DIR"
	trap 'rc=$?; [ $rc = 0 ] || stop; exit $rc' EXIT
	mkdir -m 700 "$DIR/home" "$DIR/data" "$DIR/config" "$DIR/run"
	local bus=unix:path=$DIR/bus
	# --nofork keeps the daemon our child; its PID is the one recorded.
	dbus-daemon --session --nofork --address="$bus" >"$DIR/dbus.log" 2>&1 &
	echo $! >>"$DIR/pids"
	for _ in $(seq 1 50); do [ -S "$DIR/bus" ] && break; sleep 0.1; done
	[ -S "$DIR/bus" ] || die "dbus-daemon did not make $DIR/bus: $(cat "$DIR/dbus.log")"
	printf 'codex-login-e2e' | env HOME="$DIR/home" XDG_DATA_HOME="$DIR/data" XDG_CONFIG_HOME="$DIR/config" \
		XDG_RUNTIME_DIR="$DIR/run" DBUS_SESSION_BUS_ADDRESS="$bus" \
		gnome-keyring-daemon --foreground --unlock --components=secrets >"$DIR/keyring.log" 2>&1 &
	echo $! >>"$DIR/pids"
	for _ in $(seq 1 100); do
		if DBUS_SESSION_BUS_ADDRESS="$bus" dbus-send --session --print-reply --dest=org.freedesktop.DBus \
			/org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
			grep -q 'boolean true'; then
			printf 'DBUS_SESSION_BUS_ADDRESS="%s"\nKEYRING_LOG="%s"\n' "$bus" "$DIR/keyring.log" >"$DIR/env"
			return 0
		fi
		sleep 0.1
	done
	die "no Secret Service on the bus after 10s: $(cat "$DIR/keyring.log")"
}

stop() { stop_recorded "$DIR"; }

[ $# = 2 ] || die "usage: keyring.sh start|stop DIR"
DIR=$2
case $1 in
start) start ;;
stop) stop ;;
*) die "usage: keyring.sh start|stop DIR" ;;
esac
