/*
 * header.h: split a raw message into its header fields and body.
 *
 * We split the header block ourselves rather than asking GMime: it is
 * several times faster, keeps every byte (GMime drops fields whose name it
 * rejects and moves Content-* to the MIME part), and gives DKIM the exact
 * bytes it signs. GMime decodes the few values we display (message.h).
 *
 * Tolerated: CRLF, LF and mixed line ends; a headers-only paste with no
 * blank line and no body; a leading mbox "From " line (skipped); a line
 * that is neither a field nor a continuation (kept as a continuation of
 * the previous field, finding hdr.invalid-line). NUL and 8-bit bytes are
 * kept and counted (hdr.nul-byte, hdr.8bit).
 */
#ifndef PARSE_HEADER_H
#define PARSE_HEADER_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "finding.h"
#include "str.h"

/* More header fields than this is an attack, not a message: the rest of
 * the block is kept unsplit as the last field's value (hdr.too-many). Set
 * above the 100,000 Received lines of the hostile-input suite. */
#define HEADERS_MAX 250000

/* RFC 5322 §2.1.1: lines are at most 998 bytes; longer ones are reported
 * (hdr.line-too-long) but kept whole. */
#define HEADER_LINE_MAX 998

/* The names the analysis asks about, classified once by headers_split
 * (in any case, as NAME_IS compares): the passes over every field of
 * every message (path, evidence, attribution, message info) switch on
 * this rather than comparing names. HK_OTHER is every other name. */
enum header_kind {
	HK_OTHER,
	HK_RECEIVED,
	HK_FROM,
	HK_TO,
	HK_DATE,
	HK_SUBJECT,
	HK_MESSAGE_ID,
	HK_RETURN_PATH, /* it and the kinds after it: the trace chain */
	HK_SENDER,
	HK_PRECEDENCE,
	HK_DELIVERED_TO,
	HK_X_ORIGINAL_TO,
	HK_X_FORWARDED_TO,
	HK_X_FORWARDED_FOR,
	HK_RESENT, /* Resent-* */
	HK_LIST_ID,
	HK_LIST_POST,
	HK_LIST_OTHER, /* List-* but the two above */
	HK_X_BEENTHERE,
	HK_X_MAILMAN_VERSION,
	HK_X_ORIGINATING_IP,
	HK_X_YAHOO_POST_IP,
	HK_X_SENDERIP,
	HK_X_SENDER_IP,
	HK_RECEIVED_SPF,
	HK_DKIM_SIGNATURE,
	HK_ARC_SEAL,
	HK_ARC_MESSAGE_SIGNATURE,
	HK_ARC_AUTHENTICATION_RESULTS,
	HK_AUTHENTICATION_RESULTS,
	HK_AUTHENTICATION_RESULTS_ORIGINAL,
	HK_X_ORIGINAL_AUTHENTICATION_RESULTS,
	HK_X_MS_EXCHANGE_AUTHENTICATION_RESULTS,
	HK_N
};

struct header {
	struct str name;    /* as written, without trailing blanks */
	struct str value;   /* after the colon to the end of the field, folding
	                       kept, final line end excluded */
	struct str raw;     /* the whole field as in the input, final line end
	                       included (DKIM hashes these bytes) */
	size_t offset;      /* of the field in the message buffer */
	unsigned char kind; /* enum header_kind of name */
	int next; /* the next field of its chain (header_block's received
	             or trace), -1 at the end and for fields in neither */
};

struct header_block {
	struct header *v;
	size_t n;
	size_t start;        /* offset of the first field (after a From_) */
	size_t body;         /* offset of the body; == length when none */
	bool has_separator;  /* a blank line ended the header block */
	size_t crlf, lf;     /* line-end census of the header block */
	struct str envelope; /* the mbox "From " line, if any (no EOL) */
	/* Found as the fields are split, so that the passes over the block
	 * visit only the fields they read (each pass over all of them cost
	 * about 10 instructions a field): */
	int first[HK_N]; /* index of the first field of each kind, or -1
	                    (-1 for HK_OTHER and HK_RECEIVED: unused) */
	int received;    /* the first Received field (chained by next) */
	int trace;       /* the first field of a kind >= HK_RETURN_PATH */
};

/* Split buf[0..len). Fields point into buf (borrowed). Never fails; an
 * input with no field at all gives n == 0. */
void headers_split(const char *buf, size_t len, struct arena *a,
                   struct header_block *hb, struct findings *f);

/* The kind of a field name, as headers_split gives each field's: for
 * names from elsewhere (arc_kind, authres_kind). */
enum header_kind header_name_kind(struct str name);

/* v trimmed as str_trim trims it, the common field value (one space
 * after the colon, none at the end) inline: str_trim's own fast test
 * fails on it and called str_trim_slow for every value (header_unfold,
 * message_decode_text, message_first_address: 115.14 M -> 114.69 M
 * instructions on c8). */
static inline struct str
header_trim(struct str v)
{
	if (v.n >= 2 && v.p[0] == ' ' && (unsigned char)v.p[1] > ' ' &&
	    (unsigned char)v.p[v.n - 1] > ' ')
		return str_make(v.p + 1, v.n - 1);
	return str_trim(v);
}

/* The value with folding removed (CR/LF before white space dropped) and
 * outer white space trimmed. Borrowed from the input when there was no
 * folding, arena-owned otherwise. */
struct str header_unfold(struct arena *a, struct str value);

#endif
