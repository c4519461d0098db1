#!/usr/bin/env bash
# sandbox.sh CMD [ARG...]: run CMD in a network and mount namespace of its own,
# where only loopback exists. Nothing started in it (squid, the Codex CLI, the
# binary under test) can send a packet off this machine, and no name lookup
# leaves it:
#   /etc/resolv.conf  nameserver 127.0.0.1, so a DNS lookup fails at once (a
#                     refused packet, or NXDOMAIN from the suite's own
#                     responder) instead of reaching a real resolver;
#   /etc/hosts        localhost, plus "127.0.0.1 NAME" for every name in
#                     $E2E_HOSTS (space separated; empty by default), and
#                     proxy.corp.test: the Negotiate squid, whose Kerberos
#                     principal is HTTP/proxy.corp.test.
# Both are bind mounts visible only inside the namespace. Needs root (as CI is);
# otherwise it tries sudo -n. When CMD exits, any process it left behind in the
# namespace is reported and killed by its PID, so the namespace goes away.
set -euo pipefail
export PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin # squid, ip, runuser live there

if [ -z "${E2E_SANDBOXED:-}" ]; then
	if [ "$(id -u)" != 0 ]; then
		exec sudo -n --preserve-env bash "$0" "$@"
	fi
	exec env E2E_SANDBOXED=1 unshare --net --mount --propagation private -- bash "$0" "$@"
fi

ip link set lo up
etc=$(mktemp -d "${TMPDIR:-/tmp}/codex-login-e2e-etc.XXXXXX")
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$etc/resolv.conf"
{
	printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n'
	for name in ${E2E_HOSTS:-}; do printf '127.0.0.1\t%s\n' "$name"; done
	printf '127.0.0.1\tproxy.corp.test\n' # the Negotiate squid (kdc.sh, squid.sh)
} >"$etc/hosts"
chmod 644 "$etc/resolv.conf" "$etc/hosts"
mount --bind "$etc/resolv.conf" /etc/resolv.conf
mount --bind "$etc/hosts" /etc/hosts
# The mounts keep the files alive; the directory itself is no longer needed.
rm -rf "$etc"

# kill_leftovers: kill, by PID, every process still in this network namespace
# except this shell (the test [ -ef ] is a builtin: the loop forks nothing).
kill_leftovers() {
	local p cmd
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = $$ ] && continue
		[ "$p/ns/net" -ef /proc/$$/ns/net ] || continue
		cmd=$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null) || continue
		[ -n "$cmd" ] || cmd="(exiting)"
		printf 'sandbox.sh: killing leftover pid %s: %s\n' "${p#/proc/}" "$cmd" >&2
		kill -KILL "${p#/proc/}" 2>/dev/null || true
	done
}

"$@" &
child=$!
trap 'kill -TERM $child 2>/dev/null' TERM INT HUP
rc=0
wait $child || rc=$?
# wait returns early when a trapped signal arrives; wait for the child itself.
while kill -0 $child 2>/dev/null; do
	rc=0
	wait $child || rc=$?
done
kill_leftovers
exit $rc
