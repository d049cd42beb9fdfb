/* arc_test.c: unit tests for ARC set grouping and structure checks. */
#include "testdata/tools/unit.h"

#include "auth/arc.h"

#define AS(i, cv)                                                              \
	"ARC-Seal: i=" i "; a=rsa-sha256; cv=" cv "; d=example.org;\n"         \
	" s=sel; t=12345; b=AAAA\n"
#define AMS(i)                                                                 \
	"ARC-Message-Signature: i=" i "; a=rsa-sha256; c=relaxed/relaxed;\n"   \
	" d=example.org; s=sel; h=from:to; bh=BBBB; b=CCCC\n"
#define AAR(i) "ARC-Authentication-Results: i=" i "; mx.example.org; spf=pass\n"
#define TAIL "From: a@example.com\nSubject: x\n\nbody\n"

static enum arc_result
judge(const char *msg, struct arc_chain *ch)
{
	arena_reset(A);
	findings_init(&F, A);
	struct header_block hb;
	headers_split(msg, strlen(msg), A, &hb, &F);
	return arc_collect(&hb, A, &F, ch);
}

static void
test_none_and_pass(void **state)
{
	(void)state;
	struct arc_chain ch;
	assert_int_equal(judge(TAIL, &ch), ARC_NONE);
	assert_int_equal(judge(AS("2", "pass") AMS("2") AAR("2") AS("1", "none")
	                           AMS("1") AAR("1") TAIL,
	                       &ch),
	                 ARC_PASS);
	assert_int_equal(ch.max_instance, 2);
	assert_non_null(ch.sets[1].as);
	assert_int_equal(ch.sets[2].aar->instance, 2);
	assert_int_equal(ch.sets[1].as->cv, ARC_CV_NONE);
	assert_int_equal(F.n, 0);
}

static void
check_fail(const char *msg, enum arc_result want, const char *reason_part)
{
	struct arc_chain ch;
	assert_int_equal(judge(msg, &ch), want);
	assert_non_null(ch.reason);
	if (!strstr(ch.reason, reason_part))
		fail_msg("reason \"%s\" lacks \"%s\"", ch.reason, reason_part);
	assert_true(findings_has(&F, want == ARC_FAIL ? "arc.chain-fail"
	                                              : "arc.structure"));
}

static void
test_structure_failures(void **state)
{
	(void)state;
	check_fail(AS("1", "none") AAR("1") TAIL, ARC_STRUCTURE_FAIL,
	           "lacks its ARC-Message-Signature");
	check_fail(AS("1", "none") AS("1", "none") AMS("1") AAR("1") TAIL,
	           ARC_STRUCTURE_FAIL, "duplicate ARC-Seal");
	check_fail(AS("0", "none") AMS("1") AAR("1") TAIL, ARC_STRUCTURE_FAIL,
	           "outside 1..50");
	check_fail(AS("51", "pass") AMS("51") AAR("51") TAIL,
	           ARC_STRUCTURE_FAIL, "outside 1..50");
	check_fail(AS("x", "none") AMS("1") AAR("1") TAIL, ARC_STRUCTURE_FAIL,
	           "without a valid i=");
	check_fail(AS("3", "pass") AMS("3") AAR("3") AS("1", "none") AMS("1")
	               AAR("1") TAIL,
	           ARC_STRUCTURE_FAIL, "gap");
	check_fail(AS("1", "pass") AMS("1") AAR("1") TAIL, ARC_STRUCTURE_FAIL,
	           "must be none");
	check_fail(AS("2", "none") AMS("2") AAR("2") AS("1", "none") AMS("1")
	               AAR("1") TAIL,
	           ARC_STRUCTURE_FAIL, "must be pass");
	check_fail("ARC-Authentication-Results: mx.example.org; spf=pass\n" AS(
	               "1", "none") AMS("1") TAIL,
	           ARC_STRUCTURE_FAIL, "ARC-Authentication-Results without");
	check_fail("ARC-Seal: i=1; i=1; a=x; cv=none; d=e; s=s; b=B\n" AMS("1")
	               AAR("1") TAIL,
	           ARC_STRUCTURE_FAIL, "duplicate tag");
	check_fail("ARC-Seal: i=1; a=x; cv=none; d=e; s=s; b=B; h=from\n" AMS(
	               "1") AAR("1") TAIL,
	           ARC_STRUCTURE_FAIL, "h=");
}

static void
test_cv_fail(void **state)
{
	(void)state;
	check_fail(AS("2", "fail") AMS("2") AAR("2") AS("1", "none") AMS("1")
	               AAR("1") TAIL,
	           ARC_FAIL, "i=2 has cv=fail");
	check_fail(AS("1", "fail") AMS("1") AAR("1") TAIL, ARC_FAIL, "cv=fail");
}

static void
test_parse_seal_ams(void **state)
{
	(void)state;
	struct arc_sig s;
	arena_reset(A);
	const char *v = " i = 1 ; a=rsa-sha256; cv=Pass; d=example.org;\r\n "
	                "s=sel; b=ab\r\n cd";
	assert_int_equal(arc_parse_seal(str_make(v, strlen(v)), A, &s),
	                 TAGS_OK);
	assert_int_equal(s.instance, 1);
	assert_int_equal(s.cv, ARC_CV_PASS);
	assert_null(s.missing);
	const char *m = "i=1; a=rsa-sha256; d=x; s=y; h=; b=z";
	assert_int_equal(arc_parse_ams(str_make(m, strlen(m)), A, &s), TAGS_OK);
	assert_string_equal(s.missing, "bh");
	assert_int_equal(arc_kind(STR_LIT("arc-seal")), ARC_KIND_AS);
	assert_int_equal(arc_kind(STR_LIT("DKIM-Signature")), -1);
}

static void
test_field_bound(void **state)
{
	(void)state;
	struct arc_chain ch;
	arena_reset(A);
	findings_init(&F, A);
	arc_chain_init(&ch, A);
	for (int i = 0; i < ARC_MAX_FIELDS + 5; i++)
		arc_chain_add(&ch, ARC_KIND_AAR, STR_LIT("i=1; x; none"), i);
	assert_int_equal(arc_chain_validate(&ch, &F), ARC_STRUCTURE_FAIL);
	assert_true(ch.truncated);
	assert_true(findings_has(&F, "arc.truncated"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_none_and_pass),
	    cmocka_unit_test(test_structure_failures),
	    cmocka_unit_test(test_cv_fail),
	    cmocka_unit_test(test_parse_seal_ams),
	    cmocka_unit_test(test_field_bound),
	};
	return cmocka_run_group_tests_name("arc", tests, unit_setup,
	                                   unit_teardown);
}
