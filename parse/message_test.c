/* message_test.c: the GMime-free fast paths of message.c give what GMime
 * gives (expected values taken from GMime 3.2). */
#include "testdata/tools/unit.h"

#include "parse/header.h"

static void
addr_is(const char *raw, const char *want)
{
	arena_reset(A);
	struct str got = message_first_address(A, str_make(raw, strlen(raw)));
	if (got.n != strlen(want) || memcmp(got.p, want, got.n) != 0)
		fail_msg("[%s]: got [%.*s], want [%s]", raw, (int)got.n, got.p,
		         want);
}

static void
test_first_address(void **state)
{
	(void)state;
	addr_is("a@b.example", "a@b.example");
	addr_is("Word Word <a@b.example>", "a@b.example");
	addr_is("\"Peter Staunton\" <peter@staunton.example>",
	        "peter@staunton.example");
	addr_is("\"\" <a@b.example>", "a@b.example");
	addr_is("\"Adam L. Beberg\"<beberg@mithral.example>",
	        "beberg@mithral.example");
	addr_is("tim.one@comcast.example (Tim Peters)",
	        "tim.one@comcast.example");
	/* the shapes left to GMime */
	addr_is("\"a\\\"b\" <x@y.example>", "x@y.example");
	addr_is("x@y.example (a (nested) comment)", "x@y.example");
	addr_is("\"x\"\r\n <x@y.example>", "x@y.example");
	addr_is("a@xn--bcher-kva.example (B)", "a@b\xc3\xbc"
	                                       "cher.example");
}

static void
date_is(const char *raw, long long utc, int tz)
{
	struct date d = message_date_parse(str_make(raw, strlen(raw)));
	if (!d.ok || d.utc != utc || d.tz_offset != tz)
		fail_msg("[%s]: ok %d utc %lld tz %d", raw, d.ok,
		         (long long)d.utc, d.tz_offset);
}

static void
test_dates(void **state)
{
	(void)state;
	date_is("Mon, 02 Sep 2002 12:22:40 +0100", 1030965760, 60);
	date_is("Thu, 22 Aug 2002     07:35:02 -0400", 1030016102, -240);
	date_is("Thu,\t22 Aug 2002 07:35:02\t\t-0400", 1030016102, -240);
	date_is("2 Sep 2002 12:22 +0100", 1030965720, 60);
	assert_false(message_date_parse(STR_LIT("Mon, 00 Sep 2002 12:22:40 "
	                                        "+0100"))
	                 .ok);
}

static void
text_is(const char *raw, const char *want)
{
	arena_reset(A);
	struct str got = message_decode_text(A, str_make(raw, strlen(raw)));
	if (got.n != strlen(want) || memcmp(got.p, want, got.n) != 0)
		fail_msg("[%s]: got [%.*s], want [%s]", raw, (int)got.n, got.p,
		         want);
}

/* The plain-ASCII path looks at eight bytes at a time: what stops it
 * ('=' before '?', CR, LF, 8-bit) at each place of a block. */
static void
test_decode_text(void **state)
{
	(void)state;
	text_is("a plain subject line of some length",
	        "a plain subject line of some length");
	text_is("a=b c=d e=f g=h: no encoded word", "a=b c=d e=f g=h: no "
	                                            "encoded word");
	text_is("abcdefg =?utf-8?q?caf=C3=A9?=", "abcdefg caf\xc3\xa9");
	text_is("abcdefgh =?utf-8?q?caf=C3=A9?= x", "abcdefgh caf\xc3\xa9 x");
	text_is("line one of the subject\r\n two", "line one of the subject "
	                                           "two");
	text_is("1234567\n 8", "1234567 8");
	text_is("caf\xc3\xa9 au lait, 8-bit", "caf\xc3\xa9 au lait, 8-bit");
	text_is("12345678caf\xc3\xa9", "12345678caf\xc3\xa9");
}

/* message_info_fill finds its six fields in one pass: the first of each
 * name, in any case */
static void
test_info_fields(void **state)
{
	(void)state;
	static const char m[] =
	    "Received: from a by b; Mon, 1 Jan 2024 00:00:00 +0000\n"
	    "date: not a date\nSUBJECT: first\nSubject: second\n"
	    "To: t@example.org\nmessage-id: <id@example.org>\n"
	    "Return-Path: <rp@example.org>\nFrom: Someone <f@example.org>\n"
	    "From: other@example.org\nDate: Mon, 1 Jan 2024 00:00:00 "
	    "+0000\n\nbody\n";
	struct header_block hb;
	struct message_info mi;
	unit_reset();
	headers_split(m, sizeof(m) - 1, A, &hb, &F);
	message_info_fill(A, &hb, &mi, &F);
	assert_memory_equal(mi.subject.p, "first", mi.subject.n);
	assert_memory_equal(mi.to.p, "t@example.org", mi.to.n);
	assert_memory_equal(mi.message_id.p, "<id@example.org>",
	                    mi.message_id.n);
	assert_memory_equal(mi.return_path.p, "rp@example.org",
	                    mi.return_path.n);
	assert_memory_equal(mi.from_addr.p, "f@example.org", mi.from_addr.n);
	assert_memory_equal(mi.date.p, "not a date", mi.date.n);
	assert_int_equal(F.n, 1);
	assert_string_equal(F.v[0].id, "hdr.bad-date");
	assert_int_equal(F.v[0].header, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_first_address),
	    cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_decode_text),
	    cmocka_unit_test(test_info_fields),
	};
	return cmocka_run_group_tests_name("message", tests, unit_setup_parsers,
	                                   unit_teardown_parsers);
}
