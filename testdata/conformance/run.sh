#!/bin/sh
# Run every conformance driver built in $BUILD/testdata/conformance/
# against $SHARED, print each one's figures, and end with the line
# "N passed, N failed" counting drivers. Exit non-zero on any failure.
# Drivers take SHARED as their first argument and exit 0 when they meet
# their floor. Run from the repository root.
BUILD=${BUILD:-build}
SHARED=${SHARED:-../shared}
export LC_ALL=C TZ=UTC
pass=0 fail=0
for d in "$BUILD"/testdata/conformance/*; do
	[ -f "$d" ] && [ -x "$d" ] || continue
	name=$(basename "$d")
	echo "== $name"
	if "$d" "$SHARED"; then
		pass=$((pass + 1))
	else
		echo "FAIL: $name (status $?)"
		fail=$((fail + 1))
	fi
done
# shell drivers: testdata/conformance/*.sh, same contract (BIN is set)
for d in testdata/conformance/*.sh; do
	[ -f "$d" ] || continue
	name=$(basename "$d" .sh)
	[ "$name" = run ] && continue
	echo "== $name"
	if sh "$d" "$SHARED"; then
		pass=$((pass + 1))
	else
		echo "FAIL: $name (status $?)"
		fail=$((fail + 1))
	fi
done
echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
