/* arena_test.c: arena_printf, whose own formatter (the conversions the
 * findings use) must write what vsnprintf writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "parse/arena.h"

/* arena_printf and snprintf on the same arguments agree */
#define SAME(a, ...)                                                           \
	do {                                                                   \
		char want[512];                                                \
		snprintf(want, sizeof(want), __VA_ARGS__);                     \
		assert_string_equal(arena_printf(a, __VA_ARGS__), want);       \
	} while (0)

static void
test_simple_conversions(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	SAME(a, "plain text, no conversion");
	SAME(a, "%s and %s", "one", "");
	SAME(a, "%.*s|%.*s|%.*s", 3, "abcdef", 0, "x", -1, "whole");
	SAME(a, "%.*s", 10, "short");
	SAME(a, "%d %d %d", 0, -7, INT_MIN);
	SAME(a, "%ld %ld", LONG_MAX, LONG_MIN);
	SAME(a, "%lld %llu", LLONG_MIN, ULLONG_MAX);
	SAME(a, "%zu%% of %zu", (size_t)50, SIZE_MAX);
	SAME(a, "end with a percent %%");
	/* one digit, written without the digit loop, and its neighbours */
	SAME(a, "hop %d, %d, %d, %d: %zu %llu", 0, 9, 10, -1, (size_t)7, 3ULL);
	SAME(a, "%d%d%d", 1, 2, 3);
	SAME(a, "%%%d%%", 5);
	/* the rest goes to vsnprintf */
	SAME(a, "%#x %5d %-3s| %e", 255u, 42, "a", 1.5);
	SAME(a, "%s then %x", "mixed", 0xbeefu);
	/* a NULL string: glibc's "(null)" (the pointer comes from a volatile
	 * so that the compiler does not warn about the constant) */
	const char *volatile none = NULL;
	SAME(a, "null: %s", none);
	arena_free(a);
}

static void
test_long_result(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	/* fill the first chunk so that the result does not fit */
	char big[ARENA_CHUNK_MIN];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	(void)arena_alloc(a, ARENA_CHUNK_MIN - 64);
	const char *s = arena_printf(a, "%s%d", big, 7);
	assert_int_equal(strlen(s), sizeof(big));
	assert_int_equal(s[sizeof(big) - 1], '7');
	arena_free(a);
}

/* arena_grow copies the old part and zeroes the new one, from NULL too;
 * arena_grow_raw copies the old part */
static void
test_grow(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	int *v = arena_array_raw(a, 4, sizeof(int));
	for (int i = 0; i < 4; i++)
		v[i] = i + 1;
	int *w = arena_grow(a, v, 4, 10, sizeof(int));
	for (int i = 0; i < 10; i++)
		assert_int_equal(w[i], i < 4 ? i + 1 : 0);
	int *r = arena_grow_raw(a, w, 10, 20, sizeof(int));
	for (int i = 0; i < 10; i++)
		assert_int_equal(r[i], i < 4 ? i + 1 : 0);
	int *z = arena_grow(a, NULL, 5, 8, sizeof(int));
	for (int i = 0; i < 8; i++)
		assert_int_equal(z[i], 0);
	int *s = arena_grow(a, v, 4, 2, sizeof(int)); /* shrink: a copy */
	assert_int_equal(s[0], 1);
	assert_int_equal(s[1], 2);
	arena_free(a);
}

/* arena_cat: the parts one after another, empty ones included */
static void
test_cat(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_string_equal(ARENA_CAT(a, STR_LIT("hop "), STR_LIT(""),
	                              str_make("12345", 2), STR_LIT(": x")),
	                    "hop 12: x");
	assert_string_equal(ARENA_CAT(a, STR_LIT("")), "");
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_simple_conversions),
	    cmocka_unit_test(test_long_result),
	    cmocka_unit_test(test_grow),
	    cmocka_unit_test(test_cat),
	};
	return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
