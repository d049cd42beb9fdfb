/*
 * received_fuzz.c: libFuzzer target for parse/received.c. Asserted: the
 * parse never fails and every string it returns lies inside the input or
 * is empty (received.h: strings are borrowed from the value), the date
 * zone is one a clock can have, and the flags stay within the named ones.
 */
#include <stdint.h>
#include <stdlib.h>

#include "parse/arena.h"
#include "parse/message.h"
#include "parse/received.h"
#include "testdata/fuzz/fuzzcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct arena *arena;

static void
inside(struct str s, const char *p, size_t n, const char *what)
{
	if (s.n && (s.p < p || s.p + s.n > p + n))
		fz_fail(what, p, n, (long)s.n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!arena) {
		message_lib_init(NULL);
		received_init();
		arena = arena_new();
	}
	arena_reset(arena);
	struct findings f;
	struct received r;
	const char *p = (const char *)data;
	findings_init(&f, arena);
	received_parse(str_make(p, size), arena, &r, &f, 0, 0);
	struct str all[] = {
	    r.helo,          r.rdns,        r.ip,         r.ident, r.by, r.via,
	    r.with,          r.tls_version, r.tls_cipher, r.auth,  r.id, r.for_,
	    r.envelope_from, r.date_raw};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		inside(all[i], p, size, "a received field points outside");
	if (r.has_date && (r.tz_offset < -24 * 60 || r.tz_offset > 24 * 60))
		fz_fail("zone offset beyond a day", p, size, r.tz_offset);
	if (r.flags >> RECEIVED_NFLAGS)
		fz_fail("unnamed flag", p, size, (long)r.flags);
	if ((unsigned)r.mta >= RECEIVED_NMTAS)
		fz_fail("no mta name", p, size, -1);
	return 0;
}
