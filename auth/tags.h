/*
 * tags.h: the DKIM tag=value list (RFC 6376 §3.2), shared by
 * DKIM-Signature, ARC-Seal, ARC-Message-Signature and DKIM key records.
 *
 * NAME
 *	tags_parse - split a tag-list into (name, value) pairs
 *	tags_get - look a tag up by name
 * DESCRIPTION
 *	tag-list  = tag-spec *( ";" tag-spec ) [ ";" ]
 *	tag-spec  = [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
 *	tag-name  = ALPHA *ALNUMPUNC          (ALNUMPUNC = ALPHA / DIGIT / "_")
 *	tag-value = [ tval *( 1*(WSP / FWS) tval ) ]
 *	tval      = 1*VALCHAR                 (VALCHAR = %x21-3A / %x3C-7E)
 *
 *	The input may be the raw field value, folding included: CR and LF
 *	count as FWS. Tag names are case-sensitive (§3.2: "v=" is not "V=").
 *	Values are trimmed of outer FWS; inner FWS is kept as written, so
 *	b=, bh= and h= still carry their folding (use tags_value_nows() to
 *	drop it). Every string points into the input (borrowed): a value's
 *	offset in the input is value.p - input.p, which DKIM needs to blank
 *	b= when it hashes the signature field.
 *
 *	Leniencies (each still parses, the list records it in `lenient`):
 *	an empty tag-spec between two ';' (";;", seen from some signers) and
 *	8-bit bytes in a value (RFC 8616 allows UTF-8 in some tags).
 * STANDARDS
 *	RFC 6376 §3.2, RFC 8616 §4, RFC 8617 §4.1.
 */
#ifndef AUTH_TAGS_H
#define AUTH_TAGS_H

#include <stdbool.h>
#include <stddef.h>

#include "parse/arena.h"
#include "parse/str.h"

/* DKIM-Signature defines 16 tags and ARC-Seal 6; a list with more than
 * this many is hostile (or garbage) and is rejected with TAGS_ETOOMANY. */
#define TAGS_MAX 64

/* A tag list longer than this is not a signature (a 16 kbit RSA b= and a
 * long h= list together stay under 8 KiB): rejected with TAGS_ETOOLONG. */
#define TAGS_MAX_BYTES (64 * 1024)

struct tag {
	struct str name;  /* borrowed; never empty */
	struct str value; /* borrowed; outer FWS trimmed; may be empty */
};

struct tag_list {
	struct tag *v; /* arena-owned array, in input order */
	size_t n;
	bool lenient;    /* an empty tag-spec or an 8-bit value was accepted */
	bool empty_spec; /* of which: an empty tag-spec (";;"), which RFC 6376
	                  * does not allow; ARC treats it as an error */
	size_t err_off;  /* on error: offset in the input where it was seen */
};

/* Status of tags_parse(): 0 or a negative error. */
enum tags_status {
	TAGS_OK = 0,
	TAGS_ESYNTAX = -1,  /* no '=', or a character not allowed */
	TAGS_ENAME = -2,    /* tag-name does not match ALPHA *ALNUMPUNC */
	TAGS_EDUP = -3,     /* the same tag twice (§3.2: invalid) */
	TAGS_ETOOMANY = -4, /* more than TAGS_MAX tags */
	TAGS_ETOOLONG = -5, /* input longer than TAGS_MAX_BYTES */
};

/* Parse v into out. The array is allocated in a (arena-owned); strings
 * borrow from v. Returns TAGS_OK, or a tags_status < 0 with out->err_off
 * set; on error out->v/out->n hold the tags parsed before the error, so a
 * forensic report can still show them. Linear in v.n. */
int tags_parse(struct str v, struct arena *a, struct tag_list *out);

/* The value of tag name (case-sensitive). *present (may be NULL) tells an
 * absent tag from an empty one; an absent tag gives STR_NULL. */
struct str tags_get(const struct tag_list *l, const char *name, bool *present);

/* The value with every space, tab, CR and LF removed (for b=, bh=, h=):
 * borrowed when there was none, arena-owned otherwise. */
struct str tags_value_nows(struct arena *a, struct str value);

/* Static text for a tags_status ("duplicate tag", ...). */
const char *tags_strerror(int status);

#endif
