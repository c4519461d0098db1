# procs.sh: sourced by squid.sh and sshd.sh, which define die.
#
# free_port prints a free port on this machine.
free_port() {
	local p
	for _ in $(seq 1 200); do
		p=$((20000 + RANDOM % 40000))
		[ -z "$(ss -ltnH "sport = :$p")" ] && { echo "$p"; return; }
	done
	die "no free port"
}

# wait_listen PORT PID: wait until PID itself listens on PORT.
wait_listen() {
	for _ in $(seq 1 100); do
		ss -ltnpH "sport = :$1" | grep -q "pid=$2," && return 0
		kill -0 "$2" 2>/dev/null || break
		sleep 0.1
	done
	return 1
}

# stop_recorded DIR stops the
# processes whose PIDs DIR/pids records, and their children: TERM, a wait,
# then KILL what is left, and a wait until init has reaped them. Then it
# removes DIR.
stop_recorded() {
	local dir=$1 pids="" p
	[ -f "$dir/pids" ] || { rm -rf "$dir"; return 0; }
	for p in $(cat "$dir/pids"); do
		kill -0 "$p" 2>/dev/null || continue
		pids="$pids $p $(pgrep -P "$p" | tr '\n' ' ' || true)" # pgrep fails when there is no child
	done
	for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
	wait_gone 50 $pids
	for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
	wait_gone 20 $pids
	rm -rf "$dir"
}

# wait_gone TENTHS PID...: waits until none of the PIDs is alive, at most
# TENTHS tenths of a second.
wait_gone() {
	local tenths=$1 p alive
	shift
	for _ in $(seq 1 "$tenths"); do
		alive=""
		for p in "$@"; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
		[ -z "$alive" ] && return 0
		sleep 0.1
	done
}
