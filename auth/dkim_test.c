/* dkim_test.c: unit tests for offline DKIM analysis. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "auth/dkim.h"

static struct arena *A;
static struct findings F;

static int
setup(void **state)
{
	(void)state;
	A = arena_new();
	findings_init(&F, A);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	arena_free(A);
	return 0;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	char *buf = malloc(1 << 16);
	*len = fread(buf, 1, 1 << 16, fp);
	fclose(fp);
	return buf;
}

struct msg {
	char *buf;
	size_t len;
	struct header_block hb;
	struct dkim_result res;
};

static void
analyse_buf(struct msg *m, bool bodies, int64_t arrival)
{
	arena_reset(A);
	findings_init(&F, A);
	headers_split(m->buf, m->len, A, &m->hb, &F);
	struct dkim_options o = {.body_hashes = bodies,
	                         .has_arrival = arrival != 0,
	                         .arrival = arrival};
	dkim_analyse(m->buf, m->len, &m->hb, A, &o, &m->res, &F);
}

static void
load(struct msg *m, const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "testdata/dkim/%s", name);
	m->buf = slurp(path, &m->len);
	analyse_buf(m, true, 0);
}

static void
from_string(struct msg *m, const char *s, bool bodies, int64_t arrival)
{
	m->len = strlen(s);
	m->buf = malloc(m->len + 1);
	memcpy(m->buf, s, m->len + 1);
	analyse_buf(m, bodies, arrival);
}

/* Check b= with the committed public key over dkim_header_hash_input. */
static bool
verify_b(const struct msg *m, const struct dkim_sig *s, const char *pubfile)
{
	char path[256];
	snprintf(path, sizeof(path), "testdata/dkim/%s", pubfile);
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	EVP_PKEY *pk = PEM_read_PUBKEY(fp, NULL, NULL, NULL);
	fclose(fp);
	assert_non_null(pk);
	struct str in = dkim_header_hash_input(A, &m->hb, s);
	assert_non_null(in.p);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;
	if (s->alg == DKIM_ALG_ED25519_SHA256) {
		unsigned char d[32];
		unsigned int dl;
		EVP_Digest(in.p, in.n, d, &dl, EVP_sha256(), NULL);
		ok = EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pk) == 1 &&
		     EVP_DigestVerify(ctx, s->sig, s->sig_len, d, dl) == 1;
	} else {
		ok = EVP_DigestVerifyInit(ctx, NULL,
		                          s->hash == DKIM_SHA1 ? EVP_sha1()
		                                               : EVP_sha256(),
		                          NULL, pk) == 1 &&
		     EVP_DigestVerify(ctx, s->sig, s->sig_len,
		                      (const unsigned char *)in.p, in.n) == 1;
	}
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return ok;
}

static bool
has(const char *id)
{
	return findings_has(&F, id);
}

/* Must run first: nothing so far has hashed anything. */
static void
test_lazy_crypto(void **state)
{
	(void)state;
	struct msg m;
	from_string(&m, "From: a@b\r\n\r\nbody\r\n", true, 0);
	assert_int_equal(m.res.n, 0);
	assert_false(dkim_crypto_started()); /* no signature: no libcrypto */
	free(m.buf);
	/* a signature: its b= and bh= are base64, decoded by libcrypto */
	m.buf = slurp("testdata/dkim/rsa-relaxed.eml", &m.len);
	analyse_buf(&m, false, 0);
	assert_int_equal(m.res.n, 1);
	assert_true(m.res.v[0].b_ok);
	assert_int_equal(m.res.v[0].bh_verdict, DKIM_BH_NOT_CHECKED);
	assert_true(dkim_crypto_started());
	analyse_buf(&m, true, 0);
	assert_int_equal(m.res.v[0].bh_verdict, DKIM_BH_MATCH);
	free(m.buf);
}

static void
canon_eq(const char *in, enum dkim_canon c, const char *want)
{
	struct str s = dkim_body_canon(A, in, strlen(in), c, UINT64_MAX);
	if (s.n != strlen(want) || memcmp(s.p, want, s.n) != 0)
		fail_msg("canon(%s) of [%s] gave [%.*s]", dkim_canon_name(c),
		         in, (int)s.n, s.p);
}

static void
test_body_canon(void **state)
{
	(void)state;
	/* RFC 6376 §3.4.5 */
	const char *ex = " C \r\nD \t E\r\n\r\n\r\n";
	canon_eq(ex, DKIM_RELAXED, " C\r\nD E\r\n");
	canon_eq(ex, DKIM_SIMPLE, " C \r\nD \t E\r\n");
	/* bare LF is CRLF */
	canon_eq(" C \nD \t E\n\n\n", DKIM_RELAXED, " C\r\nD E\r\n");
	canon_eq(" C \nD \t E\n\n\n", DKIM_SIMPLE, " C \r\nD \t E\r\n");
	/* empty bodies */
	canon_eq("", DKIM_SIMPLE, "\r\n");
	canon_eq("", DKIM_RELAXED, "");
	canon_eq("\r\n\r\n", DKIM_SIMPLE, "\r\n");
	canon_eq(" \t\r\n \n", DKIM_RELAXED, "");
	/* no final line end: one is added; relaxed strips its WSP */
	canon_eq("abc", DKIM_SIMPLE, "abc\r\n");
	canon_eq("a b  ", DKIM_RELAXED, "a b\r\n");
	/* empty lines inside are kept; a lone CR is content */
	canon_eq("a\r\n\r\n\nb\r\n", DKIM_RELAXED, "a\r\n\r\n\r\nb\r\n");
	canon_eq("a\rb\r\r\n", DKIM_SIMPLE, "a\rb\r\r\n");
	canon_eq("a \rb \r\n", DKIM_RELAXED, "a \rb\r\n");
	canon_eq("x\r", DKIM_SIMPLE, "x\r\r\n");
	canon_eq("\n\nx", DKIM_SIMPLE, "\r\n\r\nx\r\n");
	/* leading WSP of a line is reduced, not removed */
	canon_eq("\t\tx", DKIM_RELAXED, " x\r\n");
}

static void
b64(const unsigned char *md, size_t n, char *out)
{
	EVP_EncodeBlock((unsigned char *)out, md, (int)n);
}

static void
test_body_hash_known(void **state)
{
	(void)state;
	struct dkim_bodyhash r[4] = {
	    {.canon = DKIM_SIMPLE, .hash = DKIM_SHA256, .limit = UINT64_MAX},
	    {.canon = DKIM_RELAXED, .hash = DKIM_SHA256, .limit = UINT64_MAX},
	    {.canon = DKIM_SIMPLE, .hash = DKIM_SHA1, .limit = UINT64_MAX},
	    {.canon = DKIM_RELAXED, .hash = DKIM_SHA1, .limit = UINT64_MAX},
	};
	assert_int_equal(dkim_body_hash("", 0, r, 4), 0);
	char out[64];
	b64(r[0].md, r[0].md_len, out);
	assert_string_equal(out,
	                    "frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=");
	b64(r[1].md, r[1].md_len, out);
	assert_string_equal(out,
	                    "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
	b64(r[2].md, r[2].md_len, out);
	assert_string_equal(out, "uoq1oCgLlTqpdDX/iUbLy7J1Wic=");
	b64(r[3].md, r[3].md_len, out);
	assert_string_equal(out, "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
	assert_int_equal(r[0].canon_len, 2);
	assert_int_equal(r[1].canon_len, 0);
}

/* The streaming hasher and the copy agree across buffer boundaries, for
 * every l= limit tried, on a big body mixing LF, CRLF, WSP runs and long
 * lines (spans larger than the sink buffer go to the digest directly). */
static void
test_body_hash_streaming(void **state)
{
	(void)state;
	size_t n = 600 * 1024;
	char *body = malloc(n);
	uint32_t x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		unsigned v = (x >> 16) % 100;
		body[i] = v < 3    ? '\n'
		          : v < 5  ? '\r'
		          : v < 15 ? ' '
		          : v < 18 ? '\t'
		                   : (char)('a' + v % 26);
	}
	memset(body + 1000, 'z', 200 * 1024); /* one huge line */
	memcpy(body + 300000, "\r\n\r\n\r\n", 6);
	uint64_t limits[] = {UINT64_MAX, 0, 1, 65535, 65536, 65537, 300001};
	for (int c = DKIM_SIMPLE; c <= DKIM_RELAXED; c++)
		for (size_t k = 0; k < sizeof(limits) / sizeof(*limits); k++) {
			arena_reset(A);
			struct str cs =
			    dkim_body_canon(A, body, n, c, limits[k]);
			unsigned char md[32];
			unsigned int ml;
			EVP_Digest(cs.p, cs.n, md, &ml, EVP_sha256(), NULL);
			struct dkim_bodyhash r = {.canon = c,
			                          .hash = DKIM_SHA256,
			                          .limit = limits[k]};
			assert_int_equal(dkim_body_hash(body, n, &r, 1), 0);
			assert_int_equal(r.hashed_len, cs.n);
			assert_memory_equal(r.md, md, 32);
		}
	/* CRLF-only body under simple: the input minus trailing CRLFs */
	for (size_t i = 0; i < n; i++)
		if (body[i] == '\n' || body[i] == '\r')
			body[i] = 'x';
	for (size_t i = 100; i + 1 < n; i += 77) {
		body[i] = '\r';
		body[i + 1] = '\n';
	}
	struct str cs = dkim_body_canon(A, body, n, DKIM_SIMPLE, UINT64_MAX);
	assert_true(cs.n <= n + 2);
	free(body);
}

static void
test_header_canon(void **state)
{
	(void)state;
	/* RFC 6376 §3.4.5 */
	struct msg m;
	from_string(&m, "A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n", false, 0);
	assert_int_equal(m.hb.n, 2);
	struct str r0 = dkim_header_canon(A, &m.hb.v[0], DKIM_RELAXED);
	struct str r1 = dkim_header_canon(A, &m.hb.v[1], DKIM_RELAXED);
	assert_true(str_eq(r0, STR_LIT("a:X\r\n")));
	assert_true(str_eq(r1, STR_LIT("b:Y Z\r\n")));
	struct str s1 = dkim_header_canon(A, &m.hb.v[1], DKIM_SIMPLE);
	assert_true(str_eq(s1, STR_LIT("B : Y\t\r\n\tZ  \r\n")));
	free(m.buf);
	/* bare LF in simple becomes CRLF; a missing final line end too */
	from_string(&m, "S: a\n b", false, 0);
	struct str s = dkim_header_canon(A, &m.hb.v[0], DKIM_SIMPLE);
	assert_true(str_eq(s, STR_LIT("S: a\r\n b\r\n")));
	free(m.buf);
}

static void
test_fixture_relaxed(void **state)
{
	(void)state;
	struct msg m;
	load(&m, "rsa-relaxed.eml");
	assert_int_equal(m.res.n, 1);
	struct dkim_sig *s = &m.res.v[0];
	assert_int_equal(s->problems, 0);
	assert_int_equal(s->alg, DKIM_ALG_RSA_SHA256);
	assert_int_equal(s->hcanon, DKIM_RELAXED);
	assert_int_equal(s->bcanon, DKIM_RELAXED);
	assert_true(str_eq(s->d, STR_LIT("example.com")));
	assert_int_equal(s->bh_verdict, DKIM_BH_MATCH);
	assert_true(s->from_signed);
	assert_int_equal(s->nnames, 5);
	assert_int_equal(s->n_oversigned, 0);
	assert_true(str_ieq(m.hb.v[s->signed_idx[0]].name, "from"));
	assert_true(verify_b(&m, s, "rsa-test.pub.pem"));
	assert_int_equal(F.n, 0);
	free(m.buf);
}

static void
test_fixture_simple_crlf_and_lf(void **state)
{
	(void)state;
	struct msg m;
	load(&m, "rsa-simple.eml");
	assert_int_equal(m.res.v[0].bh_verdict, DKIM_BH_MATCH);
	assert_true(verify_b(&m, &m.res.v[0], "rsa-test.pub.pem"));
	free(m.buf);
	load(&m, "rsa-simple-lf.eml");
	assert_int_equal(m.hb.crlf, 0);
	assert_int_equal(m.res.v[0].bh_verdict, DKIM_BH_MATCH);
	assert_true(verify_b(&m, &m.res.v[0], "rsa-test.pub.pem"));
	free(m.buf);
}

static void
test_fixture_ed25519(void **state)
{
	(void)state;
	struct msg m;
	load(&m, "ed25519-relaxed.eml");
	struct dkim_sig *s = &m.res.v[0];
	assert_int_equal(s->alg, DKIM_ALG_ED25519_SHA256);
	assert_int_equal(s->sig_len, 64);
	assert_int_equal(s->bh_verdict, DKIM_BH_MATCH);
	assert_true(verify_b(&m, s, "ed25519-test.pub.pem"));
	free(m.buf);
}

static void
test_fixture_oversigned(void **state)
{
	(void)state;
	struct msg m;
	load(&m, "rsa-oversigned.eml");
	struct dkim_sig *s = &m.res.v[0];
	assert_int_equal(s->problems, 0);
	assert_int_equal(s->nnames, 8);
	assert_int_equal(s->n_oversigned, 3); /* from, subject, reply-to */
	assert_int_equal(s->signed_idx[5], -1);
	assert_true(s->from_signed);
	assert_true(str_eq(s->auid_domain, STR_LIT("mail.example.com")));
	assert_int_equal(s->bh_verdict, DKIM_BH_MATCH);
	assert_true(verify_b(&m, s, "rsa-test.pub.pem"));
	free(m.buf);
}

static void
test_fixture_sha1_length(void **state)
{
	(void)state;
	struct msg m;
	load(&m, "rsa-sha1-length.eml");
	struct dkim_sig *s = &m.res.v[0];
	assert_int_equal(s->alg, DKIM_ALG_RSA_SHA1);
	assert_true(s->has_l);
	assert_int_equal(s->bh_verdict, DKIM_BH_MATCH);
	assert_int_equal(s->body_hashed_len, s->body_canon_len);
	assert_true(verify_b(&m, s, "rsa-test.pub.pem"));
	assert_true(has("auth.dkim-sha1"));
	assert_true(has("auth.dkim-length-limit"));
	free(m.buf);
	/* content appended after signing: still matches, l= shows it */
	load(&m, "rsa-sha1-length-appended.eml");
	s = &m.res.v[0];
	assert_int_equal(s->bh_verdict, DKIM_BH_MATCH);
	assert_true(s->body_hashed_len < s->body_canon_len);
	assert_true(has("auth.dkim-length-limit"));
	free(m.buf);
}

static void
test_fixture_modified(void **state)
{
	(void)state;
	struct msg m;
	load(&m, "rsa-relaxed-body-modified.eml");
	assert_int_equal(m.res.v[0].bh_verdict, DKIM_BH_MISMATCH);
	assert_true(has("auth.dkim-body-modified"));
	free(m.buf);
	load(&m, "rsa-relaxed-subject-modified.eml");
	assert_int_equal(m.res.v[0].bh_verdict, DKIM_BH_MATCH);
	assert_false(has("auth.dkim-body-modified"));
	assert_false(verify_b(&m, &m.res.v[0], "rsa-test.pub.pem"));
	free(m.buf);
}

#define SIG_HDR "DKIM-Signature: "
#define BODY "From: a@example.com\r\nSubject: s\r\n\r\nhi\r\n"
#define GOOD_BH "bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; "

static struct dkim_sig *
one(struct msg *m, const char *sig, int64_t arrival)
{
	char buf[2048];
	snprintf(buf, sizeof(buf), "%s%s\r\n%s", SIG_HDR, sig, BODY);
	from_string(m, buf, true, arrival);
	assert_int_equal(m->res.n, 1);
	return &m->res.v[0];
}

static void
test_validation(void **state)
{
	(void)state;
	struct msg m;
	struct dkim_sig *s;

	s = one(&m, "v=1; a=rsa-sha256; d=example.com; s=x; h=from; b=YWJj", 0);
	assert_true(s->problems & DKIM_P_MISSING);
	assert_string_equal(s->why, "missing required tag bh=");
	assert_int_equal(s->bh_verdict, DKIM_BH_UNVERIFIABLE);
	assert_true(has("auth.dkim-malformed"));
	free(m.buf);

	s = one(&m,
	        "v=1; a=rsa-sha256; d=example.com; s=x; h=from; b=YW!j; "
	        "bh=YWJ=j",
	        0);
	assert_true(s->problems & DKIM_P_B64_B);
	assert_true(s->problems & DKIM_P_B64_BH);
	assert_int_equal(s->bh_verdict, DKIM_BH_UNVERIFIABLE);
	free(m.buf);

	/* bh= of the wrong length for the hash */
	s = one(&m,
	        "v=1; a=rsa-sha1; d=example.com; s=x; h=from; b=YWJj; " GOOD_BH,
	        0);
	assert_true(s->problems & DKIM_P_B64_BH);
	free(m.buf);

	s = one(&m,
	        "v=1; a=rsa-sha256; d=example.com; s=x; h=from; b=YWJj; "
	        "i=u@example.net; " GOOD_BH,
	        0);
	assert_true(s->problems & DKIM_P_AUID);
	free(m.buf);
	/* QP-encoded i= under d= */
	s = one(&m,
	        "v=1; a=rsa-sha256; d=example.com; s=x; h=from; b=YWJj; "
	        "i=u@sub=2Eexample.com; " GOOD_BH,
	        0);
	assert_false(s->problems & DKIM_P_AUID);
	assert_true(str_eq(s->auid_domain, STR_LIT("sub.example.com")));
	free(m.buf);

	s = one(&m,
	        "v=1; a=rsa-sha256; d=example.com; s=x; h=from; b=YWJj; "
	        "t=200; x=100; " GOOD_BH,
	        0);
	assert_true(s->problems & DKIM_P_TIME);
	free(m.buf);

	s = one(&m,
	        "v=1; a=rsa-sha256; d=example.com; s=x; h=subject; b=YWJj; "
	        "c=relaxed; q=dns/txt; " GOOD_BH,
	        0);
	assert_int_equal(s->problems, DKIM_P_FROM);
	assert_int_equal(s->hcanon, DKIM_RELAXED);
	assert_int_equal(s->bcanon, DKIM_SIMPLE);
	assert_true(has("auth.dkim-from-unsigned"));
	assert_false(has("auth.dkim-malformed"));
	free(m.buf);

	s = one(&m,
	        "v=1; a=rsa-md5; d=example.com; s=x; h=from; b=YWJj; "
	        "c=fancy/relaxed; q=http; " GOOD_BH,
	        0);
	assert_true(s->problems & DKIM_P_ALG);
	assert_true(s->problems & DKIM_P_CANON);
	assert_true(s->problems & DKIM_P_QUERY);
	assert_int_equal(s->bh_verdict, DKIM_BH_UNVERIFIABLE);
	free(m.buf);

	s = one(&m,
	        "v=1; a=rsa-sha256; d=example.com; s=x; h=from; b=YWJj; "
	        "c=relaxed/relaxed; " GOOD_BH,
	        0);
	assert_int_equal(s->problems, 0);
	assert_int_equal(s->bh_verdict, DKIM_BH_MISMATCH); /* body is "hi" */
	assert_true(has("auth.dkim-body-modified"));
	free(m.buf);

	/* tag syntax error */
	s = one(&m,
	        "v=1; a=rsa-sha256; d=example.com; s=x; h=from; b; " GOOD_BH,
	        0);
	assert_true(s->problems & DKIM_P_TAGS);
	free(m.buf);
}

static void
test_expiry(void **state)
{
	(void)state;
	struct msg m;
	struct dkim_sig *s;
	const char *sig = "v=1; a=rsa-sha256; d=example.com; s=x; h=from; "
	                  "b=YWJj; t=1000; x=2000; " GOOD_BH;
	s = one(&m, sig, 1500);
	assert_int_equal(s->t, 1000);
	assert_int_equal(s->x, 2000);
	assert_false(has("auth.dkim-expired"));
	free(m.buf);
	one(&m, sig, 2001);
	assert_true(has("auth.dkim-expired"));
	free(m.buf);
	one(&m, sig, 0); /* no arrival time: not judged */
	assert_false(has("auth.dkim-expired"));
	free(m.buf);
}

/* b= emptied in the header-hash input, whatever white space and folding
 * surround its value; the tag after it is kept. */
static void
test_header_hash_input_b_removed(void **state)
{
	(void)state;
	struct msg m;
	struct dkim_sig *s =
	    one(&m,
	        "v=1; a=rsa-sha256; b= YW\r\n Jj \r\n ; "
	        "d=example.com; s=x; h=from:subject:from; " GOOD_BH,
	        0);
	assert_int_equal(s->problems, 0);
	struct str in = dkim_header_hash_input(A, &m.hb, s);
	const char *want = "From: a@example.com\r\nSubject: s\r\n"
	                   "DKIM-Signature: v=1; a=rsa-sha256; b=; "
	                   "d=example.com; s=x; h=from:subject:from; " GOOD_BH;
	size_t wl = strlen(want); /* simple: the final space is kept */
	if (in.n != wl || memcmp(in.p, want, wl) != 0)
		fail_msg("got [%.*s]", (int)in.n, in.p);
	free(m.buf);
}

static void
test_hostile_h(void **state)
{
	(void)state;
	/* far more h= names than DKIM_H_MAX, many fields: bounded work */
	size_t nf = 5000;
	size_t cap = nf * 16 + 64 * 1024;
	char *buf = malloc(cap);
	size_t o = 0;
	o +=
	    (size_t)sprintf(buf + o, "DKIM-Signature: v=1; a=rsa-sha256; "
	                             "d=e.com; s=x; b=YWJj; " GOOD_BH "h=from");
	for (int i = 0; i < 5000; i++)
		o += (size_t)sprintf(buf + o, ":x");
	o += (size_t)sprintf(buf + o, "\r\n");
	for (size_t i = 0; i < nf; i++)
		o += (size_t)sprintf(buf + o, "X: %zu\r\n", i);
	o += (size_t)sprintf(buf + o, "\r\nbody\r\n");
	struct msg m = {.buf = buf, .len = o};
	analyse_buf(&m, true, 0);
	assert_int_equal(m.res.n, 1);
	assert_true(m.res.v[0].problems & DKIM_P_H_TOO_LONG);
	assert_int_equal(m.res.v[0].nnames, DKIM_H_MAX);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lazy_crypto),
	    cmocka_unit_test(test_body_canon),
	    cmocka_unit_test(test_body_hash_known),
	    cmocka_unit_test(test_body_hash_streaming),
	    cmocka_unit_test(test_header_canon),
	    cmocka_unit_test(test_fixture_relaxed),
	    cmocka_unit_test(test_fixture_simple_crlf_and_lf),
	    cmocka_unit_test(test_fixture_ed25519),
	    cmocka_unit_test(test_fixture_oversigned),
	    cmocka_unit_test(test_fixture_sha1_length),
	    cmocka_unit_test(test_fixture_modified),
	    cmocka_unit_test(test_validation),
	    cmocka_unit_test(test_expiry),
	    cmocka_unit_test(test_header_hash_input_b_removed),
	    cmocka_unit_test(test_hostile_h),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
