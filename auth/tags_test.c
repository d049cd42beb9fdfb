/* tags_test.c: unit tests for the RFC 6376 tag-list parser. */
#include "testdata/tools/unit.h"

#include "auth/tags.h"

static int
parse(const char *s, struct tag_list *l)
{
	arena_reset(A);
	return tags_parse(str_make(s, strlen(s)), A, l);
}

static void
test_basic_and_fws(void **state)
{
	(void)state;
	struct tag_list l;
	const char *s = " v = 1 ;a=rsa-sha256;\r\n\tb=abc\r\n def ; h=from:to;";
	assert_int_equal(parse(s, &l), TAGS_OK);
	assert_int_equal(l.n, 4);
	bool present;
	struct str v = tags_get(&l, "v", &present);
	assert_true(present);
	assert_true(str_eq(v, STR_LIT("1")));
	struct str b = tags_get(&l, "b", NULL);
	assert_true(str_eq(b, STR_LIT("abc\r\n def")));
	/* the value points into the input: DKIM blanks b= by offset */
	assert_ptr_equal(b.p, s + (strstr(s, "abc") - s));
	assert_true(str_eq(tags_value_nows(A, b), STR_LIT("abcdef")));
	tags_get(&l, "V", &present); /* names are case-sensitive */
	assert_false(present);
	assert_false(l.lenient);
}

static void
test_empty_value_and_absent(void **state)
{
	(void)state;
	struct tag_list l;
	assert_int_equal(parse("h=; x=", &l), TAGS_OK);
	bool present;
	struct str h = tags_get(&l, "h", &present);
	assert_true(present);
	assert_int_equal(h.n, 0);
	tags_get(&l, "q", &present);
	assert_false(present);
	assert_int_equal(parse("", &l), TAGS_OK);
	assert_int_equal(l.n, 0);
}

static void
test_errors(void **state)
{
	(void)state;
	struct tag_list l;
	assert_int_equal(parse("a=1; a=2", &l), TAGS_EDUP);
	assert_int_equal(l.err_off, 5);
	assert_int_equal(l.n, 1); /* kept what came before */
	assert_int_equal(parse("1a=x", &l), TAGS_ENAME);
	assert_int_equal(parse("a-b=x", &l), TAGS_ENAME);
	assert_int_equal(parse("a b=x", &l), TAGS_ENAME);
	assert_int_equal(parse("novalue", &l), TAGS_ESYNTAX);
	assert_int_equal(parse("a=x\001y", &l), TAGS_ESYNTAX);
	assert_string_equal(tags_strerror(TAGS_EDUP), "duplicate tag");
}

static void
test_lenient(void **state)
{
	(void)state;
	struct tag_list l;
	assert_int_equal(parse("a=1;; b=2", &l), TAGS_OK);
	assert_true(l.lenient);
	assert_true(l.empty_spec);
	assert_int_equal(parse("a=\xc3\xa9", &l), TAGS_OK);
	assert_true(l.lenient);
	assert_false(l.empty_spec);
}

static void
test_bounds(void **state)
{
	(void)state;
	struct tag_list l;
	char buf[TAGS_MAX * 8 + 16];
	size_t k = 0;
	for (int i = 0; i <= TAGS_MAX; i++)
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, "t%d=1;", i);
	assert_int_equal(parse(buf, &l), TAGS_ETOOMANY);
	assert_int_equal(l.n, TAGS_MAX);
	char *big = calloc(1, TAGS_MAX_BYTES + 2);
	memset(big, 'a', TAGS_MAX_BYTES + 1);
	big[1] = '=';
	assert_int_equal(parse(big, &l), TAGS_ETOOLONG);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_basic_and_fws),
	    cmocka_unit_test(test_empty_value_and_absent),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_lenient),
	    cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests_name("tags", tests, unit_setup,
	                                   unit_teardown);
}
