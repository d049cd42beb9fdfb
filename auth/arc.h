/*
 * arc.h: ARC header sets and their structure (RFC 8617).
 *
 * NAME
 *	arc_parse_seal, arc_parse_ams - read the tag list of one ARC-Seal
 *	or ARC-Message-Signature
 *	arc_chain_add, arc_chain_validate, arc_collect - group ARC-
 *	Authentication-Results, ARC-Message-Signature and ARC-Seal fields
 *	into sets by i= and judge the chain from its structure
 * DESCRIPTION
 *	Structure only: the signatures (b=, bh=) are not verified here.
 *	arc_chain_validate() applies the checks RFC 8617 §5.1.1 and §5.2
 *	make from the header fields alone:
 *	  - every ARC field has an instance i= in 1..ARC_MAX_INSTANCE
 *	    (the AAR as its leading "i=N;");
 *	  - at most one field of each kind per instance;
 *	  - instances 1..N are all present and each set is complete;
 *	  - the seal tag lists parse (RFC 6376 §3.2) and carry their
 *	    required tags; ARC-Seal has no h= (§4.1.3);
 *	  - cv= of i=1 is "none", of every later instance "pass";
 *	  - any cv=fail fails the chain (§5.2 step 2).
 *	The verdict is ARC_NONE (no ARC field), ARC_PASS (structure
 *	intact, signatures still to check), ARC_FAIL (a sealer recorded
 *	cv=fail) or ARC_STRUCTURE_FAIL, with a reason.
 * STANDARDS
 *	RFC 8617 §4.1, §4.2.1, §5.1.1, §5.2; RFC 6376 §3.2.
 */
#ifndef AUTH_ARC_H
#define AUTH_ARC_H

#include <stdbool.h>
#include <stddef.h>

#include "auth/authres.h"
#include "auth/tags.h"
#include "parse/arena.h"
#include "parse/finding.h"
#include "parse/header.h"
#include "parse/str.h"

/* RFC 8617 §4.2.1: "The maximum number of ARC Sets is 50." */
#define ARC_MAX_INSTANCE 50
/* Three fields per set at the maximum; past this many ARC fields the
 * rest are not read and the chain fails (finding arc.truncated). */
#define ARC_MAX_FIELDS (3 * ARC_MAX_INSTANCE + 30)

enum arc_cv {
	ARC_CV_MISSING = 0, /* no cv= tag, or an unknown value */
	ARC_CV_NONE,
	ARC_CV_PASS,
	ARC_CV_FAIL,
};

/* One ARC-Seal or ARC-Message-Signature. Strings borrow from the value. */
struct arc_sig {
	struct str value;     /* the field value as given */
	struct tag_list tags; /* arena-owned array */
	int tags_status;      /* tags_parse() result; TAGS_OK when valid */
	long instance;        /* i=, or -1 when absent or not 1..99999 */
	enum arc_cv cv;       /* ARC-Seal only */
	const char *missing;  /* first required tag absent or empty, or
	                         NULL ("b", "bh", ...; static) */
	int header;           /* field index, -1 if unknown */
};

/* Parse an ARC-Seal value (tags i a b d s cv [t]; no h=). Returns the
 * tags_parse() status; out is filled as far as it could be. */
int arc_parse_seal(struct str value, struct arena *a, struct arc_sig *out);
/* Parse an ARC-Message-Signature value (tags i a b bh d h s [c t]). */
int arc_parse_ams(struct str value, struct arena *a, struct arc_sig *out);

/* One set: the fields that share an instance. NULL when absent. */
struct arc_set {
	struct arc_sig *as, *ams;
	struct authres *aar; /* parsed relaxed, AUTHRES_F_ARC */
	int aar_header;
};

enum arc_result {
	ARC_NONE = 0,
	ARC_PASS,           /* structure valid; signatures not verified */
	ARC_FAIL,           /* cv=fail recorded in the chain */
	ARC_STRUCTURE_FAIL, /* broken structure: see reason */
};

enum arc_kind {
	ARC_KIND_AAR,
	ARC_KIND_AMS,
	ARC_KIND_AS,
};

struct arc_chain {
	struct arena *arena;
	struct arc_set sets[ARC_MAX_INSTANCE + 1]; /* by i; [0] unused */
	size_t nfields;                            /* ARC fields seen */
	long max_instance; /* highest valid i= seen (0: none) */
	enum arc_result result;
	const char *reason; /* static or arena-owned text */
	bool broken;        /* a structural problem found while adding */
	bool truncated;     /* more than ARC_MAX_FIELDS */
};

void arc_chain_init(struct arc_chain *c, struct arena *a);

/* Add one field of kind k (its value, folding allowed; header index for
 * findings). The first structural problem met is kept as the reason. */
void arc_chain_add(struct arc_chain *c, enum arc_kind k, struct str value,
                   int header);

/* Judge the chain (see DESCRIPTION); sets c->result and c->reason. f may
 * be NULL; otherwise ARC_FAIL and ARC_STRUCTURE_FAIL add arc.chain-fail
 * or arc.structure (error), and a hit bound arc.truncated (warning). */
enum arc_result arc_chain_validate(struct arc_chain *c, struct findings *f);
/* The reason of ARC_NONE. */
#define ARC_NONE_REASON "no ARC header fields"

/* The kind of an ARC field name, or -1. */
int arc_kind(struct str name);
/* Does the block hold an ARC field? */
bool arc_any(const struct header_block *hb);

/* Add every ARC field of hb, in order, then validate. */
enum arc_result arc_collect(const struct header_block *hb, struct arena *a,
                            struct findings *f, struct arc_chain *out);

/* "none", "pass", "fail", "structure-fail". */
const char *arc_result_name(enum arc_result r);

#endif
