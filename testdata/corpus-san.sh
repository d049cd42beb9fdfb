#!/bin/sh
# corpus-san.sh: the ASan + UBSan build (make SAN=1) over every message of
# the shared corpus ($SHARED/corpus, read in place, never copied), twice:
# file by file (each a single message or an mbox), and all of them
# concatenated into one mbox through a pipe (the streaming reader, message
# boundaries, the arena reused across 6,000 messages). Any sanitizer report
# or crash fails: an exit status >= 128, or "runtime error" /
# "ERROR: AddressSanitizer" / "LeakSanitizer" on stderr. Exit statuses 0,
# 1 and 3 are analyses (3: an input that is not a message). Prints TAP.
# Environment: SHARED (default ../shared), SANBIN (default
# build-san/relaytrace), JOBS (parallel file-by-file runs, default 2).
. testdata/lib.sh
SHARED=${SHARED:-../shared}
SANBIN=${SANBIN:-build-san/relaytrace}
JOBS=${JOBS:-2}
corpus=$SHARED/corpus
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ ! -x "$SANBIN" ]; then
	echo "not ok 1 - $SANBIN missing: make SAN=1 $SANBIN"
	exit 1
fi
if [ ! -d "$corpus" ]; then
	echo "not ok 1 - no corpus at $corpus (SHARED=...)"
	exit 1
fi
find "$corpus" -type f -name '*.eml' | sort >"$TMP/list"
total=$(wc -l <"$TMP/list")

bad() { # stderr file -> 0 when it holds a sanitizer report
	grep -q 'runtime error\|ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|SUMMARY: UndefinedBehaviorSanitizer' "$1"
}

# a private copy: others may be relinking build-san/ while this runs
cp "$SANBIN" "$TMP/relaytrace-san" || exit 1
SANBIN=$TMP/relaytrace-san

# 1. file by file: each file is its own input (opened, framed and
# analysed alone), 100 files per process to spare ASan's start-up; a
# batch that reports is re-run one file at a time to name the culprit
cat >"$TMP/batch.sh" <<'EOS'
bin=$1 tmp=$2
shift 2
e=$tmp/e.$$
for fmt in jsonl text; do
	"$bin" --no-config -f "$fmt" "$@" >/dev/null 2>"$e"
	st=$?
	if [ $st -ge 4 ] || grep -q 'runtime error\|ERROR: AddressSanitizer\|ERROR: LeakSanitizer' "$e"; then
		for f in "$@"; do
			"$bin" --no-config -f "$fmt" "$f" >/dev/null 2>"$e"
			st=$?
			if [ $st -ge 4 ] || grep -q 'runtime error\|ERROR: AddressSanitizer\|ERROR: LeakSanitizer' "$e"; then
				echo "$f ($fmt): status $st" >>"$tmp/fail"
				grep -v '^relaytrace: ' "$e" | head -30 >>"$tmp/fail.log"
			fi
		done
	fi
done
rm -f "$e"
EOS
: >"$TMP/fail"
xargs -P "$JOBS" -n 100 sh "$TMP/batch.sh" "$SANBIN" "$TMP" <"$TMP/list"
nfail=$(wc -l <"$TMP/fail")
if [ "$nfail" -eq 0 ]; then
	ok "corpus file by file under ASan+UBSan: $total files, 0 reports"
else
	not_ok "corpus file by file: $nfail runs with a sanitizer report or crash"
	head -20 "$TMP/fail" | sed 's/^/#   /'
	head -60 "$TMP/fail.log" | sed 's/^/#   /'
fi

# 2. concatenated: every file as one mbox message (an envelope line added
# where a file has none, body "From " lines quoted as an mboxrd writer
# does, a blank line after each), through a pipe
python3 testdata/tools/corpus-mbox.py "$TMP/list" | $SANBIN --no-config -f jsonl - >"$TMP/out" 2>"$TMP/err"
st=$?
if [ $st -ge 2 ] || bad "$TMP/err"; then
	not_ok "corpus as one mbox under ASan+UBSan: status $st"
	grep -v '^relaytrace: -: message' "$TMP/err" | head -40 | sed 's/^/#   /'
else
	ok "corpus as one mbox under ASan+UBSan: status $st, no report"
	grep '^relaytrace: ' "$TMP/err" | head -5 | sed 's/^/#   /'
fi
docs=$(wc -l <"$TMP/out")
# a file may hold several messages (some corpus files are mboxes)
[ "$docs" -ge "$total" ] && ok "corpus as one mbox: $docs JSON lines for $total files" ||
	not_ok "corpus as one mbox: $docs JSON lines, fewer than $total files"
check_json "corpus as one mbox: valid JSON lines" "$TMP/out"
done_testing
