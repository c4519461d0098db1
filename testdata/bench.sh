#!/usr/bin/env bash
# bench.sh: codex-login and the real Codex CLI side by side, from a fresh
# clone on a fresh Debian machine (it installs what it needs). The README's
# benchmark command; not part of testdata/test.sh.
#
#   testdata/bench.sh            (BENCH_N=N runs per measurement, default 10;
#                                 BENCH_DELAY=25ms one-way latency added)
#
# 1. testdata/e2e/setup.sh installs squid-openssl and the pinned Codex CLI.
# 2. Outside any namespace: builds codex-login as released
#    (go run ./tools/release --targets linux/amd64) and the driver tools/bench.
# 3. testdata/e2e/sandbox.sh runs the driver in a network namespace of its
#    own where only loopback exists. The driver starts the fake issuer as
#    auth.openai.com (a name only squid's hosts_file knows), squid with
#    ssl-bump (testdata/e2e/squid.sh), a relay in front of squid that adds
#    the latency, then runs both tools, prints one table and rewrites the
#    Results section of PERFORMANCE.md.
# Benchmarks report; they never fail on timing. The exit status is non-zero
# only when the harness itself breaks. Needs root (apt-get, unshare, squid,
# port 443 in the namespace).
set -euo pipefail
export PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin # squid, ip, runuser live there

ROOT=$(cd "$(dirname "$0")/.." && pwd)
command -v go >/dev/null || PATH=/usr/local/go/bin:$PATH
E2E=$ROOT/testdata/e2e
now() { date +%s%N; }
since() { local ms=$((($(now) - $1) / 1000000)); printf '%d.%01ds' $((ms / 1000)) $((ms % 1000 / 100)); }

t0=$(now)
CODEX=$(bash "$E2E/setup.sh" </dev/null | tail -n 1)
# GNU time measures peak RSS (a Go child's own rusage counts its parent's memory).
[ -x /usr/bin/time ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
# The npm launcher (node) starts the native binary; the driver runs that
# binary directly, as the launcher does, so node's start-up is measured apart.
PKG=$(cd "$(dirname "$CODEX")/../@openai" && pwd)
NATIVE=$(find "$PKG" -path '*/vendor/*/bin/codex' -type f | head -n 1)
[ -x "$NATIVE" ] || { echo "bench: no native codex binary under $PKG" >&2; exit 1; }
echo "bench: setup $(since "$t0")"

# Everything the run makes goes under WORK, removed at exit. squid runs as
# user proxy, which must be able to enter it.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/codex-login-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"
t1=$(now)
(
	cd "$ROOT"
	go run ./tools/release --version 0.0.0-bench --targets linux/amd64 --out "$WORK/release" >/dev/null
	tar -xzf "$WORK/release/codex-login_0.0.0-bench_linux_amd64.tar.gz" -C "$WORK/release"
	go build -o "$WORK/bench" ./tools/bench
	# What starting a Go binary costs here: an empty program, and one that
	# links what every codex-login command links. Built like the release, as
	# a module of their own that uses this one's versions.
	for f in empty net; do
		mkdir -p "$WORK/floor/$f"
		cp go.sum "$WORK/floor/$f/"
		printf 'module floor\n\ngo 1.26\n\nrequire %s\n' "$(go list -m github.com/spf13/cobra)" >"$WORK/floor/$f/go.mod"
	done
	printf 'package main\n\nfunc main() {}\n' >"$WORK/floor/empty/main.go"
	printf 'package main\n\nimport (\n\t_ "crypto/tls"\n\t_ "net/http"\n\n\t_ "github.com/spf13/cobra"\n)\n\nfunc main() {}\n' >"$WORK/floor/net/main.go"
	for f in empty net; do
		(cd "$WORK/floor/$f" && CGO_ENABLED=0 go build -mod=mod -trimpath -ldflags='-s -w' -o "$WORK/floor-$f" .) ||
			echo "bench: the $f floor program did not build; its rows are left out" >&2
	done
)
BIN=$WORK/release/codex-login_0.0.0-bench_linux_amd64/codex-login
[ -x "$BIN" ] || { echo "bench: the release archive holds no codex-login" >&2; exit 1; }
echo "bench: build $(since "$t1")"

t2=$(now)
mkdir -m 755 "$WORK/run"
TMPDIR=$WORK/run bash "$E2E/sandbox.sh" "$WORK/bench" \
	-codex-login "$BIN" -archive "$WORK/release/codex-login_0.0.0-bench_linux_amd64.tar.gz" \
	-codex "$NATIVE" -codex-launcher "$CODEX" -codex-pkg "$PKG" \
	-scripts "$E2E" -work "$WORK/run" -doc "$ROOT/PERFORMANCE.md" \
	-floor-empty "$WORK/floor-empty" -floor-net "$WORK/floor-net" \
	-commit "$(git -C "$ROOT" rev-parse HEAD)$(git -C "$ROOT" diff --quiet HEAD -- . ':!PERFORMANCE.md' 2>/dev/null || echo ' (with uncommitted changes)')" \
	-n "${BENCH_N:-10}" -delay "${BENCH_DELAY:-25ms}" </dev/null
echo "bench: measured $(since "$t2"), total $(since "$t0")"
