/* jsonw_test.c: the JSON writer's escaping, UTF-8 repair and layout, and
 * the text sanitiser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <string.h>
#include <time.h>

#include "report/jsonw.h"
#include "report/report.h"
#include "report/sections.h"

static void
test_escape(void **state)
{
	(void)state;
	struct obuf o;
	obuf_init(&o);
	struct jsonw w;
	jsonw_init(&w, &o, false);
	jsonw_obj(&w);
	static const char in[] = "a\"b\\c\n\t\x01\x1b[31m\0z";
	jsonw_kstr(&w, "k", str_make(in, sizeof(in) - 1));
	jsonw_kint(&w, "n", -5);
	jsonw_klit(&w, "l", "lit");
	jsonw_key(&w, "a");
	jsonw_arr(&w);
	jsonw_bool(&w, true);
	jsonw_null(&w);
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	assert_string_equal(o.p, "{\"k\":\"a\\\"b\\\\c\\n\\t\\u0001\\u001b[31m"
	                         "\xEF\xBF\xBDz\",\"n\":-5,\"l\":\"lit\","
	                         "\"a\":[true,null]}");
	obuf_free(&o);
}

/* The escaper as the spec says it, a byte at a time. */
static size_t
ref_escape(char *d, const unsigned char *p, size_t n, size_t *replaced)
{
	static const char hex[] = "0123456789abcdef";
	char *s = d;
	*d++ = '"';
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		size_t l = c >= 0x80 ? utf8_valid_len(p + i, n - i) : 1;
		if (c >= 0x80 && l > 1) {
			memcpy(d, p + i, l);
			d += l, i += l;
			continue;
		}
		i++;
		if (c == '"' || c == '\\')
			*d++ = '\\', *d++ = (char)c;
		else if (c == '\n')
			*d++ = '\\', *d++ = 'n';
		else if (c == '\r')
			*d++ = '\\', *d++ = 'r';
		else if (c == '\t')
			*d++ = '\\', *d++ = 't';
		else if (c == 0 || c >= 0x80) {
			memcpy(d, "\xEF\xBF\xBD", 3);
			d += 3;
			(*replaced)++;
		} else if (c < 0x20) {
			memcpy(d, "\\u00", 4);
			d[4] = hex[c >> 4];
			d[5] = hex[c & 15];
			d += 6;
		} else
			*d++ = (char)c;
	}
	*d++ = '"';
	return (size_t)(d - s);
}

/* p[0..n) as a value and as a member's, into a new buffer and into one
 * with room for all (a long string escaped in one go, not in rounds). */
static void
check_escape(const unsigned char *p, size_t n)
{
	char *want = malloc(6 * n + 2);
	size_t replaced = 0;
	size_t wn = ref_escape(want, p, n, &replaced);
	for (int roomy = 0; roomy < 2; roomy++) {
		struct obuf o;
		obuf_init(&o);
		if (roomy)
			obuf_grow(&o, 6 * n + 64);
		struct jsonw w;
		jsonw_init(&w, &o, false);
		jsonw_str(&w, str_make((const char *)p, n));
		assert_int_equal(o.n, wn);
		assert_memory_equal(o.p, want, wn);
		assert_int_equal(w.replaced, replaced);
		obuf_free(&o); /* as new again */
		if (roomy)
			obuf_grow(&o, 6 * n + 64);
		jsonw_init(&w, &o, false);
		jsonw_obj(&w);
		jsonw_kstr(&w, "k", str_make((const char *)p, n));
		jsonw_obj_end(&w);
		assert_int_equal(o.n, wn + 6);
		assert_memory_equal(o.p, "{\"k\":", 5);
		assert_memory_equal(o.p + 5, want, wn);
		assert_int_equal(o.p[wn + 5], '}');
		assert_int_equal(w.replaced, replaced);
		obuf_free(&o);
		if (roomy) /* in a span */
			obuf_grow(&o, 6 * n + 64);
		jsonw_init(&w, &o, false);
		char *d = jsonw_span(&w);
		d = JSONW_LIT(d, "[");
		d = jsonw_put_str(&w, d, str_make((const char *)p, n));
		*d++ = ']';
		jsonw_span_end(&w, d);
		assert_int_equal(o.n, wn + 2);
		assert_memory_equal(o.p + 1, want, wn);
		assert_int_equal(w.replaced, replaced);
		obuf_free(&o);
	}
	free(want);
}

/* Every length around the escaper's 4-, 8-, 16- and 32-byte steps and its
 * 4096-byte rounds, with a special byte (or a UTF-8 sequence, valid or
 * cut) at every position, and random bytes. */
static void
test_escape_lengths(void **state)
{
	(void)state;
	static const char *const special[] = {
	    "\"",      "\\",       "\n",           "\t",
	    "\r",      "\x01",     "\x7f",         "\0",
	    "\xff",    "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
	    "\xe2\x82"};
	unsigned char buf[5000];
	static const size_t lens[] = {4090, 4095, 4096, 4097, 4100, 4111, 4999};
	for (size_t n = 0; n <= 100; n++) {
		memset(buf, 'a', n);
		check_escape(buf, n);
		for (size_t k = 0; k < sizeof(special) / sizeof(*special);
		     k++) {
			size_t l = k == 7 ? 1 : strlen(special[k]);
			for (size_t at = 0; at + l <= n; at++) {
				memset(buf, 'a', n);
				memcpy(buf + at, special[k], l);
				check_escape(buf, n);
			}
		}
	}
	for (size_t k = 0; k < sizeof(lens) / sizeof(*lens); k++)
		for (size_t at = lens[k] - 20; at < lens[k]; at++) {
			memset(buf, 'b', lens[k]);
			memcpy(buf + at, "\xe2\x82\xac",
			       3 < lens[k] - at ? 3 : lens[k] - at);
			check_escape(buf, lens[k]);
		}
	for (unsigned c = 0; c < 256; c++) /* every byte value, every step */
		for (size_t n = 1; n <= 33; n += 4)
			for (size_t at = 0; at < n; at += 3) {
				memset(buf, 'a', n);
				buf[at] = (unsigned char)c;
				check_escape(buf, n);
			}
	uint32_t x = 12345;
	for (int t = 0; t < 20000; t++) {
		size_t n = (size_t)t % 80;
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			unsigned r = x >> 16;
			/* mostly plain, sometimes anything */
			buf[i] = (unsigned char)(r % 8 ? 'a' + r % 26 : r >> 8);
		}
		check_escape(buf, n);
	}
	/* longer, with runs of escapes as in folded header fields */
	static const unsigned char odd[] = {'\n', '\t', '"',  '\\', 0x01, 0,
	                                    0x80, 0xc3, 0xa9, 0xe2, 0x82, 0xac};
	for (int t = 0; t < 20000; t++) {
		size_t n = (size_t)t % 300;
		unsigned rate = 2 + (unsigned)t % 61;
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			unsigned r = x >> 16;
			buf[i] = (unsigned char)(r % rate ? 'a' + r % 26
			                                  : odd[(r >> 8) % 12]);
		}
		check_escape(buf, n);
	}
}

/* jsonw_put_cstr (which reads aligned blocks around the string) against
 * the reference, at every alignment, across its block steps and its
 * CSTR_FAST bytes, plain and with a byte to escape, and as the first
 * value of a new buffer (the room short). */
static void
test_put_cstr(void **state)
{
	(void)state;
	static _Alignas(16) char buf[400];
	char *want = malloc(6 * sizeof(buf) + 2);
	uint32_t x = 777;
	for (size_t off = 0; off < 16; off++)
		for (size_t n = 0; n < 300; n += n < 40 ? 1 : 7)
			for (int kind = 0; kind < 3; kind++) {
				char *s = buf + off;
				for (size_t i = 0; i < n; i++) {
					x = x * 1103515245u + 12345u;
					s[i] = (char)('a' + (x >> 16) % 26);
				}
				if (kind && n) { /* one byte to escape */
					x = x * 1103515245u + 12345u;
					s[(x >> 16) % n] =
					    kind == 1 ? '"' : '\xe9';
				}
				s[n] = '\0';
				memset(s + n + 1, kind ? '"' : 'z',
				       sizeof(buf) - off - n - 1);
				size_t replaced = 0;
				size_t wn =
				    ref_escape(want, (const unsigned char *)s,
				               n, &replaced);
				for (int roomy = 0; roomy < 2; roomy++) {
					struct obuf o;
					obuf_init(&o);
					if (roomy)
						obuf_grow(&o, 4096);
					struct jsonw w;
					jsonw_init(&w, &o, false);
					char *d = jsonw_span(&w);
					*d++ = '[';
					/* without room to spare: a filler
					 * string leaves about the slack and
					 * jsonw_put_cstr's 258 bytes */
					size_t pad = 0;
					if (!roomy) {
						size_t r = (size_t)(w.end - d);
						pad = r - JSONW_SPAN_SLACK -
						      200 - n % 200;
						*d++ = '"';
						memset(d, 'f', pad);
						d += pad;
						*d++ = '"';
						*d++ = ',';
						pad += 3;
					}
					d = jsonw_put_cstr(&w, d, s);
					*d++ = ',';
					d = jsonw_put_cstr(&w, d, NULL);
					*d++ = ']';
					jsonw_span_end(&w, d);
					assert_int_equal(o.n, pad + wn + 7);
					assert_memory_equal(o.p + pad + 1, want,
					                    wn);
					assert_memory_equal(o.p + pad + 1 + wn,
					                    ",null]", 6);
					assert_int_equal(w.replaced, replaced);
					obuf_free(&o);
				}
			}
	free(want);
}

/* Names quoted at compile time, up to the longest that fits, written
 * with their 16-byte copy into a span. */
static void
test_put_name(void **state)
{
	(void)state;
	static const struct jsonw_name v[] = {
	    JSONW_NAME(""), JSONW_NAME("info"), JSONW_NAME("lmtp-delivery")};
	static const char *const want = "[\"\",\"info\",\"lmtp-delivery\"]";
	struct obuf o;
	struct jsonw w;
	obuf_init(&o);
	jsonw_init(&w, &o, false);
	char *d = jsonw_span(&w);
	*d++ = '[';
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		if (i)
			*d++ = ',';
		d = jsonw_put_name(d, &v[i]);
	}
	*d++ = ']';
	jsonw_span_end(&w, d);
	assert_string_equal(o.p, want);
	assert_int_equal(o.n, strlen(want));
	obuf_free(&o);
}

/* Integers against printf, around every power of ten. */
static void
test_int(void **state)
{
	(void)state;
	int64_t v[64 * 4 + 4];
	size_t n = 0;
	uint64_t p = 1;
	for (int k = 0; k <= 18; k++, p *= 10) {
		v[n++] = (int64_t)p - 1;
		v[n++] = (int64_t)p;
		v[n++] = -(int64_t)p;
		v[n++] = -(int64_t)p + 1;
	}
	v[n++] = INT64_MAX;
	v[n++] = INT64_MIN;
	v[n++] = 1234567890123;
	v[n++] = -42;
	for (size_t i = 0; i < n; i++) {
		char want[32], got[JSONW_INT_MAX + 1];
		snprintf(want, sizeof(want), "%" PRId64, v[i]);
		char *e = jsonw_int_at(got, v[i]);
		*e = '\0';
		assert_string_equal(got, want);
	}
}

/* report_iso8601 against gmtime_r + strftime, daily over the years
 * 1000-9999 at varying times of day, and around the range's ends. */
static void
test_iso8601(void **state)
{
	(void)state;
	static const long long edge[] = {-30610224001LL, -30610224000LL, 0, -1,
	                                 253402300799LL, 253402300800LL};
	for (long long t = -30610224000LL; t <= 253402300799LL;
	     t += 86400 * 3 + 3671) {
		char want[64], got[REPORT_ISO8601_MAX];
		time_t tt = (time_t)t;
		struct tm tm;
		assert_non_null(gmtime_r(&tt, &tm));
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		char *e = report_iso8601(got, sizeof(got), t);
		assert_string_equal(got, want);
		assert_ptr_equal(e, got + strlen(want));
	}
	for (size_t i = 0; i < sizeof(edge) / sizeof(*edge); i++) {
		char want[64], got[REPORT_ISO8601_MAX];
		time_t tt = (time_t)edge[i];
		struct tm tm;
		assert_non_null(gmtime_r(&tt, &tm));
		strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ", &tm);
		report_iso8601(got, sizeof(got), edge[i]);
		assert_string_equal(got, want);
	}
	/* with the date remembered: times stepping by up to ~2 days, some
	 * back, the day kept, changed, or left and re-entered; and the ends
	 * of the range, in and out of it */
	struct report_day day = REPORT_DAY_INIT;
	uint32_t x = 1;
	long long t = 1700000000;
	for (int i = 0; i < 200000; i++) {
		x = x * 1103515245u + 12345u;
		if (i % 1000 == 999)
			t = edge[(x >> 8) % (sizeof(edge) / sizeof(*edge))];
		else
			t += (long long)((x >> 8) % 172800) - 40000;
		char want[64], got[REPORT_ISO8601_MAX];
		report_iso8601(want, sizeof(want), t);
		char *e = report_iso8601_day(got, sizeof(got), t, &day);
		assert_string_equal(got, want);
		assert_ptr_equal(e, got + strlen(want));
	}
}

/* The text report's printf replacements against printf. */
static void
test_obuf_text(void **state)
{
	(void)state;
	static const long long v[] = {0,    7,         -7,        10,       99,
	                              -100, 123456789, LLONG_MAX, LLONG_MIN};
	struct obuf o;
	char want[64];
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		obuf_init(&o);
		obuf_putint(&o, v[i]);
		snprintf(want, sizeof(want), "%lld", v[i]);
		assert_string_equal(o.p, want);
		obuf_free(&o);
	}
	obuf_init(&o);
	obuf_puts_pad(&o, "From:", 13);
	obuf_puts_pad(&o, "Return-Path-Long:", 13);
	obuf_puts_pad(&o, "", 0);
	snprintf(want, sizeof(want), "%-13s%-13s",
	         "From:", "Return-Path-Long:");
	assert_string_equal(o.p, want);
	obuf_free(&o);
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	struct obuf o;
	obuf_init(&o);
	struct jsonw w;
	jsonw_init(&w, &o, false);
	/* valid 2-, 3-, 4-byte sequences pass; overlong, surrogate, lone
	 * continuation and truncated sequences are replaced */
	static const char in[] = "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
	                         "\xc0\xaf\xed\xa0\x80\x80\xe2\x82";
	jsonw_str(&w, str_make(in, sizeof(in) - 1));
	assert_string_equal(o.p, "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
	                         "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf"
	                         "\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef"
	                         "\xbf\xbd\"");
	assert_int_equal(w.replaced, 8);
	obuf_free(&o);
}

static void
test_pretty_empty(void **state)
{
	(void)state;
	struct obuf o;
	obuf_init(&o);
	struct jsonw w;
	jsonw_init(&w, &o, true);
	jsonw_obj(&w);
	jsonw_key(&w, "e");
	jsonw_arr(&w);
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	assert_string_equal(o.p, "{\n  \"e\": []\n}");
	obuf_free(&o);
}

/* A document of every kind of token after a string of pad bytes. */
static void
grow_doc(struct obuf *o, bool pretty, size_t pad)
{
	static char x[256];
	memset(x, 'x', sizeof(x));
	struct jsonw w;
	jsonw_init(&w, o, pretty);
	jsonw_arr(&w);
	jsonw_str(&w, str_make(x, pad));
	for (int i = 0; i < 120; i++) {
		jsonw_obj(&w);
		jsonw_karr(&w, "a");
		jsonw_arr_end(&w);
		jsonw_knull(&w, "b");
		jsonw_kint(&w, "c", i);
		jsonw_kstr(&w, "d", STR_LIT("v"));
		jsonw_klit(&w, "g", "unknown");
		jsonw_key(&w, "e");
		jsonw_int(&w, -i);
		char *d = jsonw_kplain(&w, "f", 2);
		jsonw_kplain_end(&w, jsonw_two_digits(d, (unsigned)i % 100));
		jsonw_obj_end(&w);
		jsonw_null(&w);
		jsonw_str(&w, STR_LIT("s"));
	}
	jsonw_arr_end(&w);
}

/* The buffer runs out at every kind of token (the inline writers' slow
 * paths): the document is the same as one written with room to spare. */
static void
test_grow_everywhere(void **state)
{
	(void)state;
	for (int pretty = 0; pretty < 2; pretty++)
		for (size_t pad = 0; pad < 200; pad++) {
			struct obuf ref, o;
			obuf_init(&ref);
			obuf_init(&o);
			obuf_grow(&ref, 1 << 16);
			grow_doc(&ref, pretty, pad);
			grow_doc(&o, pretty, pad);
			assert_true(o.cap > 4096); /* it grew at least once */
			assert_int_equal(o.n, ref.n);
			assert_string_equal(o.p, ref.p);
			obuf_free(&ref);
			obuf_free(&o);
		}
}

static void
test_sanitize(void **state)
{
	(void)state;
	struct obuf o;
	obuf_init(&o);
	static const char in[] = "ok\x1b]8;;http://x\x07"
	                         "\xe2\x80\xae"
	                         "\xc2\x9b\r\n\tfold\xff\0";
	text_safe(&o, str_make(in, sizeof(in) - 1));
	assert_string_equal(o.p, "ok\\x1b]8;;http://x\\x07\\u{202e}"
	                         "\\u{009b} fold\\xff\\0");
	assert_int_equal(text_safe_width(str_make(in, sizeof(in) - 1)),
	                 strlen(o.p));
	obuf_free(&o);
}

/* The sanitiser's printable runs end at every kind of byte, at every
 * position around its 16-byte steps. */
static void
test_sanitize_runs(void **state)
{
	(void)state;
	static const struct {
		char in;
		const char *out;
	} cases[] = {{'\x01', "\\x01"}, {'\x7f', "\\x7f"}, {'\x1b', "\\x1b"},
	             {'\xff', "\\xff"}, {'~', "~"},        {' ', " "}};
	char in[48], want[64];
	for (size_t k = 0; k < sizeof(cases) / sizeof(*cases); k++)
		for (size_t n = 1; n <= 40; n++)
			for (size_t at = 0; at < n; at++) {
				memset(in, 'a', n);
				in[at] = cases[k].in;
				snprintf(want, sizeof(want), "%.*s%s%.*s",
				         (int)at, in, cases[k].out,
				         (int)(n - at - 1), in + at + 1);
				struct obuf o;
				obuf_init(&o);
				size_t wd = text_safe(&o, str_make(in, n));
				assert_string_equal(o.p, want);
				assert_int_equal(wd, strlen(want));
				assert_int_equal(
				    text_safe_width(str_make(in, n)), wd);
				obuf_free(&o);
			}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_escape_lengths),
	    cmocka_unit_test(test_put_cstr),
	    cmocka_unit_test(test_put_name),
	    cmocka_unit_test(test_int),
	    cmocka_unit_test(test_obuf_text),
	    cmocka_unit_test(test_iso8601),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_pretty_empty),
	    cmocka_unit_test(test_grow_everywhere),
	    cmocka_unit_test(test_sanitize),
	    cmocka_unit_test(test_sanitize_runs),
	};
	return cmocka_run_group_tests_name("jsonw", tests, NULL, NULL);
}
