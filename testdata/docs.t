#!/bin/sh
# docs.t: the man page is lint-clean and documents every finding id the
# code can emit and every option --help lists.
. testdata/lib.sh
if command -v mandoc >/dev/null 2>&1; then
	if mandoc -Tlint -Wwarning man/relaytrace.1 >"$TMP/lint" 2>&1; then
		ok "mandoc -Tlint is clean"
	else
		not_ok "mandoc -Tlint: $(head -3 "$TMP/lint")"
	fi
else
	ok "mandoc -Tlint # skip mandoc not installed"
fi
ids=$(grep -rhoE '"(hdr|msg|rcvd|trace|auth|arc)\.[a-z0-9-]+"' \
	--include=*.c parse trace auth report cmd | tr -d '"' |
	grep -v -E '\.(h|c)$' | sort -u)
for id in $ids; do
	if grep -q -F "$id" man/relaytrace.1; then ok "man page documents $id"
	else not_ok "man page does not document finding $id"; fi
done
for opt in $($BIN --help | grep -oE -- '--[a-z-]+' | sort -u); do
	esc=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
	if grep -q -e "Fl $(printf '%s' "${opt#--}" | sed 's/-/\\\\-/g')" \
		-e "Fl \\\\-$(printf '%s' "${opt#--}" | sed 's/-/\\\\-/g')" man/relaytrace.1; then
		ok "man page documents $opt"
	else not_ok "man page does not document $opt"; fi
done
done_testing
