#!/bin/sh
# corpus_notation.sh SHARED: every message of the shared corpus gets
# exactly one notation line (plus its network line) without a crash:
# the corpus is streamed through relaytrace as one mbox, and each file is
# also analysed on its own (the peer fixtures are single messages).
SHARED=${1:-../shared}
BIN=${BIN:-./relaytrace}
case $BIN in /*|./*) ;; *) BIN=./$BIN ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0 bad=0
for f in "$SHARED"/corpus/spamassassin-public/*/* \
	"$SHARED"/corpus/peer-fixtures/*/*; do
	[ -f "$f" ] || continue
	case $f in *MANIFEST*) continue ;; esac
	n=$((n + 1))
	# one message per file: separate with a blank line and an envelope
	head -c 5 "$f" | grep -q '^From ' ||
		echo "From corpus@localhost Thu Jan  1 00:00:00 1970"
	# quote body "From " lines as an mboxrd writer does
	sed '2,$ s/^\(>*From \)/>\1/' "$f"
	printf '\n'
done >"$tmp/corpus.mbox"
"$BIN" --no-config -f notation "$tmp/corpus.mbox" >"$tmp/out" 2>"$tmp/err"
st=$?
lines=$(wc -l <"$tmp/out")
roles=$(grep -c '^ Author' "$tmp/out")
echo "corpus messages: $n"
echo "notation lines: $roles (output lines $lines, exit status $st)"
if [ "$st" -ge 2 ] || [ "$roles" -ne "$n" ] || [ "$lines" -ne $((2 * n)) ]; then
	echo "FAIL: want $n role lines and $((2 * n)) lines, status < 2"
	head -5 "$tmp/err"
	bad=1
fi
# every second line is a role line, every other a network line
if ! awk 'NR % 2 == 0 && !/^ Author/ { exit 1 }' "$tmp/out"; then
	echo "FAIL: a role line is not where it belongs"
	bad=1
fi
exit $bad
