/* str_test.c: unit tests for the string helpers, checked against plain
 * byte-by-byte definitions. */
#include "testdata/tools/unit.h"

#include <limits.h>

#include "parse/str.h"

static bool
ref_ieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x += 32;
		if (y >= 'A' && y <= 'Z')
			y += 32;
		if (x != y)
			return false;
	}
	return true;
}

/* Every byte value against every other, at each position of strings of
 * 1 to 20 bytes (the word-at-a-time compare and its overlapping tail). */
static void
test_ieq_every_byte(void **state)
{
	(void)state;
	char a[20], b[20];
	for (size_t n = 1; n <= sizeof(a); n++)
		for (size_t pos = 0; pos < n; pos++)
			for (int x = 0; x < 256; x++)
				for (int y = 0; y < 256; y += (pos % 3) + 1) {
					memset(a, 'q', n);
					memset(b, 'Q', n);
					a[pos] = (char)x;
					b[pos] = (char)y;
					bool want = ref_ieq(a, b, n);
					bool got = str_ieq_str(str_make(a, n),
					                       str_make(b, n));
					if (want != got)
						fail_msg(
						    "n %zu pos %zu: %02x %02x",
						    n, pos, x, y);
				}
	assert_true(str_ieq_str(STR_LIT("Content-Transfer-Encoding"),
	                        STR_LIT("content-transfer-ENCODING")));
	assert_false(str_ieq_str(STR_LIT("Content-Transfer-Encoding"),
	                         STR_LIT("Content-Transfer-Encodinh")));
	assert_false(str_ieq_str(STR_LIT("[@"), STR_LIT("{`")));
	assert_false(str_ieq_str(STR_LIT("ab"), STR_LIT("abc")));
}

/* str_istarts and str_ieq (inline, literal second) on every pair of
 * byte values but NUL, which ends the literal */
static void
test_istarts_every_byte(void **state)
{
	(void)state;
	for (int x = 1; x < 256; x++)
		for (int y = 1; y < 256; y++) {
			char a[3] = {'k', (char)x, 'z'},
			     lit[4] = {'K', (char)y, 0};
			bool want = ref_ieq(a, lit, 2);
			if (str_istarts(str_make(a, 3), lit) != want ||
			    str_ieq(str_make(a, 2), lit) != want)
				fail_msg("%02x %02x", x, y);
		}
	assert_true(str_istarts(STR_LIT("Postfix, from userid"), "postFIX"));
	assert_false(str_istarts(STR_LIT("Post"), "postfix"));
	assert_false(str_ieq(STR_LIT("postfix2"), "postfix"));
}

/* str_trim drops exactly space, tab, CR and LF from both ends */
static void
test_trim_every_byte(void **state)
{
	(void)state;
	for (int c = 0; c < 256; c++) {
		char b[3] = {(char)c, 'x', (char)c};
		struct str t = str_trim(str_make(b, 3));
		bool blank = c == ' ' || c == '\t' || c == '\r' || c == '\n';
		if (t.n != (blank ? 1u : 3u))
			fail_msg("byte %02x: length %zu", c, t.n);
	}
	struct str t = str_trim(STR_LIT(" \t\r\n \n"));
	assert_int_equal(t.n, 0);
}

static long
ref_ifind(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	for (size_t i = 0; i + l <= n; i++)
		if (ref_ieq(s + i, lit, l))
			return (long)i;
	return -1;
}

static void
test_ifind(void **state)
{
	(void)state;
	static const char *const hay[] = {
	    "",
	    "x",
	    "Mon, 1 Jan 2024 00:00:00 +0000 id 12345",
	    "Mon, 1 Jan 2024 00:00:00 +0000 ID 12345",
	    "did id",
	    " id",
	    "SRS0=ab=cd=example.org=x@y",
	    "zzsrs1=zz",
	    "<>",
	    "a<b>",
	    "[{@`",
	};
	static const char *const lits[] = {" id ", "SRS0=", "SRS1=", "<>", "",
	                                   "id",   "@",     "`",     "{"};
	for (size_t i = 0; i < sizeof(hay) / sizeof(*hay); i++)
		for (size_t k = 0; k < sizeof(lits) / sizeof(*lits); k++) {
			struct str s = str_make(hay[i], strlen(hay[i]));
			long want = ref_ifind(hay[i], s.n, lits[k]);
			if (str_ifind(s, lits[k]) != want)
				fail_msg("[%s] [%s]", hay[i], lits[k]);
		}
	/* pseudo-random haystacks over bytes near the literals' (cases,
	 * NUL, 8-bit, the bytes | 0x20 maps onto them), every length up to
	 * 40: the eight-byte blocks, their candidates and the rest */
	static const char abc[] = {' ',  'i',    'I',    'd',   'D', 'x',
	                           '\0', '\xc9', '\x00', 'S',   's', '0',
	                           '=',  '<',    '>',    '\x1c'};
	static const char *const pats[] = {" id ", "id", "SRS0=", "<>",
	                                   "d",    " ",  "  ",    "  I"};
	unsigned seed = 1;
	char buf[40];
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)round % (sizeof(buf) + 1);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = abc[(seed >> 16) % sizeof(abc)];
		}
		for (size_t k = 0; k < sizeof(pats) / sizeof(*pats); k++)
			if (str_ifind(str_make(buf, n), pats[k]) !=
			    ref_ifind(buf, n, pats[k]))
				fail_msg("round %d [%s]", round, pats[k]);
	}
	/* a match may not run past the length, NUL bytes are data */
	assert_int_equal(str_ifind(str_make("a id b", 4), " id "), -1);
	assert_int_equal(str_ifind(str_make("\0 id \0", 6), " ID "), 1);
}

/* str_put_dec and str_put_udec give what printf gives, at the ends of
 * their ranges and where the digit count changes */
static void
test_put_dec(void **state)
{
	(void)state;
	static const long long v[] = {
	    0,  1,   9,       10,      -1,        -9,       -10,
	    99, 100, INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN};
	char got[24], want[24];
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		*str_put_dec(got, v[i]) = '\0';
		snprintf(want, sizeof(want), "%lld", v[i]);
		assert_string_equal(got, want);
	}
	*str_put_udec(got, ULLONG_MAX) = '\0';
	snprintf(want, sizeof(want), "%llu", ULLONG_MAX);
	assert_string_equal(got, want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ieq_every_byte),
	    cmocka_unit_test(test_istarts_every_byte),
	    cmocka_unit_test(test_ifind),
	    cmocka_unit_test(test_trim_every_byte),
	    cmocka_unit_test(test_put_dec),
	};
	return cmocka_run_group_tests_name("str", tests, unit_setup,
	                                   unit_teardown);
}
