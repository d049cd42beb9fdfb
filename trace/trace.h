/*
 * trace.h: the model. Hops grouped into Actors, roles, networks, the
 * trust boundary, the origin, and the shorthand notation
 * (shared spec: roles-and-notation.md).
 *
 * trace_config holds what the user told us (--trusted, --authserv-id,
 * --same-actor, config files); it is built once and read by every
 * message. trace_build runs per message; its result is arena-owned.
 *
 * Hosts are numbered as nodes along the path: node 0 is the client of
 * hop 0, node k (k >= 1) the host that wrote hop k-1 (its by-host), so
 * hop k goes from node k to node k+1. An Actor is a run of nodes.
 */
#ifndef TRACE_TRACE_H
#define TRACE_TRACE_H

#include <stdbool.h>
#include <stddef.h>

#include "parse/arena.h"
#include "parse/finding.h"
#include "parse/header.h"
#include "parse/message.h"
#include "trace/path.h"

struct trace_config;

struct trace_config *trace_config_new(void);
void trace_config_free(struct trace_config *c);
/* Each returns 0, or -1 when the argument is malformed (cmd/ reports it
 * as a usage error). trusted: a CIDR (SpamAssassin syntax: "1.2/16",
 * "!1.2.3.4"; the first matching entry wins), an IP, or a host name
 * (that host and the hosts under it, matched on the client's rDNS). */
int trace_config_add_trusted(struct trace_config *c, const char *cidr_or_host);
int trace_config_add_authserv(struct trace_config *c, const char *id);
int trace_config_add_same_actor(struct trace_config *c, const char *a_eq_b);
/* SpamAssassin's internal_networks and msa_networks (CIDR only): hosts
 * of ours that receive from outside, and submission servers after which
 * every relay is the user's own. */
int trace_config_add_internal(struct trace_config *c, const char *cidr);
int trace_config_add_msa(struct trace_config *c, const char *cidr);
/* Equivalence table text (one group per line, "a = b = c", # comments),
 * as read by cmd/ from the bundled data file or a user file. */
int trace_config_load_equivalences(struct trace_config *c, const char *text,
                                   size_t len);
/* Is id one of the configured authserv-ids (ASCII case ignored)? */
bool trace_config_is_authserv(const struct trace_config *c, struct str id);

/* Roles, as bits in flow order. */
enum trace_role {
	TRACE_ROLE_AUTHOR = 1u << 0,
	TRACE_ROLE_MSA = 1u << 1,
	TRACE_ROLE_RELAY = 1u << 2, /* between two roles of one network */
	TRACE_ROLE_TRANSMITTER = 1u << 3,
	TRACE_ROLE_RECEIVER = 1u << 4,
	TRACE_ROLE_FORWARDER = 1u << 5,
	TRACE_ROLE_MEDIATOR = 1u << 6,
	TRACE_ROLE_MDA = 1u << 7,
	TRACE_ROLE_RECIPIENT = 1u << 8,
};
#define TRACE_NROLES 9
/* "Author", "MSA", "Relay", "Transmitter", ... in bit order; as a list
 * of X(name) too, from which the JSON report's table of them quoted is
 * made. */
/* clang-format off */
#define TRACE_ROLE_NAMES(X)                                                    \
	X("Author") X("MSA") X("Relay") X("Transmitter") X("Receiver")         \
	X("Forwarder") X("Mediator") X("MDA") X("Recipient")
/* clang-format on */
extern const char *const trace_role_names[TRACE_NROLES];

/* The roles of one Actor in flow order (a Mediator receives, then
 * re-posts: Receiver/Mediator/Transmitter; otherwise bit order, e.g.
 * MSA/Transmitter/Receiver/MDA); the number written to out. */
size_t trace_roles_ordered(unsigned roles, const char *out[TRACE_NROLES]);
/* The same as indices into trace_role_names. */
size_t trace_roles_order(unsigned roles, int out[TRACE_NROLES]);

/* One piece of evidence behind an inference. */
struct trace_evidence {
	int hop;          /* hop index, or -1 */
	int header;       /* header field index, or -1 */
	const char *text; /* arena-owned; may quote input bytes */
};

struct trace_evlist {
	struct trace_evidence *v;
	size_t n, cap;
};

/* An evidence list holds at most this many items: more adds nothing to
 * the argument and a hostile message could repeat a header 100,000
 * times. */
#define TRACE_MAX_EVIDENCE 16

struct trace_actor {
	int id;
	const char *name;     /* organizational domain, an equivalence
	                         group's first name, or the client IP */
	const char **domains; /* organizational domains of its hosts */
	size_t ndomains;
	unsigned roles; /* TRACE_ROLE_* */
	int network;    /* index into trace.nets */
	int first_node, last_node;
	struct trace_evlist ev; /* why these roles */
};

enum trace_net_kind {
	TRACE_NET_SENDER,
	TRACE_NET_MEDIATOR,
	TRACE_NET_RECIPIENT,
	TRACE_NET_SHARED, /* no Border: sender and recipient are one */
};

struct trace_network {
	const char *name; /* its organizational domain(s) */
	enum trace_net_kind kind;
	int first_actor, last_actor; /* -1, -1 when it has no Actor */
	size_t col, width;           /* where it is drawn over the line */
};

/* A client: the origin, the upstream origin (before a Mediator), the
 * Author's machine. */
struct trace_client {
	bool set;
	struct str ip, helo, rdns;
	int hop;
	struct trace_evlist ev;
};

struct trace {
	struct trace_actor *actors;
	size_t nactors;
	struct trace_network *nets;
	size_t nnets;
	bool trust_configured;
	int border_hop;      /* first untrusted hop from the top; -1 */
	bool border_crossed; /* a Border lies on the believed path */
	int believed_from;   /* lowest hop believed (below: forged) */
	bool author_node;    /* node 0 is the Author's machine */
	bool *internal;      /* per hop: SpamAssassin's intl */
	bool *msa;           /* per hop: client in msa_networks */
	struct trace_client origin, upstream, author;
	int forwarder; /* actor id, or -1 */
	int mediator;  /* actor id, or -1 */
	struct trace_evlist trust_ev;
	struct trace_evlist forward_ev, mediator_ev;
	struct str line;     /* the notation line, without '\n' */
	struct str net_line; /* the network line above it */
};

/* Build the model for one message: fills hops' actor/role/trusted. A
 * virtual first hop is inserted for X-Originating-IP and its kind
 * (is_virtual; later hops and their findings are renumbered). Never
 * fails; the result is arena-owned. */
struct trace *trace_build(const struct trace_config *c,
                          const struct header_block *hb,
                          const struct message_info *mi, struct path *p,
                          struct arena *a, struct findings *f);

#endif
