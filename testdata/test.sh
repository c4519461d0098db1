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
#   5. the release: all six targets built twice and compared byte for byte,
#      a profile build, the Windows binary signed with a throwaway certificate;
#   6. the end-to-end suite against real squid ssl-bump and the real Codex
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

step "release: six targets twice, reproducible; a profile build; Authenticode"
rel=$(mktemp -d "${TMPDIR:-/tmp}/codex-login-release.XXXXXX")
trap 'rm -rf "$rel"' EXIT
start=$SECONDS
go run ./tools/release --version 0.0.0-ci --out "$rel/a"
echo "first run: $((SECONDS - start))s"
start=$SECONDS
go run ./tools/release --version 0.0.0-ci --out "$rel/b" >/dev/null
echo "second run: $((SECONDS - start))s"
for f in "$rel"/a/*; do cmp "$f" "$rel/b/${f##*/}"; done
echo "reproducible: $(ls "$rel/a" | wc -l) files identical in two runs"
(cd "$rel/a" && ls -l ./*.tar.gz ./*.zip) | awk '{ printf "  %-45s %10d bytes\n", substr($NF, 3), $5 }'
mkdir -m 700 "$rel/ca" "$rel/corp"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/O=codex-login tests/CN=Corp Root CA" \
	-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
	-keyout "$rel/ca/root.key" -out "$rel/corp/corp-root.pem" 2>/dev/null
printf '[login]\nproxy = "http://proxy.corp.example:8080"\n' >"$rel/corp/corp.toml"
go run ./tools/release --profile "$rel/corp" --version 0.0.0-ci --targets linux/amd64 --out "$rel/p" >/dev/null
tar -xzf "$rel/p/codex-login_0.0.0-ci_linux_amd64.tar.gz" -C "$rel/p"
"$rel/p/codex-login_0.0.0-ci_linux_amd64/codex-login" version | tee "$rel/version"
grep -q "preconfigured by profile corp" "$rel/version"
grep -q "$(openssl x509 -noout -fingerprint -sha256 -in "$rel/corp/corp-root.pem" | cut -d= -f2)" "$rel/version"
if command -v osslsigncode >/dev/null; then
	bash testdata/sign-windows.sh "$rel/a/codex-login_0.0.0-ci_windows_amd64.zip"
else
	echo "osslsigncode not installed: Authenticode signing not tried"
fi
RELEASE_BUILD_TEST=1 go test -count=1 -run '^TestReleaseBuild$' ./tools/release

step "end-to-end: squid ssl-bump and the Codex CLI"
bash testdata/e2e/run.sh
