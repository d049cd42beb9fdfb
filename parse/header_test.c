/* header_test.c: unit tests for the header block splitter. */
#include "testdata/tools/unit.h"

#include "parse/header.h"

static void
split(const char *m, struct header_block *hb)
{
	arena_reset(A);
	findings_init(&F, A);
	headers_split(m, strlen(m), A, hb, &F);
}

static void
test_lf_and_folding(void **state)
{
	(void)state;
	struct header_block hb;
	const char *m = "Received: from a\n\tby b; Mon, 1 Jan 2024 00:00:00 "
	                "+0000\nSubject : hi\n\nbody\n";
	split(m, &hb);
	assert_int_equal(hb.n, 2);
	assert_true(str_ieq(hb.v[0].name, "received"));
	assert_true(str_ieq(hb.v[1].name, "Subject"));
	assert_true(hb.has_separator);
	assert_string_equal(m + hb.body, "body\n");
	struct str u = header_unfold(A, hb.v[0].value);
	assert_int_equal(
	    u.n, strlen("from a\tby b; Mon, 1 Jan 2024 00:00:00 +0000"));
	/* raw includes the final line end */
	assert_int_equal(hb.v[1].raw.n, strlen("Subject : hi\n"));
}

static void
test_crlf_headers_only(void **state)
{
	(void)state;
	struct header_block hb;
	const char *m = "From: a@b\r\nTo: c@d";
	split(m, &hb);
	assert_int_equal(hb.n, 2);
	assert_false(hb.has_separator);
	assert_int_equal(hb.body, strlen(m));
	assert_int_equal(hb.v[1].value.n, 4);
	assert_int_equal(hb.crlf, 1);
}

static void
test_envelope_and_invalid_line(void **state)
{
	(void)state;
	struct header_block hb;
	const char *m = "From x@y Mon Jan  1 00:00:00 2024\nA: 1\nnot a field\n"
	                "B: 2\n\n";
	split(m, &hb);
	assert_int_equal(hb.n, 2);
	assert_int_equal(hb.envelope.n,
	                 strlen("From x@y Mon Jan  1 00:00:00 2024"));
	assert_true(findings_has(&F, "hdr.invalid-line"));
}

static void
test_garbage_and_nul(void **state)
{
	(void)state;
	struct header_block hb;
	split("\x01\x02garbage", &hb);
	assert_int_equal(hb.n, 0);
	static const char m[] = "A: x\0y\nB: \xff\n\n";
	arena_reset(A);
	findings_init(&F, A);
	headers_split(m, sizeof(m) - 1, A, &hb, &F);
	assert_int_equal(hb.n, 2);
	assert_true(findings_has(&F, "hdr.nul-byte"));
	assert_true(findings_has(&F, "hdr.8bit"));
}

/* The line scan reads sixteen bytes at a time: a NUL or 8-bit byte
 * just after a line end in the same block belongs to the next field, and
 * one far into a long line still counts. */
static void
test_census_blocks(void **state)
{
	(void)state;
	struct header_block hb;
	static const char m[] = "A: 0123456789abcdefghij\nB: 1\n"
	                        "C: 2\xe9\nD: 0123456789abcdefghij"
	                        "klmnopqrstuv\0w\nE: 3\n\n";
	arena_reset(A);
	findings_init(&F, A);
	headers_split(m, sizeof(m) - 1, A, &hb, &F);
	assert_int_equal(hb.n, 5);
	assert_int_equal(hb.lf, 6);
	assert_int_equal(F.n, 2);
	assert_string_equal(F.v[0].id, "hdr.8bit");
	/* the index is the field the line starts (C: 2, D: 3) */
	assert_int_equal(F.v[0].header, 2);
	assert_string_equal(F.v[1].id, "hdr.nul-byte");
	assert_int_equal(F.v[1].header, 3);
	assert_int_equal(hb.v[3].value.n, strlen(" 0123456789abcdefghij"
	                                         "klmnopqrstuv") +
	                                      2);
	/* on a continuation line: the field it continues */
	static const char c[] = "A: 1\nB: 2\n \xe9\0\nC: 3\n\n";
	arena_reset(A);
	findings_init(&F, A);
	headers_split(c, sizeof(c) - 1, A, &hb, &F);
	assert_int_equal(hb.n, 3);
	assert_int_equal(F.n, 2);
	assert_string_equal(F.v[0].id, "hdr.nul-byte");
	assert_int_equal(F.v[0].header, 1);
	assert_string_equal(F.v[1].id, "hdr.8bit");
	assert_int_equal(F.v[1].header, 1);
	/* a clean header block of more than sixteen bytes: no finding */
	split("Subject: a subject line well over sixteen bytes\r\n"
	      "To: someone@example.org\r\n\r\n",
	      &hb);
	assert_int_equal(hb.n, 2);
	assert_int_equal(hb.crlf, 3);
	assert_int_equal(F.n, 0);
	assert_int_equal(hb.v[0].value.n,
	                 strlen(" a subject line well over sixteen bytes"));
}

/* hdr.line-too-long names the field of the long line: the one it starts,
 * or the one it continues. */
static void
test_long_line_field(void **state)
{
	(void)state;
	struct header_block hb;
	char m[1200];
	for (int cont = 0; cont <= 1; cont++) {
		size_t n = (size_t)snprintf(m, sizeof(m), "A: 1\n%s",
		                            cont ? "B: 2\n " : "B: ");
		memset(m + n, 'y', 1100);
		n += 1100;
		memcpy(m + n, "\nC: 3\n\n", 8);
		n += 8;
		arena_reset(A);
		findings_init(&F, A);
		headers_split(m, n, A, &hb, &F);
		assert_int_equal(hb.n, 3);
		assert_int_equal(F.n, 1);
		assert_string_equal(F.v[0].id, "hdr.line-too-long");
		assert_int_equal(F.v[0].header, 1);
	}
}

/* header_unfold looks for CR and LF 32 bytes at a time, the last
 * 32 or 16 overlapping: one CR or LF at every inner offset of values of
 * every length up to 100 is found and dropped; none, the value is
 * returned as it is (borrowed) */
static void
test_unfold(void **state)
{
	(void)state;
	char buf[100];
	for (size_t n = 1; n <= sizeof(buf); n++) {
		memset(buf, 'a', n);
		struct str v = header_unfold(A, str_make(buf, n));
		assert_ptr_equal(v.p, buf);
		assert_int_equal(v.n, n);
		for (size_t k = 1; k + 1 < n; k++)
			for (int eol = 0; eol < 2; eol++) {
				memset(buf, 'a', n);
				buf[k] = eol ? '\n' : '\r';
				v = header_unfold(A, str_make(buf, n));
				assert_int_equal(v.n, n - 1);
				assert_null(memchr(v.p, buf[k], v.n));
			}
	}
	struct str v = header_unfold(A, STR_LIT(" a value without folding "));
	assert_int_equal(v.n, strlen("a value without folding"));
	v = header_unfold(A, STR_LIT("0123456789\rabc"));
	assert_int_equal(v.n, strlen("0123456789abc"));
	v = header_unfold(A, STR_LIT("0123456\r\n\tx"));
	assert_string_equal(v.p, "0123456\tx");
	v = header_unfold(A, STR_LIT("ab\r\n c\rd\r\n\te\r\r\n f"));
	assert_string_equal(v.p, "ab cd\te f");
	v = header_unfold(A, STR_LIT("a\x01\x0b\x0c\x0d b"));
	assert_string_equal(v.p, "a\x01\x0b\x0c b");
}

/* field names are read sixteen bytes at a time: long names, the blanks
 * before the colon, DEL and 8-bit bytes that make a line no field */
static void
test_long_names(void **state)
{
	(void)state;
	struct header_block hb;
	split("X-A-Rather-Long-Field-Name-Of-More-Than-32-Bytes \t: v\n"
	      "X\x7f"
	      "Bad: v\nX-Caf\xc3\xa9: v\nShort:v\n\n",
	      &hb);
	assert_int_equal(hb.n, 2);
	assert_int_equal(hb.v[0].name.n,
	                 strlen("X-A-Rather-Long-Field-Name-Of-More-Than-32-"
	                        "Bytes"));
	assert_true(str_ieq(hb.v[1].name, "short"));
	assert_true(findings_has(&F, "hdr.invalid-line"));
	/* a name that runs to the end of the input is no field */
	split("A-Field-Name-Without-A-Colon", &hb);
	assert_int_equal(hb.n, 0);
}

/* The lines are found by the LF bits of 64-byte windows: lines of every
 * length around a window's, with LF and CRLF ends, continuations, an
 * mbox envelope that shifts the windows, and no body (the last window
 * short, the last line perhaps without an LF). An 8-bit byte at each
 * offset of the block is counted on the field of its line. */
static void
test_windows(void **state)
{
	(void)state;
	char m[1024];
	for (int env = 0; env <= 1; env++)
		for (size_t len = 1; len <= 140; len += 3) {
			size_t n = 0, starts[8];
			if (env)
				n += (size_t)sprintf(m, "From a@b Mon Jan  1 "
				                        "00:00:00 2024\n");
			for (int i = 0; i < 6; i++) {
				starts[i] = n;
				n += (size_t)sprintf(m + n,
				                     i == 3 ? " " : "F%d:", i);
				memset(m + n, 'v', len + (size_t)i);
				n += len + (size_t)i;
				n += (size_t)sprintf(m + n,
				                     i & 1 ? "\r\n" : "\n");
			}
			for (size_t end = n - 1; end <= n; end++) {
				/* the last line ends with CRLF, or CR alone */
				struct header_block hb;
				arena_reset(A);
				findings_init(&F, A);
				headers_split(m, end, A, &hb, &F);
				assert_int_equal(hb.n, 5);
				assert_int_equal(hb.crlf, end == n ? 3 : 2);
				assert_int_equal(hb.lf, 3);
				assert_int_equal(hb.v[2].raw.n,
				                 starts[4] - starts[2]);
				assert_int_equal(hb.v[4].raw.n,
				                 end - starts[5]);
				assert_int_equal(hb.v[4].value.n,
				                 end - starts[5] - 3 -
				                     (end == n ? 2 : 0));
				assert_int_equal(F.n, 0);
			}
			for (size_t k = starts[0]; k < n; k++) {
				char c = m[k];
				bool start = false;
				for (int i = 0; i < 6; i++)
					start |= k == starts[i];
				/* no field name, no field */
				if (start || c == '\r' || c == '\n' ||
				    c == ':' || m[k + 1] == ':')
					continue;
				int field = 0;
				for (int i = 1; i < 6; i++)
					if (k >= starts[i] && i != 3)
						field = i > 3 ? i - 1 : i;
				m[k] = (char)0xe9;
				struct header_block hb;
				arena_reset(A);
				findings_init(&F, A);
				headers_split(m, n, A, &hb, &F);
				m[k] = c;
				assert_int_equal(hb.n, 5);
				assert_int_equal(F.n, 1);
				assert_string_equal(F.v[0].id, "hdr.8bit");
				assert_int_equal(F.v[0].header, field);
			}
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lf_and_folding),
	    cmocka_unit_test(test_crlf_headers_only),
	    cmocka_unit_test(test_envelope_and_invalid_line),
	    cmocka_unit_test(test_garbage_and_nul),
	    cmocka_unit_test(test_census_blocks),
	    cmocka_unit_test(test_long_line_field),
	    cmocka_unit_test(test_unfold),
	    cmocka_unit_test(test_long_names),
	    cmocka_unit_test(test_windows),
	};
	return cmocka_run_group_tests_name("header", tests, unit_setup,
	                                   unit_teardown);
}
