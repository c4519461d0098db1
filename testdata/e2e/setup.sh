#!/usr/bin/env bash
# setup.sh: install what the end-to-end suite needs on a fresh Debian machine,
# idempotently and without asking anything (CI=true, no stdin):
#   - squid-openssl (squid built with ssl-bump) and its helpers;
#   - the Codex CLI, pinned, under $CACHE/codex (never in the repository).
# Prints the path of the codex executable on its last line.
set -euo pipefail

CODEX_VERSION=0.169.0
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/codex-login-e2e
export DEBIAN_FRONTEND=noninteractive

log() { printf 'setup: %s\n' "$*" >&2; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

install_squid() {
	# squid-openssl provides /usr/sbin/squid with ssl-bump and the helpers
	# security_file_certgen and basic_ncsa_auth under /usr/lib/squid.
	if dpkg-query -W -f='${Status}' squid-openssl 2>/dev/null | grep -q 'install ok installed' &&
		[ -x /usr/lib/squid/security_file_certgen ] && [ -x /usr/lib/squid/basic_ncsa_auth ]; then
		log "squid-openssl already installed"
		return
	fi
	# Refresh the package lists only when apt does not know the package, or
	# when an install from the current lists fails (they may be stale).
	if ! apt-cache policy squid-openssl 2>/dev/null | grep -q 'Candidate: [0-9]'; then
		log "apt-get update (squid-openssl unknown to apt)"
		as_root apt-get update -q >/dev/null
	fi
	log "apt-get install squid-openssl"
	if ! as_root apt-get install -y -q --no-install-recommends squid-openssl </dev/null >/dev/null; then
		log "install failed; apt-get update and retry"
		as_root apt-get update -q >/dev/null
		as_root apt-get install -y -q --no-install-recommends squid-openssl </dev/null >/dev/null
	fi
	# The package starts a system squid on :3128 when systemd is present; the
	# suite runs its own, so stop that one if it is running.
	if command -v systemctl >/dev/null && systemctl is-active --quiet squid 2>/dev/null; then
		as_root systemctl stop squid || true
	fi
}

install_codex() {
	local dir=$CACHE/codex have
	have=$(node -p "require('$dir/node_modules/@openai/codex/package.json').version" 2>/dev/null || true)
	if [ "$have" = "$CODEX_VERSION" ] && [ -x "$dir/node_modules/.bin/codex" ]; then
		log "@openai/codex@$CODEX_VERSION already installed in $dir"
	else
		log "npm install @openai/codex@$CODEX_VERSION into $dir"
		mkdir -p "$dir"
		npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error \
			"@openai/codex@$CODEX_VERSION" </dev/null >&2
	fi
	echo "$dir/node_modules/.bin/codex"
}

for tool in openssl curl node npm unshare ip; do
	command -v "$tool" >/dev/null || { log "missing $tool"; exit 1; }
done
install_squid
install_codex
