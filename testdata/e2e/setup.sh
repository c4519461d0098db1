#!/usr/bin/env bash
# setup.sh: install what the end-to-end suite needs on a fresh Debian machine,
# idempotently and without asking anything (CI=true, no stdin):
#   - squid-openssl (squid built with ssl-bump) and its helpers;
#   - openssh-server, for sshd.sh, and the user codex-e2e that the push
#     cases sign in as over ssh (never root);
#   - dbus-daemon, gnome-keyring and libsecret-tools, for keyring.sh (a
#     Secret Service on a session bus of the suite's own);
#   - krb5-kdc, krb5-admin-server (kadmin.local) and krb5-user (kinit), for
#     kdc.sh (a Kerberos realm of the suite's own; squid's
#     negotiate_kerberos_auth comes with squid-openssl);
#   - chromium, libnss3-tools (certutil) and nginx-light, for the web case: a
#     real browser, trusting the inspection CA through an NSS database as a
#     user's would, opens codex-login web behind a reverse proxy;
#   - the Codex CLI, pinned, under $CACHE/codex (never in the repository).
# Prints the path of the codex executable on its last line.
set -euo pipefail
export PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin # squid, ip, runuser live there

CODEX_VERSION=0.169.0
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/codex-login-e2e
export DEBIAN_FRONTEND=noninteractive

log() { printf 'setup: %s\n' "$*" >&2; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

# apt_install PACKAGE...: install what is missing, refreshing the package
# lists only when apt does not know a package or an install from the current
# lists fails (they may be stale).
apt_install() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} = 0 ] && { log "already installed: $*"; return; }
	for p in "${missing[@]}"; do
		if ! apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
			log "apt-get update ($p unknown to apt)"
			as_root apt-get update -q >/dev/null
			break
		fi
	done
	log "apt-get install ${missing[*]}"
	if ! as_root apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >/dev/null; then
		log "install failed; apt-get update and retry"
		as_root apt-get update -q >/dev/null
		as_root apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >/dev/null
	fi
}

install_packages() {
	# squid-openssl: /usr/sbin/squid with ssl-bump, and the helpers
	# security_file_certgen and basic_ncsa_auth under /usr/lib/squid.
	local pkgs=(squid-openssl) cmd pkg ssh_was_active=no nginx_was_active=no
	# The tools the scripts use, with the package that has each.
	for cmd in curl:curl openssl:openssl ss:iproute2 ip:iproute2 pgrep:procps \
		unshare:util-linux runuser:util-linux mount:mount node:nodejs npm:npm \
		sshd:openssh-server ssh:openssh-client ssh-keygen:openssh-client useradd:passwd \
		dbus-daemon:dbus-daemon dbus-send:dbus-bin gnome-keyring-daemon:gnome-keyring secret-tool:libsecret-tools; do
		command -v "${cmd%%:*}" >/dev/null || pkgs+=("${cmd#*:}")
	done
	# Kerberos, for kdc.sh.
	for cmd in krb5kdc:krb5-kdc kdb5_util:krb5-kdc kadmin.local:krb5-admin-server kinit:krb5-user; do
		command -v "${cmd%%:*}" >/dev/null || pkgs+=("${cmd#*:}")
	done
	# The web case: a real browser, its certificate database tool, and a
	# reverse proxy in front of codex-login web.
	for cmd in chromium:chromium certutil:libnss3-tools nginx:nginx-light; do
		command -v "${cmd%%:*}" >/dev/null || pkgs+=("${cmd#*:}")
	done
	if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then
		nginx_was_active=yes
	fi
	if command -v systemctl >/dev/null && systemctl is-active --quiet ssh 2>/dev/null; then
		ssh_was_active=yes
	fi
	apt_install "${pkgs[@]}"
	# Installing openssh-server starts the system sshd where systemd runs;
	# the suite starts its own on loopback, so one it started is stopped
	# (one that ran before is left alone).
	if [ $ssh_was_active = no ] && command -v systemctl >/dev/null && systemctl is-active --quiet ssh 2>/dev/null; then
		as_root systemctl disable --now ssh || true
	fi
	# Installing nginx starts the system nginx on :80 where systemd runs; the
	# web case starts its own on loopback, so one it started is stopped.
	if [ $nginx_was_active = no ] && command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then
		as_root systemctl disable --now nginx || true
	fi
	# The package starts a system squid on :3128 where systemd runs; the
	# suite starts its own, so stop that one.
	if command -v systemctl >/dev/null && systemctl is-active --quiet squid 2>/dev/null; then
		as_root systemctl stop squid || true
	fi
}

# install_push_user: the target user of the push cases. Its password is
# "*", not useradd's locked "!": sshd without PAM refuses a locked account,
# and "*" still matches no password.
install_push_user() {
	local user=codex-e2e
	if ! id -u "$user" >/dev/null 2>&1; then
		log "useradd $user"
		as_root useradd --create-home --shell /bin/sh "$user"
	fi
	if [ "$(as_root getent shadow "$user" | cut -d: -f2)" != "*" ]; then
		as_root usermod -p '*' "$user"
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

install_packages
install_push_user
install_codex
