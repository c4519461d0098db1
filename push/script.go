package push

// script is the receiving end, run by a POSIX sh on the target as
//
//	sh -c SCRIPT codex-login-push CODEX_HOME SYSTEM_DIR
//
// CODEX_HOME "" means the target's $CODEX_HOME, else $HOME/.codex;
// SYSTEM_DIR is where Codex keeps its machine-wide config (/etc/codex). No
// secret is in it or on its command line: stdin holds the SHA-256 the file
// must have, on a line of its own, then the bytes of auth.json.
//
// Before reading the credentials it refuses a target whose Codex keeps
// them elsewhere (cli_auth_credentials_store = "keyring" or "ephemeral",
// the last file that sets it winning, managed_config.toml last) and a
// CODEX_HOME that others may write to. The bytes go with cat into a temp
// file created under umask 077 in CODEX_HOME (its name starts like
// codexauth's, so a later codex-login cleans a leftover), whose SHA-256
// and mode are checked before a rename replaces auth.json, under Codex's
// two locks where util-linux flock is there. The EXIT trap removes the
// temp file on every failure. Each answer is a "codex-login-push: KEY
// VALUE" line on stdout; "error STEP DETAIL" ends a failure, "done" a
// success.
const script = `umask 077
say() { printf 'codex-login-push: %s\n' "$*"; }
stop() { say "error $*"; exit 3; }
home=$1 etc=${2:-/etc/codex}
if [ -z "$home" ]; then
	home=${CODEX_HOME:-}
	if [ -z "$home" ]; then
		[ -n "${HOME:-}" ] || stop home
		home=$HOME/.codex
	fi
fi
case $home in /*) ;; *) home=$(pwd)/$home ;; esac
say "home $home"
say "user $(id -un 2>/dev/null || id -u)"

mode= from=
for f in "$etc/config.toml" "$home/config.toml" "$etc/managed_config.toml"; do
	[ -f "$f" ] && [ -r "$f" ] || continue
	v=$(sed -n "s/^[[:space:]]*cli_auth_credentials_store[[:space:]]*=[[:space:]]*[\"']\([A-Za-z]*\)[\"'].*/\1/p" "$f" | tail -n 1)
	[ -z "$v" ] || { mode=$v; from=$f; }
done
case $mode in keyring | ephemeral) say "store $mode"; stop store "$from" ;; esac

if command -v sha256sum >/dev/null 2>&1; then sum() { sha256sum <"$1"; }
elif command -v shasum >/dev/null 2>&1; then sum() { shasum -a 256 <"$1"; }
elif command -v openssl >/dev/null 2>&1; then sum() { openssl dgst -sha256 -r <"$1"; }
else stop sha256; fi

[ -d "$home" ] || mkdir -p -m 700 "$home" || stop mkdir "$home"
dir=$(ls -ldL "$home") || stop mkdir "$home"
say "dir $dir"
case $dir in d????-??-*) ;; *) stop dirmode "$home" ;; esac

tmp=$home/.auth.json.tmp-push-$$
trap 'rm -f "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
IFS= read -r want || stop input
rm -f "$tmp"
cat >"$tmp" || stop write "$tmp"
got=$(sum "$tmp") || stop sha256
got=${got%% *}
if [ "$got" != "$want" ]; then say "got $got"; stop mismatch "$tmp"; fi
file=$(ls -ld "$tmp") || stop write "$tmp"
case $file in -rw-------*) ;; *) say "file $file"; stop filemode "$tmp" ;; esac
sync "$tmp" 2>/dev/null || sync

if flock -V 2>/dev/null | grep -q util-linux; then
	flock -E 75 -w 30 "$home/auth.lock" flock -E 75 -w 30 "$home/auth.json.lock" mv -f "$tmp" "$home/auth.json"
	rc=$?
	[ $rc != 75 ] || stop lock "$home/auth.lock"
	[ $rc = 0 ] || stop rename "$home/auth.json"
else
	mv -f "$tmp" "$home/auth.json" || stop rename "$home/auth.json"
fi
sync "$home" 2>/dev/null
got=$(sum "$home/auth.json") && say "sum ${got%% *}"
say "file $(ls -ld "$home/auth.json")"
say "dir $(ls -ldL "$home")"
say done
`

// scriptName is $0 of the remote sh: what ps shows there besides "sh -c".
const scriptName = "codex-login-push"

// remoteWords are the words that run the script on the target.
func remoteWords(codexHome, systemDir string) []string {
	if systemDir == "" {
		systemDir = "/etc/codex"
	}
	return []string{"sh", "-c", script, scriptName, codexHome, systemDir}
}
