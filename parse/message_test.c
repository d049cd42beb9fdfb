/* message_test.c: the GMime-free fast paths of message.c give what GMime
 * gives (expected values taken from GMime 3.2). */
#include <gio/gio.h>
#include <glib.h>
#include <link.h>
#include <stdbool.h>
#include <stdlib.h>

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
	/* a '-' sends the domain to the "xn--" search; none, it is plain */
	addr_is("<a@mail-out.b.example>", "a@mail-out.b.example");
	addr_is("a@XN--bcher-kva.example", "a@XN--bcher-kva.example");
	addr_is("X <a-b@c.example>", "a-b@c.example");
}

static void
date_is(const char *raw, long long utc, int tz)
{
	struct date d = message_date_parse(str_make(raw, strlen(raw)));
	if (!d.ok || d.utc != utc || d.tz_offset != tz)
		fail_msg("[%s]: ok %d utc %lld tz %d", raw, d.ok,
		         (long long)d.utc, d.tz_offset);
}

/* tz_missing as message_date_parse decides it, on the date as
 * clean_date leaves it (CR, LF, NUL blanked; no " m=" part here): the
 * last number before trailing blanks and ')' is not a 4-digit signed
 * zone, and there is no '+' nor " -" anywhere. */
static bool
ref_tz_missing(const char *b, size_t n)
{
	const char *z = b + n;
	while (z > b && (z[-1] == ' ' || z[-1] == ')'))
		z--;
	if (!(z > b && z[-1] >= '0' && z[-1] <= '9'))
		return false;
	const char *q = z;
	while (q > b && q[-1] >= '0' && q[-1] <= '9')
		q--;
	if (q > b && (q[-1] == '+' || q[-1] == '-') && z - q == 4)
		return false;
	return !(memchr(b, '+', n) || memmem(b, n, " -", 2));
}

/* The copy of a date without CR, LF, NUL or '=' (eight bytes at a time,
 * the last eight overlapping) and the early return of fast_date's dates
 * give what the byte-by-byte path and the zone test give: each date in
 * a few spellings, with a CR, LF or NUL put at every offset (which
 * clean_date makes a space) against the date with a space there. */
static void
test_date_paths(void **state)
{
	(void)state;
	static const char *const dates[] = {
	    "Mon, 02 Sep 2002 12:22:40 +0100",
	    "Thu, 22 Aug 2002 07:35:02\t-0400 (x 12)",
	    "Thu, 22 Aug 2002 07:35:02 -0400 (x 12)",
	    "Thu, 22 Aug 2002 07:35:02\t-0400 (EDT)  ",
	    "Thu, 22 Aug 2002 07:35:02\t-0400",
	    "2 Sep 2002 12:22 +0100 (1234)",
	    "2 Sep 2002 12:22:01 -0000 (CET) ",
	    "Sun, 1 Dec 2024 10:00:00 +0000 m=+0.5",
	    "Sun, 1 Dec 2024 10:00:00",
	    "Sun, 1 Dec 2024 10:00:00 GMT",
	    "1 Dec 2024 10:00 +01",
	};
	char b[64], c[64];
	for (size_t i = 0; i < sizeof(dates) / sizeof(*dates); i++) {
		size_t n = strlen(dates[i]);
		struct date d = message_date_parse(str_make(dates[i], n));
		if (!strstr(dates[i], " m=") && d.ok &&
		    d.tz_missing != ref_tz_missing(dates[i], n))
			fail_msg("[%s]: tz_missing %d", dates[i], d.tz_missing);
		for (size_t k = 1; k + 1 < n; k++) {
			static const char bad[] = {'\r', '\n', '\0'};
			memcpy(b, dates[i], n);
			memcpy(c, dates[i], n);
			if (c[k] != ' ')
				continue;
			for (size_t j = 0; j < sizeof(bad); j++) {
				b[k] = bad[j];
				struct date x = message_date_parse(
				                str_make(b, n)),
				            y = message_date_parse(
				                str_make(c, n));
				if (x.ok != y.ok || x.utc != y.utc ||
				    x.tz_offset != y.tz_offset ||
				    x.tz_missing != y.tz_missing)
					fail_msg("[%s] byte %zu", dates[i], k);
			}
		}
	}
}

static void
test_dates(void **state)
{
	(void)state;
	/* each month name (found by its first letter, then the others) */
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr",
	                                  "May", "Jun", "Jul", "Aug",
	                                  "Sep", "Oct", "Nov", "Dec"};
	for (unsigned m = 1; m <= 12; m++) {
		char b[64];
		snprintf(b, sizeof(b), "Wed, 1 %s 2020 00:00:00 +0000",
		         mon[m - 1]);
		date_is(b, message_days_from_civil(2020, m, 1) * 86400, 0);
	}
	static const char *const bad[] = {"Jux", "Jaz", "Mab", "Ap",
	                                  "Auu", "Ju",  "Dex", "Xyz"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char b[64];
		snprintf(b, sizeof(b), "1 %s 2020 00:00:00 +0000", bad[i]);
		assert_false(message_date_parse(str_make(b, strlen(b))).ok);
	}
	date_is("Mon, 02 Sep 2002 12:22:40 +0100", 1030965760, 60);
	date_is("Thu, 22 Aug 2002     07:35:02 -0400", 1030016102, -240);
	date_is("Thu,\t22 Aug 2002 07:35:02\t\t-0400", 1030016102, -240);
	date_is("2 Sep 2002 12:22 +0100", 1030965720, 60);
	assert_false(message_date_parse(STR_LIT("Mon, 00 Sep 2002 12:22:40 "
	                                        "+0100"))
	                 .ok);
	/* 255 bytes, all the copy holds, ending in a sign or one digit: the
	 * zone's digits are read up to the NUL, not past it (make check
	 * SAN=1 found a read past it); whatever GMime makes of the rest */
	static const char *const ends[] = {"+", "-", "+0", "7"};
	for (size_t i = 0; i < sizeof(ends) / sizeof(*ends); i++) {
		char b[256];
		size_t e = strlen(ends[i]);
		memset(b, ' ', 255);
		memcpy(b, "Mon, 2 Sep 2002 12:22:40", 24);
		memcpy(b + 255 - e, ends[i], e);
		b[255] = '\0';
		(void)message_date_parse(str_make(b, 255));
	}
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

static int
find_object(struct dl_phdr_info *info, size_t size, void *want)
{
	(void)size;
	return info->dlpi_name && strstr(info->dlpi_name, want) != NULL;
}

/* Is a shared object whose path contains `name` loaded? */
static bool
loaded(const char *name)
{
	return dl_iterate_phdr(find_object, (void *)name) != 0;
}

/* A charset's converter stays loaded after GMime is done with it: glibc
 * unloads an unused gconv module once two other converters are released,
 * and the next encoded word in that charset loaded it again. */
static void
test_charsets_stay_loaded(void **state)
{
	(void)state;
	text_is("=?ISO-8859-1?Q?caf=E9?=", "caf\xc3\xa9");
	if (!loaded("/ISO8859-1.so"))
		skip(); /* converters built into this libc */
	text_is("=?koi8-r?b?98/EwQ==?=", "\xd0\x92\xd0\xbe\xd0\xb4\xd0\xb0");
	text_is("=?iso-8859-2?q?=B1?=", "\xc4\x85");
	text_is("=?windows-1251?q?=C0?=", "\xd0\x90");
	text_is("=?iso-8859-15?q?=A4?=", "\xe2\x82\xac");
	text_is("caf\xe9", "caf\xc3\xa9"); /* raw 8-bit: GMime's guess */
	assert_true(loaded("/ISO8859-1.so"));
	assert_true(loaded("/KOI8-R.so"));
	assert_true(loaded("/ISO8859-2.so"));
}

/* Once GMime is loaded, GLib allocates its slices with malloc (G_SLICE):
 * the decoder's blocks share pages rather than each size taking one.
 * The tests run without G_SLICE set, as relaytrace usually does. */
static void
test_slices_from_malloc(void **state)
{
	(void)state;
	text_is("=?UTF-8?Q?caf=C3=A9?=", "caf\xc3\xa9"); /* loads GMime */
	const char *v = getenv("G_SLICE");
	assert_non_null(v);
	assert_string_equal(v, "always-malloc");
}

/* GIO's table of mounts, which GMime's GIO stream brings into a static
 * link and relaytrace never reads: linked in, it gets parse/giostub.c's
 * answers and finds no mount (rather than crashing); loaded, libmount's
 * real ones. GIO's unix header is not on the include path: declared. */
GList *g_unix_mounts_get(guint64 *time_read);
GList *g_unix_mount_points_get(guint64 *time_read);
void g_unix_mount_free(gpointer mount_entry);
void g_unix_mount_point_free(gpointer mount_point);

static void
test_gio_mounts(void **state)
{
	(void)state;
	message_lib_threads(); /* GMime and GLib set up, as before a batch */
	GList *m = g_unix_mounts_get(NULL);
	GList *p = g_unix_mount_points_get(NULL);
#if defined(RT_GMIME_STATIC)
	assert_null(m);
	assert_null(p);
#endif
	g_list_free_full(m, g_unix_mount_free);
	g_list_free_full(p, g_unix_mount_point_free);
}

/* GIO's SELinux file attribute, the other thing of GIO's a static link
 * brings in: linked in, SELinux is disabled (parse/giostub.c) and a file
 * has no context; the file's other attributes are still read. */
static void
test_gio_file_attributes(void **state)
{
	(void)state;
	message_lib_threads();
	GFile *f = g_file_new_for_path("testdata/msg/0001-direct.eml");
	GFileInfo *fi = g_file_query_info(f, "standard::size,selinux::context",
	                                  G_FILE_QUERY_INFO_NONE, NULL, NULL);
	assert_non_null(fi);
	assert_true(g_file_info_get_size(fi) > 0);
#if defined(RT_GMIME_STATIC)
	assert_null(g_file_info_get_attribute_string(fi, "selinux::context"));
#endif
	g_object_unref(fi);
	g_object_unref(f);
}

/* message_info_fill shows the first field of each of its six names, in
 * any case (headers_split records them) */
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
	    cmocka_unit_test(test_date_paths),
	    cmocka_unit_test(test_decode_text),
	    cmocka_unit_test(test_charsets_stay_loaded),
	    cmocka_unit_test(test_slices_from_malloc),
	    cmocka_unit_test(test_gio_mounts),
	    cmocka_unit_test(test_gio_file_attributes),
	    cmocka_unit_test(test_info_fields),
	};
	return cmocka_run_group_tests_name("message", tests, unit_setup_parsers,
	                                   unit_teardown_parsers);
}
