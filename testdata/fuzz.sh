#!/usr/bin/env bash
# fuzz.sh: fuzz every fuzz target of the module for a short, bounded time,
# one target at a time, and print the executions of each.
#
#   testdata/fuzz.sh                 every target, FUZZTIME each (default 8s)
#   FUZZTIME=1m testdata/fuzz.sh     longer
#
# The targets are found with `go test -list '^Fuzz'` in every package, so a
# target added anywhere is fuzzed without changing this script. Each runs as
#   go test -run '^$' -fuzz '^NAME$' -fuzztime $FUZZTIME -parallel 2 ./PKG
# Exits non-zero when any target fails (or cannot be listed). A failing
# input is written by go to PKG/testdata/fuzz/NAME/ and kept, so that it
# becomes a regression test; when nothing failed, no new file is left there.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v go >/dev/null || PATH=/usr/local/go/bin:$PATH

FUZZTIME=${FUZZTIME:-8s}
module=$(go list -m)
out=$(mktemp -d "${TMPDIR:-/tmp}/codex-login-fuzz.XXXXXX")
trap 'rm -rf "$out"' EXIT

# corpus: every file under a testdata/fuzz directory of the module.
corpus() { find . -path ./.git -prune -o -path '*/testdata/fuzz/*' -type f -print | LC_ALL=C sort; }
corpus >"$out/corpus.before"

# The targets, as "PKG NAME" lines. go test -list prints a package's names
# and then "ok  PKG ..."; a package without tests prints "?  PKG ...".
targets=()
if ! go test -list '^Fuzz' ./... >"$out/list" 2>&1; then
	cat "$out/list" >&2
	echo "fuzz.sh: go test -list failed" >&2
	exit 1
fi
names=()
while IFS= read -r line; do
	case $line in
	Fuzz*) names+=("$line") ;;
	ok*)
		pkg=$(awk '{print $2}' <<<"$line")
		dir=.
		[ "$pkg" = "$module" ] || dir=./${pkg#"$module"/}
		for n in ${names[@]+"${names[@]}"}; do targets+=("$dir $n"); done
		names=()
		;;
	*) names=() ;;
	esac
done <"$out/list"
if [ ${#targets[@]} = 0 ]; then
	echo "fuzz.sh: no fuzz target found" >&2
	exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets, $FUZZTIME each"

failed=0
rows=()
for target in "${targets[@]}"; do
	pkg=${target% *} name=${target#* }
	log=$out/$(tr '/.' '__' <<<"$pkg")-$name.log
	start=$(date +%s)
	rc=0
	go test -run '^$' -fuzz "^$name\$" -fuzztime "$FUZZTIME" -parallel 2 "$pkg" >"$log" 2>&1 || rc=$?
	# The go command sometimes ends a fuzz run that found nothing with
	# "context deadline exceeded" when a worker is still busy as the time
	# runs out on a loaded machine: run such a target once more. A real
	# failure names its input ("Failing input written to ...").
	if [ "$rc" != 0 ] && grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
		echo "fuzz.sh: $pkg $name stopped with \"context deadline exceeded\" and no failing input; running it again" >&2
		rc=0
		go test -run '^$' -fuzz "^$name\$" -fuzztime "$FUZZTIME" -parallel 2 "$pkg" >"$log" 2>&1 || rc=$?
	fi
	took=$(($(date +%s) - start))s
	# The last progress line holds the total: "fuzz: elapsed: 8s, execs: 123 (15/sec), ...".
	execs=$(sed -n 's/^fuzz: elapsed: [0-9hms.]*, execs: \([0-9]*\) .*/\1/p' "$log" | tail -n 1)
	execs=${execs:-0}
	if [ "$rc" = 0 ]; then
		result=ok
	else
		result=FAIL
		failed=$((failed + 1))
		echo "--- $pkg $name failed (exit $rc):" >&2
		tail -n 40 "$log" >&2
	fi
	printf '%-5s %-28s %-14s %12s execs in %s\n' "$result" "$name" "$pkg" "$execs" "$took"
	rows+=("$(printf '%-5s %-28s %-14s %12s %6s' "$result" "$name" "$pkg" "$execs" "$took")")
done

corpus >"$out/corpus.after"
new=$(LC_ALL=C comm -13 "$out/corpus.before" "$out/corpus.after")

printf '\n%-5s %-28s %-14s %12s %6s\n' result target package execs time
printf '%s\n' "${rows[@]}"

if [ "$failed" != 0 ]; then
	if [ -n "$new" ]; then
		echo "fuzz.sh: failing inputs written (run them with go test -run NAME/FILE ./PKG):" >&2
		sed 's/^/  /' <<<"$new" >&2
	fi
	echo "fuzz.sh: $failed of ${#targets[@]} targets failed" >&2
	exit 1
fi
if [ -n "$new" ]; then
	# Nothing failed, so these are not failing inputs: do not leave them.
	echo "fuzz.sh: removing files that appeared under testdata/fuzz although nothing failed:" >&2
	sed 's/^/  /' <<<"$new" >&2
	while IFS= read -r f; do rm -f -- "$f"; done <<<"$new"
fi
echo "fuzz.sh: all ${#targets[@]} targets passed"
