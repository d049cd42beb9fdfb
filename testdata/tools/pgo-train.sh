#!/bin/sh
# pgo-train.sh BIN: the training run of `make pgo`. Builds an mbox from
# the repository's own messages (the goldens, the whole-message fuzz
# seeds, and two-hop messages made of every pair of Received fuzz seeds:
# every vendor shape the parser knows, and the broken ones) and runs BIN
# over it in each output format. Nothing here comes from ../shared: the
# profile is the same on every machine, and the corpus the benchmark
# measures is not the one the compiler was trained on.
set -eu
BIN=${1:?usage: pgo-train.sh BIN}
T=testdata
tmp=$(mktemp "${TMPDIR:-/tmp}/rtpgo.XXXXXX")
trap 'rm -f "$tmp"' EXIT INT TERM
env='From pgo@example.invalid  Thu Jan  1 00:00:00 2004'
{
	for f in "$T"/msg/*.eml "$T"/fuzz/message/*.eml "$T"/fuzz/dkim/*.eml; do
		echo "$env"
		sed 's/^\(>*From \)/>\1/' "$f"
		echo
	done
	i=0
	for a in "$T"/fuzz/received/*; do
		for b in "$T"/fuzz/received/*; do
			i=$((i + 1))
			echo "$env"
			echo "Return-Path: <sender$i@example.org>"
			echo "Delivered-To: rcpt@example.net"
			printf 'Received: '
			tr -d '\000' < "$a" | head -c 2000
			echo
			printf 'Received: '
			tr -d '\000' < "$b" | head -c 2000
			echo
			echo "From: Sender $i <sender$i@example.org>"
			echo "To: rcpt@example.net"
			echo "Subject: training message $i"
			echo "Date: Fri, 14 Nov 2003 09:05:4$((i % 10)) +0100"
			echo "Message-ID: <$i@example.org>"
			echo
			echo "body $i"
			echo
		done
	done
} > "$tmp"
# exit 1 (findings) and 3 (not-a-message seeds) are expected; 4 is not
run() {
	rc=0
	"$BIN" "$@" > /dev/null 2>&1 || rc=$?
	[ "$rc" -lt 4 ] || { echo "pgo-train: $BIN $*: exit $rc" >&2; exit 1; }
}
for f in jsonl text notation; do
	run -j 1 -f "$f" "$tmp"
done
# the threaded path too (jobs, the ring, per-thread memos)
run -j 2 -f jsonl "$tmp" "$tmp" "$tmp"
