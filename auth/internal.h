/*
 * internal.h: what the files of auth/'s break analysis share. One concern
 * per file: attribute.c (which hop added each trace header), spf_offline.c
 * (checkpoints, MAIL FROM, SRS), dkim_offline.c, dmarc_offline.c,
 * arc_offline.c, breaks.c (the prediction), auth.c (the order).
 */
#ifndef AUTH_INTERNAL_H
#define AUTH_INTERNAL_H

#include "auth/auth.h"

/* Per-message working state. */
struct actx {
	const struct trace_config *c;
	const struct header_block *hb;
	const struct message_info *mi;
	struct str body;
	const struct path *p;
	const struct trace *t; /* may be NULL */
	struct arena *a;
	struct findings *f;
	struct auth *au;
	struct str from_domain; /* normalised, may be empty */
	struct str from_org;    /* its Organizational Domain, may be empty */
};

/* attribute.c */
void attribute_headers(struct actx *x);
/* Can the relay that wrote hop k's Received be believed (recipient
 * side)? */
bool attr_writer_trusted(const struct actx *x, int hop);
/* The receiving Actor's role name at hop k ("Receiver", "MDA", ...). */
enum hop_role attr_hop_role(const struct actx *x, int hop);
/* The Actor of hop k's by-host, -1. */
int attr_hop_actor(const struct actx *x, int hop);
/* The attributed trace header that is header field idx, or NULL. */
const struct auth_header *attr_header_at(const struct actx *x, int idx);
/* Does domain d (any name) belong to Actor ac (one of its org domains)? */
bool attr_actor_has(const struct actx *x, int ac, struct str d);
/* Add every result of method (e.g. "spf") in the attributed results
 * headers to l, chronologically; match (may be NULL) filters them. */
typedef bool (*attr_match_fn)(const struct actx *x, const struct auth_header *h,
                              const struct authres_result *r, const void *arg);
void attr_recorded(const struct actx *x, const char *method,
                   attr_match_fn match, const void *arg,
                   struct auth_reclist *l);

/* spf_offline.c */
void spf_offline(struct actx *x);
/* dkim_offline.c */
void dkim_offline(struct actx *x);
/* dmarc_offline.c */
void dmarc_offline(struct actx *x);
/* arc_offline.c */
void arc_offline(struct actx *x);
/* breaks.c */
void breaks_predict(struct actx *x);

/* The Actor id of the Forwarder / Mediator, -1. */
int actx_forwarder(const struct actx *x);
int actx_mediator(const struct actx *x);

#endif
