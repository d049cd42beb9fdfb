#!/bin/sh
# Run the whole suite: every unit-test binary (cmocka, TAP output), the
# fuzz-seed replays, the golden and CLI tests. Each prints TAP; we count
# and end with the summary line CI reads: "N passed, N failed".
# Environment: BUILD (build dir), BIN (binary), SAN, VALGRIND (a command
# prefix such as "valgrind --error-exitcode=99 ...").
BUILD=${BUILD:-build}
BIN=${BIN:-./relaytrace}
case $BIN in /*|./*) ;; *) BIN=./$BIN ;; esac
export BIN BUILD LC_ALL=C TZ=UTC NO_COLOR=1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT INT TERM
pass=0 fail=0

tally() { # name logfile status
	p=$(grep -c '^ok ' "$2")
	f=$(grep -c '^not ok ' "$2")
	if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $1 exited with status $3"
	fi
	grep '^not ok ' "$2" | sed "s|^|  $1: |"
	printf '%-40s %4d passed, %d failed\n' "$1" "$p" "$f"
	pass=$((pass + p))
	fail=$((fail + f))
}

for t in $(find "$BUILD" -name '*_test' -type f | sort); do
	CMOCKA_MESSAGE_OUTPUT=TAP $VALGRIND "$t" >"$out/log" 2>&1
	tally "${t#$BUILD/}" "$out/log" $?
done
for t in $(find "$BUILD" -name '*_fuzz-replay' -type f | sort); do
	name=$(basename "$t" _fuzz-replay)
	"$t" testdata/fuzz/"$name" >"$out/log" 2>&1
	tally "replay ${name}" "$out/log" $?
done
for t in testdata/*.t; do
	[ -f "$t" ] || continue
	sh "$t" >"$out/log" 2>&1
	tally "$t" "$out/log" $?
done
echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
