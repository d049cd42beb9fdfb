# lib.sh: TAP helpers for the shell tests (sourced).
# BIN is the relaytrace binary, BUILD the build directory.
BIN=${BIN:-./relaytrace}
BUILD=${BUILD:-build}
JSONCHECK=${JSONCHECK:-$BUILD/jsoncheck}
export LC_ALL=C TZ=UTC NO_COLOR=1
n=0
failed=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }

# check NAME STATUS: ok when the last command's status was STATUS
check_status() {
	if [ "$2" -eq "$3" ]; then ok "$1"; else not_ok "$1 (status $2, want $3)"; fi
}

# check_grep NAME PATTERN FILE
check_grep() {
	if grep -q -e "$2" "$3"; then ok "$1"; else
		not_ok "$1 (no '$2' in output)"
		sed 's/^/#   /' "$3" | head -20
	fi
}

# check_json NAME FILE: the file holds valid JSON (parsed by jansson)
check_json() {
	if "$JSONCHECK" <"$2" >/dev/null 2>"$TMP/jerr"; then ok "$1"; else
		not_ok "$1 (invalid JSON: $(cat "$TMP/jerr"))"
	fi
}

done_testing() {
	echo "1..$n"
	[ "$failed" -eq 0 ]
}
