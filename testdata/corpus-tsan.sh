#!/bin/sh
# corpus-tsan.sh: the ThreadSanitizer build (make SAN=thread) over the
# shared corpus as one mbox, with several worker threads (-j 3 on any
# machine), in every output format. Fails on any ThreadSanitizer report,
# and when the output is not byte for byte that of the plain build with
# -j 1 (the order and content of reports must not depend on threads).
# Environment: SHARED (default ../shared), TSANBIN (default
# build-tsan/relaytrace), BIN (default ./relaytrace). Prints TAP.
. testdata/lib.sh
SHARED=${SHARED:-../shared}
TSANBIN=${TSANBIN:-build-tsan/relaytrace}
corpus=$SHARED/corpus
case $BIN in */*) ;; *) BIN=./$BIN ;; esac # make passes BIN=relaytrace
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:exitcode=66:suppressions=$(pwd)/testdata/tsan.supp}
export G_SLICE=always-malloc
for b in "$TSANBIN" "$BIN"; do
	if [ ! -x "$b" ]; then
		echo "not ok 1 - $b missing (make SAN=thread $TSANBIN)"
		exit 1
	fi
done
if [ ! -d "$corpus" ]; then
	echo "not ok 1 - no corpus at $corpus (SHARED=...)"
	exit 1
fi
cp "$TSANBIN" "$TMP/relaytrace-tsan" || exit 1
find "$corpus" -type f -name '*.eml' | sort >"$TMP/list"
python3 testdata/tools/corpus-mbox.py "$TMP/list" >"$TMP/corpus.mbox"
total=$(wc -l <"$TMP/list")
for fmt in jsonl json text notation; do
	$BIN --no-config -j 1 -f "$fmt" "$TMP/corpus.mbox" >"$TMP/one" 2>"$TMP/one.err"
	"$TMP/relaytrace-tsan" --no-config -j 3 -f "$fmt" "$TMP/corpus.mbox" \
		>"$TMP/three" 2>"$TMP/three.err"
	st=$?
	if grep -q 'ThreadSanitizer' "$TMP/three.err" || [ $st -ge 4 ]; then
		not_ok "-f $fmt -j 3 under ThreadSanitizer: status $st"
		grep -A30 'WARNING: ThreadSanitizer' "$TMP/three.err" | head -40 | sed 's/^/#   /'
		continue
	fi
	ok "-f $fmt -j 3 under ThreadSanitizer: $total files, no report"
	if cmp -s "$TMP/one" "$TMP/three" && cmp -s "$TMP/one.err" "$TMP/three.err"; then
		ok "-f $fmt: -j 3 gives -j 1's output"
	else
		not_ok "-f $fmt: -j 3 differs from -j 1"
		cmp "$TMP/one" "$TMP/three" | sed 's/^/#   /'
	fi
done
done_testing
