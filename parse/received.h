/*
 * received.h: parse one Received field value (RFC 5321 §4.4, RFC 5322
 * §3.6.7) into its clauses, as the MTAs actually write them.
 *
 * NAME
 *	received_parse - tokenize a Received value into from/by/via/with/
 *	id/for clauses, TCP-info comments, authentication and TLS evidence,
 *	and the date
 * DESCRIPTION
 *	The parser never fails: a value it cannot understand comes back with
 *	parsed == false, its raw bytes kept, and a finding rcvd.unparsed.
 *	Strings point into the value (borrowed) or into the arena.
 * STANDARDS
 *	RFC 5321 §4.4 (Received), RFC 3848 (ESMTPA, ESMTPS, ESMTPSA, LMTP*),
 *	RFC 6531 (UTF8SMTP*), RFC 8314 (submission over TLS).
 */
#ifndef PARSE_RECEIVED_H
#define PARSE_RECEIVED_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "finding.h"
#include "str.h"

/* A Received value longer than this is not a real trace line (the
 * longest real ones carry a few hundred bytes of TLS and auth comments):
 * only its first RECEIVED_MAX_BYTES are parsed, finding rcvd.too-long. */
#define RECEIVED_MAX_BYTES (64 * 1024)
/* Comments nest (RFC 5322 §3.2.2); deeper nesting than this is hostile and
 * the rest of the comment is skipped flat (finding rcvd.comment-depth). */
#define RECEIVED_MAX_COMMENT_DEPTH 32

/* Flags derived from the `with` protocol and the comments. */
enum {
	RCV_F_SMTP = 1u << 0,  /* SMTP or ESMTP family */
	RCV_F_ESMTP = 1u << 1, /* extended SMTP (EHLO) */
	RCV_F_TLS = 1u << 2,   /* ESMTPS, STARTTLS, a stated cipher */
	RCV_F_AUTH = 1u << 3,  /* the client authenticated (ESMTPA...) */
	RCV_F_LMTP = 1u << 4,  /* LMTP: delivery to a mail store */
	RCV_F_UTF8 = 1u << 5,  /* UTF8SMTP / UTF8ESMTP (RFC 6531) */
	RCV_F_HTTP = 1u << 6,  /* webmail, HTTP(S) submission */
	RCV_F_IMAP = 1u << 7,  /* IMAP APPEND */
	RCV_F_LOCAL = 1u << 8, /* local pickup / sendmail -bm / uid */
	RCV_F_MAPI = 1u << 9,  /* Microsoft MAPI / Exchange internal */
	RCV_F_LMTP_DELIVERY = 1u << 10, /* reserved */
	RCV_F_POP = 1u << 11,           /* POP (fetchmail and the like) */
	RCV_F_IPV6 = 1u << 12,          /* the client IP is IPv6 */
	RCV_F_UNKNOWN_WITH = 1u << 13,  /* a `with` we do not know */
};

/* Names of the flags in bit order, for JSON and text. As a list of
 * X(name) too, so that the JSON report's table of them quoted, with
 * lengths known at compile time, is made from the same names. */
/* clang-format off */
#define RECEIVED_FLAG_NAMES(X)                                                 \
	X("smtp") X("esmtp") X("tls") X("auth") X("lmtp") X("utf8") X("http")  \
	X("imap") X("local") X("mapi") X("lmtp-delivery") X("pop") X("ipv6")   \
	X("unknown-with")
/* clang-format on */
extern const char *const received_flag_names[];
#define RECEIVED_NFLAGS 14

/* The MTAs a field's shape names (received.mta), as a list of X(id,
 * name): the JSON report's table of the names quoted, with lengths known
 * at compile time, is made from the same list. */
/* clang-format off */
#define RECEIVED_MTAS(X)                                                       \
	X(UNKNOWN, "unknown") X(VIRTUAL, "virtual") X(POSTFIX, "postfix")      \
	X(EXIM, "exim") X(QMAIL, "qmail") X(COMMUNIGATE, "communigate")        \
	X(ECELERITY, "ecelerity") X(HARAKA, "haraka") X(COURIER, "courier")   \
	X(MDAEMON, "mdaemon") X(INTERMAIL, "intermail") X(QPSMTPD, "qpsmtpd") \
	X(SUN_MESSAGING, "sun-messaging") X(MERCURY, "mercury")                \
	X(GMAIL, "gmail") X(ZIMBRA, "zimbra") X(DOVECOT, "dovecot")            \
	X(CYRUS, "cyrus") X(MAILENABLE, "mailenable") X(XMAIL, "xmail")        \
	X(SENDMAIL, "sendmail") X(SENDGRID, "sendgrid")                        \
	X(EXCHANGE, "exchange") X(MICROSOFT, "microsoft") X(YAHOO, "yahoo")    \
	X(AMAZONSES, "amazonses") X(GMX, "gmx")
/* clang-format on */
#define RECEIVED_MTA_ID(id, name) RCV_MTA_##id,
enum received_mta { RECEIVED_MTAS(RECEIVED_MTA_ID) RECEIVED_NMTAS };
#undef RECEIVED_MTA_ID
extern const char *const received_mta_names[RECEIVED_NMTAS];

struct received {
	struct str raw;   /* the value as given (folding kept) */
	bool parsed;      /* the clause structure was understood */
	bool handover;    /* a network handover between two hosts; false
	                     for qmail `invoked by uid`, Postfix `from userid`,
	                     local pickup and similar, which are not hops */
	struct str helo;  /* from-part: the name the client gave (HELO) */
	struct str rdns;  /* the reverse DNS name the server looked up */
	struct str ip;    /* client IP, normalised: no brackets, no "IPv6:"
	                     prefix; ::ffff:a.b.c.d kept as written in
	                     ip_raw and given as a.b.c.d here */
	struct str ident; /* RFC 1413 ident user, if stated */
	struct str by;    /* the receiving host */
	struct str via;
	struct str with;          /* protocol as written (e.g. "ESMTPSA") */
	unsigned flags;           /* RCV_F_* */
	struct str tls_version;   /* e.g. "TLSv1.3", empty when not stated */
	struct str tls_cipher;    /* e.g. "TLS_AES_256_GCM_SHA384" */
	struct str auth;          /* authenticated identity or marker, e.g. the
	                             user of Postfix's (Authenticated sender: x), or
	                             the `with` token ESMTPA when nothing more */
	struct str id;            /* queue id */
	struct str for_;          /* recipient of `for <x>` without brackets */
	struct str envelope_from; /* envelope sender if written (Exim,
	                             sendmail `(envelope-from <x>)`) */
	enum received_mta mta;    /* shape that matched: postfix, exim,
	                             sendmail, ..., unknown (0) */
	/* the date after the ';' */
	struct str date_raw;
	bool has_date;   /* date_raw parsed */
	int64_t time;    /* seconds since the epoch, UTC */
	int tz_offset;   /* minutes east of UTC as written */
	bool tz_missing; /* no zone was given (taken as UTC) */
};

/*
 * Parse value v of one Received field. hop and header are passed through
 * to the findings this adds (rcvd.unparsed, rcvd.no-date,
 * rcvd.bad-date, rcvd.too-long, rcvd.comment-depth, rcvd.unknown-with,
 * ...). Never fails; out is fully initialised.
 */
void received_parse(struct str v, struct arena *a, struct received *out,
                    struct findings *f, int hop, int header);

/*
 * Called once before any parse (compiles patterns, if any); idempotent.
 * received_fini releases them.
 */
void received_init(void);
void received_fini(void);

#endif
