/*
 * message.h: the one module that talks to GMime.
 *
 * GMime does what it is best at here: RFC 5322 dates, RFC 2047 encoded
 * words and address lists, and (for reports that must be unwrapped) MIME
 * structure. Nothing outside parse/message.c sees a GMime or GLib type.
 * The header block itself is split by header.c.
 */
#ifndef PARSE_MESSAGE_H
#define PARSE_MESSAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "finding.h"
#include "header.h"
#include "str.h"

/* Once per process, before anything below. GMime is set up when a
 * message first needs it (and first loaded, in a GMIME_LINK=dlopen
 * build); error (which must not return: it exits) is called if it cannot
 * be loaded, with the reason (NULL: abort). fini releases GMime if it was
 * set up. */
void message_lib_init(void (*error)(const char *why));
void message_lib_fini(void);
/* GMime's version and how it comes into the process, for --version:
 * "GMime 3.2.13, linked in", or the shared object loaded when first
 * needed. */
const char *message_lib_linkage(void);
/* Before worker threads start (in the main thread): set GMime up now
 * (loading it in a dlopen build), and what GMime and GLib set up lazily
 * in the first thread that uses them. Exits through the error handler
 * when GMime cannot be loaded. */
void message_lib_threads(void);

struct date {
	bool ok;         /* parsed */
	int64_t utc;     /* seconds since the epoch */
	int tz_offset;   /* minutes east of UTC, as written */
	bool tz_missing; /* no zone given: taken as UTC (GMime's choice) */
};

/* Days from 1970-01-01 to the proleptic Gregorian date y-m-d (m 1-12;
 * H. Hinnant's days_from_civil). */
int64_t message_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Parse an RFC 5322 date (obsolete forms and common deviations too: Go's
 * "+0000 UTC m=+0.1" suffix, a trailing "(CET)"). */
struct date message_date_parse(struct str s);
/* The common form "[Www, ]D Mmm YYYY HH:MM[:SS] +hhmm" alone, read in
 * place: true with *d as message_date_parse gives it, false for any
 * other text (message_date_parse then decides). */
bool message_date_common(struct str s, struct date *d);

/* Decode RFC 2047 encoded words (and 8-bit through utf-8 then latin-1)
 * into valid UTF-8 in the arena. Control characters are kept: report/
 * sanitises at output. */
struct str message_decode_text(struct arena *a, struct str raw);

/* The address (addr-spec) of the first mailbox in an address header, in
 * the arena; empty when none. */
struct str message_first_address(struct arena *a, struct str raw);

/* Domain part of an address (after the last '@'), borrowed; empty. */
struct str message_addr_domain(struct str addr);

/* The display fields of a message, decoded. */
struct message_info {
	struct str from, to, subject, date, message_id, return_path;
	struct str from_addr;   /* addr-spec of From */
	struct str from_domain; /* its domain, lower case */
	struct date date_parsed;
};

void message_info_fill(struct arena *a, const struct header_block *hb,
                       struct message_info *mi, struct findings *f);

#endif
