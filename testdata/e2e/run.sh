#!/usr/bin/env bash
# run.sh: the end-to-end suite, run after `go test ./...`.
#
#   testdata/e2e/run.sh [-test.run REGEXP ...]   (extra arguments go to the test binary)
#
# 1. setup.sh installs squid-openssl, chromium, nginx and the pinned Codex CLI
#    (idempotent).
# 2. Outside any namespace: build codex-login and the e2e test binary
#    (`go test -c -tags e2e`), so nothing is downloaded later.
# 3. sandbox.sh runs the test binary in a network namespace of its own where
#    only loopback exists and no name lookup leaves the machine; the test
#    starts squid, the fake issuer, the binary, the scripted browser and the
#    Codex CLI there, and stops each by its PID.
# 4. Prints the time of each case and, last, "N passed, N failed". Exits
#    non-zero when any case failed.
# Files for people to look at after the run (the web case's screenshots) go
# to $E2E_ARTIFACTS, by default .e2e-artifacts/ at the top of the
# repository: one directory per case, emptied when the case starts.
# Needs root (CI runs as root), for apt-get, unshare and squid.
set -euo pipefail
export PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin # squid, ip, runuser live there

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v go >/dev/null || PATH=/usr/local/go/bin:$PATH
E2E=$ROOT/testdata/e2e
E2E_ARTIFACTS=${E2E_ARTIFACTS:-$ROOT/.e2e-artifacts}
mkdir -p "$E2E_ARTIFACTS"
E2E_ARTIFACTS=$(cd "$E2E_ARTIFACTS" && pwd) # the tests run in another directory
export E2E_ARTIFACTS
now() { date +%s%N; }
since() { local ms=$((($(now) - $1) / 1000000)); printf '%d.%01ds' $((ms / 1000)) $((ms % 1000 / 100)); }

# broken STEP: a failure before any case ran still ends with the summary line.
broken() { echo "e2e: $1 failed"; echo "0 passed, 1 failed"; exit 1; }

t0=$(now)
CODEX=$(bash "$E2E/setup.sh" </dev/null | tail -n 1) || broken setup
echo "e2e: setup $(since "$t0")"

# Everything the suite makes goes under WORK, removed at exit even when the
# run is interrupted. squid runs as user proxy, which must be able to enter it.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/codex-login-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"
mkdir -m 755 "$WORK/tmp"
t1=$(now)
(
	cd "$ROOT"
	CGO_ENABLED=0 go build -o "$WORK/codex-login" ./cmd/codex-login
	# The profile case runs tools/release inside the namespace, offline: fill
	# the build cache for its -trimpath build here.
	CGO_ENABLED=0 go build -trimpath -buildvcs=false -o /dev/null ./cmd/codex-login
	go build -o /dev/null ./tools/release
	go test -c -tags e2e -o "$WORK/e2e.test" ./cmd/codex-login
) || broken build
echo "e2e: build $(since "$t1")"

t2=$(now)
# The test binary runs where `go test` would run it: in its package directory.
# Its output is shown and kept for the summary. A Ctrl-C reaches the whole
# foreground group: sandbox.sh passes it on and then kills, by PID, whatever
# the tests left running.
rc=0
(
	cd "$ROOT/cmd/codex-login"
	exec env TMPDIR="$WORK/tmp" CODEX_LOGIN_BIN="$WORK/codex-login" CODEX_BIN="$CODEX" E2E_SCRIPTS="$E2E" E2E_HOSTS=auth.corp.test \
		bash "$E2E/sandbox.sh" "$WORK/e2e.test" -test.run '^TestE2E$' -test.v -test.count=1 -test.timeout=12m "$@"
) </dev/null 2>&1 | tee "$WORK/e2e.log" || rc=${PIPESTATUS[0]}
echo "e2e: tests $(since "$t2"), total $(since "$t0")"
echo "e2e: artefacts (screenshots) in $E2E_ARTIFACTS"

# Per-case times, then the one-line summary: only the innermost tests count
# (TestE2E itself is the parent of every case).
awk -v rc="$rc" '
	match($0, /^ *--- (PASS|FAIL|SKIP): [^ ]+ \([0-9.]+s\)/) {
		split(substr($0, RSTART, RLENGTH), f, " ")
		n++; res[n] = f[2]; res[n] = substr(res[n], 1, length(res[n]) - 1); name[n] = f[3]; took[n] = f[4]
	}
	END {
		for (i = 1; i <= n; i++) {
			leaf = 1
			for (j = 1; j <= n; j++) if (index(name[j], name[i] "/") == 1) leaf = 0
			if (!leaf) continue
			printf "  %-4s %-60s %s\n", res[i], name[i], took[i]
			if (res[i] == "PASS") pass++; else if (res[i] == "FAIL") fail++
		}
		if (rc != 0 && fail == 0) { fail = 1; print "  the test binary failed without a test failure (crash, timeout or setup)" }
		printf "%d passed, %d failed\n", pass, fail
		exit (fail > 0)
	}' "$WORK/e2e.log"
