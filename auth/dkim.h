/*
 * dkim.h: offline DKIM analysis (RFC 6376, RFC 8301, RFC 8463).
 *
 * NAME
 *	dkim_sig_parse - parse and validate one DKIM-Signature field
 *	dkim_body_hash - canonicalize a body into one or more digests
 *	dkim_analyse - every DKIM-Signature of a message, with body hashes
 *	dkim_header_hash_input - the bytes a signature's b= signs
 * DESCRIPTION
 *	Everything here works without DNS: tag syntax and semantics (§3.5),
 *	which header fields a signature covers (§5.4), body canonicalization
 *	and the body hash compared with bh= (§3.4, §3.7), l=, t= and x=.
 *	Checking b= needs the key record and is left to the live verifier,
 *	which gets the exact header-hash input from dkim_header_hash_input().
 *
 *	Input is raw bytes as split by headers_split(). A bare LF is read as
 *	CRLF everywhere (canonicalization is defined on CRLF; LF-only files
 *	are common), a CR not followed by LF is an ordinary byte.
 *
 *	Crypto is initialised lazily: parsing never touches OpenSSL beyond
 *	the table-driven base64 decoder, and the SHA-1/SHA-256 methods are
 *	fetched once, on the first body hash (EVP_MD_fetch costs ~0.8 ms,
 *	more than parsing a small message).
 *
 *	Leniencies: a final body line with no line end is treated as if it
 *	had one, so relaxed canonicalization strips its trailing white space
 *	(dkimpy keeps one SP there; SMTP always ends DATA with CRLF, so the
 *	signer saw a line end). Pre-RFC signatures (v= missing or not 1) are
 *	reported malformed but still parsed and their body hash computed.
 * FINDINGS
 *	auth.dkim-malformed	warning	missing or invalid tag (first reason)
 *	auth.dkim-from-unsigned	error	h= does not list From (§5.4: MUST)
 *	auth.dkim-sha1		warning	a=rsa-sha1 (RFC 8301: MUST NOT)
 *	auth.dkim-length-limit	warning	l= set: content can be appended
 *	auth.dkim-expired	warning	x= before the arrival time
 *	auth.dkim-body-modified	error	computed body hash differs from bh=
 * STANDARDS
 *	RFC 6376 §3.4, §3.5, §3.7, §5.4, §6.1; RFC 8301 §3; RFC 8463.
 */
#ifndef AUTH_DKIM_H
#define AUTH_DKIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/tags.h"
#include "parse/arena.h"
#include "parse/finding.h"
#include "parse/header.h"
#include "parse/str.h"

/* The largest digest we compute (SHA-256). */
#define DKIM_MD_MAX 32

/* h= lists longer than this are not analysed entry by entry (finding
 * auth.dkim-malformed): real signers list under 100 names, and the
 * lookup is O(entries x fields). */
#define DKIM_H_MAX 512

enum dkim_alg {
	DKIM_ALG_UNKNOWN = 0,
	DKIM_ALG_RSA_SHA256,
	DKIM_ALG_RSA_SHA1,
	DKIM_ALG_ED25519_SHA256,
};

enum dkim_hash {
	DKIM_SHA256 = 0,
	DKIM_SHA1 = 1,
};

enum dkim_canon {
	DKIM_SIMPLE = 0,
	DKIM_RELAXED = 1,
	DKIM_CANON_UNKNOWN = 2,
};

enum dkim_bh_verdict {
	DKIM_BH_NOT_CHECKED = 0, /* body hashes were not requested */
	DKIM_BH_MATCH,
	DKIM_BH_MISMATCH,
	DKIM_BH_UNVERIFIABLE, /* bad or missing bh=, unknown a= or c= */
};

/* Problems found by dkim_sig_parse (bit set in dkim_sig.problems). Any of
 * them makes the signature unusable (PERMFAIL / permerror). */
enum dkim_problem {
	DKIM_P_TAGS = 1u << 0,        /* tag-list syntax (tags_status) */
	DKIM_P_MISSING = 1u << 1,     /* a required tag is absent */
	DKIM_P_VERSION = 1u << 2,     /* v= is not "1" */
	DKIM_P_ALG = 1u << 3,         /* a= unknown */
	DKIM_P_CANON = 1u << 4,       /* c= unknown */
	DKIM_P_B64_B = 1u << 5,       /* b= is not base64 */
	DKIM_P_B64_BH = 1u << 6,      /* bh= is not base64 or wrong length */
	DKIM_P_AUID = 1u << 7,        /* i= not d= or a subdomain of it */
	DKIM_P_TIME = 1u << 8,        /* t=/x= not numbers, or x <= t */
	DKIM_P_LENGTH = 1u << 9,      /* l= not a number */
	DKIM_P_QUERY = 1u << 10,      /* q= has no dns/txt */
	DKIM_P_FROM = 1u << 11,       /* h= does not list From */
	DKIM_P_DOMAIN = 1u << 12,     /* d= or s= empty / not a name */
	DKIM_P_H_TOO_LONG = 1u << 13, /* h= has more than DKIM_H_MAX names */
};

struct dkim_sig {
	int header;           /* index of the field in the header block */
	struct tag_list tags; /* every tag as written */
	int tags_status;      /* TAGS_OK or a tags_status < 0 */
	unsigned problems;    /* enum dkim_problem bits; 0 = well-formed */
	const char *why;      /* first problem, static text, or NULL */

	/* Tag values as written (outer FWS trimmed), STR_NULL when absent;
	 * b, bh and h with all FWS removed. */
	struct str v, a, b, bh, c, d, i, q, s, z, h;
	enum dkim_alg alg;
	enum dkim_hash hash;            /* of a= (SHA-256 when a= is unknown) */
	enum dkim_canon hcanon, bcanon; /* default simple/simple */
	struct str auid_domain;         /* domain of i= (QP-decoded), or d= */

	bool has_l, has_t, has_x;
	uint64_t l; /* saturates at UINT64_MAX */
	int64_t t, x;

	/* Decoded b= and bh= (arena-owned); *_ok when they decoded. */
	unsigned char *sig;
	size_t sig_len;
	bool b_ok;
	unsigned char bh_bin[DKIM_MD_MAX];
	size_t bh_len;
	bool bh_ok;

	/* h= analysis (§5.4.2): names[k] is the k-th entry, trimmed;
	 * signed_idx[k] the header field it covers (chosen bottom-up), or
	 * -1 when no instance is left: an over-signed name, which stops an
	 * attacker from adding that field without breaking the signature. */
	struct str *names;
	int *signed_idx;
	size_t nnames;
	size_t n_oversigned;
	bool from_signed; /* From is listed and present */

	/* Body hash (dkim_analyse with body hashes requested). */
	enum dkim_bh_verdict bh_verdict;
	unsigned char bh_computed[DKIM_MD_MAX];
	size_t bh_computed_len;
	uint64_t body_canon_len;  /* canonical body length */
	uint64_t body_hashed_len; /* bytes hashed (< canon_len with l=) */
};

/* Parse the DKIM-Signature at hb->v[idx]. Fills *sig (arrays in a);
 * problems become sig->problems/why; no finding is added here. */
void dkim_sig_parse(struct arena *a, const struct header_block *hb, size_t idx,
                    struct dkim_sig *sig);

/* One body hash: canonicalization, digest and l= limit in; digest and
 * lengths out. */
struct dkim_bodyhash {
	enum dkim_canon canon;
	enum dkim_hash hash;
	uint64_t limit; /* UINT64_MAX: the whole body */
	unsigned char md[DKIM_MD_MAX];
	size_t md_len;
	uint64_t canon_len;  /* canonical length of the whole body */
	uint64_t hashed_len; /* min(limit, canon_len) */
};

/* Compute r[0..n) over body[0..len): one pass per canonicalization, each
 * pass feeding every digest that uses it, in large chunks. Returns 0, or
 * -1 when OpenSSL failed (r[].md_len == 0 then) or a canon is unknown. */
int dkim_body_hash(const char *body, size_t len, struct dkim_bodyhash *r,
                   size_t n);

/* The canonical body itself (tests and --explain): arena-owned copy,
 * truncated at limit. */
struct str dkim_body_canon(struct arena *a, const char *body, size_t len,
                           enum dkim_canon c, uint64_t limit);

struct dkim_options {
	bool body_hashes; /* compute and compare body hashes */
	bool has_arrival; /* check x= against arrival */
	int64_t arrival;  /* unix seconds the message arrived */
};

struct dkim_result {
	struct dkim_sig *v; /* arena-owned, top of the message first */
	size_t n;
};

/* Parse every DKIM-Signature in hb (buf[0..len) is the message hb was
 * split from), compute body hashes when asked (one per distinct
 * canon/hash/l=), and add the findings listed above to f (may be NULL).
 * Crypto is touched only when a signature exists and body_hashes. */
void dkim_analyse(const char *buf, size_t len, const struct header_block *hb,
                  struct arena *a, const struct dkim_options *opt,
                  struct dkim_result *out, struct findings *f);

/* The header-hash input of sig (§3.7): each field sig->signed_idx names,
 * canonicalized with sig->hcanon and ended by CRLF, then the signature
 * field itself with the b= value (and the white space around it)
 * removed, canonicalized, without its final CRLF. The live verifier
 * hashes these bytes with sig->hash (Ed25519: SHA-256 then sign the
 * digest, RFC 8463). Arena-owned; STR_NULL when hcanon is unknown. */
struct str dkim_header_hash_input(struct arena *a,
                                  const struct header_block *hb,
                                  const struct dkim_sig *sig);

/* One field canonicalized (§3.4.1, §3.4.2), CRLF appended: for tests. */
struct str dkim_header_canon(struct arena *a, const struct header *h,
                             enum dkim_canon c);

const char *dkim_alg_name(enum dkim_alg a);
const char *dkim_canon_name(enum dkim_canon c);
const char *dkim_bh_verdict_name(enum dkim_bh_verdict v);

/* At start-up: libcrypto is loaded when a message first needs it; if it
 * cannot be, error(why) is called, and must not return (NULL: abort). */
void dkim_lib_init(void (*error)(const char *why));
/* Has libcrypto been loaded yet? (start-up cost tests) */
bool dkim_crypto_started(void);

#endif
