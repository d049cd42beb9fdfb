#!/bin/sh
# bench/run.sh: `make bench`. Throughput, start-up, memory and peer ratios,
# measured in one run and printed as a table (Markdown, for the README).
#
# Inputs are built in a temporary directory from $SHARED (read-only, never
# copied into the repository):
#   corpus.mbox  the SpamAssassin public corpus as one mboxrd file: every
#                file of $SHARED/corpus/spamassassin-public/*/*, a From_
#                line added where it has none, body "From " lines quoted
#   signed.mbox  the same with one DKIM-Signature field added to every
#                message, so that every message needs a body hash
#
# Environment: SHARED (../shared), BIN (./relaytrace), BUILD (build),
# RUNS (best of, 7), CALLGRIND (1: instruction counts when valgrind is
# installed), PEERS (1: SpamAssassin and dkimpy when installed), SA_LIMIT
# (messages given to SpamAssassin, 0 = all; its time is scaled up to the
# whole corpus when smaller), SA_ROUNDS (3: rounds of SpamAssassin, each
# paired with relaytrace timed just before it), BIG (1: the 100 MB / 1 GB
# memory runs), BIG_RUNS (3: runs of each, their peak RSS compared).
# Always exits 0 when it could measure; the targets are printed, not
# enforced (the machines are noisy).
set -u
SHARED=${SHARED:-../shared}
BIN=${BIN:-./relaytrace}
BUILD=${BUILD:-build}
RUNS=${RUNS:-7}
CALLGRIND=${CALLGRIND:-1}
PEERS=${PEERS:-1}
SA_LIMIT=${SA_LIMIT:-0}
SA_ROUNDS=${SA_ROUNDS:-3}
BIG=${BIG:-1}
BIG_RUNS=${BIG_RUNS:-3}
CORPUS=$SHARED/corpus/spamassassin-public
export LC_ALL=C TZ=UTC

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "$BIN not built"
[ -d "$CORPUS" ] || die "no corpus at $CORPUS (set SHARED=)"
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rtbench.XXXXXX") || die "mktemp"
trap 'rm -rf "$tmp"' EXIT INT TERM

# --- helpers, built with the same compiler ------------------------------
B=$BUILD/bench
mkdir -p "$B"
CF="-std=c11 -O2 -g -D_GNU_SOURCE -Wall -Wextra"
${CC:-cc} $CF -o "$B/floor" bench/floor.c || die "floor does not build"
${CC:-cc} $CF -o "$B/measure" bench/measure.c || die "measure does not build"
${CC:-cc} $CF $(pkg-config --cflags gmime-3.0) -o "$B/gmime_alone" \
	bench/gmime_alone.c $(pkg-config --libs gmime-3.0) ||
	die "gmime_alone does not build"
M=$B/measure

# --- inputs -------------------------------------------------------------
awk 'FNR == 1 { if ($0 ~ /^From /) { print; next }
		print "From bench@example.invalid  Thu Jan  1 00:00:00 2004" }
     /^>*From / { $0 = ">" $0 }
     { print }' "$CORPUS"/*/* > "$tmp/corpus.mbox"
awk '/^From / { print
	print "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com;"
	print "\ts=bench; h=from:to:subject:date;"
	print "\tbh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=AAAA"
	next }
     { print }' "$tmp/corpus.mbox" > "$tmp/signed.mbox"
size=$(wc -c < "$tmp/corpus.mbox")
nmsg=$(grep -c '^From ' "$tmp/corpus.mbox")
cat > "$tmp/small.eml" <<'MSG'
Received: from mx.example.net (mx.example.net [192.0.2.25])
	by mail.example.org (Postfix) with ESMTPS id 4Q1xyz2abc
	for <bob@example.org>; Tue, 14 Nov 2023 10:00:02 +0000 (UTC)
Received: from [198.51.100.7] (dsl-7.example.com [198.51.100.7])
	(Authenticated sender: alice@example.net)
	by mx.example.net (Postfix) with ESMTPSA id 9F2C31A0;
	Tue, 14 Nov 2023 10:00:01 +0000 (UTC)
From: Alice <alice@example.net>
To: Bob <bob@example.org>
Subject: lunch
Date: Tue, 14 Nov 2023 10:00:00 +0000
Message-ID: <1@example.net>

Noon?
MSG

# --- measurements -------------------------------------------------------
# best and median wall seconds of RUNS runs: "best median maxrss"
timeit() { "$M" -n "$RUNS" "$@" || echo "0 0 0"; }
ir() { # instruction count under callgrind, or "-"
	if [ "$CALLGRIND" = 1 ] && command -v valgrind >/dev/null 2>&1; then
		valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" \
			2>&1 >/dev/null | sed -n 's/.*Collected : //p'
	else
		echo "-"
	fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
mbs() { awk -v s="$size" -v t="$1" 'BEGIN { if (t + 0 == 0) print "-"; else printf "%.0f", s / t / 1e6 }'; }
ms() { awk -v t="$1" 'BEGIN { printf "%.2f", t * 1000 }'; }

echo "bench: corpus $nmsg messages, $size bytes; best of $RUNS" >&2
set -- $(timeit -- "$B/floor" "$tmp/corpus.mbox"); fl_best=$1 fl_med=$2
set -- $(timeit -- "$B/gmime_alone" "$tmp/corpus.mbox"); gm_best=$1 gm_med=$2
set -- $(timeit -i "$tmp/corpus.mbox" -- "$BIN" -f jsonl); rt_best=$1 rt_med=$2
set -- $(timeit -i "$tmp/corpus.mbox" -- "$BIN" -j 1 -f jsonl); r1_best=$1 r1_med=$2
set -- $(timeit -i "$tmp/signed.mbox" -- "$BIN" -f jsonl); rs_best=$1 rs_med=$2
echo "bench: callgrind" >&2
fl_ir=$(ir "$B/floor" "$tmp/corpus.mbox")
gm_ir=$(ir "$B/gmime_alone" "$tmp/corpus.mbox")
rt_ir=$(ir "$BIN" -j 1 -f jsonl "$tmp/corpus.mbox")

# start-up: process start to exit, one small message, offline
echo "bench: start-up" >&2
startup() {
	if command -v hyperfine >/dev/null 2>&1; then
		hyperfine -N --runs 300 --warmup 30 --export-json "$tmp/h.json" \
			--output=null --input "$1" "$BIN -f jsonl" >/dev/null 2>&1 &&
			tr ',' '\n' < "$tmp/h.json" |
			sed -n 's/.*"median": *\([0-9.e-]*\).*/\1/p' | head -1 &&
			return
		hyperfine -N --runs 300 --warmup 30 --export-json "$tmp/h.json" \
			--output=null "$BIN -f jsonl $1" >/dev/null 2>&1 &&
			tr ',' '\n' < "$tmp/h.json" |
			sed -n 's/.*"median": *\([0-9.e-]*\).*/\1/p' | head -1 &&
			return
	fi
	"$M" -n 301 -i "$1" -- "$BIN" -f jsonl | cut -d' ' -f2
}
st_med=$(startup "$tmp/small.eml")
libs=$(ldd "$BIN" | wc -l)
heavy=$(ldd "$BIN" | grep -cE 'libcurl|libunbound|libssl\.')

# memory: stream ~100 MB and ~1 GB of repeated corpus through stdin
rss100=- rss1g=- big1g_best=0
if [ "$BIG" = 1 ]; then
	echo "bench: memory (100 MB, 1 GB)" >&2
	rep=$(( (100000000 + size - 1) / size ))
	repg=$(( (1000000000 + size - 1) / size ))
	cat_n() { i=0; while [ $i -lt "$1" ]; do cat "$tmp/corpus.mbox"; i=$((i + 1)); done; }
	# "best_s max_rss" of BIG_RUNS runs on n copies of the corpus: one
	# run's peak moves by a whole 2 MB huge page with the threads'
	# timing (14.8 or 16.9 MB for the same input), so the peak of the
	# runs, the memory a user must allow, is compared
	big() {
		copies=$1 k=0 best=0 peak=0
		while [ $k -lt "$BIG_RUNS" ]; do
			set -- $(cat_n "$copies" | "$M" -- "$BIN" -f jsonl)
			best=$(awk -v a="$best" -v b="$1" 'BEGIN { print (a == 0 || b < a) ? b : a }')
			[ "$3" -gt "$peak" ] && peak=$3
			k=$((k + 1))
		done
		echo "$best $peak"
	}
	set -- $(big "$rep"); rss100=$2
	set -- $(big "$repg"); rss1g=$2 big1g_best=$1
fi

# peers
sa_s="" sa_n="" dk_s="" sa_note="not installed"
[ "$PEERS" = 1 ] || sa_note="not run"
dk_note="not installed"
[ "$PEERS" = 1 ] || dk_note="not run"
# SpamAssassin in rounds: each round times relaytrace (best of RUNS) and
# then SpamAssassin once (a shared host's speed drifts by tens of percent
# within a minute, and one SpamAssassin run takes seconds). The ratio is
# of the two bests, SpamAssassin's fastest round against relaytrace's
# fastest: each at its quietest moment, so that neither gains from a
# busy host slowing the other; every round's own ratio is printed too.
sa_one() { # one SpamAssassin run: "messages seconds" (scaled to nmsg)
	set -- $(perl bench/sa_relays.pl "$tmp/corpus.mbox" "$SA_LIMIT" 2>/dev/null)
	n=${1:-0} s=${3:-0}
	if [ "$n" -gt 0 ] && [ "$n" -lt "$nmsg" ]; then
		s=$(awk -v s="$s" -v n="$n" -v t="$nmsg" 'BEGIN { printf "%.6f", s * t / n }')
	fi
	echo "$n $s"
}
sa_rt="" sa_rounds=""
if [ "$PEERS" = 1 ] && perl -MMail::SpamAssassin -e 1 2>/dev/null; then
	echo "bench: SpamAssassin relay extraction, $SA_ROUNDS rounds" >&2
	sa_note="no round ran"
	rounds=$tmp/sa.rounds
	: > "$rounds"
	i=0
	while [ "$i" -lt "$SA_ROUNDS" ]; do
		set -- $(timeit -i "$tmp/corpus.mbox" -- "$BIN" -f jsonl)
		r=$1
		set -- $(sa_one)
		[ "${1:-0}" -gt 0 ] && echo "$(ratio "$2" "$r") $2 $r $1" >> "$rounds"
		i=$((i + 1))
	done
	if [ -s "$rounds" ]; then
		k=$(wc -l < "$rounds")
		sa_s=$(sort -n -k2 "$rounds" | awk 'NR == 1 { print $2 }')
		sa_rt=$(sort -n -k3 "$rounds" | awk 'NR == 1 { print $3 }')
		sa_n=$(awk 'NR == 1 { print $4 }' "$rounds")
		sa_rounds=$(awk '{ s = s (NR > 1 ? ", " : "") $1 "x" } END { print s }' "$rounds")
		sa_note="$sa_n messages, best of $k rounds"
		[ "$sa_n" -lt "$nmsg" ] &&
			sa_note="$sa_n messages timed, scaled to $nmsg; best of $k rounds"
	fi
fi
if [ "$PEERS" = 1 ] && /usr/bin/python3 -c 'import dkim' 2>/dev/null; then
	echo "bench: dkimpy body hashes" >&2
	set -- $(/usr/bin/python3 bench/dkimpy_bh.py "$tmp/signed.mbox" 2>/dev/null)
	dk_s=${3:-0} dk_note="${2:-0} signatures"
fi

# --- table --------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
machine="$(hostname 2>/dev/null || cat /etc/hostname), ${cpu:-unknown CPU}, $(nproc) cores, $(uname -sr)"
pass() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { if (v == "-" || v == "") { print "n/a"; exit }
	ok = (op == ">=") ? (v >= t) : (op == "<") ? (v < t) : (v <= t); print ok ? "met" : "NOT met" }'; }

floor_ratio=$(ratio "$fl_best" "$rt_best")         # relaytrace speed / floor speed
floor_inv=$(ratio "$rt_best" "$fl_best")           # 1/N
floor1_ratio=$(ratio "$fl_best" "$r1_best")
floor1_inv=$(ratio "$r1_best" "$fl_best")
gm1_ratio=$(ratio "$gm_best" "$r1_best")
sa1_ratio=$(ratio "$sa_s" "$r1_best")
gm_ratio=$(ratio "$gm_best" "$rt_best")
sa_ratio=$(ratio "$sa_s" "$sa_rt")
dk_ratio=$(ratio "$dk_s" "$rs_best")
rss_ratio=$(ratio "$rss1g" "$rss100")
st_ms=$(awk -v t="$st_med" 'BEGIN { printf "%.2f", t * 1000 }')

cat <<TABLE

relaytrace bench, $(date -u +%Y-%m-%d), $machine
Corpus: SpamAssassin public corpus as one mbox, $nmsg messages, $size bytes.
Wall times are the best (median) of $RUNS runs; Ir = instructions (callgrind).

| program | best s | median s | MB/s | Ir |
| --- | --- | --- | --- | --- |
| floor: memchr scan counting Received lines | $fl_best | $fl_med | $(mbs "$fl_best") | $fl_ir |
| GMime alone: construct every message | $gm_best | $gm_med | $(mbs "$gm_best") | $gm_ir |
| relaytrace -f jsonl (full analysis, $(nproc) threads: the default) | $rt_best | $rt_med | $(mbs "$rt_best") | |
| relaytrace -j 1 -f jsonl (full analysis, one thread) | $r1_best | $r1_med | $(mbs "$r1_best") | $rt_ir |
| relaytrace -f jsonl, every message DKIM-signed | $rs_best | $rs_med | $(mbs "$rs_best") | |
| SpamAssassin relay extraction ($sa_note) | ${sa_s:--} | | | |
| relaytrace -f jsonl, in the same rounds (best of $SA_ROUNDS x $RUNS) | ${sa_rt:--} | | | |
| dkimpy body hashes, signed mbox ($dk_note) | ${dk_s:--} | | | |

| target | measured | goal | |
| --- | --- | --- | --- |
| throughput vs floor | 1/$floor_inv of the floor's speed | at least 1/8 | $(pass "$floor_ratio" ">=" 0.125) |
| the same, -j 1 | 1/$floor1_inv (instructions: 1/$(ratio "$rt_ir" "$fl_ir")) | at least 1/8 | $(pass "$floor1_ratio" ">=" 0.125) |
| throughput vs GMime alone | ${gm_ratio}x GMime's speed; -j 1: ${gm1_ratio}x (instructions: $(ratio "$gm_ir" "$rt_ir")x) | above 1x | $(pass "$gm1_ratio" ">=" 1.0001) |
| start-up, one small message, median | $st_ms ms ($libs shared objects, $heavy of them curl, unbound or ssl) | under 5 ms | $(pass "$st_ms" "<" 5) |
| peak RSS, ~100 MB / ~1 GB mbox on stdin (peak of $BIG_RUNS runs each) | $rss100 / $rss1g KiB, ratio $rss_ratio | within 10% | $(pass "$rss_ratio" "<=" 1.10) |
| vs SpamAssassin relay extraction | ${sa_ratio}x its speed (each round: ${sa_rounds:--}) | at least 100x | $(pass "$sa_ratio" ">=" 100) |
| the same, -j 1 (one core, for reference) | ${sa1_ratio}x its speed | | |
| vs dkimpy body hashes (signed mbox) | ${dk_ratio}x its speed | | |

Peers are timed inside their own loop (SpamAssassin's rule loading and
Python's start-up excluded); relaytrace is timed from process start to
exit. "x its speed" is the peer's time divided by relaytrace's. The
floor, GMime alone and the peers use one core; relaytrace by default
uses every core (-j), and its -j 1 rows use one. SpamAssassin runs in
rounds, each just after relaytrace's own timing of that round; the
ratio divides SpamAssassin's best round by relaytrace's best in those
rounds (the -j 1 reference: by the -j 1 row).
TABLE
if [ "$BIG" = 1 ]; then
	echo
	echo "1 GB run: $big1g_best s ($(awk -v s="$size" -v r="$repg" -v t="$big1g_best" 'BEGIN { if (t > 0) printf "%.0f", s * r / t / 1e6; else print "-" }') MB/s, stdin pipe)."
fi
exit 0
