/*
 * auth.h: offline authentication along the path: who checked what where
 * (SPF, DKIM, DMARC, ARC evidence), and where it breaks.
 *
 * NAME
 *	auth_analyze - attribute the trace headers to hops and Actors,
 *	analyse SPF, DKIM, DMARC and ARC without DNS, predict the breaks
 * DESCRIPTION
 *	Attribution (attribute.c): every trace header (Return-Path,
 *	Delivered-To, Authentication-Results and its kin, Received-SPF,
 *	ARC-*, DKIM-Signature, X-Forwarded-*) lies between two Received
 *	fields. The relay whose Received field is just below it added it
 *	(a milter inserts above its own Received), unless its id (authserv-
 *	id, Received-SPF client-ip / receiver, ARC or DKIM d=) names the
 *	relay just above it (Gmail writes its results below its Received).
 *	A results header counts as evidence only when the relay that added
 *	it belongs to the recipient side (the Receiver and the hops above
 *	it) or carries a configured --authserv-id; the others are claims.
 *	One that names a recipient-side host from below the trust boundary
 *	is forged (auth.untrusted-results).
 *
 *	Checkpoints (spf_offline.c): the hops where an Agent of another
 *	network receives the message: each Border crossing (into a Mediator
 *	too) and the hop out of a Forwarder. For each, the MAIL FROM it saw
 *	(SRS decoded), the client IP, the recorded SPF result.
 *
 *	DKIM (dkim_offline.c): every signature with its body hash recomputed
 *	from the raw bytes; verification of b= needs the key, so the offline
 *	result is "unknown", never "fail". DMARC (dmarc_offline.c):
 *	alignment of the SPF and DKIM identities with From. ARC
 *	(arc_offline.c): the sets, who sealed them, the chain state.
 *
 *	Breaks (breaks.c): at each checkpoint what the receiving Agent can
 *	verify, and at each Forwarder and Mediator what no longer verifies
 *	further down, with the reasons of the spec's table.
 * FINDINGS
 *	auth.untrusted-results	error	results header forged below the
 *					trust boundary
 *	auth.spf-breaks-at-forwarder	warning	re-sent without SRS
 *	auth.spf-unaligned	info	SPF passes only for a Forwarder's or
 *					Mediator's domain (SRS, list bounce)
 *	auth.dkim-breaks-at-mediator	warning	a Mediator changed the body
 *					or a signed header
 *	auth.dmarc-would-fail	warning	no aligned identity survives to the
 *					MDA
 *	auth.arc-rescue	info	a Forwarder or Mediator sealed an ARC set
 *	auth.checked-past-border	info	results written past a Forwarder
 *					judge the Forwarder, not the sender
 *	(auth.dkim-* come from dkim_analyse, arc.* from arc_collect.)
 * STANDARDS
 *	RFC 7208, RFC 6376, RFC 7489 §3.1, RFC 8601 §5, RFC 8617.
 */
#ifndef AUTH_AUTH_H
#define AUTH_AUTH_H

#include <stdbool.h>

#include "auth/arc.h"
#include "auth/authres.h"
#include "auth/dkim.h"
#include "trace/orgdomain.h"
#include "auth/received_spf.h"
#include "parse/arena.h"
#include "parse/finding.h"
#include "parse/header.h"
#include "parse/message.h"
#include "trace/path.h"
#include "trace/trace.h"

/* Trace headers attributed per message; past this many (a hostile
 * message repeats them) the rest are not attributed nor analysed. */
#define AUTH_MAX_HEADERS 256
/* Recorded results kept per identity (one per results header). */
#define AUTH_MAX_RECORDED 16
/* Break statements per message (a few per checkpoint). */
#define AUTH_MAX_BREAKS 64

enum auth_status {
	AUTH_CLAIM = 0,  /* written outside the recipient side */
	AUTH_EVIDENCE,   /* written by a trusted hop */
	AUTH_FORGED,     /* names the recipient side from below */
	AUTH_NOT_RESULT, /* a trace header that states no result */
};

/* Why a trace header is put at its hop, in the order of AUTH_HOW_NAMES:
 * an enum, written in JSON from a table (report/auth_out.c). */
enum auth_how {
	AUTH_HOW_ABOVE,
	AUTH_HOW_BELOW_ALL,
	AUTH_HOW_CLIENT,
	AUTH_HOW_CLIENT_ABOVE,
	AUTH_HOW_BY_HOST,
	AUTH_HOW_BY_HOST_ABOVE
};
#define AUTH_HOW_NAMES(X)                                                      \
	X("position: just above this hop's Received")                          \
	X("position: below every Received")                                    \
	X("client-ip is this hop's client")                                    \
	X("client-ip is this hop's client (written below its Received)")       \
	X("id names this hop's by-host")                                       \
	X("id names this hop's by-host (written below its Received)")

/* One trace header, attributed to the hop whose relay added it. */
struct auth_header {
	int header;         /* index in the block */
	struct str name;    /* as written */
	int hop;            /* -1: below every Received (the Author) */
	int actor;          /* the hop's receiving Actor, -1 */
	enum hop_role role; /* the hop's role label, or none */
	enum auth_how how;  /* why this hop */
	struct str id;      /* authserv-id, receiver, d=; may be empty */
	enum auth_status status;
	enum authres_kind ar_kind; /* AUTHRES_KIND_NOT unless results */
	struct authres ar;         /* when ar_kind >= 0 */
	bool is_rspf;
	struct received_spf rspf; /* when is_rspf */
};

/* A result as one results header recorded it. */
struct auth_recorded {
	int hop;
	int header;
	struct str authserv_id;
	struct str result; /* as written */
	enum authres_code code;
	enum auth_status status;
};

struct auth_reclist {
	struct auth_recorded v[AUTH_MAX_RECORDED];
	size_t n;
};

/* Which checkpoint an SPF entry is (its "kind" in JSON) */
enum auth_spf_kind { AUTH_SPF_BORDER, AUTH_SPF_FORWARDED, AUTH_SPF_RECORDED };
#define AUTH_SPF_KIND_NAMES(X) X("border") X("forwarded") X("recorded")

/* SPF as seen by one receiving Agent (a checkpoint). */
struct auth_spf {
	int hop;            /* the hop received at */
	enum hop_role role; /* Receiver, MDA, ... of the receiving Agent */
	enum auth_spf_kind kind;
	struct str ip; /* the client the Agent saw */
	struct str mail_from;
	const char *source; /* where mail_from was read (static) */
	int source_header;  /* its header index, -1 */
	struct str domain;  /* of mail_from (HELO when null sender) */
	bool srs;
	struct str srs_domain; /* the original sender's domain */
	struct str srs_local;
	enum orgdomain_alignment alignment; /* domain with From */
	struct auth_reclist recorded;
};

struct auth_dkim {
	const struct dkim_sig *sig;
	bool expired; /* x= before the arrival time */
	enum orgdomain_alignment alignment;
	struct auth_reclist recorded;
	const char *reason; /* arena-owned */
};

struct auth_dmarc {
	struct str from_domain, org_domain;
	bool spf_aligned;  /* at the first checkpoint */
	bool dkim_aligned; /* an aligned signature whose body still matches */
	bool final_spf_aligned, final_dkim_aligned; /* at the last one */
	struct auth_reclist recorded;
};

struct auth_arc_set {
	long instance;
	struct str sealer; /* ARC-Seal d= */
	enum arc_cv cv;
	int header; /* the ARC-Seal's index, -1 */
	int hop;
	int actor;
	struct str aar_id;
	const struct authres *aar;
};

struct auth_arc {
	enum arc_result result;
	const char *reason;
	bool absent; /* no ARC field: none, ARC_NONE_REASON, no set */
	struct auth_arc_set *sets;
	size_t nsets;
};

struct auth_evidence {
	int hop, header;
	const char *text;
};

/* What a break is about and what becomes of it: enums, so that the
 * JSON report writes their names from tables of known length rather
 * than measuring and escaping them (auth_check_name, auth_effect_name;
 * the lists below in the same order; AUTH_EFFECT_NAMES leaves out
 * "judges-forwarder", too long for a jsonw_name). */
enum auth_check {
	AUTH_CHECK_SPF,
	AUTH_CHECK_DKIM,
	AUTH_CHECK_DMARC,
	AUTH_CHECK_ARC,
	AUTH_CHECK_ALL
};
#define AUTH_CHECK_NAMES(X) X("spf") X("dkim") X("dmarc") X("arc") X("all")
enum auth_effect {
	AUTH_EFFECT_VERIFIABLE,
	AUTH_EFFECT_UNALIGNED,
	AUTH_EFFECT_FAILS,
	AUTH_EFFECT_UNKNOWN,
	AUTH_EFFECT_BREAKS,
	AUTH_EFFECT_RESCUE,
	AUTH_EFFECT_AVAILABLE,
	AUTH_EFFECT_KEPT,
	AUTH_EFFECT_JUDGES_FORWARDER /* the one name over 13 bytes */
};
/* clang-format off: one name a line (it folds them unstably) */
#define AUTH_EFFECT_NAMES(X)                                                   \
	X("verifiable")                                                        \
	X("unaligned")                                                         \
	X("fails")                                                             \
	X("unknown")                                                           \
	X("breaks")                                                            \
	X("rescue")                                                            \
	X("available")                                                         \
	X("kept")
/* clang-format on */
const char *auth_check_name(enum auth_check c);
const char *auth_effect_name(enum auth_effect e);

/* One statement of the break prediction. */
struct auth_break {
	enum auth_check check;
	int at_hop;         /* -1 when unknown */
	enum hop_role role; /* who: Receiver, Forwarder, ...; none: "?" */
	enum auth_effect effect;
	const char *reason; /* arena-owned */
	struct auth_evidence ev[4];
	size_t nev;
};

struct auth {
	struct auth_header *headers;
	size_t nheaders;
	bool headers_truncated;
	bool has_arrival;
	int64_t arrival;
	struct auth_spf *spf;
	size_t nspf;
	struct auth_dkim *dkim;
	size_t ndkim;
	struct auth_dmarc dmarc;
	struct auth_arc arc;
	struct auth_break breaks[AUTH_MAX_BREAKS];
	size_t nbreaks;
};

/* body: the message body bytes (for DKIM body hashes), as cmd/ passes
 * them: the bytes after the header block of the same buffer hb was split
 * from. p and t may describe no hop at all. Returns an arena-owned
 * result, never NULL; findings go to f. */
struct auth *auth_analyze(const struct trace_config *c,
                          const struct header_block *hb,
                          const struct message_info *mi, struct str body,
                          const struct path *p, const struct trace *t,
                          struct arena *a, struct findings *f);

/* The names of enum auth_status and of enum orgdomain_alignment in
 * order, as lists of X(name) too: the JSON report's tables of them
 * quoted are made from them. */
#define AUTH_STATUS_NAMES(X) X("claim") X("evidence") X("forged") X("trace")
#define AUTH_ALIGNMENT_NAMES(X) X("unaligned") X("relaxed") X("strict")
const char *auth_status_name(enum auth_status s);
const char *auth_alignment_name(enum orgdomain_alignment al);

/* Decode an SRS address (SRS0=HHH=TT=domain=local@fwd, or SRS1=HHH=
 * fwd==HHH=TT=domain=local@fwd1): the original domain and local part,
 * borrowed from addr. Returns false when addr is no SRS address. */
bool auth_srs_decode(struct str addr, struct str *domain, struct str *local);

#endif
