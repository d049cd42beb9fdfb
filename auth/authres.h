/*
 * authres.h: parse Authentication-Results and its relatives.
 *
 * NAME
 *	authres_parse - tokenize an Authentication-Results value into the
 *	authserv-id, the version and the list of method results
 *	authres_kind - tell which AR-like field a header name is
 * DESCRIPTION
 *	authres-header = "Authentication-Results:" [CFWS] authserv-id
 *	        [ CFWS authres-version ] ( no-result / 1*resinfo ) [CFWS] CRLF
 *	resinfo    = [CFWS] ";" methodspec [ CFWS reasonspec ]
 *	             [ CFWS 1*propspec ]
 *	methodspec = [CFWS] method [CFWS] "=" [CFWS] result
 *	method     = Keyword [ [CFWS] "/" [CFWS] method-version ]
 *	reasonspec = "reason" [CFWS] "=" [CFWS] value
 *	propspec   = ptype [CFWS] "." [CFWS] property [CFWS] "=" pvalue
 *	pvalue     = [CFWS] ( value / [ [ local-part ] "@" ] domain-name )
 *
 *	Comments are skipped (nested, quoted-pairs honoured); quoted strings
 *	are unquoted. The same grammar serves ARC-Authentication-Results
 *	(a leading "i=N;" instance tag, RFC 8617 §4.1.1), Microsoft's
 *	X-MS-Exchange-Authentication-Results and the Authentication-Results-
 *	Original / X-Original-Authentication-Results copies made by
 *	forwarders and list servers.
 *
 *	One pass, linear in the value; nothing is read past value.n. The
 *	parser is strict by default: anything RFC 8601 does not allow is a
 *	syntax error. With AUTHRES_F_RELAXED it accepts the non-conforming
 *	shapes that real servers write (each one is a bit in out->lenient)
 *	and skips a resinfo it cannot read to the next ';'.
 *
 *	Strict mode also checks the result keyword of the methods whose
 *	results are registered (dkim, domainkeys, spf, dmarc, arc, iprev,
 *	auth), as written in the registry, lowercase; spf also takes the
 *	mixed-case RFC 4408 spellings ("Pass", "SoftFail"). Unregistered
 *	methods take any Keyword.
 * STANDARDS
 *	RFC 8601 (and the RFC 7601 forms it keeps), RFC 8616 §5 (UTF-8),
 *	RFC 8617 §4.1.1 (ARC-Authentication-Results), RFC 4408 §2.5.
 */
#ifndef AUTH_AUTHRES_H
#define AUTH_AUTHRES_H

#include <stdbool.h>
#include <stddef.h>

#include "parse/arena.h"
#include "parse/finding.h"
#include "parse/header.h"
#include "parse/str.h"

/* Real headers carry fewer than ten results (Gmail 4-5, Microsoft 4-6,
 * Fastmail up to 8); more than this is hostile: the rest are parsed for
 * syntax but not kept (finding auth.authres-truncated). */
#define AUTHRES_MAX_RESULTS 64
/* A result rarely has more than 5 properties (BIMI has 5-6): the rest
 * are dropped (auth.authres-truncated). */
#define AUTHRES_MAX_PROPS 32
/* RFC 5322 §3.2.2 comments nest; real ones nest at most 2 deep. Deeper
 * nesting is counted, never recursed, but reported as hostile
 * (auth.authres-truncated). */
#define AUTHRES_MAX_COMMENT_DEPTH 16
/* The longest real AR values (Microsoft, with ARC) stay under 4 KiB;
 * only the first AUTHRES_MAX_BYTES of a longer one are parsed, and the
 * result cut by the limit is dropped (auth.authres-truncated). */
#define AUTHRES_MAX_BYTES (64 * 1024)

/* Options for authres_parse(). */
enum {
	AUTHRES_F_RELAXED = 1u << 0, /* accept the AUTHRES_L_* leniencies */
	AUTHRES_F_INTL = 1u << 1,    /* RFC 8616: UTF-8 in quoted strings,
	                              comments and pvalue addresses/domains */
	AUTHRES_F_ARC = 1u << 2,     /* value starts with "i=N;" (AAR) */
};

/* Leniencies, recorded in struct authres.lenient; each one is a syntax
 * error in strict mode. */
enum {
	AUTHRES_L_NO_AUTHSERV_ID = 1u << 0, /* Outlook: "spf=pass ..." */
	AUTHRES_L_TRAILING_SEMI = 1u << 1,  /* "...; " or ";;" */
	AUTHRES_L_BARE_PROP = 1u << 2,      /* "action=none": no ptype */
	AUTHRES_L_VALUE_CHARS = 1u << 3,    /* unquoted '/', ':' in pvalue */
	AUTHRES_L_EMPTY_VALUE = 1u << 4,    /* "policy.x=" with no value */
	AUTHRES_L_RESULT = 1u << 5,  /* dkim=timeout, dmarc=bestguesspass */
	AUTHRES_L_8BIT = 1u << 6,    /* 8-bit bytes without AUTHRES_F_INTL
	                                or where RFC 8616 forbids them */
	AUTHRES_L_CTL = 1u << 7,     /* control bytes in comment/quote */
	AUTHRES_L_COMMENT = 1u << 8, /* unterminated comment/quote */
	AUTHRES_L_REASON_ORDER = 1u << 9, /* reason= after a property */
	AUTHRES_L_NONE_MIXED = 1u << 10,  /* "none" beside real results */
	AUTHRES_L_NO_INSTANCE = 1u << 11, /* AAR without a valid "i=N;" */
	AUTHRES_L_SKIPPED = 1u << 12,     /* a resinfo skipped as garbage */
};
#define AUTHRES_NLENIENT 13
/* Names of the leniency bits in bit order ("no-authserv-id", ...). */
extern const char *const authres_lenient_names[];

/* Result keywords (RFC 8601 §2.7), for callers that do not want to
 * compare strings; AUTHRES_R_OTHER for anything else (the text is in
 * result). */
enum authres_code {
	AUTHRES_R_OTHER = 0,
	AUTHRES_R_NONE,
	AUTHRES_R_PASS,
	AUTHRES_R_FAIL,
	AUTHRES_R_SOFTFAIL,
	AUTHRES_R_NEUTRAL,
	AUTHRES_R_POLICY,
	AUTHRES_R_TEMPERROR,
	AUTHRES_R_PERMERROR,
};

struct authres_prop {
	struct str ptype;    /* "smtp", "header", "body", "policy", ...;
	                        empty for a bare name=value (relaxed) */
	struct str property; /* "mailfrom", "d", "i", "b", "from", ... */
	struct str value;    /* unquoted; may be empty (relaxed) */
	bool quoted;         /* value was a quoted-string */
};

struct authres_result {
	struct str method;       /* "dkim", "spf", ... as written */
	unsigned method_version; /* 1 when absent */
	struct str result;       /* as written ("pass", "Pass", ...) */
	enum authres_code code;  /* result, case-insensitive */
	bool has_reason;
	struct str reason;          /* reasonspec, unquoted */
	struct authres_prop *props; /* arena-owned */
	size_t nprops;
};

struct authres {
	long instance; /* ARC i=; -1 when not AUTHRES_F_ARC or absent */
	struct str authserv_id;   /* unquoted; empty when absent (relaxed) */
	unsigned version;         /* authres-version, 1 when absent */
	bool none;                /* the no-result form "; none" */
	struct authres_result *v; /* arena-owned, in input order */
	size_t n;
	size_t nseen;     /* results seen, including those past the cap */
	unsigned lenient; /* AUTHRES_L_* bits used */
	bool truncated;   /* a bound was hit (see the AUTHRES_MAX_*) */
	size_t err_off;   /* on AUTHRES_ESYNTAX: offset in the value */
	const char *err;  /* on AUTHRES_ESYNTAX: static text */
};

enum authres_status {
	AUTHRES_OK = 0,       /* conforms to RFC 8601 */
	AUTHRES_RELAXED = 1,  /* parsed with leniencies (out->lenient) */
	AUTHRES_ESYNTAX = -1, /* rejected: out->err, out->err_off; out
	                         still holds the results read before */
};

/* Parse value (the field body after the colon, folding allowed) into
 * out. Strings in out borrow from value, or are arena-owned (unquoted
 * strings with escapes or folding); the arrays are arena-owned.
 * header is the field index given to findings (-1 if none); f may be
 * NULL. Findings: auth.authres-syntax (warning) on AUTHRES_ESYNTAX,
 * auth.authres-truncated (warning) when a bound is hit. Returns an
 * authres_status. */
int authres_parse(struct str value, unsigned flags, struct arena *a,
                  struct findings *f, int header, struct authres *out);

/* Field kinds that carry the Authentication-Results grammar. */
enum authres_kind {
	AUTHRES_KIND_NOT = -1,     /* not an AR-like field */
	AUTHRES_KIND_AR = 0,       /* Authentication-Results */
	AUTHRES_KIND_ARC = 1,      /* ARC-Authentication-Results */
	AUTHRES_KIND_MS = 2,       /* X-MS-Exchange-Authentication-Results */
	AUTHRES_KIND_ORIGINAL = 3, /* Authentication-Results-Original,
	                              X-Original-Authentication-Results */
};

/* Which kind of field name is (case-insensitive, outer blanks ignored). */
enum authres_kind authres_kind(struct str name);
/* The same for a field of header kind k (headers_split's). */
enum authres_kind authres_kind_of(enum header_kind k);
/* authres_parse_field for a field whose kind is known. */
int authres_parse_kind(enum authres_kind k, struct str value, unsigned flags,
                       struct arena *a, struct findings *f, int header,
                       struct authres *out);

/* authres_parse() with AUTHRES_F_ARC added for ARC-Authentication-Results.
 * Returns AUTHRES_ESYNTAX with out->err "not an Authentication-Results
 * field" when name is none of the kinds above. */
int authres_parse_field(struct str name, struct str value, unsigned flags,
                        struct arena *a, struct findings *f, int header,
                        struct authres *out);

/* First property ptype.property of r (case-insensitive), or NULL. */
const struct authres_prop *authres_prop(const struct authres_result *r,
                                        const char *ptype,
                                        const char *property);

/* "pass", "fail", ... for a code; "other" for AUTHRES_R_OTHER. */
const char *authres_code_name(enum authres_code c);

#endif
