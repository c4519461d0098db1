#!/usr/bin/env bash
# test.sh: every test of codex-login, from a fresh clone on a fresh Debian
# machine (it installs what it needs). The README's test command; .ci/run
# calls it.
#
#   1. gofmt, go vet, staticcheck and cross-builds for linux, darwin and windows;
#   2. go test -race ./...  (hermetic: loopback only, in-process proxy);
#   3. the crash test: the built binary killed with SIGKILL at random moments
#      of a login, for about a minute (CODEX_LOGIN_CRASH=1, without -race);
#   4. every fuzz target for a short time each (testdata/fuzz.sh, FUZZTIME);
#   5. the end-to-end suite against real squid ssl-bump and the real Codex
#      CLI, in a network namespace of its own (testdata/e2e/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/local/go/bin:$PATH

step() { printf '\n== %s\n' "$*"; }

step "gofmt, go vet, staticcheck, cross-builds"
unformatted=$(gofmt -l . | grep -v '^testdata/' || true)
if [ -n "$unformatted" ]; then
	echo "gofmt would change: $unformatted" >&2
	exit 1
fi
go vet ./...
go vet -tags e2e ./cmd/codex-login
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
for os in linux darwin windows; do
	GOOS=$os GOARCH=amd64 go build -o /dev/null ./cmd/codex-login
	GOOS=$os GOARCH=amd64 go vet ./... >/dev/null
done
echo "ok"

step "go test -race ./..."
go test -race -count=1 ./...

step "crash test: SIGKILL at random moments of a login"
CODEX_LOGIN_CRASH=1 go test -count=1 -v -run '^TestCrash' ./cmd/codex-login

step "fuzz every target for ${FUZZTIME:-8s}"
bash testdata/fuzz.sh

step "end-to-end: squid ssl-bump and the Codex CLI"
bash testdata/e2e/run.sh
