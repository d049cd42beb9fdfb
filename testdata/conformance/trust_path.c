/*
 * trust_path.c: trust boundary conformance driver.
 *
 * Usage: trust_path SHARED_DIR. Reads SHARED_DIR/peers/
 * relaypath-spamassassin-trust_path.jsonl (SpamAssassin t/trust_path.t),
 * builds each case's header block (its Received fields, top first, and
 * other_headers such as X-Originating-IP), maps the `config` lines onto
 * trace_config (trusted_networks -> trace_config_add_trusted,
 * internal_networks -> _add_internal, msa_networks -> _add_msa), runs
 * path_build and trace_build, and compares the relays top first: the
 * trusted/untrusted split, each relay's IP, intl and msa. Prints each
 * disagreement, then "trust_path: P/T passed (R%)". Exits 1 below the
 * floor of 90%, 2 when the data cannot be read. Cases flagged
 * Patricia-Failure are garbage-in upstream; they are counted all the
 * same and marked in the output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "parse/header.h"
#include "parse/message.h"
#include "parse/received.h"
#include "trace/net.h"
#include "trace/path.h"
#include "trace/trace.h"

#define FLOOR 90.0

/* A case's header block is a few Received fields: this is plenty. */
#define CASE_MAX_BYTES 65536

static int
apply_config(struct trace_config *c, json_t *lines)
{
	size_t i;
	json_t *l;
	json_array_foreach(lines, i, l)
	{
		char buf[1024];
		snprintf(buf, sizeof(buf), "%s", json_string_value(l));
		char *save = NULL, *key = strtok_r(buf, " \t", &save);
		int (*add)(struct trace_config *, const char *) =
		    !key ? NULL
		    : strcmp(key, "trusted_networks") == 0
		        ? trace_config_add_trusted
		    : strcmp(key, "internal_networks") == 0
		        ? trace_config_add_internal
		    : strcmp(key, "msa_networks") == 0 ? trace_config_add_msa
		                                       : NULL;
		if (!add)
			return -1;
		for (char *v; (v = strtok_r(NULL, " \t", &save));)
			if (add(c, v) < 0)
				return -1;
	}
	return 0;
}

static bool
same_ip(struct str got, const char *want)
{
	struct net_addr a, b;
	if (net_parse(got, &a) && net_parse(str_make(want, strlen(want)), &b))
		return memcmp(a.b, b.b, 16) == 0;
	return str_ieq(got, want);
}

/* Compare one relay; appends the reason to why on a mismatch. */
static bool
relay_ok(const struct hop *h, const struct trace *t, json_t *want, bool trusted,
         char *why, size_t cap)
{
	const char *ip = json_string_value(json_object_get(want, "ip"));
	bool intl =
	    strcmp(json_string_value(json_object_get(want, "intl")), "1") == 0;
	bool msa =
	    strcmp(json_string_value(json_object_get(want, "msa")), "1") == 0;
	size_t k = strlen(why);
	if (!same_ip(h->r.ip, ip ? ip : ""))
		snprintf(why + k, cap - k, " hop %d ip %.*s want %s;", h->index,
		         (int)h->r.ip.n, h->r.ip.p, ip);
	else if (h->trusted != trusted)
		snprintf(why + k, cap - k, " %s %s want %s;", ip,
		         h->trusted ? "trusted" : "untrusted",
		         trusted ? "trusted" : "untrusted");
	else if (t->internal[h->index] != intl)
		snprintf(why + k, cap - k, " %s intl=%d want %d;", ip,
		         t->internal[h->index], intl);
	else if (t->msa[h->index] != msa)
		snprintf(why + k, cap - k, " %s msa=%d want %d;", ip,
		         t->msa[h->index], msa);
	else
		return true;
	return false;
}

static bool
compare(const struct path *p, const struct trace *t, json_t *expect, char *why,
        size_t cap)
{
	json_t *tr = json_object_get(expect, "trusted");
	json_t *un = json_object_get(expect, "untrusted");
	size_t nt = json_array_size(tr), nu = json_array_size(un);
	if (nt + nu != p->n) {
		snprintf(why, cap, " %zu relays, want %zu;", p->n, nt + nu);
		return false;
	}
	bool ok = true;
	for (size_t k = 0; k < p->n; k++) {
		const struct hop *h = &p->v[p->n - 1 - k];
		json_t *want =
		    k < nt ? json_array_get(tr, k) : json_array_get(un, k - nt);
		ok &= relay_ok(h, t, want, k < nt, why, cap);
	}
	return ok;
}

static char *
block(json_t *c, size_t *len)
{
	char *buf = malloc(CASE_MAX_BYTES);
	size_t n = 0, i;
	json_t *v;
	json_array_foreach(json_object_get(c, "received"), i, v) n +=
	    (size_t)snprintf(buf + n, CASE_MAX_BYTES - n, "Received: %s\n",
	                     json_string_value(v));
	json_array_foreach(json_object_get(c, "other_headers"), i, v) n +=
	    (size_t)snprintf(buf + n, CASE_MAX_BYTES - n, "%s\n",
	                     json_string_value(v));
	n += (size_t)snprintf(buf + n, CASE_MAX_BYTES - n,
	                      "From: a@sender.net\nSubject: t\n\n");
	*len = n;
	return buf;
}

static bool
run_case(json_t *c, struct arena *a, char *why, size_t cap)
{
	struct trace_config *tc = trace_config_new();
	bool ok = false;
	if (apply_config(tc, json_object_get(c, "config")) < 0) {
		snprintf(why, cap, " config rejected;");
		trace_config_free(tc);
		return false;
	}
	size_t len;
	char *buf = block(c, &len);
	struct findings f;
	struct header_block hb;
	struct message_info mi;
	struct path p;
	arena_reset(a);
	findings_init(&f, a);
	headers_split(buf, len, a, &hb, &f);
	message_info_fill(a, &hb, &mi, &f);
	path_build(&hb, a, &p, &f);
	struct trace *t = trace_build(tc, &hb, &mi, &p, a, &f);
	ok = compare(&p, t, json_object_get(c, "expect"), why, cap);
	free(buf);
	trace_config_free(tc);
	return ok;
}

static bool
patricia(json_t *c)
{
	size_t i;
	json_t *v;
	json_array_foreach(
	    json_object_get(json_object_get(c, "expect"), "flags"), i,
	    v) if (strcmp(json_string_value(v), "Patricia-Failure") ==
	           0) return true;
	return false;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: trust_path SHARED_DIR\n");
		return 2;
	}
	char path[4096];
	snprintf(path, sizeof(path),
	         "%s/peers/relaypath-spamassassin-trust_path.jsonl", argv[1]);
	FILE *fp = fopen(path, "r");
	if (!fp) {
		perror(path);
		return 2;
	}
	message_lib_init(NULL);
	received_init();
	struct arena *a = arena_new();
	char line[1 << 16];
	int total = 0, pass = 0;
	while (fgets(line, sizeof(line), fp)) {
		json_error_t err;
		json_t *c = json_loads(line, 0, &err);
		if (!c)
			continue;
		char why[2048] = "";
		total++;
		if (run_case(c, a, why, sizeof(why)))
			pass++;
		else
			printf("case %lld%s:%s\n",
			       json_integer_value(json_object_get(c, "case")),
			       patricia(c) ? " (Patricia-Failure)" : "", why);
		json_decref(c);
	}
	fclose(fp);
	arena_free(a);
	received_fini();
	message_lib_fini();
	double rate = total ? 100.0 * pass / total : 0;
	printf("trust_path: %d/%d passed (%.1f%%)\n", pass, total, rate);
	return total == 0 ? 2 : rate < FLOOR ? 1 : 0;
}
