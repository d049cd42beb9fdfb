/* auth_test.c: unit tests for the offline break analysis (auth.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "auth/auth.h"
#include "parse/received.h"

static struct arena *A;
static struct trace_config *C;
static struct findings F;

static int
setup(void **state)
{
	(void)state;
	message_lib_init(NULL);
	received_init();
	A = arena_new();
	C = trace_config_new();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	trace_config_free(C);
	arena_free(A);
	received_fini();
	message_lib_fini();
	return 0;
}

static struct auth *
run(const char *msg)
{
	static struct header_block hb;
	static struct message_info mi;
	static struct path p;
	arena_reset(A);
	findings_init(&F, A);
	size_t len = strlen(msg);
	headers_split(msg, len, A, &hb, &F);
	message_info_fill(A, &hb, &mi, &F);
	path_build(&hb, A, &p, &F);
	struct trace *t = trace_build(C, &hb, &mi, &p, A, &F);
	return auth_analyze(C, &hb, &mi, str_make(msg + hb.body, len - hb.body),
	                    &p, t, A, &F);
}

static const struct auth_break *
find_break(const struct auth *au, const char *check, const char *effect)
{
	for (size_t i = 0; i < au->nbreaks; i++)
		if (!strcmp(auth_check_name(au->breaks[i].check), check) &&
		    !strcmp(auth_effect_name(au->breaks[i].effect), effect))
			return &au->breaks[i];
	return NULL;
}

static void
test_srs_decode(void **state)
{
	(void)state;
	struct str d, l;
	assert_true(auth_srs_decode(
	    STR_LIT("SRS0=q4Nd=NE=example.com=alice@old.example"), &d, &l));
	assert_true(str_eq(d, STR_LIT("example.com")));
	assert_true(str_eq(l, STR_LIT("alice")));
	assert_true(auth_srs_decode(
	    STR_LIT("<SRS1=X1y2=fwd1.example==q4Nd=NE=example.com=a=b@fwd2."
	            "example>"),
	    &d, &l));
	assert_true(str_eq(d, STR_LIT("example.com")));
	assert_true(str_eq(l, STR_LIT("a=b")));
	assert_true(
	    auth_srs_decode(STR_LIT("srs0+HH+TT+example.org=bob@f.example"), &d,
	                    &l) == false ||
	    str_eq(d, STR_LIT("example.org")));
	assert_false(auth_srs_decode(STR_LIT("alice@example.com"), &d, &l));
	assert_false(auth_srs_decode(STR_LIT("SRS0=broken@x.example"), &d, &l));
	assert_false(auth_srs_decode(STR_LIT(""), &d, &l));
}

#define TOP                                                                    \
	"Return-Path: <%s>\n"                                                  \
	"Delivered-To: robert@new.example\n"                                   \
	"Received: from mx.new.example (mx.new.example [198.51.100.81])\n"     \
	"\tby store.new.example with LMTP id a1 for <robert@new.example>;"     \
	" Mon, 3 Jun 2024 08:15:07 +0000\n"                                    \
	"Authentication-Results: mx.new.example; spf=fail"                     \
	" smtp.mailfrom=%s\n"                                                  \
	"Received: from mx.old.example (mx.old.example [192.0.2.30])\n"        \
	"\tby mx.new.example with ESMTPS id a2 for <robert@new.example>;"      \
	" Mon, 3 Jun 2024 08:15:06 +0000\n"                                    \
	"X-Forwarded-To: robert@new.example\n"                                 \
	"Received: from smtp.example.com (smtp.example.com [198.51.100.10])\n" \
	"\tby mx.old.example with ESMTPS id a3 for <bob@old.example>;"         \
	" Mon, 3 Jun 2024 08:15:04 +0000\n"
#define BOTTOM                                                                 \
	"From: Alice <alice@example.com>\n"                                    \
	"To: bob@old.example\n"                                                \
	"Subject: hi\n"                                                        \
	"Date: Mon, 3 Jun 2024 10:15:02 +0200\n"                               \
	"\n"                                                                   \
	"body\n"

static void
test_forward_without_srs(void **state)
{
	(void)state;
	char msg[4096];
	snprintf(msg, sizeof(msg), TOP BOTTOM, "alice@example.com",
	         "alice@example.com");
	struct auth *au = run(msg);
	assert_int_equal(au->nspf, 2);
	assert_int_equal(au->spf[0].hop, 0);
	assert_int_equal(au->spf[1].hop, 1);
	assert_true(str_eq(au->spf[1].ip, STR_LIT("192.0.2.30")));
	assert_false(au->spf[1].srs);
	const struct auth_break *b = find_break(au, "spf", "breaks");
	assert_non_null(b);
	assert_int_equal(b->at_hop, 1);
	assert_string_equal(hop_role_name(b->role), "Forwarder");
	assert_true(findings_has(&F, "auth.spf-breaks-at-forwarder"));
	/* no DKIM: nothing aligned survives */
	assert_true(findings_has(&F, "auth.dmarc-would-fail"));
	assert_true(findings_has(&F, "auth.checked-past-border"));
	/* the new MDA's results are evidence, attributed to hop 1 */
	assert_int_equal(au->headers[2].hop, 1);
	assert_int_equal(au->headers[2].status, AUTH_EVIDENCE);
}

static void
test_forward_with_srs(void **state)
{
	(void)state;
	char msg[4096];
	const char *srs = "SRS0=q4Nd=NE=example.com=alice@old.example";
	snprintf(msg, sizeof(msg), TOP BOTTOM, srs, srs);
	struct auth *au = run(msg);
	assert_int_equal(au->nspf, 2);
	assert_true(au->spf[1].srs);
	assert_true(str_eq(au->spf[1].srs_domain, STR_LIT("example.com")));
	/* before the Forwarder: the SRS-decoded original */
	assert_true(str_eq(au->spf[0].domain, STR_LIT("example.com")));
	assert_non_null(find_break(au, "spf", "unaligned"));
	assert_null(find_break(au, "spf", "breaks"));
	assert_true(findings_has(&F, "auth.spf-unaligned"));
	assert_false(findings_has(&F, "auth.spf-breaks-at-forwarder"));
}

static void
test_forged_results(void **state)
{
	(void)state;
	const char *msg =
	    "Received: from mx1.example.net (mx1.example.net [192.0.2.25])\n"
	    "\tby store1.example.net with LMTP id b1; Mon, 3 Jun 2024 "
	    "08:15:07 +0000\n"
	    "Authentication-Results: mx1.example.net; spf=softfail "
	    "smtp.mailfrom=bank.example\n"
	    "Received: from evil.example (evil.example [203.0.113.66])\n"
	    "\tby mx1.example.net with ESMTP id b2; Mon, 3 Jun 2024 08:15:06 "
	    "+0000\n"
	    "Received: from [10.0.0.1] by evil.example with SMTP id b3; Mon, "
	    "3 Jun 2024 08:15:05 +0000\n"
	    "Authentication-Results: mx1.example.net; spf=pass; dkim=pass; "
	    "dmarc=pass\n"
	    "From: Bank <alerts@bank.example>\n"
	    "Subject: verify\n\nclick\n";
	struct auth *au = run(msg);
	assert_int_equal(au->nheaders, 2);
	assert_int_equal(au->headers[0].status, AUTH_EVIDENCE);
	assert_int_equal(au->headers[1].status, AUTH_FORGED);
	assert_int_equal(au->headers[1].hop, -1);
	assert_true(findings_has(&F, "auth.untrusted-results"));
	/* the forged pass is not taken as the recorded DMARC result */
	assert_int_equal(au->dmarc.recorded.n, 1);
	assert_int_equal(au->dmarc.recorded.v[0].status, AUTH_FORGED);
}

static void
test_claim_not_forged(void **state)
{
	(void)state;
	const char *msg =
	    "Received: from mx1.example.net (mx1.example.net [192.0.2.25])\n"
	    "\tby store1.example.net with LMTP id c1; Mon, 3 Jun 2024 "
	    "08:15:07 +0000\n"
	    "Received: from smtp.example.com (smtp.example.com "
	    "[198.51.100.10])\n"
	    "\tby mx1.example.net with ESMTP id c2; Mon, 3 Jun 2024 08:15:06 "
	    "+0000\n"
	    "Authentication-Results: smtp.example.com; auth=pass\n"
	    "Received: from [10.0.0.1] by smtp.example.com with ESMTPSA id c3;"
	    " Mon, 3 Jun 2024 08:15:05 +0000\n"
	    "From: Alice <alice@example.com>\n"
	    "Subject: hi\n\nbody\n";
	struct auth *au = run(msg);
	assert_int_equal(au->nheaders, 1);
	assert_int_equal(au->headers[0].status, AUTH_CLAIM);
	assert_int_equal(au->headers[0].hop, 0);
	assert_false(findings_has(&F, "auth.untrusted-results"));
}

static void
test_gmail_style_position(void **state)
{
	(void)state;
	/* results written below the writer's own Received (Gmail) */
	const char *msg =
	    "Received: by 2002:a05:6a10:1::1 with SMTP id g1; Mon, 3 Jun 2024 "
	    "08:15:07 -0700\n"
	    "Received: from mail.example.com (mail.example.com "
	    "[198.51.100.10])\n"
	    "\tby mx.google.com with ESMTPS id g2 for <bob@gmail.com>; Mon, "
	    "3 Jun 2024 08:15:06 -0700\n"
	    "Received-SPF: pass (google.com: domain of alice@example.com "
	    "designates 198.51.100.10 as permitted sender) "
	    "client-ip=198.51.100.10;\n"
	    "Authentication-Results: mx.google.com; spf=pass "
	    "smtp.mailfrom=alice@example.com\n"
	    "Received: from [10.0.0.1] by mail.example.com with ESMTPSA id g3;"
	    " Mon, 3 Jun 2024 15:15:05 +0000\n"
	    "From: Alice <alice@example.com>\n"
	    "Subject: hi\n\nbody\n";
	struct auth *au = run(msg);
	assert_int_equal(au->nheaders, 2);
	assert_int_equal(au->headers[0].hop, 1);
	assert_int_equal(au->headers[1].hop, 1);
	assert_int_equal(au->headers[0].status, AUTH_EVIDENCE);
	assert_int_equal(au->headers[1].status, AUTH_EVIDENCE);
	assert_false(findings_has(&F, "auth.untrusted-results"));
}

static void
test_no_headers(void **state)
{
	(void)state;
	struct auth *au = run("From: a@example.com\nSubject: x\n\nbody\n");
	assert_int_equal(au->nspf, 0);
	assert_int_equal(au->ndkim, 0);
	assert_int_equal(au->arc.result, ARC_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_srs_decode),
	    cmocka_unit_test(test_forward_without_srs),
	    cmocka_unit_test(test_forward_with_srs),
	    cmocka_unit_test(test_forged_results),
	    cmocka_unit_test(test_claim_not_forged),
	    cmocka_unit_test(test_gmail_style_position),
	    cmocka_unit_test(test_no_headers),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
