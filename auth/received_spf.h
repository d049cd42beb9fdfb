/*
 * received_spf.h: parse a Received-SPF field value (RFC 7208 §9.1).
 *
 * NAME
 *	received_spf_parse - split Received-SPF into result, comment and
 *	key=value pairs
 * DESCRIPTION
 *	header-field   = "Received-SPF:" [CFWS] result FWS [comment FWS]
 *	                 [ key-value-list ] CRLF
 *	key-value-list = key-value-pair *( ";" [CFWS] key-value-pair ) [";"]
 *	key-value-pair = key [CFWS] "=" ( dot-atom / quoted-string )
 *
 *	The well-known keys (client-ip, envelope-from, helo, receiver,
 *	identity, mechanism, problem) are also copied to named fields.
 *	Real writers differ from the grammar: Microsoft capitalises the
 *	result ("Pass") and adds keys of its own (pr=C); everyone writes
 *	IPv6 client-ip unquoted. Keys are matched ignoring case; a value is
 *	a quoted-string or the run of bytes up to blank, ';' or '('. A pair
 *	that cannot be read is skipped to the next ';' (status
 *	RECEIVED_SPF_PARTIAL). Linear; never reads past value.n.
 * STANDARDS
 *	RFC 7208 §9.1 (RFC 4408 §7 had the same field).
 */
#ifndef AUTH_RECEIVED_SPF_H
#define AUTH_RECEIVED_SPF_H

#include <stdbool.h>
#include <stddef.h>

#include "auth/authres.h"
#include "parse/arena.h"
#include "parse/finding.h"
#include "parse/str.h"

/* RFC 7208 defines 7 keys and writers add 1-3 of their own; past this
 * many pairs the rest are skipped (finding auth.rspf-truncated). */
#define RECEIVED_SPF_MAX_PAIRS 32
/* Real values are under 1 KiB; longer ones are cut here
 * (auth.rspf-truncated). */
#define RECEIVED_SPF_MAX_BYTES (16 * 1024)
/* Comment nesting is counted, not recursed; deeper than this is hostile
 * and reported (auth.rspf-truncated). */
#define RECEIVED_SPF_MAX_COMMENT_DEPTH 16

struct received_spf_pair {
	struct str key;   /* as written; borrowed */
	struct str value; /* unquoted; borrowed or arena-owned */
	bool quoted;
};

struct received_spf {
	struct str result;      /* as written ("pass", "Pass", ...) */
	enum authres_code code; /* result keyword, case-insensitive */
	struct str comment;     /* first comment without its outer
	                           parentheses; empty when none */
	struct str client_ip, envelope_from, helo, receiver, identity,
	    mechanism, problem;      /* STR_NULL when absent */
	struct received_spf_pair *v; /* arena-owned, in input order */
	size_t n;
	bool truncated; /* a RECEIVED_SPF_MAX_* bound was hit */
	size_t err_off; /* first unreadable byte (PARTIAL/ESYNTAX) */
};

enum received_spf_status {
	RECEIVED_SPF_OK = 0,       /* read whole */
	RECEIVED_SPF_PARTIAL = 1,  /* unknown result keyword, or pairs
	                              skipped as unreadable */
	RECEIVED_SPF_ESYNTAX = -1, /* no result keyword at all */
};

/* Parse value (after the colon; folding allowed) into out. Strings
 * borrow from value or live in a. f may be NULL; findings:
 * auth.rspf-syntax (warning) unless RECEIVED_SPF_OK, auth.rspf-truncated
 * (warning). Returns a received_spf_status. */
int received_spf_parse(struct str value, struct arena *a, struct findings *f,
                       int header, struct received_spf *out);

#endif
