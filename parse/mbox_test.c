/* mbox_test.c: unit tests for mbox framing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "parse/mbox.h"

static void
test_envelope(void **state)
{
	(void)state;
	const char *yes[] = {
	    "From alice@example.net Mon Jan  1 10:00:00 2024",
	    "From MAILER-DAEMON Fri Jul  8 12:08:34 2011",
	    "From x@y Sat Sep 28 10:07:04 2002 +0100",
	};
	const char *no[] = {"From here on we talk", "From: a@b", "From a b c",
	                    "From 12:00 nothing"};
	for (size_t i = 0; i < 3; i++)
		assert_true(mbox_is_envelope(yes[i], strlen(yes[i])));
	for (size_t i = 0; i < 4; i++)
		assert_false(mbox_is_envelope(no[i], strlen(no[i])));
}

static void
test_next(void **state)
{
	(void)state;
	const char *m = "From a@b Mon Jan  1 10:00:00 2024\nA: 1\n\nbody\n"
	                "From here, not a separator\n"
	                "\nFrom c@d Mon Jan  1 10:00:01 2024\nB: 2\n\nx\n";
	size_t len = strlen(m);
	long s = mbox_next(m, len, 0, true);
	assert_true(s > 0);
	assert_memory_equal(m + s, "From c@d", 8);
	assert_int_equal(mbox_next(m, len, (size_t)s, true), -1);
	/* a blank line before makes any From line a separator */
	const char *m2 = "From a@b Mon Jan  1 10:00:00 2024\nA: 1\n\nx\n\r\n"
	                 "From me\nB: 2\n";
	s = mbox_next(m2, strlen(m2), 0, true);
	assert_true(s > 0);
	assert_memory_equal(m2 + s, "From me", 7);
	/* the line before, from `from` on: blank when it is empty or a
	 * lone CR, also as the first line looked at; "x\r" is not */
	assert_int_equal(mbox_next("A\n\nFrom me\n", 11, 2, true), 3);
	assert_int_equal(mbox_next("A\n\r\nFrom me\n", 12, 2, true), 4);
	assert_int_equal(mbox_next("\r\nFrom me\n", 10, 0, true), 2);
	assert_int_equal(mbox_next("x\r\nFrom me\n", 11, 0, true), -1);
	assert_int_equal(mbox_next("A\nx\r\nFrom me\n", 13, 2, true), -1);
	/* an incomplete candidate line asks for more input */
	const char *m3 = "From a@b Mon Jan  1 10:00:00 2024\nA: 1\n\nFrom x";
	assert_int_equal(mbox_next(m3, strlen(m3), 0, false), -1);
	assert_true(mbox_next(m3, strlen(m3), 0, true) > 0);
}

static void
test_unquote(void **state)
{
	(void)state;
	char b[] = "A: 1\n\n>From x\n>>From y\n>Fromage\nFrom z\n";
	size_t n = mbox_unquote(b, strlen(b));
	const char *want = "A: 1\n\nFrom x\n>From y\n>Fromage\nFrom z\n";
	assert_int_equal(n, strlen(want));
	assert_memory_equal(b, want, n);
}

/* The vector scans take 16, 32, 64 or 256 bytes a turn: put the
 * separator and a quoted line at every offset across a few turns, with
 * 'F's that are not at a line start around them. */
static void
test_offsets(void **state)
{
	(void)state;
	static const char sep[] = "\n\nFrom a@b Thu Jan  1 00:00:00 2004\n";
	static const char quoted[] = "\n>>From x\n";
	char buf[1024], want[1024];
	for (size_t off = 0; off < 700; off++) {
		size_t n = 0;
		memcpy(buf, "x\n", 2), n = 2;
		for (size_t i = 0; i < off; i++)
			buf[n++] = i % 7 ? 'F' : 'y';
		size_t at = n + 2; /* where "From " starts */
		memcpy(buf + n, sep, sizeof(sep) - 1), n += sizeof(sep) - 1;
		memcpy(buf + n, "FFF\n", 4), n += 4;
		assert_int_equal(mbox_next(buf, n, 0, true), (long)at);
		assert_int_equal(mbox_next(buf, n, at, true), -1);

		/* the quoted line at the same offsets: one '>' goes */
		n = 0;
		for (size_t i = 0; i < off; i++)
			buf[n++] = i % 5 ? 'F' : '>';
		size_t q = n + 1; /* the first '>' */
		memcpy(buf + n, quoted, sizeof(quoted) - 1);
		n += sizeof(quoted) - 1;
		memcpy(want, buf, n);
		memmove(want + q, want + q + 1, n - q - 1);
		assert_int_equal(mbox_unquote(buf, n), n - 1);
		assert_memory_equal(buf, want, n - 1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_envelope),
	    cmocka_unit_test(test_next),
	    cmocka_unit_test(test_unquote),
	    cmocka_unit_test(test_offsets),
	};
	return cmocka_run_group_tests_name("mbox", tests, NULL, NULL);
}
