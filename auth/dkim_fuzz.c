/*
 * dkim_fuzz.c: libFuzzer target over whole messages: split the header
 * block, parse every DKIM-Signature, compute and compare body hashes,
 * build each header-hash input, and cross-check the streaming hasher
 * against the copied canonical body. Seeds: testdata/fuzz/dkim/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "auth/dkim.h"
#include "parse/header.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct arena *A;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!A)
		A = arena_new();
	arena_reset(A);
	struct findings f;
	findings_init(&f, A);
	const char *buf = (const char *)data;
	struct header_block hb;
	headers_split(buf, size, A, &hb, &f);
	struct dkim_options opt = {
	    .body_hashes = true, .has_arrival = true, .arrival = 1700000000};
	struct dkim_result res;
	dkim_analyse(buf, size, &hb, A, &opt, &res, &f);
	for (size_t k = 0; k < res.n; k++) {
		struct dkim_sig *s = &res.v[k];
		struct str in = dkim_header_hash_input(A, &hb, s);
		if (s->hcanon != DKIM_CANON_UNKNOWN && !in.p)
			abort();
		for (size_t j = 0; j < s->nnames; j++)
			if (s->signed_idx[j] >= (int)hb.n)
				abort();
	}
	/* streaming hash == hash of the copied canonical body */
	const char *body = buf + hb.body;
	size_t blen = size - hb.body;
	for (int c = DKIM_SIMPLE; c <= DKIM_RELAXED; c++) {
		uint64_t lim = size % 3 == 0 ? UINT64_MAX : size / 3;
		struct dkim_bodyhash r = {.canon = (enum dkim_canon)c,
		                          .hash = DKIM_SHA256,
		                          .limit = lim};
		if (dkim_body_hash(body, blen, &r, 1) != 0)
			abort();
		struct str cs =
		    dkim_body_canon(A, body, blen, (enum dkim_canon)c, lim);
		unsigned char md[32];
		unsigned int ml = 0;
		EVP_Digest(cs.p, cs.n, md, &ml, EVP_sha256(), NULL);
		if (cs.n != r.hashed_len || memcmp(md, r.md, 32) != 0)
			abort();
		/* canonical bodies end in CRLF and never in CRLF CRLF */
		if (cs.n >= 4 && lim == UINT64_MAX &&
		    memcmp(cs.p + cs.n - 4, "\r\n\r\n", 4) == 0 &&
		    !(c == DKIM_SIMPLE && cs.n == 2))
			abort();
	}
	return 0;
}
