/* bulk_test.c: the classes blocks are rounded to, their reuse, zeroing
 * and growth, the blocks past the largest class, and huge pages turned
 * on mid-run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "parse/bulk.h"

static void
test_rounding(void **state)
{
	(void)state;
	static const size_t cases[][2] = {
	    {0, 4096},
	    {1, 4096},
	    {4096, 4096},
	    {4097, 8192},
	    {65536, 65536},
	    {65537, 131072},
	    {BULK_MAX, BULK_MAX},
	    /* past the largest class: whole pages */
	    {(BULK_MAX) + 1, (BULK_MAX) + 4096},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = cases[i][0];
		char *p = bulk_alloc(&n);
		assert_int_equal(n, cases[i][1]);
		p[0] = 1;
		p[n - 1] = 2; /* the whole block is the caller's */
		bulk_free(p, n);
	}
	bulk_free(NULL, 0);
}

static void
test_reuse_and_zero(void **state)
{
	(void)state;
	size_t n = 10000;
	unsigned char *p = bulk_alloc(&n);
	memset(p, 0xab, n);
	bulk_free(p, n);
	size_t m = 9000; /* the same class */
	unsigned char *q = bulk_calloc(&m);
	assert_int_equal(m, n);
	if (!bulk_checked())
		assert_ptr_equal(p, q); /* the freed block, first out */
	for (size_t i = 0; i < m; i++)
		assert_int_equal(q[i], 0);
	bulk_free(q, m);
}

static void
test_grow(void **state)
{
	(void)state;
	size_t n = 0;
	char *p = bulk_grow(NULL, &n, 0, 100);
	assert_int_equal(n, 4096);
	memcpy(p, "kept", 5);
	char *same = bulk_grow(p, &n, 5, 4096);
	assert_ptr_equal(same, p); /* it fits */
	p = bulk_grow(p, &n, 5, 5000);
	assert_int_equal(n, 8192);
	assert_string_equal(p, "kept");
	p = bulk_grow(p, &n, 5, BULK_MAX + 1);
	assert_int_equal(n, BULK_MAX + 4096); /* whole pages past classes */
	assert_string_equal(p, "kept");
	p = bulk_grow(p, &n, 5, n + 1);
	assert_int_equal(n, 2 * (BULK_MAX + 4096)); /* at least doubled */
	assert_string_equal(p, "kept");
	p[n - 1] = 1;
	bulk_free(p, n);
}

/* Turning huge pages on keeps what the blocks carved so far hold (they
 * may be collapsed into a huge page), and blocks carved after work. */
static void
test_huge_pages(void **state)
{
	(void)state;
	size_t n = 300000, m = 100000;
	unsigned char *p = bulk_alloc(&n);
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7);
	bulk_huge_pages();
	bulk_huge_pages(); /* once is enough; again changes nothing */
	for (size_t i = 0; i < n; i++)
		assert_int_equal(p[i], (unsigned char)(i * 7));
	unsigned char *q = bulk_calloc(&m);
	for (size_t i = 0; i < m; i++)
		assert_int_equal(q[i], 0);
	memset(q, 0xcd, m);
	bulk_free(q, m);
	bulk_free(p, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rounding),
	    cmocka_unit_test(test_reuse_and_zero),
	    cmocka_unit_test(test_grow),
	    cmocka_unit_test(test_huge_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
