#!/bin/sh
# threads.t: -j N gives what -j 1 gives, byte for byte: standard output in
# every format, the complaints on standard error in input order, and the
# exit status, whatever the number of threads and however the messages
# fall into jobs (cmd/pool.c: jobs of JOB_MESSAGES messages or JOB_BYTES
# bytes, a ring of two jobs per thread, the main thread analysing jobs
# while it waits for the oldest).
. testdata/lib.sh

# An mbox of 700 messages (several jobs per thread at -j 3), with
# messages that are not messages (no header fields; empty) among them,
# and one large message (a job of its own).
mbox="$TMP/in.mbox"
i=1
while [ $i -le 700 ]; do
	printf 'From gen%d@example.net  Mon Jan  1 00:00:00 2024\n' $i
	case $((i % 97)) in
	13) printf '\n' ;;                     # empty message
	14) printf 'no header here\n\n' ;;     # not a mail message
	*)
		h=$((i % 4 + 1))
		while [ $h -gt 0 ]; do
			printf 'Received: from h%d.example.net (h%d.example.net [192.0.2.%d])\n' $h $h $h
			printf '\tby mx%d.example.org with ESMTP id q%d.%d;\n' $h $i $h
			printf '\tMon, 1 Jan 2024 10:%02d:%02d +0000\n' $h $((i % 60))
			h=$((h - 1))
		done
		[ $((i % 7)) -eq 0 ] && printf 'Received: garbage %d\n' $i
		printf 'From: Gen <gen%d@example.net>\nTo: bob@example.org\n' $i
		# every fifth an encoded word: GMime loads in a worker thread
		if [ $((i % 5)) -eq 0 ]; then
			printf 'Subject: =?UTF-8?Q?caf=C3=A9_%d?=\n' $i
		else
			printf 'Subject: generated %d\n' $i
		fi
		printf 'Message-ID: <%d@gen.example.net>\n' $i
		printf 'Date: Mon, 1 Jan 2024 09:59:%02d +0000\n\nbody %d\n\n' $((i % 60)) $i
		;;
	esac
	if [ $i -eq 350 ]; then # ~1 MB: larger than JOB_BYTES
		printf 'From big@example.net  Mon Jan  1 00:00:00 2024\n'
		printf 'Received: from big.example.net (big.example.net [192.0.2.99])\n'
		printf '\tby mx.example.org with ESMTP id big; Mon, 1 Jan 2024 10:00:00 +0000\n'
		printf 'From: big@example.net\nSubject: big\n\n'
		awk 'BEGIN { for (i = 0; i < 16000; i++) print "0123456789012345678901234567890123456789012345678901234567890123" }'
		printf '\n'
	fi
	i=$((i + 1))
done >"$mbox"
total=$(grep -c '^From ' "$mbox")
: >"$TMP/empty"
one="testdata/msg/0101.eml"

run() { # NAME ARGS...: run, keep stdout, stderr and status under NAME
	name=$1
	shift
	case $1 in --config) ;; *) set -- --no-config "$@" ;; esac
	timeout 300 $BIN "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
	echo $? >"$TMP/$name.st"
}
same() { # DESCRIPTION A B
	if cmp -s "$TMP/$2.out" "$TMP/$3.out" &&
		cmp -s "$TMP/$2.err" "$TMP/$3.err" &&
		cmp -s "$TMP/$2.st" "$TMP/$3.st"; then
		ok "$1"
	else
		not_ok "$1"
		diff "$TMP/$2.err" "$TMP/$3.err" | head -5 | sed 's/^/#   /'
		cmp "$TMP/$2.out" "$TMP/$3.out" 2>&1 | sed 's/^/#   /'
	fi
}

for f in jsonl json text notation; do
	run "$f-1" -j 1 -f "$f" --fail-on error "$mbox"
	for j in 2 3 8; do
		run "$f-$j" -j "$j" -f "$f" --fail-on error "$mbox"
		same "-f $f: -j $j is -j 1 ($total messages)" "$f-1" "$f-$j"
	done
done
st=$(cat "$TMP/jsonl-1.st")
check_status "-j 1: not-messages give exit status 3" "$st" 3
lines=$(wc -l <"$TMP/jsonl-3.out")
if [ "$lines" -eq "$total" ]; then ok "-j 3: one line per message"; else
	not_ok "-j 3: $lines lines for $total messages"
fi
check_json "-j 3 -f json: one valid array" "$TMP/json-3.out"
errs=$(wc -l <"$TMP/jsonl-3.err")
if [ "$errs" -eq 16 ]; then ok "-j 3: 16 complaints on stderr"; else
	not_ok "-j 3: $errs complaints on stderr, want 16"
fi

# several inputs: files, a missing one, an empty one, stdin; jobs span
# inputs and complaints about inputs keep their place
for j in 1 4; do
	run "files-$j" -j "$j" -f jsonl "$one" "$mbox" "$TMP/missing" \
		"$TMP/empty" "$one" - <"$mbox"
done
same "several inputs: -j 4 is -j 1" files-1 files-4

# one message: no thread is started (as many clones as with -j 1: a
# sanitizer runtime may start its own thread)
if command -v strace >/dev/null 2>&1; then
	clones() {
		strace -f -e trace=clone,clone3 -o "$TMP/strace" \
			$BIN --no-config -j "$1" -f jsonl "$one" >/dev/null 2>&1
		grep -c 'clone' "$TMP/strace"
	}
	c1=$(clones 1) c4=$(clones 4)
	if [ "$c1" -eq "$c4" ]; then
		ok "one message: no thread started"
	else
		not_ok "one message: $c4 clones with -j 4, $c1 with -j 1"
	fi
else
	ok "# SKIP strace not installed"
fi

# one processor allowed (taskset): the default is one thread, and more
# threads than processors (no polling for work then) give the same
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
	taskset -c 0 $BIN --no-config -j 3 -f jsonl --fail-on error "$mbox" \
		>"$TMP/one-cpu-3.out" 2>"$TMP/one-cpu-3.err"
	echo $? >"$TMP/one-cpu-3.st"
	same "one processor, -j 3 is -j 1" jsonl-1 one-cpu-3
	if command -v strace >/dev/null 2>&1; then
		strace -f -e trace=clone,clone3 -o "$TMP/strace" taskset -c 0 \
			$BIN --no-config -f jsonl "$mbox" >/dev/null 2>&1
		cd1=$(grep -c 'clone' "$TMP/strace")
		strace -f -e trace=clone,clone3 -o "$TMP/strace" taskset -c 0 \
			$BIN --no-config -j 1 -f jsonl "$mbox" >/dev/null 2>&1
		cj1=$(grep -c 'clone' "$TMP/strace")
		if [ "$cd1" -eq "$cj1" ]; then
			ok "one processor: the default starts no thread"
		else
			not_ok "one processor: $cd1 clones by default, $cj1 with -j 1"
		fi
	else
		ok "# SKIP strace not installed"
	fi
else
	ok "# SKIP taskset cannot run"
	ok "# SKIP taskset cannot run"
fi

# usage
$BIN --no-config -j 0 "$one" >/dev/null 2>"$TMP/err"
check_status "-j 0 is a usage error" $? 2
$BIN --no-config --jobs=x "$one" >/dev/null 2>"$TMP/err"
check_status "--jobs=x is a usage error" $? 2
printf 'jobs 3\n' >"$TMP/conf"
run conf-3 --config "$TMP/conf" -f jsonl "$mbox"
run conf-1 --config "$TMP/conf" -j 1 -f jsonl "$mbox"
same "config 'jobs 3' gives -j 1's output" conf-1 conf-3

done_testing
