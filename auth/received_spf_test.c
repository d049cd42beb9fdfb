/* received_spf_test.c: unit tests for the Received-SPF parser. */
#include "testdata/tools/unit.h"

#include "auth/received_spf.h"

static int
parse(const char *s, struct received_spf *r)
{
	arena_reset(A);
	findings_init(&F, A);
	return received_spf_parse(str_make(s, strlen(s)), A, &F, 0, r);
}

#define assert_str(s, lit) assert_true(str_eq((s), STR_LIT(lit)))

static void
test_rfc7208_example(void **state)
{
	(void)state;
	struct received_spf r;
	/* RFC 7208 §9.1 */
	assert_int_equal(parse(" pass (mybox.example.org: domain of\r\n "
	                       "myname@example.com designates 192.0.2.1 as "
	                       "permitted sender)\r\n receiver=mybox.example."
	                       "org; client-ip=192.0.2.1;\r\n envelope-from="
	                       "\"myname@example.com\"; helo=foo.example.com;",
	                       &r),
	                 RECEIVED_SPF_OK);
	assert_int_equal(r.code, AUTHRES_R_PASS);
	assert_true(str_istarts(r.comment, "mybox.example.org: domain"));
	assert_str(r.receiver, "mybox.example.org");
	assert_str(r.client_ip, "192.0.2.1");
	assert_str(r.envelope_from, "myname@example.com");
	assert_str(r.helo, "foo.example.com");
	assert_int_equal(r.n, 4);
	assert_int_equal(F.n, 0);
}

static void
test_microsoft_and_ipv6(void **state)
{
	(void)state;
	struct received_spf r;
	assert_int_equal(parse("SoftFail (protection.outlook.com: domain of "
	                       "transitioning example.com discourages use of "
	                       "2001:db8::1 as permitted sender) receiver="
	                       "protection.outlook.com; client-ip=2001:db8::1; "
	                       "helo=mail.example.com; pr=C",
	                       &r),
	                 RECEIVED_SPF_OK);
	assert_int_equal(r.code, AUTHRES_R_SOFTFAIL);
	assert_str(r.result, "SoftFail");
	assert_str(r.client_ip, "2001:db8::1");
	assert_str(r.v[3].key, "pr");
	assert_str(r.v[3].value, "C");
	assert_int_equal(parse("fail identity=mailfrom; mechanism=\"-all\"; "
	                       "problem=\"a \\\"b\\\"\"",
	                       &r),
	                 RECEIVED_SPF_OK);
	assert_str(r.identity, "mailfrom");
	assert_str(r.mechanism, "-all");
	assert_str(r.problem, "a \"b\"");
}

static void
test_errors_and_bounds(void **state)
{
	(void)state;
	struct received_spf r;
	assert_int_equal(parse("   ", &r), RECEIVED_SPF_ESYNTAX);
	assert_true(findings_has(&F, "auth.rspf-syntax"));
	assert_int_equal(parse("bogus (x) client-ip=1.2.3.4", &r),
	                 RECEIVED_SPF_PARTIAL);
	assert_str(r.client_ip, "1.2.3.4");
	assert_int_equal(parse("pass junk here; helo=h", &r),
	                 RECEIVED_SPF_PARTIAL);
	assert_str(r.helo, "h");
	char buf[RECEIVED_SPF_MAX_PAIRS * 8 + 16];
	size_t k = (size_t)snprintf(buf, sizeof(buf), "pass ");
	for (int i = 0; i < RECEIVED_SPF_MAX_PAIRS + 3; i++)
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, "k%d=v;", i);
	assert_int_equal(parse(buf, &r), RECEIVED_SPF_OK);
	assert_int_equal(r.n, RECEIVED_SPF_MAX_PAIRS);
	assert_true(findings_has(&F, "auth.rspf-truncated"));
	/* prefixes in exact-size buffers: no read past n */
	const char *v = "pass (a (b) \\) c) k=\"q\\\"\"; x=y";
	for (size_t n = 0; n <= strlen(v); n++) {
		char *b = malloc(n ? n : 1);
		memcpy(b, v, n);
		arena_reset(A);
		received_spf_parse(str_make(b, n), A, NULL, -1, &r);
		free(b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc7208_example),
	    cmocka_unit_test(test_microsoft_and_ipv6),
	    cmocka_unit_test(test_errors_and_bounds),
	};
	return cmocka_run_group_tests_name("received_spf", tests, unit_setup,
	                                   unit_teardown);
}
