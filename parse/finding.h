/*
 * finding.h: anomalies in the input, recorded as data.
 *
 * A finding is never an error: parsing goes on and keeps what it did not
 * understand. Each finding has a stable dotted id ("rcvd.chain-broken"),
 * written in JSON and documented in the man page (DIAGNOSTICS); ids are a
 * contract and are never renamed. Severity orders them for --fail-on.
 */
#ifndef PARSE_FINDING_H
#define PARSE_FINDING_H

#include <stdarg.h>
#include <stddef.h>

#include "arena.h"

enum severity {
	SEV_INFO = 0,    /* worth knowing, not suspicious */
	SEV_WARNING = 1, /* malformed or suspicious */
	SEV_ERROR = 2,   /* forged, broken or failing */
};

/* A message with 100,000 bad Received lines must not produce 100,000
 * findings: past this many, one "msg.findings-truncated" is added and the
 * rest are counted, not stored. */
#define FINDINGS_MAX 500

struct finding {
	const char *id; /* static string, e.g. "rcvd.unparsed" */
	enum severity sev;
	int hop;             /* hop index (chronological), or -1 */
	int header;          /* header index (0 = first in the block), or -1 */
	const char *message; /* arena-owned, may quote input bytes */
};

struct findings {
	struct arena *arena;
	struct finding *v;
	size_t n, cap;
	size_t dropped; /* findings past FINDINGS_MAX */
	enum severity worst;
	int any;
};

void findings_init(struct findings *f, struct arena *a);
/* Record a finding. The message is formatted into the arena. */
void findings_add(struct findings *f, const char *id, enum severity sev,
                  int hop, int header, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* The same with the message written already: a static or arena-owned
 * string, kept as it is (formatting "%s" would copy it again). */
void findings_add_text(struct findings *f, const char *id, enum severity sev,
                       int hop, int header, const char *msg);
/* Does the list hold id (e.g. to avoid adding it twice)? */
int findings_has(const struct findings *f, const char *id);

/* The severities' names in order, as a list of X(name) too: the JSON
 * report's table of them quoted is made from it. */
#define SEVERITY_NAMES(X) X("info") X("warning") X("error")
const char *severity_name(enum severity s);
/* Parse "info", "warning", "error"; -1 when unknown. */
int severity_parse(const char *s);

#endif
