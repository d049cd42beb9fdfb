#!/bin/sh
# notation.t: the notation line of each canonical scenario, exactly as
# roles-and-notation.md gives it (testdata/msg/01NN-*.eml). Prints TAP.
. testdata/lib.sh
check_line() { # NAME EXPECTED
	got=$($BIN --no-config -f notation "testdata/msg/$1.eml" 2>&1 | tail -1)
	if [ "$got" = " $2" ]; then ok "$1"; else
		not_ok "$1"
		echo "#   got:  '$got'"
		echo "#   want: ' $2'"
	fi
}
D='Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient'
check_line 0101-direct "$D"
check_line 0102-same-provider 'Author ==> MSA/Transmitter/Receiver/MDA ==> Recipient'
check_line 0103-internal-relays "$D"
check_line 0104-subcontracted-transmitter 'Author ==> MSA ==> Transmitter --> / --> Receiver/MDA ==> Recipient'
check_line 0105-forwarder 'Author ==> MSA/Transmitter --> / --> Receiver/Forwarder ~~> MDA ==> Recipient'
check_line 0106-mailing-list 'Author ==> MSA/Transmitter --> / --> Receiver/Mediator/Transmitter --> / --> Receiver/MDA ==> Recipient'
check_line 0107-webmail "$D"
check_line 0108-no-received 'Author ==> MDA ==> Recipient'
check_line 0109-forged-lower-hops "$D"
# the network line is aligned to the role line, and the line is ASCII
$BIN --no-config -f notation testdata/msg/0101-direct.eml >"$TMP/n"
if [ "$(head -1 "$TMP/n")" = ' |------ example.com -----|           |------ example.net -----|' ]; then
	ok "network line aligned"
else not_ok "network line aligned: '$(head -1 "$TMP/n")'"; fi
if LC_ALL=C grep -q '[^ -~]' "$TMP/n"; then not_ok "pure ASCII"; else ok "pure ASCII"; fi
# findings and evidence
$BIN --no-config -f json testdata/msg/0109-forged-lower-hops.eml >"$TMP/j"
check_grep "forged hop flagged" '"trace.forged-hop"' "$TMP/j"
$BIN --no-config -f json testdata/msg/0108-no-received.eml >"$TMP/j"
check_grep "no Received flagged" '"trace.no-received"' "$TMP/j"
$BIN --no-config -f json testdata/msg/0102-same-provider.eml >"$TMP/j"
check_grep "no Border said" '"trace.border-not-found"' "$TMP/j"
$BIN --no-config -f json testdata/msg/0105-forwarder.eml >"$TMP/j"
check_grep "forwarder origin is the sender's Transmitter" '"ip": "198.51.100.10"' "$TMP/j"
check_grep "forwarder evidence: SRS" 'an SRS address' "$TMP/j"
$BIN --no-config -f json testdata/msg/0106-mailing-list.eml >"$TMP/j"
check_grep "list origin is the list's Transmitter" '"ip": "198.51.100.80"' "$TMP/j"
check_grep "list evidence: List-Id" 'List-Id: Developers' "$TMP/j"
$BIN --no-config -f json testdata/msg/0107-webmail.eml >"$TMP/j"
check_grep "webmail author from X-Originating-IP" '"ip": "203.0.113.45"' "$TMP/j"
done_testing
