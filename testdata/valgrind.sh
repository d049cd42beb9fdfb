#!/bin/sh
# valgrind.sh: relaytrace under valgrind over every golden message
# (testdata/msg/*.eml) and every whole-message fuzz seed and past crash
# (testdata/fuzz/message/), in text and JSON mode. Memory errors and
# definite leaks are failures (--error-exitcode); GLib's one-time
# allocations are "still reachable" or "possibly lost", not definite, and
# testdata/valgrind.supp holds anything else that is GLib's and not ours.
# Prints TAP and a summary line. BIN as in run.sh (the plain build).
. testdata/lib.sh
case $BIN in /*|./*) ;; *) BIN=./$BIN ;; esac
VG="valgrind -q --error-exitcode=99 --leak-check=full
	--errors-for-leak-kinds=definite --show-leak-kinds=definite
	--suppressions=testdata/valgrind.supp --track-origins=yes"
if ! command -v valgrind >/dev/null 2>&1; then
	echo "not ok 1 - valgrind is not installed"
	exit 1
fi
files=0
for f in testdata/msg/*.eml testdata/fuzz/message/*; do
	[ -f "$f" ] || continue
	files=$((files + 1))
	for args in "--color=never" "-f json"; do
		$VG $BIN --no-config $args "$f" >/dev/null 2>"$TMP/err"
		st=$?
		if [ "$st" -eq 99 ] || [ "$st" -ge 128 ]; then
			not_ok "$f ($args): valgrind status $st"
			sed 's/^/#   /' "$TMP/err" | head -40
		elif grep -q '^==[0-9]*==' "$TMP/err"; then
			not_ok "$f ($args): valgrind reported"
			sed 's/^/#   /' "$TMP/err" | head -40
		else
			ok "$f ($args)"
		fi
	done
done
echo "# valgrind: $files files, $((n - failed)) passed, $failed failed"
done_testing
