/*
 * dkim_bodyhash.c: DKIM body-hash conformance (argv[1] = shared dir).
 *
 * (a) conformance/dkim/cases.json: the body-hash part of every case.
 *     Expected verdict per signature: match when the case says the
 *     signature is crypto_valid or failed on the header hash only
 *     ("signature did not verify"), mismatch when it failed on the body
 *     ("body hash did not verify"), no signature for result "none"; the
 *     other cases (key, DNS and syntax failures) state nothing about the
 *     body and are only counted. Also checks a=, c=, d=, s=, v= as
 *     parsed. Floor: 100 %.
 * (b) peers/dkimpy-bodyhash.jsonl: dkimpy 1.1.4's four body hashes of
 *     every corpus/spamassassin-public message. Floor: 99.9 % of the
 *     messages with all four equal (differences, if any ever remain,
 *     go to testdata/dkim-bodyhash-differences.md). What dkimpy hashed:
 *     the bytes after the header block exactly as in the file, bare LF
 *     read as CRLF; the leading mbox "From " line is not part of the
 *     header block (its rfc822_parse skips it, as headers_split does)
 *     and ">From " lines in bodies are hashed quoted, as written (14
 *     files have them; un-quoting would break all 14).
 * (c) corpus/peer-fixtures: a verdict for every DKIM-Signature (counts).
 *
 * Prints one metric per line ("name value"); exits 1 below a floor.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "auth/dkim.h"
#include "parse/header.h"

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	size_t cap = 1 << 16, n = 0, r;
	char *buf = xmalloc(cap);
	while ((r = fread(buf + n, 1, cap - n, fp)) > 0) {
		n += r;
		if (n == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	fclose(fp);
	*len = n;
	return buf;
}

static struct arena *A;

/* Split and analyse one message with body hashes. */
static void
analyse(const char *buf, size_t len, struct header_block *hb,
        struct dkim_result *res)
{
	arena_reset(A);
	struct findings f;
	findings_init(&f, A);
	headers_split(buf, len, A, hb, &f);
	struct dkim_options opt = {.body_hashes = true};
	dkim_analyse(buf, len, hb, A, &opt, res, &f);
}

static const char *
jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* cases.json writes an absent tag as "". */
static bool
field_eq(struct str got, const char *want)
{
	if (want == NULL)
		return true;
	if (*want == '\0')
		return got.p == NULL || got.n == 0;
	return got.p && str_ieq(got, want);
}

/* (a) */
static int
run_cases(const char *shared, int *fails)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/conformance/dkim/cases.json", shared);
	json_error_t err;
	json_t *root = json_load_file(path, 0, &err);
	if (!root) {
		fprintf(stderr, "dkim_bodyhash: %s: %s\n", path, err.text);
		return -1;
	}
	json_t *cases = json_object_get(root, "cases");
	size_t ci, asserted = 0, ok = 0, unasserted = 0, parsed = 0,
	           parsed_ok = 0, nsigs = 0;
	size_t vcount[4] = {0};
	json_t *c;
	json_array_foreach(cases, ci, c)
	{
		const char *id = jstr(c, "id"), *msg = jstr(c, "message");
		snprintf(path, sizeof(path), "%s/conformance/dkim/%s", shared,
		         msg ? msg : "");
		size_t len;
		char *buf = slurp(path, &len);
		if (!buf) {
			fprintf(stderr, "dkim_bodyhash: %s: %s\n", path,
			        strerror(errno));
			(*fails)++;
			continue;
		}
		struct header_block hb;
		struct dkim_result res;
		analyse(buf, len, &hb, &res);
		nsigs += res.n;
		json_t *exp = json_object_get(c, "expected");
		size_t ei;
		json_t *e;
		json_array_foreach(exp, ei, e)
		{
			const char *result = jstr(e, "result");
			const char *st = jstr(e, "rfc6376_status");
			json_t *cv = json_object_get(e, "crypto_valid");
			if (result && strcmp(result, "none") == 0) {
				asserted++;
				if (res.n == 0)
					ok++;
				else
					printf("# FAIL %s: expected no "
					       "DKIM-Signature, found %zu\n",
					       id, res.n);
				continue;
			}
			if (ei >= res.n) {
				asserted++;
				printf("# FAIL %s: signature %zu not found\n",
				       id, ei);
				continue;
			}
			struct dkim_sig *s = &res.v[ei];
			vcount[s->bh_verdict]++;
			/* parse agreement */
			json_t *sg = json_object_get(e, "signature");
			if (sg) {
				parsed++;
				const char *cc = jstr(sg, "c");
				char cbuf[64] = "";
				if (s->c.p)
					snprintf(cbuf, sizeof(cbuf), "%.*s",
					         (int)s->c.n, s->c.p);
				bool pok = field_eq(s->a, jstr(sg, "a")) &&
				           field_eq(s->d, jstr(sg, "d")) &&
				           field_eq(s->s, jstr(sg, "s")) &&
				           field_eq(s->v, jstr(sg, "v")) &&
				           (!cc || strcasecmp(cc, cbuf) == 0);
				if (pok)
					parsed_ok++;
				else
					printf("# FAIL %s sig %zu: tags parsed "
					       "differently\n",
					       id, ei);
			}
			enum dkim_bh_verdict want = DKIM_BH_NOT_CHECKED;
			if (json_is_true(cv))
				want = DKIM_BH_MATCH;
			else if (st && strstr(st, "body hash did not verify"))
				want = DKIM_BH_MISMATCH;
			else if (st && strstr(st, "signature did not verify"))
				want = DKIM_BH_MATCH;
			if (want == DKIM_BH_NOT_CHECKED) {
				unasserted++;
				printf("# info %s sig %zu: %s (%s)\n", id, ei,
				       dkim_bh_verdict_name(s->bh_verdict),
				       st ? st : "");
				continue;
			}
			asserted++;
			if (s->bh_verdict == want)
				ok++;
			else
				printf(
				    "# FAIL %s sig %zu: body hash %s, "
				    "expected %s%s%s\n",
				    id, ei, dkim_bh_verdict_name(s->bh_verdict),
				    dkim_bh_verdict_name(want),
				    s->why ? "; " : "", s->why ? s->why : "");
		}
		free(buf);
	}
	printf("dkim.cases.signatures %zu\n", nsigs);
	printf("dkim.cases.bodyhash.asserted %zu\n", asserted);
	printf("dkim.cases.bodyhash.ok %zu\n", ok);
	printf("dkim.cases.bodyhash.pct %.2f\n",
	       asserted ? 100.0 * (double)ok / (double)asserted : 0.0);
	printf("dkim.cases.bodyhash.unasserted %zu\n", unasserted);
	printf("dkim.cases.verdict.match %zu\n", vcount[DKIM_BH_MATCH]);
	printf("dkim.cases.verdict.mismatch %zu\n", vcount[DKIM_BH_MISMATCH]);
	printf("dkim.cases.verdict.unverifiable %zu\n",
	       vcount[DKIM_BH_UNVERIFIABLE]);
	printf("dkim.cases.tags.checked %zu\n", parsed);
	printf("dkim.cases.tags.ok %zu\n", parsed_ok);
	json_decref(root);
	if (ok != asserted || parsed_ok != parsed)
		(*fails)++;
	return 0;
}

/* (b) */
static const char *const sa_dirs[] = {"easy-ham-1", "easy-ham-2", "hard-ham-1",
                                      "spam-1", "spam-2"};
static const char *const hnames[4] = {"simple-sha256", "relaxed-sha256",
                                      "simple-sha1", "relaxed-sha1"};

static int
run_dkimpy(const char *shared, int *fails)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/peers/dkimpy-bodyhash.jsonl", shared);
	FILE *fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "dkim_bodyhash: %s: %s\n", path,
		        strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t lcap = 0, total = 0, same = 0, missing = 0, hashes_ok = 0;
	while (getline(&line, &lcap, fp) > 0) {
		json_error_t err;
		json_t *o = json_loads(line, 0, &err);
		if (!o)
			continue;
		const char *file = jstr(o, "file");
		json_t *body = json_object_get(o, "body");
		total++;
		char *buf = NULL;
		size_t len = 0;
		for (size_t d = 0; d < 5 && !buf && file; d++) {
			snprintf(path, sizeof(path),
			         "%s/corpus/spamassassin-public/%s/%s", shared,
			         sa_dirs[d], file);
			buf = slurp(path, &len);
		}
		if (!buf) {
			missing++;
			printf("# MISSING %s\n", file ? file : "?");
			json_decref(o);
			continue;
		}
		arena_reset(A);
		struct findings f;
		findings_init(&f, A);
		struct header_block hb;
		headers_split(buf, len, A, &hb, &f);
		struct dkim_bodyhash r[4] = {
		    {.canon = DKIM_SIMPLE,
		     .hash = DKIM_SHA256,
		     .limit = UINT64_MAX},
		    {.canon = DKIM_RELAXED,
		     .hash = DKIM_SHA256,
		     .limit = UINT64_MAX},
		    {.canon = DKIM_SIMPLE,
		     .hash = DKIM_SHA1,
		     .limit = UINT64_MAX},
		    {.canon = DKIM_RELAXED,
		     .hash = DKIM_SHA1,
		     .limit = UINT64_MAX},
		};
		dkim_body_hash(buf + hb.body, len - hb.body, r, 4);
		int good = 0;
		for (int k = 0; k < 4; k++) {
			unsigned char b64[64];
			EVP_EncodeBlock(b64, r[k].md, (int)r[k].md_len);
			const char *want = jstr(body, hnames[k]);
			if (want && strcmp(want, (char *)b64) == 0)
				good++;
			else
				printf("# DIFF %s %s: got %s want %s\n", file,
				       hnames[k], b64, want ? want : "?");
		}
		hashes_ok += (size_t)good;
		if (good == 4)
			same++;
		free(buf);
		json_decref(o);
	}
	free(line);
	fclose(fp);
	double pct = total ? 100.0 * (double)same / (double)total : 0.0;
	printf("dkimpy.messages %zu\n", total);
	printf("dkimpy.missing %zu\n", missing);
	printf("dkimpy.messages_all_four_equal %zu\n", same);
	printf("dkimpy.hashes_equal %zu\n", hashes_ok);
	printf("dkimpy.pct %.3f\n", pct);
	if (pct < 99.9)
		(*fails)++;
	return 0;
}

/* (c) */
static int
run_fixtures(const char *shared)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/corpus/peer-fixtures/MANIFEST.jsonl",
	         shared);
	FILE *fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "dkim_bodyhash: %s: %s\n", path,
		        strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t lcap = 0, msgs = 0, signed_msgs = 0, sigs = 0;
	size_t vcount[4] = {0};
	while (getline(&line, &lcap, fp) > 0) {
		json_error_t err;
		json_t *o = json_loads(line, 0, &err);
		if (!o)
			continue;
		char file[1024];
		snprintf(file, sizeof(file), "%s",
		         jstr(o, "file") ? jstr(o, "file") : "");
		json_decref(o);
		snprintf(path, sizeof(path), "%s/corpus/peer-fixtures/%s",
		         shared, file);
		size_t len;
		char *buf = slurp(path, &len);
		if (!buf)
			continue;
		msgs++;
		struct header_block hb;
		struct dkim_result res;
		analyse(buf, len, &hb, &res);
		if (res.n)
			signed_msgs++;
		for (size_t k = 0; k < res.n; k++) {
			sigs++;
			vcount[res.v[k].bh_verdict]++;
			if (res.v[k].bh_verdict != DKIM_BH_MATCH)
				printf(
				    "# %s sig %zu d=%.*s c=%s/%s: %s%s%s\n",
				    file, k, (int)res.v[k].d.n,
				    res.v[k].d.p ? res.v[k].d.p : "",
				    dkim_canon_name(res.v[k].hcanon),
				    dkim_canon_name(res.v[k].bcanon),
				    dkim_bh_verdict_name(res.v[k].bh_verdict),
				    res.v[k].why ? "; " : "",
				    res.v[k].why ? res.v[k].why : "");
		}
		free(buf);
	}
	free(line);
	fclose(fp);
	printf("fixtures.messages %zu\n", msgs);
	printf("fixtures.signed_messages %zu\n", signed_msgs);
	printf("fixtures.signatures %zu\n", sigs);
	printf("fixtures.verdict.match %zu\n", vcount[DKIM_BH_MATCH]);
	printf("fixtures.verdict.mismatch %zu\n", vcount[DKIM_BH_MISMATCH]);
	printf("fixtures.verdict.unverifiable %zu\n",
	       vcount[DKIM_BH_UNVERIFIABLE]);
	printf("fixtures.verdict.none %zu\n", vcount[DKIM_BH_NOT_CHECKED]);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *shared = argc > 1 ? argv[1] : "../shared";
	A = arena_new();
	int fails = 0;
	if (run_cases(shared, &fails) < 0 || run_dkimpy(shared, &fails) < 0 ||
	    run_fixtures(shared) < 0)
		fails++;
	arena_free(A);
	printf("dkim_bodyhash.result %s\n", fails ? "FAIL" : "PASS");
	return fails ? 1 : 0;
}
