#!/bin/sh
# golden.t [regen]: every testdata/msg/*.eml against its goldens:
#   NAME.txt       text report        (relaytrace --no-config --color=never)
#   NAME.json      JSON report        (-f json)
#   NAME.notation  the notation lines (-f notation)
# Offline, LC_ALL=C TZ=UTC. With "regen", rewrite the goldens instead
# (review the diff before committing). Prints TAP.
. testdata/lib.sh
mode=${1:-check}
for eml in testdata/msg/*.eml; do
	[ -f "$eml" ] || continue
	base=${eml%.eml}
	name=$(basename "$base")
	for kind in txt json notation; do
		case $kind in
		txt) args="--color=never" ;;
		json) args="-f json" ;;
		notation) args="-f notation" ;;
		esac
		$BIN --no-config $args "$eml" >"$TMP/out" 2>"$TMP/err"
		st=$?
		if [ "$mode" = regen ]; then
			cp "$TMP/out" "$base.$kind"
			continue
		fi
		if [ ! -f "$base.$kind" ]; then
			not_ok "$name.$kind: no golden (make regen)"
		elif [ $st -gt 1 ]; then
			not_ok "$name.$kind: exit status $st: $(head -1 "$TMP/err")"
		elif cmp -s "$TMP/out" "$base.$kind"; then
			ok "$name.$kind"
		else
			not_ok "$name.$kind differs from the golden"
			diff -u "$base.$kind" "$TMP/out" | head -30 | sed 's/^/#   /'
		fi
		[ $kind = json ] && check_json "$name.json parses" "$TMP/out"
	done
done
[ "$mode" = regen ] && { echo "goldens rewritten: review git diff"; exit 0; }
done_testing
