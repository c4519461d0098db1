# procs.sh: sourced by squid.sh and sshd.sh. stop_recorded DIR stops the
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
	for _ in $(seq 1 50); do
		local alive=""
		for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
		[ -z "$alive" ] && break
		sleep 0.1
	done
	for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
	for _ in $(seq 1 20); do
		local left=""
		for p in $pids; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
		[ -z "$left" ] && break
		sleep 0.1
	done
	rm -rf "$dir"
}
