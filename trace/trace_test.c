/* trace_test.c: unit tests for the model: IP classification, grouping
 * into Actors, trust, roles and the notation. */
#include "testdata/tools/unit.h"

#include <arpa/inet.h>

#include "parse/received.h"
#include "trace/net.h"
#include "trace/internal.h"
#include "trace/trace.h"

static struct path P;

static struct trace *
run(struct trace_config *c, const char *m)
{
	struct findings f;
	struct header_block hb;
	struct message_info mi;
	arena_reset(A);
	findings_init(&f, A);
	headers_split(m, strlen(m), A, &hb, &f);
	message_info_fill(A, &hb, &mi, &f);
	path_build(&hb, A, &P, &f);
	return trace_build(c, &hb, &mi, &P, A, &f);
}

static bool
internal(const char *ip)
{
	struct net_addr a;
	assert_true(net_parse(str_make(ip, strlen(ip)), &a));
	return net_is_internal(&a);
}

static void
test_classify(void **state)
{
	(void)state;
	assert_true(internal("10.1.2.3"));
	assert_true(internal("100.64.0.1"));
	assert_true(internal("169.254.1.1"));
	assert_true(internal("fd00::1"));
	assert_true(internal("::1"));
	assert_false(internal("192.0.2.1")); /* documentation: public */
	assert_false(internal("2001:db8::1"));
	assert_false(internal("8.8.8.8"));
	/* the edges of each range (in_v4 compares the address by shifts) */
	assert_true(internal("172.16.0.0"));
	assert_true(internal("172.31.255.255"));
	assert_false(internal("172.15.255.255"));
	assert_false(internal("172.32.0.0"));
	assert_true(internal("100.127.255.255"));
	assert_false(internal("100.128.0.0"));
	assert_false(internal("100.63.255.255"));
	assert_true(internal("192.168.255.255"));
	assert_false(internal("192.169.0.0"));
	assert_true(internal("0.1.2.3"));
	assert_true(internal("127.255.255.254"));
	assert_false(internal("11.0.0.0"));
	assert_true(internal("::ffff:10.0.0.1"));
	assert_false(internal("::10.0.0.1")); /* IPv4-compatible: not v4 */
	struct net_cidr c;
	assert_true(net_parse_cidr("1.2/16", &c));
	assert_int_equal(c.bits, 96 + 16);
	assert_true(net_parse_cidr("!127/8", &c) && c.negated);
	assert_false(net_parse_cidr("1.2.3.256", &c));
}

static void
test_first_match_wins(void **state)
{
	(void)state;
	struct net_list l = {0};
	struct net_cidr c;
	net_parse_cidr("!1.1.1.2", &c);
	net_list_add(&l, &c);
	net_parse_cidr("1.1/16", &c);
	net_list_add(&l, &c);
	struct net_addr a;
	net_parse(STR_LIT("1.1.1.2"), &a);
	assert_false(net_list_match(&l, &a));
	net_parse(STR_LIT("1.1.9.9"), &a);
	assert_true(net_list_match(&l, &a));
	net_list_free(&l);
}

#define DIRECT                                                                 \
	"Received: from mx1.example.net (mx1.example.net [192.0.2.25])\n"      \
	"\tby store1.example.net with LMTP; Mon, 27 Nov 2023 14:03:12 "        \
	"+0000\n"                                                              \
	"Received: from smtp.example.com (smtp.example.com "                   \
	"[198.51.100.10])\n\tby mx1.example.net (Postfix) with ESMTPS id "     \
	"1; Mon, 27 Nov 2023 14:03:11 +0000\n"                                 \
	"Received: from [203.0.113.45] (unknown [203.0.113.45])\n"             \
	"\tby smtp.example.com (Postfix) with ESMTPSA id 2;\n"                 \
	"\tMon, 27 Nov 2023 14:03:09 +0000\n"                                  \
	"From: a@example.com\nTo: b@example.net\nSubject: x\n\nbody\n"

static void
test_group_and_roles(void **state)
{
	(void)state;
	struct trace_config *c = trace_config_new();
	struct trace *t = run(c, DIRECT);
	assert_int_equal(t->nactors, 2);
	assert_string_equal(t->actors[0].name, "example.com");
	assert_string_equal(t->actors[1].name, "example.net");
	assert_int_equal(t->actors[0].roles,
	                 TRACE_ROLE_MSA | TRACE_ROLE_TRANSMITTER);
	assert_int_equal(t->actors[1].roles,
	                 TRACE_ROLE_RECEIVER | TRACE_ROLE_MDA);
	assert_true(t->author_node);
	assert_int_equal(t->border_hop, 1);
	assert_true(t->origin.set);
	assert_true(str_ieq(t->origin.ip, "198.51.100.10"));
	assert_true(str_ieq(t->author.ip, "203.0.113.45"));
	assert_false(P.v[1].trusted);
	assert_true(P.v[2].trusted);
	assert_string_equal(hop_role_name(P.v[1].role), "Receiver");
	assert_string_equal(hop_role_name(P.v[2].role), "MDA");
	for (int k = 0; k < TRACE_NROLES; k++) /* the same names */
		assert_string_equal(hop_role_name(HOP_ROLE_AUTHOR + k),
		                    trace_role_names[k]);
	trace_config_free(c);
}

static void
test_notation(void **state)
{
	(void)state;
	struct trace_config *c = trace_config_new();
	struct trace *t = run(c, DIRECT);
	const char *line = " Author ==> MSA/Transmitter --> / --> "
	                   "Receiver/MDA ==> Recipient";
	assert_int_equal(t->line.n, strlen(line));
	assert_memory_equal(t->line.p, line, t->line.n);
	const char *nets = " |------ example.com -----|           "
	                   "|------ example.net -----|";
	assert_int_equal(t->net_line.n, strlen(nets));
	assert_memory_equal(t->net_line.p, nets, t->net_line.n);
	trace_config_free(c);
}

static void
test_configured_trust(void **state)
{
	(void)state;
	struct trace_config *c = trace_config_new();
	/* trusting only the mail store: the MX hop's client is outside */
	assert_int_equal(trace_config_add_trusted(c, "store1.example.net"), 0);
	assert_int_equal(trace_config_add_trusted(c, "not a host"), -1);
	assert_int_equal(trace_config_add_trusted(c, "192.0.2.0/24"), 0);
	struct trace *t = run(c, DIRECT);
	assert_true(t->trust_configured);
	assert_int_equal(t->border_hop, 1);
	trace_config_free(c);
	/* trusting the sender's server too: no Border left */
	c = trace_config_new();
	trace_config_add_trusted(c, "192.0.2.0/24");
	trace_config_add_trusted(c, "198.51.100.10");
	t = run(c, DIRECT);
	assert_int_equal(t->border_hop, -1);
	assert_false(t->border_crossed);
	trace_config_free(c);
}

static void
test_same_actor(void **state)
{
	(void)state;
	struct trace_config *c = trace_config_new();
	assert_int_equal(
	    trace_config_add_same_actor(c, "example.com=example.net"), 0);
	assert_int_equal(trace_config_add_same_actor(c, "example.com"), -1);
	struct trace *t = run(c, DIRECT);
	assert_int_equal(t->nactors, 1);
	assert_int_equal(t->border_hop, -1);
	trace_config_free(c);
}

static void
test_no_received(void **state)
{
	(void)state;
	struct trace_config *c = trace_config_new();
	struct trace *t = run(c, "From: a@example.com\nTo: b@example.net\n\n");
	assert_int_equal(t->nactors, 0);
	assert_false(t->origin.set);
	const char *line = " Author ==> MDA ==> Recipient";
	assert_int_equal(t->line.n, strlen(line));
	assert_memory_equal(t->line.p, line, t->line.n);
	trace_config_free(c);
}

/* net_parse's own IPv4 reader agrees with inet_pton(AF_INET), which it
 * stands in for, on addresses and on near misses. */
static void
test_parse_v4_as_inet_pton(void **state)
{
	(void)state;
	static const char *const cases[] = {
	    "1.2.3.4",        "0.0.0.0",    "255.255.255.255",
	    "66.187.233.211", "256.1.1.1",  "1.2.3.256",
	    "01.2.3.4",       "1.2.3.04",   "1.2.3.0",
	    "1.2.3",          "1.2.3.4.5",  "1.2.3.4.",
	    ".1.2.3.4",       "1..2.3",     "1.2.3.1234",
	    "1.2.3.4a",       "a1.2.3.4",   "1.2.3.-4",
	    "1.2.3. 4",       "10.0.0.000", "9.99.199.249",
	    "100.200.250.9",  "1.2.3.4 ",   "mx.example.com",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct net_addr a;
		unsigned char want[4];
		bool ok = net_parse(str_make(cases[i], strlen(cases[i])), &a);
		bool pton = inet_pton(AF_INET, cases[i], want) == 1;
		assert_int_equal(ok, pton);
		if (ok) {
			assert_true(a.v4);
			assert_memory_equal(a.b + 12, want, 4);
		}
	}
}

/* rcvd.chain-broken's message, put together by hand, reads as the
 * format it replaced. */
static void
test_chain_broken_text(void **state)
{
	(void)state;
	const char *m =
	    "Received: from relay.example.org ([192.0.2.7])\n"
	    "\tby mx.example.net; Mon, 27 Nov 2023 14:03:12 +0000\n"
	    "Received: from [203.0.113.45] (unknown [203.0.113.45])\n"
	    "\tby smtp.example.com; Mon, 27 Nov 2023 14:03:09 +0000\n"
	    "From: a@example.com\n\nbody\n";
	struct findings f;
	struct header_block hb;
	arena_reset(A);
	findings_init(&f, A);
	headers_split(m, strlen(m), A, &hb, &f);
	path_build(&hb, A, &P, &f);
	const char *want = arena_printf(
	    A,
	    "hop %d was received by \"%.*s\" but hop %d names its client "
	    "\"%.*s\"",
	    0, 16, "smtp.example.com", 1, 17, "relay.example.org");
	size_t k = 0;
	while (k < f.n && strcmp(f.v[k].id, "rcvd.chain-broken") != 0)
		k++;
	assert_true(k < f.n);
	assert_string_equal(f.v[k].message, want);
}

/* and its IPv6 path agrees with inet_pton(AF_INET6) */
static void
test_parse_v6_as_inet_pton(void **state)
{
	(void)state;
	static const char *const cases[] = {
	    "::1",          "2001:db8::1",
	    "2001:DB8::A",  "::ffff:192.0.2.1",
	    "fe80::1%eth0", "2001:db8::g",
	    ":::",          "1::2::3",
	    "abc",          "dead.beef",
	    "::",           "2001:db8:0:0:0:0:0:1",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct net_addr a;
		unsigned char want[16];
		bool ok = net_parse(str_make(cases[i], strlen(cases[i])), &a);
		bool pton = inet_pton(AF_INET6, cases[i], want) == 1;
		assert_int_equal(ok, pton);
		if (ok)
			assert_memory_equal(a.b, want, 16);
	}
}

/* ev_add_hop writes what the format it replaces would: the hop as %d
 * (negative too), the quote as %.*s (up to a NUL, NULL as empty). */
static void
test_ev_add_hop(void **state)
{
	(void)state;
	static const struct {
		int hop;
		const char *mid;
		size_t n;
	} cases[] = {
	    {0, NULL, 0},      {7, "mx.example.com", 14}, {-1, "", 0},
	    {123456, "ab", 1}, {-2147483647 - 1, "x", 1}, {42, "a\0b", 3},
	};
	arena_reset(A);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct trace_evlist l = {0};
		struct str mid = str_make(cases[i].mid, cases[i].n);
		ev_add_hop(A, &l, cases[i].hop, 3, "the client ", mid, " said");
		const char *want = arena_printf(
		    A, "hop %d: the client %.*s said", cases[i].hop,
		    (int)cases[i].n, cases[i].mid ? cases[i].mid : "");
		assert_int_equal(l.n, 1);
		assert_int_equal(l.v[0].hop, cases[i].hop);
		assert_int_equal(l.v[0].header, 3);
		assert_string_equal(l.v[0].text, want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_classify),
	    cmocka_unit_test(test_first_match_wins),
	    cmocka_unit_test(test_group_and_roles),
	    cmocka_unit_test(test_notation),
	    cmocka_unit_test(test_configured_trust),
	    cmocka_unit_test(test_same_actor),
	    cmocka_unit_test(test_no_received),
	    cmocka_unit_test(test_ev_add_hop),
	    cmocka_unit_test(test_chain_broken_text),
	    cmocka_unit_test(test_parse_v4_as_inet_pton),
	    cmocka_unit_test(test_parse_v6_as_inet_pton),
	};
	return cmocka_run_group_tests(tests, unit_setup_parsers,
	                              unit_teardown_parsers);
}
