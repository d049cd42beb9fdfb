/*
 * date_fuzz.c: libFuzzer target for the dates and the other GMime-backed
 * decoders of parse/message.c: message_date_parse (RFC 5322 dates and
 * their deviations), message_decode_text (RFC 2047) and
 * message_first_address. Asserted: a parsed date has a zone offset a
 * clock can have (within +-24 h); decoded text is valid UTF-8, as
 * message.h promises.
 */
#include <stdint.h>
#include <stdlib.h>

#include "parse/arena.h"
#include "parse/message.h"
#include "testdata/fuzz/fuzzcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct arena *arena;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!arena) {
		message_lib_init(NULL);
		arena = arena_new();
	}
	arena_reset(arena);
	struct str s = str_make((const char *)data, size);

	struct date d = message_date_parse(s);
	if (d.ok && (d.tz_offset < -24 * 60 || d.tz_offset > 24 * 60))
		fz_fail("zone offset beyond a day", (const char *)data, size,
		        d.tz_offset);

	struct str t = message_decode_text(arena, s);
	if (!fz_utf8_ok(t.p, t.n))
		fz_fail("message_decode_text gave invalid UTF-8", t.p, t.n, -1);

	struct str a = message_first_address(arena, s);
	(void)message_addr_domain(a);
	return 0;
}
