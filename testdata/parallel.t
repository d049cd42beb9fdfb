#!/bin/sh
# parallel.t: relaytrace as a mapper. An mbox split into chunks at its
# "From " lines and run through several relaytrace processes gives the same
# set of JSON lines as one run over the whole mbox (README "Many machines",
# man page EXAMPLES). Chunks are made by GNU parallel (--pipe --recend '\n'
# --recstart 'From ', by count and by size, and through --sshlogin), and by
# shard files as a Hadoop or Spark job would have them. --recend '\n'
# matters: with --recstart alone, parallel cuts at any "From ", even in
# the middle of a line (">From " in a quoted body, "Fwd: From ...").
#
# source.index is the position of a message in what one process read: in
# a chunk it restarts at 1, so lines are compared with "source" set aside
# (a mapper's consumer keys on message.message_id, or runs one process per
# shard file, where source.file and source.index stay unique).
. testdata/lib.sh

# the test mbox: every testdata/msg/*.eml, then generated messages (some
# CRLF, some with a body line "From " that mboxrd quoting protects)
mbox="$TMP/in.mbox"
for f in testdata/msg/*.eml; do
	[ -f "$f" ] || continue
	awk 'FNR == 1 && !/^From / {
		print "From sender@example.invalid  Mon Jan  1 00:00:00 2024" }
	     FNR > 1 && /^>*From / { $0 = ">" $0 }
	     { print }' "$f"
done >"$mbox"
i=1
while [ $i -le 120 ]; do
	eol=''
	[ $((i % 5)) -eq 0 ] && eol='\r'
	{
		printf 'From gen%d@example.net  Mon Jan  1 00:00:00 2024\n' $i
		h=$((i % 4 + 1))
		while [ $h -gt 0 ]; do
			printf "Received: from h%d.example.net (h%d.example.net [192.0.2.%d])$eol\n" $h $h $h
			printf "\tby mx%d.example.org with ESMTP id q%d.%d;$eol\n" $h $i $h
			printf "\tMon, 1 Jan 2024 10:%02d:%02d +0000$eol\n" $h $((i % 60))
			h=$((h - 1))
		done
		printf "From: Gen <gen%d@example.net>$eol\nTo: bob@example.org$eol\n" $i
		printf "Subject: generated %d$eol\nMessage-ID: <%d@gen.example.net>$eol\n" $i $i
		printf "Date: Mon, 1 Jan 2024 09:59:%02d +0000$eol\n$eol\n" $((i % 60))
		printf "line one$eol\n"
		[ $((i % 3)) -eq 0 ] && printf ">From the body, quoted$eol\n"
		printf "last line$eol\n"
	} >>"$mbox"
	i=$((i + 1))
done
total=$(grep -c '^From ' "$mbox")

# one JSON line per message, "source" set aside, sorted
norm() { sed 's/"source":{"file":"[^"]*","index":[0-9]*}/"source":{}/' "$1" | sort; }

$BIN --no-config -f jsonl <"$mbox" >"$TMP/single" 2>"$TMP/err"
st=$?
if [ $st -le 1 ]; then ok "single run over $total messages"; else
	not_ok "single run (status $st)"
	sed 's/^/#   /' "$TMP/err" | head
fi
lines=$(wc -l <"$TMP/single")
if [ "$lines" -eq "$total" ]; then ok "one line per message ($lines)"; else
	not_ok "one line per message ($lines lines, $total messages)"
fi
norm "$TMP/single" >"$TMP/single.n"

same() { # NAME FILE
	norm "$2" >"$2.n"
	if cmp -s "$TMP/single.n" "$2.n"; then ok "$1"; else
		not_ok "$1: not the single run's lines"
		diff "$TMP/single.n" "$2.n" | head -5 | sed 's/^/#   /'
	fi
}

# shard files, one process each (what a Hadoop Streaming or Spark
# RDD.pipe mapper does with a list of shard paths)
awk -v dir="$TMP" '/^From / { n++ } { print > (dir "/shard." (n % 3)) }' "$mbox"
for s in "$TMP"/shard.*; do
	$BIN --no-config -f jsonl "$s"
done >"$TMP/shards" 2>/dev/null
same "three shard files give the same lines" "$TMP/shards"
if sed -n 's/.*"source":{"file":"\([^"]*\)","index":\([0-9]*\)}.*/\1 \2/p' \
	"$TMP/shards" | sort | uniq -d | grep -q .; then
	not_ok "shards: (source.file, source.index) is not unique"
else
	ok "shards: (source.file, source.index) is unique"
fi

if ! command -v parallel >/dev/null 2>&1; then
	for t in "by count" "by size" "--sshlogin" "keep order"; do
		n=$((n + 1))
		echo "ok $n # skip GNU parallel not installed ($t)"
	done
	done_testing
	exit
fi
P="parallel --will-cite --halt never"
$P --pipe --recend '\n' --recstart 'From ' -N 7 -j 4 \
	$BIN --no-config -f jsonl <"$mbox" >"$TMP/p1" 2>/dev/null
same "parallel --pipe, 7 messages a chunk" "$TMP/p1"
$P --pipe --recend '\n' --recstart 'From ' --block 2k -j 3 \
	$BIN --no-config -f jsonl <"$mbox" >"$TMP/p2" 2>/dev/null
same "parallel --pipe, 2 kB chunks" "$TMP/p2"
# ':' is the local machine: the --sshlogin code path without ssh
$P --sshlogin 2/: --pipe --recend '\n' --recstart 'From ' -N 11 \
	$BIN --no-config -f jsonl <"$mbox" >"$TMP/p3" 2>/dev/null
same "parallel --sshlogin 2/: --pipe" "$TMP/p3"
$P -k --pipe --recend '\n' --recstart 'From ' -N 5 \
	$BIN --no-config -f jsonl <"$mbox" >"$TMP/p4" 2>/dev/null
sed 's/"source":{[^}]*}/"source":{}/' "$TMP/single" >"$TMP/s4"
sed 's/"source":{[^}]*}/"source":{}/' "$TMP/p4" >"$TMP/p4s"
if cmp -s "$TMP/s4" "$TMP/p4s"; then ok "parallel -k keeps the input order"; else
	not_ok "parallel -k keeps the input order"
fi
done_testing
