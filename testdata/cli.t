#!/bin/sh
# cli.t: command-line behaviour: inputs, exit statuses, stderr, formats.
. testdata/lib.sh

msg() { # a small valid message
	printf 'Received: from mx.example.net (mx.example.net [192.0.2.1])\n'
	printf '\tby mail.example.org (Postfix) with ESMTPS id 4AB;\n'
	printf '\tMon, 1 Jan 2024 10:00:05 +0000\n'
	printf 'Received: from host.example.net (host.example.net [192.0.2.7])\n'
	printf '\tby mx.example.net with ESMTP id 99; Mon, 1 Jan 2024 10:00:00 +0000\n'
	printf 'From: Alice <alice@example.net>\nTo: bob@example.org\n'
	printf 'Subject: %s\nDate: Mon, 1 Jan 2024 09:59:59 +0000\n' "${1:-hello}"
	printf 'Message-ID: <1@example.net>\n\nbody\n'
}
msg >"$TMP/a.eml"

$BIN --no-config "$TMP/a.eml" >"$TMP/out" 2>"$TMP/err"
check_status "a message analyses with status 0" $? 0
check_grep "text report shows the subject" "Subject: *hello" "$TMP/out"
check_grep "text report shows the path" "Path: 2 hops" "$TMP/out"

$BIN --no-config <"$TMP/a.eml" >"$TMP/out2" 2>&1
check_status "stdin works" $? 0
$BIN --no-config - <"$TMP/a.eml" >"$TMP/out3" 2>&1
check_status "'-' is stdin" $? 0

$BIN --no-config -f json "$TMP/a.eml" >"$TMP/j"
check_json "-f json is valid JSON" "$TMP/j"
check_grep "JSON has the schema" '"schema": 1' "$TMP/j"

# CRLF and headers-only paste
msg | sed 's/$/\r/' >"$TMP/crlf.eml"
$BIN --no-config -f json "$TMP/crlf.eml" >"$TMP/j" 2>"$TMP/err"
check_status "CRLF message" $? 0
check_grep "CRLF message keeps its subject" '"subject": "hello"' "$TMP/j"
msg | sed -n '1,9p' >"$TMP/paste.eml"
$BIN --no-config "$TMP/paste.eml" >"$TMP/out" 2>"$TMP/err"
check_status "headers-only paste" $? 0

# mbox: three messages, mboxrd quoting, one JSON line each
{
	echo "From alice@example.net Mon Jan  1 10:00:00 2024"
	msg one
	printf '>From the body, quoted\n\n'
	echo "From alice@example.net Mon Jan  1 10:00:01 2024"
	msg two
	printf 'From here on, an unquoted body line\n\n'
	echo "From alice@example.net Mon Jan  1 10:00:02 2024"
	msg three
} >"$TMP/box.mbox"
$BIN --no-config -f jsonl "$TMP/box.mbox" >"$TMP/j" 2>"$TMP/err"
check_status "mbox analyses" $? 0
lines=$(wc -l <"$TMP/j")
[ "$lines" -eq 3 ] && ok "mbox gives one JSON line per message" ||
	not_ok "mbox gives $lines lines, want 3"
check_json "jsonl output is valid JSON" "$TMP/j"
check_grep "third message is index 3" '"index":3' "$TMP/j"
$BIN --no-config -f json "$TMP/box.mbox" >"$TMP/j"
check_json "-f json over an mbox is one valid document" "$TMP/j"
[ "$("$JSONCHECK" <"$TMP/j")" = 1 ] && ok "-f json over an mbox is an array" ||
	not_ok "-f json over an mbox is not one document"

# bad inputs: named on stderr, exit 3, the batch goes on
$BIN --no-config "$TMP/nonexistent" "$TMP/a.eml" >"$TMP/out" 2>"$TMP/err"
check_status "a missing file gives status 3" $? 3
check_grep "the missing file is named" "nonexistent: No such file" "$TMP/err"
check_grep "the rest of the batch goes on" "Subject: *hello" "$TMP/out"
$BIN --no-config "$TMP" >/dev/null 2>"$TMP/err"
check_status "a directory gives status 3" $? 3
check_grep "a directory is named" "Is a directory" "$TMP/err"
: >"$TMP/empty"
$BIN --no-config "$TMP/empty" >/dev/null 2>"$TMP/err"
check_status "an empty file gives status 3" $? 3
check_grep "an empty file is reported" "empty input" "$TMP/err"
head -c 4096 /dev/urandom | tr -d 'A-Za-z' >"$TMP/garbage"
$BIN --no-config -f jsonl "$TMP/garbage" >"$TMP/j" 2>"$TMP/err"
check_status "binary garbage gives status 3" $? 3
check_grep "garbage: file and message named" "garbage: message 1: not a mail message" "$TMP/err"
check_json "garbage still gives a JSON error line" "$TMP/j"

# NUL and 8-bit bytes in headers
printf 'From: a\000b <x@example.net>\nSubject: caf\351\nReceived: from a\000 by b; Mon, 1 Jan 2024 10:00:00 +0000\n\nx\n' >"$TMP/nul.eml"
$BIN --no-config -f json "$TMP/nul.eml" >"$TMP/j" 2>"$TMP/err"
check_status "NUL and 8-bit bytes are analysed" $? 0
check_json "NUL and 8-bit bytes give valid JSON" "$TMP/j"
check_grep "NUL bytes are a finding" "hdr.nul-byte" "$TMP/j"

# terminal escapes in text output come out inert
printf 'From: \033]52;c;ZXZpbA==\007x <x@example.net>\nSubject: \033[2J\342\200\256evil\302\233\nReceived: from \033[31mred by b; Mon, 1 Jan 2024 10:00:00 +0000\n\nx\n' >"$TMP/esc.eml"
$BIN --no-config --color=always "$TMP/esc.eml" >"$TMP/out" 2>&1
if tr -d '\033' <"$TMP/out" | cmp -s - "$TMP/out"; then
	not_ok "color=always still emits its own SGR codes"
else
	ok "color=always emits SGR codes"
fi
$BIN --no-config "$TMP/esc.eml" >"$TMP/out" 2>&1
if LC_ALL=C grep -q "$(printf '[\033\007]')" "$TMP/out"; then
	not_ok "escape bytes reached the terminal"
else ok "no ESC or BEL byte in the text report"; fi
check_grep "OSC 52 shown escaped" '\\x1b\]52' "$TMP/out"
check_grep "bidi override shown escaped" '\\u{202e}' "$TMP/out"
check_grep "C1 CSI shown escaped" '\\u{009b}' "$TMP/out"

# usage
$BIN --no-such-option >/dev/null 2>"$TMP/err"
check_status "an unknown option gives status 2" $? 2
$BIN -f yaml "$TMP/a.eml" >/dev/null 2>"$TMP/err"
check_status "an unknown format gives status 2" $? 2
check_grep "the bad format is named" "unknown format" "$TMP/err"
$BIN --help >"$TMP/out"
check_status "--help exits 0" $? 0
check_grep "--help lists --fail-on" "fail-on" "$TMP/out"
$BIN --version >"$TMP/out"
check_status "--version exits 0" $? 0

# --fail-on
printf 'From: x@example.net\nReceived: garbage that is not a trace line\n\nx\n' >"$TMP/bad.eml"
$BIN --no-config --fail-on warning "$TMP/bad.eml" >/dev/null 2>&1
check_status "--fail-on warning with a warning gives 1" $? 1
$BIN --no-config --fail-on error "$TMP/a.eml" >/dev/null 2>&1
check_status "--fail-on error without errors gives 0" $? 0
$BIN --no-config --fail-on bogus "$TMP/a.eml" >/dev/null 2>&1
check_status "--fail-on with a bad level gives 2" $? 2

# configuration file
printf '# test\nformat jsonl\nfail-on error\n' >"$TMP/conf"
$BIN --config "$TMP/conf" "$TMP/a.eml" >"$TMP/j" 2>&1
check_grep "config file sets the format" '^{"schema":1' "$TMP/j"
$BIN --config "$TMP/conf" -f text "$TMP/a.eml" >"$TMP/out" 2>&1
check_grep "the command line wins over the config file" "Path:" "$TMP/out"
printf 'bogus-key 1\n' >"$TMP/conf2"
$BIN --config "$TMP/conf2" "$TMP/a.eml" >/dev/null 2>"$TMP/err"
check_status "a bad config line gives status 2" $? 2
check_grep "the bad config line is located" "conf2:1" "$TMP/err"

# notation format prints exactly two lines
$BIN --no-config -f notation "$TMP/a.eml" >"$TMP/out"
[ "$(wc -l <"$TMP/out")" -eq 2 ] && ok "-f notation prints two lines" ||
	not_ok "-f notation prints $(wc -l <"$TMP/out") lines, want 2"

# trust options: --trusted moves the origin, --same-actor joins Actors,
# --authserv-id makes a results header below the Border a forgery
$BIN --no-config -f json "$TMP/a.eml" >"$TMP/j"
check_grep "inferred trust: the origin is the MX's client" '"ip": "192.0.2.1"' "$TMP/j"
$BIN --no-config --trusted 192.0.2.0/24 -f json "$TMP/a.eml" >"$TMP/j"
check_grep "--trusted: the origin moves to the first untrusted client" \
	'"origin": {[^}]*' "$TMP/j"
if jq_origin=$(tr -d '\n' <"$TMP/j" | grep -o '"origin": *{ *"ip": *"[^"]*"'); then
	case $jq_origin in *192.0.2.7*) ok "--trusted 192.0.2.0/24 gives origin 192.0.2.7" ;;
	*) not_ok "--trusted: origin $jq_origin, want 192.0.2.7" ;; esac
else not_ok "--trusted: no origin ip"; fi
$BIN --no-config --same-actor example.net=example.org -f notation "$TMP/a.eml" >"$TMP/out"
check_grep "--same-actor joins the two Actors: no Border" \
	'Author ==> MSA/Transmitter/Receiver/MDA ==> Recipient' "$TMP/out"
$BIN --no-config --trusted bogus/99 "$TMP/a.eml" >/dev/null 2>"$TMP/err"
check_status "--trusted with a bad network gives status 2" $? 2
$BIN --no-config --same-actor nonsense "$TMP/a.eml" >/dev/null 2>"$TMP/err"
check_status "--same-actor without '=' gives status 2" $? 2
msg | awk '/^Received: from host/ { print "Authentication-Results: filter.example.com; spf=pass smtp.mailfrom=example.net" } { print }' >"$TMP/ar.eml"
$BIN --no-config --authserv-id filter.example.com -f json "$TMP/ar.eml" >"$TMP/j"
check_grep "--authserv-id: our results header below the Border is forged" \
	'auth.untrusted-results' "$TMP/j"
printf 'trusted 192.0.2.0/24\n' >"$TMP/conf3"
$BIN --config "$TMP/conf3" -f notation "$TMP/a.eml" >"$TMP/out"
check_grep "config file 'trusted' applies" 'MSA/Transmitter ==> Receiver' "$TMP/out"

# an output that cannot be written is a system error
if [ -w /dev/full ]; then
	for fmt in text jsonl json; do
		$BIN --no-config -f $fmt "$TMP/a.eml" >/dev/full 2>"$TMP/err"
		check_status "-f $fmt to a full device gives status 4" $? 4
	done
	check_grep "the write error is reported" "write error" "$TMP/err"
fi

# --version says how GMime comes in (GMIME_LINK in the Makefile). Linked
# in, relaytrace needs no shared object but the C library's: no GMime,
# GLib or libmount to find at run time.
$BIN --version >"$TMP/out" 2>&1
check_status "--version" $? 0
check_grep "--version names GMime and how it is linked" '^GMime [0-9.]*, ' "$TMP/out"
if grep -q '^GMime [0-9.]*, linked in' "$TMP/out"; then
	gmime_linked=1
	if command -v ldd >/dev/null 2>&1; then
		ldd "$BIN" >"$TMP/ldd" 2>&1
		if grep -qE 'lib(gmime|glib|gobject|gio|mount|blkid|selinux|gpgme|psl)[-.]' "$TMP/ldd"; then
			not_ok "GMime linked in, yet shared objects of its own: $(tr '\n' ' ' <"$TMP/ldd")"
		else
			ok "GMime linked in: no shared object of GMime, GLib or libmount"
		fi
	fi
else
	gmime_linked=0
fi

# GLib is set up only for a message that needs GMime, linked in or not:
# its set-up reads G_DEBUG, and G_DEBUG=help makes it list its debug
# keys on stderr.
G_DEBUG=help $BIN --no-config "$TMP/a.eml" >"$TMP/out" 2>"$TMP/err"
check_status "G_DEBUG=help, a message that needs no GMime" $? 0
if grep -q 'Supported debug values' "$TMP/err"; then
	not_ok "... sets GLib up all the same"
else
	ok "... does not set GLib up"
fi
msg '=?utf-8?q?caf=C3=A9?=' >"$TMP/ew.eml" # an encoded word: GMime's
G_DEBUG=help $BIN --no-config "$TMP/ew.eml" >"$TMP/out" 2>"$TMP/err"
check_status "G_DEBUG=help, an encoded word" $? 0
check_grep "... sets GLib up when GMime decodes it" 'Supported debug values' "$TMP/err"

# GMime (GMIME_LINK=dlopen) and libcrypto are loaded when a message first
# needs them; when one cannot be, the library is named on stderr and the
# status is 4. An empty file found first through LD_LIBRARY_PATH stands
# for a broken one.
mkdir "$TMP/broken"
: >"$TMP/broken/libgmime-3.0.so.0"
: >"$TMP/broken/libcrypto.so.3"
LD_LIBRARY_PATH="$TMP/broken" $BIN --no-config "$TMP/ew.eml" >"$TMP/out" 2>"$TMP/err"
st=$?
if [ "$gmime_linked" = 1 ]; then
	check_status "GMime linked in: an encoded word needs no library" $st 0
	check_grep "... and is decoded" "café" "$TMP/out"
else
	check_status "GMime that cannot be loaded: status 4" $st 4
	check_grep "... and it is named" "cannot load libgmime-3.0.so.0" "$TMP/err"
fi
LD_LIBRARY_PATH="$TMP/broken" $BIN --no-config "$TMP/a.eml" >"$TMP/out" 2>"$TMP/err"
check_status "a message that needs neither: status 0" $? 0
LD_LIBRARY_PATH="$TMP/broken" $BIN --no-config testdata/dkim/rsa-relaxed.eml >"$TMP/out" 2>"$TMP/err"
check_status "libcrypto that cannot be loaded: status 4" $? 4
check_grep "... and it is named" "cannot load libcrypto.so.3" "$TMP/err"

done_testing
