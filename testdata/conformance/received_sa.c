/*
 * received_sa.c: Received parser conformance against SpamAssassin.
 *
 * Usage: received_sa SHARED_DIR [-v]. Run from the repository root (it
 * reads testdata/received-disagreements.md; RECEIVED_DISAGREEMENTS names
 * another file).
 *
 * (a) SHARED/peers/received-spamassassin.jsonl (SpamAssassin's
 *     t/rcvd_parser.t). Cases SpamAssassin skips (expect null) are counted
 *     for information: how many we also mark as no handover, unparsed or
 *     without a client IP. For the others, each field SpamAssassin states
 *     is compared:
 *       ip, by, helo, rdns   ASCII case ignored (hostnames)
 *       ident, envfrom, id   byte for byte
 *       auth                 SpamAssassin's token (ESMTPA, Sendmail,
 *                            CriticalPath, LOGIN, HTTP, GMX ...) against
 *                            "we saw authentication": RCV_F_AUTH, or
 *                            RCV_F_HTTP (webmail: SpamAssassin counts an
 *                            HTTP submission as authenticated, we keep the
 *                            flags apart).
 *     Our strings get SpamAssassin's clean-up first (each of
 *     " \0#[]()<>|" becomes '!'), so HELO [1.2.3.4] reads !1.2.3.4!.
 *     Floor: 95% of the cases agree on every field. Every disagreement
 *     must be explained in the disagreements file ("### case N" headings);
 *     the unexplained ones are printed.
 * (b) SHARED/peers/spamassassin-corpus-relays.jsonl against our parse of
 *     each SHARED/corpus/spamassassin-public/x/FILE. Our relay list is
 *     the handover hops, newest first. SpamAssassin drops lines it cannot
 *     parse or deems local, so its relays are matched to our hops in
 *     order: the next hop with the same ip and by, else the same ip, else
 *     the same by. Client IP and by-host agreement are counted over
 *     SpamAssassin's relays. Floor: 98% for each. Like SpamAssassin,
 *     the list restarts below a fetchmail (POP/IMAP retrieval) line.
 * Exit 1 below a floor, 2 when the data cannot be read.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "parse/header.h"
#include "parse/message.h"
#include "parse/received.h"

#define FLOOR_CASES 95.0
#define FLOOR_CORPUS 98.0
#define MAXCASE 10000

static struct arena *A;
static int verbose;

static const char *const fields[] = {"ip",    "rdns",    "helo", "by",
                                     "ident", "envfrom", "id",   "auth"};
#define NFIELDS 8

/* SpamAssassin's clean-up of relay strings, then a C string. */
static const char *
sa_clean(struct str s, char *buf, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < s.n && o + 1 < cap; i++) {
		char c = s.p[i];
		buf[o++] = strchr(" \t\r\n#[]()<>|", c) || c == '\0' ? '!' : c;
	}
	buf[o] = '\0';
	return buf;
}

static bool
ieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

static const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static struct str
our_field(const struct received *r, int f)
{
	switch (f) {
	case 0:
		return r->ip;
	case 1:
		return r->rdns;
	case 2:
		return r->helo;
	case 3:
		return r->by;
	case 4:
		return r->ident;
	case 5:
		return r->envelope_from;
	case 6:
		return r->id;
	default:
		return STR_NULL;
	}
}

static bool
field_agrees(const struct received *r, int f, const char *want)
{
	char buf[1024];
	if (f == 7) {
		bool ours = (r->flags & (RCV_F_AUTH | RCV_F_HTTP)) != 0;
		return ours == (want[0] != '\0');
	}
	const char *got = sa_clean(our_field(r, f), buf, sizeof(buf));
	return f <= 3 ? ieq(got, want) : strcmp(got, want) == 0;
}

static void
parse_one(const char *v, struct received *r)
{
	struct findings f;
	arena_reset(A);
	findings_init(&f, A);
	received_parse(str_make(v, strlen(v)), A, r, &f, 0, 0);
}

/* Case numbers under "### case N" in the disagreements file. */
static void
read_explained(bool *explained)
{
	const char *path = getenv("RECEIVED_DISAGREEMENTS");
	FILE *fp =
	    fopen(path ? path : "testdata/received-disagreements.md", "r");
	char line[512];
	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		int n;
		if (sscanf(line, "### case %d", &n) == 1 && n > 0 &&
		    n < MAXCASE)
			explained[n] = true;
	}
	fclose(fp);
}

struct tally {
	int cases, all_agree, field_ok[NFIELDS], skipped, skip_local,
	    skip_unparsed, skip_noip;
	bool disagree[MAXCASE];
};

static void
compare_case(json_t *o, struct tally *t)
{
	int n = (int)json_integer_value(json_object_get(o, "case"));
	const char *v = jstr(o, "received");
	json_t *e = json_object_get(o, "expect");
	struct received r;
	parse_one(v, &r);
	if (!json_is_object(e)) {
		t->skipped++;
		t->skip_local += r.parsed && !r.handover;
		t->skip_unparsed += !r.parsed;
		t->skip_noip += r.parsed && r.handover && !r.ip.n;
		return;
	}
	t->cases++;
	bool all = true;
	for (int f = 0; f < NFIELDS; f++) {
		const char *want = jstr(e, fields[f]);
		char buf[1024];
		if (field_agrees(&r, f, want)) {
			t->field_ok[f]++;
			continue;
		}
		all = false;
		if (verbose)
			printf("  case %d %s: want '%s' got '%s'\n", n,
			       fields[f], want,
			       sa_clean(our_field(&r, f), buf, sizeof(buf)));
	}
	t->all_agree += all;
	if (!all && n > 0 && n < MAXCASE)
		t->disagree[n] = true;
}

static double
pct(int a, int b)
{
	return b ? 100.0 * a / b : 100.0;
}

static int
part_cases(const char *shared)
{
	static struct tally t;
	static bool explained[MAXCASE];
	char path[4096];
	snprintf(path, sizeof(path), "%s/peers/received-spamassassin.jsonl",
	         shared);
	FILE *fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "received_sa: cannot open %s\n", path);
		return 2;
	}
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, fp) > 0) {
		json_t *o = json_loads(line, 0, NULL);
		if (o)
			compare_case(o, &t);
		json_decref(o);
	}
	free(line);
	fclose(fp);
	for (int f = 0; f < NFIELDS; f++)
		printf("received_sa: cases field %-8s %3d/%d (%.1f%%)\n",
		       fields[f], t.field_ok[f], t.cases,
		       pct(t.field_ok[f], t.cases));
	double all = pct(t.all_agree, t.cases);
	printf("received_sa: cases agreeing on every field %d/%d (%.1f%%, "
	       "floor %.0f%%)\n",
	       t.all_agree, t.cases, all, FLOOR_CASES);
	printf("received_sa: skipped by SpamAssassin %d: no handover %d, "
	       "unparsed %d, handover without IP %d (informational)\n",
	       t.skipped, t.skip_local, t.skip_unparsed, t.skip_noip);
	read_explained(explained);
	int unexplained = 0;
	for (int n = 1; n < MAXCASE; n++) {
		if (t.disagree[n] && !explained[n]) {
			printf(
			    "received_sa: unexplained disagreement: case %d\n",
			    n);
			unexplained++;
		}
		if (!t.disagree[n] && explained[n])
			printf(
			    "received_sa: stale entry (now agrees): case %d\n",
			    n);
	}
	printf("received_sa: unexplained disagreements %d\n", unexplained);
	return all >= FLOOR_CASES ? 0 : 1;
}

/* ---- (b) the corpus ---- */

struct file_ix {
	char **name, **path;
	size_t n, cap;
};

static void
index_dir(struct file_ix *ix, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (ix->n == ix->cap) {
			ix->cap = ix->cap ? ix->cap * 2 : 1024;
			ix->name = realloc(ix->name, ix->cap * sizeof(char *));
			ix->path = realloc(ix->path, ix->cap * sizeof(char *));
			if (!ix->name || !ix->path)
				abort();
		}
		size_t l = strlen(dir) + strlen(e->d_name) + 2;
		ix->path[ix->n] = malloc(l);
		if (!ix->path[ix->n])
			abort();
		snprintf(ix->path[ix->n], l, "%s/%s", dir, e->d_name);
		ix->name[ix->n] = ix->path[ix->n] + strlen(dir) + 1;
		ix->n++;
	}
	closedir(d);
}

static void
index_corpus(struct file_ix *ix, const char *shared)
{
	char root[4096], sub[8192];
	snprintf(root, sizeof(root), "%s/corpus/spamassassin-public", shared);
	DIR *d = opendir(root);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", root, e->d_name);
		index_dir(ix, sub);
	}
	closedir(d);
}

static const char *
find_file(const struct file_ix *ix, const char *name)
{
	for (size_t i = 0; i < ix->n; i++)
		if (!strcmp(ix->name[i], name))
			return ix->path[i];
	return NULL;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

#define MAXHOPS 512

struct hop {
	char ip[128], by[512];
	bool used;
};

/* Our handover hops, newest first. */
static size_t
our_hops(const char *buf, size_t len, struct hop *h)
{
	struct header_block hb;
	struct findings f;
	size_t n = 0;
	arena_reset(A);
	findings_init(&f, A);
	headers_split(buf, len, A, &hb, &f);
	for (size_t i = 0; i < hb.n && n < MAXHOPS; i++) {
		if (!str_ieq(hb.v[i].name, "Received"))
			continue;
		struct received r;
		struct str v = header_unfold(A, hb.v[i].value);
		received_parse(v, A, &r, &f, (int)n, (int)i);
		/* SpamAssassin restarts its list at a fetchmail line */
		if (!r.handover && (r.flags & (RCV_F_POP | RCV_F_IMAP)))
			n = 0;
		if (!r.parsed || !r.handover)
			continue;
		sa_clean(r.ip, h[n].ip, sizeof(h[n].ip));
		sa_clean(r.by, h[n].by, sizeof(h[n].by));
		h[n].used = false;
		n++;
	}
	return n;
}

/* The next hop at or after j that matches: ip and by, else ip, else by. */
static long
align(const struct hop *h, size_t nh, size_t j, const char *ip, const char *by)
{
	for (int pass = 0; pass < 3; pass++)
		for (size_t k = j; k < nh; k++) {
			bool i = ieq(h[k].ip, ip), b = ieq(h[k].by, by);
			if ((pass == 0 && i && b) || (pass == 1 && i && *ip) ||
			    (pass == 2 && b && *by))
				return (long)k;
		}
	return -1;
}

struct ctally {
	long relays, ip_ok, by_ok, files, missing, pseudo, extra;
};

/* SpamAssassin takes `by (\S+)`: a comment glued to the host comes along
 * (by host(MailRouter V3) reads "host!MailRouter"), and `by (AIMC 2.9)`
 * with no host at all reads "!AIMC". Ours stops at the comment. */
static bool
by_agrees(const char *ours, const char *sa)
{
	size_t n = strlen(ours);
	if (ieq(ours, sa))
		return true;
	if (!n)
		return sa[0] == '!';
	return strncasecmp(ours, sa, n) == 0 &&
	       (sa[n] == '!' || sa[n - 1] == '!');
}

static void
compare_file(json_t *o, const struct file_ix *ix, struct ctally *t)
{
	static struct hop h[MAXHOPS];
	const char *name = jstr(o, "file");
	const char *path = find_file(ix, name);
	size_t len, j = 0;
	char *buf = path ? slurp(path, &len) : NULL;
	if (!buf) {
		t->missing++;
		return;
	}
	t->files++;
	size_t nh = our_hops(buf, len, h);
	json_t *rel = json_object_get(o, "relays"), *x;
	size_t i;
	json_array_foreach(rel, i, x)
	{
		const char *ip = jstr(x, "ip"), *by = jstr(x, "by");
		if (!*by) { /* X-Originating-IP and the like, not a Received */
			t->pseudo++;
			continue;
		}
		long k = align(h, nh, j, ip, by);
		t->relays++;
		bool ipok = k >= 0 && ieq(h[k].ip, ip);
		bool byok = k >= 0 && by_agrees(h[k].by, by);
		t->ip_ok += ipok;
		t->by_ok += byok;
		if (verbose && (!ipok || !byok))
			printf("  %s relay %zu: SA ip=%s by=%s, ours %s %s\n",
			       name, i, ip, by, k >= 0 ? h[k].ip : "-",
			       k >= 0 ? h[k].by : "-");
		if (k >= 0) {
			h[k].used = true;
			j = (size_t)k + 1;
		}
	}
	for (size_t k = 0; k < nh; k++)
		t->extra += h[k].used == 0 && h[k].ip[0];
	free(buf);
}

static int
part_corpus(const char *shared)
{
	struct file_ix ix = {0};
	struct ctally t = {0};
	char path[4096];
	index_corpus(&ix, shared);
	snprintf(path, sizeof(path),
	         "%s/peers/spamassassin-corpus-relays.jsonl", shared);
	FILE *fp = fopen(path, "r");
	if (!fp || !ix.n) {
		fprintf(stderr, "received_sa: cannot read %s or the corpus\n",
		        path);
		return 2;
	}
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, fp) > 0) {
		json_t *o = json_loads(line, 0, NULL);
		if (o)
			compare_file(o, &ix, &t);
		json_decref(o);
	}
	free(line);
	fclose(fp);
	for (size_t i = 0; i < ix.n; i++)
		free(ix.path[i]);
	free(ix.path);
	free(ix.name);
	double ip = pct((int)t.ip_ok, (int)t.relays);
	double by = pct((int)t.by_ok, (int)t.relays);
	printf("received_sa: corpus messages %ld (missing %ld), SpamAssassin "
	       "relays %ld (plus %ld from X-Originating-IP, not compared)\n",
	       t.files, t.missing, t.relays, t.pseudo);
	printf("received_sa: corpus client IP agreement %ld/%ld (%.2f%%, floor "
	       "%.0f%%)\n",
	       t.ip_ok, t.relays, ip, FLOOR_CORPUS);
	printf("received_sa: corpus by-host agreement %ld/%ld (%.2f%%, floor "
	       "%.0f%%)\n",
	       t.by_ok, t.relays, by, FLOOR_CORPUS);
	printf("received_sa: corpus hops of ours SpamAssassin does not list "
	       "(with a client IP) %ld (informational)\n",
	       t.extra);
	return ip >= FLOOR_CORPUS && by >= FLOOR_CORPUS ? 0 : 1;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: received_sa SHARED_DIR [-v]\n");
		return 2;
	}
	verbose = argc > 2 && !strcmp(argv[2], "-v");
	message_lib_init(NULL);
	received_init();
	A = arena_new();
	int a = part_cases(argv[1]);
	int b = part_corpus(argv[1]);
	arena_free(A);
	received_fini();
	message_lib_fini();
	int rc = a > b ? a : b;
	printf("received_sa: %s\n", rc ? "FAIL" : "ok");
	return rc;
}
