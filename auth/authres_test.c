/* authres_test.c: unit tests for the Authentication-Results parser. */
#include "testdata/tools/unit.h"

#include "auth/authres.h"

static int
parse(const char *s, unsigned flags, struct authres *ar)
{
	arena_reset(A);
	findings_init(&F, A);
	return authres_parse(str_make(s, strlen(s)), flags, A, &F, 3, ar);
}

#define assert_str(s, lit) assert_true(str_eq((s), STR_LIT(lit)))

static void
test_gmail_shape(void **state)
{
	(void)state;
	struct authres ar;
	const char *v =
	    " mx.google.com;\r\n       dkim=pass header.i=@example.com "
	    "header.s=s1 header.b=\"AbC/dEf+\";\r\n       spf=pass "
	    "(google.com: domain of a@example.com designates 192.0.2.1 "
	    "as permitted sender) smtp.mailfrom=a@example.com;\r\n       "
	    "dmarc=pass (p=REJECT sp=REJECT dis=NONE) "
	    "header.from=example.com";
	assert_int_equal(parse(v, 0, &ar), AUTHRES_OK);
	assert_str(ar.authserv_id, "mx.google.com");
	assert_int_equal(ar.version, 1);
	assert_int_equal(ar.n, 3);
	assert_str(ar.v[0].method, "dkim");
	assert_int_equal(ar.v[0].code, AUTHRES_R_PASS);
	assert_int_equal(ar.v[0].nprops, 3);
	const struct authres_prop *b = authres_prop(&ar.v[0], "header", "b");
	assert_non_null(b);
	assert_true(b->quoted);
	assert_str(b->value, "AbC/dEf+");
	assert_str(authres_prop(&ar.v[1], "smtp", "mailfrom")->value,
	           "a@example.com");
	assert_str(authres_prop(&ar.v[2], "header", "from")->value,
	           "example.com");
	assert_int_equal(F.n, 0);
}

static void
test_none_version_reason_comments(void **state)
{
	(void)state;
	struct authres ar;
	assert_int_equal(parse("example.org 1; none", 0, &ar), AUTHRES_OK);
	assert_true(ar.none);
	assert_int_equal(ar.n, 0);
	assert_int_equal(parse("foo.example.net (foobar) 1 (baz); dkim "
	                       "(x) / 1 (y) = (z) fail policy (a) . (b) "
	                       "expired (c) = (d) 1362471462",
	                       0, &ar),
	                 AUTHRES_OK);
	assert_int_equal(ar.v[0].method_version, 1);
	assert_str(authres_prop(&ar.v[0], "policy", "expired")->value,
	           "1362471462");
	assert_int_equal(parse("x; dkim=fail reason=\"bad \\\"sig\\\"\" "
	                       "header.d=example.com (a (nested (c)) one)",
	                       0, &ar),
	                 AUTHRES_OK);
	assert_true(ar.v[0].has_reason);
	assert_str(ar.v[0].reason, "bad \"sig\"");
}

static void
test_strict_rejects(void **state)
{
	(void)state;
	struct authres ar;
	static const char *const bad[] = {
	    "example.com; spf=pass smtp.mailfrom=example.net;",
	    "example.com; dkim=pass header.b=gfT/i2HB",
	    "spf=pass",
	    "example.com; dmarc=pass action=none",
	    "example.com; dkim=timeout",
	    "example.com; dkim=Pass",
	    "example.com; dkim=pass ((unbalanced) header.d=x",
	    "example.com; dkim=pass (a)) header.d=x",
	    "\xc3\xa9xample.org; none",
	    "",
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		assert_int_equal(parse(bad[k], 0, &ar), AUTHRES_ESYNTAX);
		assert_non_null(ar.err);
		assert_true(findings_has(&F, "auth.authres-syntax"));
	}
	/* spf keeps the RFC 4408 mixed case */
	assert_int_equal(parse("example.com; spf=SoftFail", 0, &ar),
	                 AUTHRES_OK);
	assert_int_equal(ar.v[0].code, AUTHRES_R_SOFTFAIL);
}

static void
test_relaxed_outlook(void **state)
{
	(void)state;
	struct authres ar;
	const char *v = "spf=pass (sender IP is 192.0.2.1)\r\n "
	                "smtp.mailfrom=example.net; dkim=pass (signature "
	                "was verified)\r\n header.d=example.net;dmarc=pass "
	                "action=none\r\n header.from=example.net;compauth=pass "
	                "reason=100";
	assert_int_equal(parse(v, AUTHRES_F_RELAXED, &ar), AUTHRES_RELAXED);
	assert_int_equal(ar.authserv_id.n, 0);
	assert_true(ar.lenient & AUTHRES_L_NO_AUTHSERV_ID);
	assert_true(ar.lenient & AUTHRES_L_BARE_PROP);
	assert_int_equal(ar.n, 4);
	const struct authres_prop *act = &ar.v[2].props[0];
	assert_int_equal(act->ptype.n, 0);
	assert_str(act->property, "action");
	assert_str(act->value, "none");
	assert_str(ar.v[3].reason, "100");
	/* a resinfo it cannot read is skipped to the next ';' */
	assert_int_equal(parse("x; dkim=none header.d=none;thehesiod.com; "
	                       "dmarc=none",
	                       AUTHRES_F_RELAXED, &ar),
	                 AUTHRES_RELAXED);
	assert_true(ar.lenient & AUTHRES_L_SKIPPED);
	assert_int_equal(ar.n, 2);
	assert_str(ar.v[1].method, "dmarc");
}

static void
test_intl(void **state)
{
	(void)state;
	struct authres ar;
	const char *v = "\"\xc3\xa9x.org\"; dkim=pass header.i=Pel\xc3\xa9@"
	                "example.com";
	assert_int_equal(parse(v, 0, &ar), AUTHRES_ESYNTAX);
	assert_int_equal(parse(v, AUTHRES_F_INTL, &ar), AUTHRES_OK);
	assert_str(ar.authserv_id, "\xc3\xa9x.org");
	/* RFC 8616: a U-label authserv-id must be quoted */
	assert_int_equal(parse("\xc3\xa9x.org; none", AUTHRES_F_INTL, &ar),
	                 AUTHRES_ESYNTAX);
}

static void
test_arc_and_kinds(void **state)
{
	(void)state;
	struct authres ar;
	const char *v = "i=2; lists.example.org; arc=pass; spf=pass "
	                "smtp.mailfrom=example.com";
	arena_reset(A);
	assert_int_equal(authres_parse_field(STR_LIT("ARC-Authentication-"
	                                             "Results"),
	                                     str_make(v, strlen(v)), 0, A, NULL,
	                                     -1, &ar),
	                 AUTHRES_OK);
	assert_int_equal(ar.instance, 2);
	assert_str(ar.authserv_id, "lists.example.org");
	assert_int_equal(ar.n, 2);
	assert_int_equal(
	    parse("lists.example.org; arc=none", AUTHRES_F_ARC, &ar),
	    AUTHRES_ESYNTAX);
	assert_int_equal(authres_kind(STR_LIT("x-ms-exchange-authentication-"
	                                      "results")),
	                 AUTHRES_KIND_MS);
	assert_int_equal(authres_kind(STR_LIT("Authentication-Results-"
	                                      "Original")),
	                 AUTHRES_KIND_ORIGINAL);
	assert_int_equal(authres_kind(STR_LIT("Received")), AUTHRES_KIND_NOT);
}

static void
test_bounds(void **state)
{
	(void)state;
	struct authres ar;
	/* results */
	size_t cap = 16 * (AUTHRES_MAX_RESULTS + 10) + 16;
	char *buf = malloc(cap);
	size_t k = (size_t)snprintf(buf, cap, "x");
	for (int i = 0; i < AUTHRES_MAX_RESULTS + 10; i++)
		k += (size_t)snprintf(buf + k, cap - k, "; spf=pass");
	assert_int_equal(parse(buf, 0, &ar), AUTHRES_OK);
	assert_int_equal(ar.n, AUTHRES_MAX_RESULTS);
	assert_int_equal(ar.nseen, AUTHRES_MAX_RESULTS + 10);
	assert_true(ar.truncated);
	assert_true(findings_has(&F, "auth.authres-truncated"));
	free(buf);
	/* properties */
	cap = 16 * (AUTHRES_MAX_PROPS + 5) + 32;
	buf = malloc(cap);
	k = (size_t)snprintf(buf, cap, "x; dkim=pass");
	for (int i = 0; i < AUTHRES_MAX_PROPS + 5; i++)
		k += (size_t)snprintf(buf + k, cap - k, " header.d=a");
	assert_int_equal(parse(buf, 0, &ar), AUTHRES_OK);
	assert_int_equal(ar.v[0].nprops, AUTHRES_MAX_PROPS);
	assert_true(ar.truncated);
	free(buf);
	/* comment depth: counted, not recursed */
	cap = 2 * 10000 + 64;
	buf = malloc(cap);
	k = (size_t)snprintf(buf, cap, "x; spf=pass ");
	for (int i = 0; i < 10000; i++)
		buf[k++] = '(';
	for (int i = 0; i < 10000; i++)
		buf[k++] = ')';
	buf[k] = 0;
	assert_int_equal(parse(buf, 0, &ar), AUTHRES_OK);
	assert_true(ar.truncated);
	assert_true(findings_has(&F, "auth.authres-truncated"));
	free(buf);
	/* length: the cut result is dropped, no syntax error in relaxed */
	cap = AUTHRES_MAX_BYTES + 64;
	buf = malloc(cap);
	k = (size_t)snprintf(buf, cap, "x; spf=pass; dkim=pass reason=\"");
	memset(buf + k, 'a', cap - k - 1);
	buf[cap - 1] = 0;
	assert_int_equal(parse(buf, AUTHRES_F_RELAXED, &ar), AUTHRES_RELAXED);
	assert_int_equal(ar.n, 1);
	assert_true(ar.truncated);
	free(buf);
}

static void
test_no_read_past_n(void **state)
{
	(void)state;
	struct authres ar;
	/* every prefix of a tricky value, each in a fresh exact-size
	 * buffer so ASan sees any overread */
	const char *v = "a (c\\) 1; m/1=r reason=\"q\\\"\" p.q=\"v\" "
	                "x.y=@d.e";
	size_t n = strlen(v);
	for (size_t k = 0; k <= n; k++) {
		char *b = malloc(k ? k : 1);
		memcpy(b, v, k);
		arena_reset(A);
		authres_parse(str_make(b, k), AUTHRES_F_RELAXED, A, NULL, -1,
		              &ar);
		authres_parse(str_make(b, k), AUTHRES_F_ARC, A, NULL, -1, &ar);
		free(b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gmail_shape),
	    cmocka_unit_test(test_none_version_reason_comments),
	    cmocka_unit_test(test_strict_rejects),
	    cmocka_unit_test(test_relaxed_outlook),
	    cmocka_unit_test(test_intl),
	    cmocka_unit_test(test_arc_and_kinds),
	    cmocka_unit_test(test_bounds),
	    cmocka_unit_test(test_no_read_past_n),
	};
	return cmocka_run_group_tests_name("authres", tests, unit_setup,
	                                   unit_teardown);
}
