/* orgdomain_test.c: unit tests for Organizational Domains and alignment. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "trace/orgdomain.h"

static struct arena *A;

static int
setup(void **state)
{
	(void)state;
	A = arena_new();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	orgdomain_free();
	arena_free(A);
	return 0;
}

/* org(in) == want; want NULL for none. */
static void
org_is(const char *in, const char *want)
{
	struct str got = orgdomain_of(A, str_make(in, strlen(in)));
	if (want == NULL) {
		if (got.n != 0)
			fail_msg("org(%s) = %.*s, want none", in, (int)got.n,
			         got.p);
		return;
	}
	if (!str_eq(got, str_make(want, strlen(want))))
		fail_msg("org(%s) = %.*s, want %s", in, (int)got.n,
		         got.p ? got.p : "", want);
}

static void
test_orgdomain(void **state)
{
	(void)state;
	org_is("www.example.co.uk", "example.co.uk");
	org_is("WWW.Example.COM.", "example.com");
	org_is("  mail.example.com \r\n", "example.com");
	org_is("news.test.example", "test.example"); /* implicit * rule */
	org_is("a.b.github.io", "b.github.io");      /* private section */
	org_is("com", NULL);
	org_is("co.uk", NULL);
	org_is("example", NULL);
	org_is("", NULL);
	org_is(".", NULL);
	org_is(".example.com", NULL);
	org_is("a..example.com", NULL);
	org_is("xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn");
	org_is("www.\xe9\xa3\x9f\xe7\x8b\xae.\xe4\xb8\xad\xe5\x9b\xbd",
	       "\xe9\xa3\x9f\xe7\x8b\xae.\xe4\xb8\xad\xe5\x9b\xbd");
}

static void
test_ip_literals(void **state)
{
	(void)state;
	/* libpsl alone says "3.4" for 1.2.3.4 */
	org_is("1.2.3.4", NULL);
	org_is("1.2.3.4.", NULL);
	org_is("[192.0.2.1]", NULL);
	org_is("[IPv6:2001:db8::1]", NULL);
	org_is("2001:db8::1", NULL);
	org_is("10.1", NULL);
	/* digits elsewhere are fine */
	/* more labels than registrable looks ahead (8), at each count
	 * around it, with a public suffix of two and of three labels */
	org_is("a.b.c.d.e.f.example.co.uk", "example.co.uk");
	org_is("a.b.c.d.e.f.g.example.co.uk", "example.co.uk");
	org_is("a.b.c.d.e.f.g.h.example.co.uk", "example.co.uk");
	org_is("a.b.c.d.e.f.g.h.i.j.example.co.uk", "example.co.uk");
	org_is("a.b.c.d.e.f.g.h.example.com", "example.com");
	org_is("a.b.c.d.e.f.g.h.i.example.com", "example.com");
	org_is("a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.b.github.io", "b.github.io");
	org_is("123.example.com", "example.com");
	org_is("mx1.9x.de", "9x.de");
}

static enum orgdomain_alignment
al(const char *a, const char *b)
{
	return orgdomain_align(A, str_make(a, strlen(a)),
	                       str_make(b, strlen(b)));
}

static void
test_alignment(void **state)
{
	(void)state;
	assert_int_equal(al("example.com", "EXAMPLE.com."), ORGDOMAIN_STRICT);
	assert_int_equal(al("example.com", "mail.example.com"),
	                 ORGDOMAIN_RELAXED);
	assert_int_equal(al("a.example.co.uk", "b.example.co.uk"),
	                 ORGDOMAIN_RELAXED);
	assert_int_equal(al("example.co.uk", "other.co.uk"),
	                 ORGDOMAIN_UNALIGNED);
	/* two tenants of a private suffix are different organisations */
	assert_int_equal(al("alice.github.io", "bob.github.io"),
	                 ORGDOMAIN_UNALIGNED);
	/* a name under the From's org may still have an org of its own */
	assert_int_equal(al("amazonaws.com", "b.s3.amazonaws.com"),
	                 ORGDOMAIN_UNALIGNED);
	/* a public suffix only aligns with itself */
	assert_int_equal(al("co.uk", "co.uk"), ORGDOMAIN_STRICT);
	assert_int_equal(al("co.uk", "x.co.uk"), ORGDOMAIN_UNALIGNED);
	/* IP literals never align, not even 1.2.3.4 with 5.3.4 */
	assert_int_equal(al("1.2.3.4", "5.3.4"), ORGDOMAIN_UNALIGNED);
	assert_int_equal(al("1.2.3.4", "1.2.3.4"), ORGDOMAIN_UNALIGNED);
	assert_int_equal(al("", ""), ORGDOMAIN_UNALIGNED);

	/* the _normalized forms answer alike for a normalised first name */
	static const char *const names[] = {
	    "example.com",
	    "EXAMPLE.com.",
	    "mail.example.com",
	    "co.uk",
	    "x.co.uk",
	    "1.2.3.4",
	    "",
	    " a.b.github.io ",
	    "bob.github.io",
	    "forgot.his.name",
	    "his.name",
	    "a..b",
	    "amazonaws.com",
	    "b.s3.amazonaws.com",
	    "xexample.com",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		struct str n = orgdomain_normalize(
		    A, str_make(names[i], strlen(names[i])));
		/* normalising is idempotent: the premise of _normalized */
		assert_true(str_eq(orgdomain_normalize(A, n), n));
		struct str o1 = orgdomain_of(A, n),
		           o2 = orgdomain_of_normalized(n);
		assert_true(o1.n == o2.n && (o1.n == 0 || str_eq(o1, o2)));
		for (size_t k = 0; k < sizeof(names) / sizeof(*names); k++) {
			struct str d = str_make(names[k], strlen(names[k]));
			assert_int_equal(orgdomain_align(A, n, d),
			                 orgdomain_align_normalized(A, n, d));
			assert_int_equal(orgdomain_align(A, n, d),
			                 orgdomain_align_org(A, n, o2, d));
		}
	}

	struct str f = STR_LIT("example.com"), d = STR_LIT("mail.example.com");
	assert_true(orgdomain_aligned(A, f, d, false));
	assert_false(orgdomain_aligned(A, f, d, true));
	assert_true(orgdomain_aligned(A, f, f, true));
}

static void
test_list_choice(void **state)
{
	(void)state;
	assert_int_equal(orgdomain_use_file("/nonexistent/psl.dat"), -1);
	orgdomain_use_builtin();
	assert_string_equal(orgdomain_source(), "builtin");
	org_is("www.example.co.uk", "example.co.uk");
	orgdomain_free();
	const char *src = orgdomain_source(); /* lazy default */
	assert_true(strcmp(src, "latest") == 0 || strcmp(src, "builtin") == 0);
	org_is("www.example.co.uk", "example.co.uk");
}

/* A list change empties the memos, the one shared by threads too: an
 * answer of the old list is never given for the new one. */
static void
test_list_change(void **state)
{
	(void)state;
	char path[] = "/tmp/orgdomain_test.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char rules[] = "example.com\n"; /* public here */
	assert_int_equal(write(fd, rules, sizeof(rules) - 1),
	                 (ssize_t)sizeof(rules) - 1);
	close(fd);
	orgdomain_threads(); /* the shared memo in use, as under threads */
	orgdomain_use_builtin();
	org_is("www.example.com", "example.com");
	assert_int_equal(orgdomain_use_file(path), 0);
	org_is("www.example.com", "www.example.com");
	org_is("example.com", NULL);
	orgdomain_use_builtin();
	org_is("www.example.com", "example.com");
	unlink(path);
}

/* Workers with arenas of their own and no lock: each thread's memo
 * answers as libpsl does, the list loading once (orgdomain_init) or
 * lazily from whichever thread comes first. */
static const char *const mt_names[][2] = {
    {"www.example.co.uk", "example.co.uk"},
    {"a.b.github.io", "b.github.io"},
    {"mx1.mail.example.com", "example.com"},
    {"Host.Example.NET.", "example.net"},
    {"co.uk", NULL},
    {"1.2.3.4", NULL},
};

static void *
mt_worker(void *arg)
{
	struct arena *a = arena_new();
	long bad = 0;
	for (int round = 0; round < 200; round++)
		for (size_t i = 0; i < sizeof(mt_names) / sizeof(*mt_names);
		     i++) {
			const char *in = mt_names[i][0], *want = mt_names[i][1];
			struct str got =
			    orgdomain_of(a, str_make(in, strlen(in)));
			if (want ? !str_eq(got, str_make(want, strlen(want)))
			         : got.n != 0)
				bad++;
		}
	arena_free(a);
	*(long *)arg = bad;
	return NULL;
}

static void
run_workers(void)
{
	enum { N = 4 };
	pthread_t th[N];
	long bad[N];
	for (int i = 0; i < N; i++)
		assert_int_equal(
		    pthread_create(&th[i], NULL, mt_worker, &bad[i]), 0);
	for (int i = 0; i < N; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(bad[i], 0);
	}
}

static void
test_threads(void **state)
{
	(void)state;
	orgdomain_free(); /* the first lookup of some worker loads it */
	run_workers();
	orgdomain_free();
	orgdomain_init(); /* as the main thread does before workers */
	run_workers();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_orgdomain),
	    cmocka_unit_test(test_ip_literals),
	    cmocka_unit_test(test_alignment),
	    cmocka_unit_test(test_list_choice),
	    cmocka_unit_test(test_list_change),
	    cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
