/*
 * path.h: the relay path, rebuilt from the Received fields.
 *
 * Received fields are prepended by each relay, so the bottom one is the
 * oldest: hops are numbered in chronological order (hop 0 = bottom).
 * Fields that are not a network handover (qmail "invoked by uid", Postfix
 * "from userid", local pickup) are kept in `local`, not in `v`.
 */
#ifndef TRACE_PATH_H
#define TRACE_PATH_H

#include <stdbool.h>
#include <stdint.h>

#include "parse/arena.h"
#include "parse/finding.h"
#include "parse/header.h"
#include "parse/received.h"

/* Mail loops are cut by MTAs at about 100 hops (RFC 5321 §6.3 suggests
 * 100); past this many Received fields the rest are counted, not parsed
 * (finding rcvd.too-many). */
#define PATH_MAX_HOPS 1000

/* A delay this negative is clock skew between two relays, not transit. */
#define PATH_SKEW_TOLERANCE_S (-60)

/* A hop's role label (hop.role): none (0), the entry role of the Actor
 * the hop brings the message into (the names of trace_role_names, in
 * their order), "internal" within an Actor, "forged" below the believed
 * hops. As a list of X(id, name), from which the JSON report's table of
 * them quoted is made. */
/* clang-format off */
#define HOP_ROLES(X)                                                           \
	X(AUTHOR, "Author") X(MSA, "MSA") X(RELAY, "Relay")                    \
	X(TRANSMITTER, "Transmitter") X(RECEIVER, "Receiver")                  \
	X(FORWARDER, "Forwarder") X(MEDIATOR, "Mediator") X(MDA, "MDA")        \
	X(RECIPIENT, "Recipient") X(INTERNAL, "internal") X(FORGED, "forged")
/* clang-format on */
#define HOP_ROLE_ID(id, name) HOP_ROLE_##id,
enum hop_role { HOP_ROLE_NONE, HOP_ROLES(HOP_ROLE_ID) HOP_NROLES };
#undef HOP_ROLE_ID

/* The label's name; NULL for none. */
const char *hop_role_name(enum hop_role r);

struct hop {
	int index;        /* chronological, 0 = oldest */
	int header_index; /* index of the Received field in the block */
	struct received r;
	bool has_delay;
	int64_t delay_s; /* signed, from the previous hop with a date */
	/* filled by trace/ (roles): */
	int actor;          /* index into the trace's actors, -1 when none */
	enum hop_role role; /* role label of the hop, none when none */
	bool trusted; /* the client is a recipient-side host (SpamAssassin) */
	bool is_virtual; /* synthesised (X-Originating-IP), no header */
};

struct path {
	struct hop *v; /* chronological */
	size_t n;
	struct hop *local; /* non-handover Received fields, chronological */
	size_t nlocal;
	size_t nreceived; /* Received fields in the message */
	bool has_total;
	int64_t total_s; /* first dated hop to last dated hop */
};

/* Parse every Received field of hb and build the path: chronological
 * order, delays, clock skew (rcvd.clock-skew) and continuity (the by-host
 * of one hop against the from-part of the next, rcvd.chain-broken). */
void path_build(const struct header_block *hb, struct arena *a, struct path *p,
                struct findings *f);

#endif
