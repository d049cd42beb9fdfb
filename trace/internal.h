/*
 * internal.h: what the files of trace/ share and nothing else sees.
 * One concern per file: config.c (the user's configuration), domain.c
 * (host names, organizational domains), actor.c (grouping), trust.c
 * (the trust boundary), forge.c (forged lower hops), evidence.c
 * (Forwarder and Mediator evidence), roles.c (roles and networks),
 * notation.c (the two lines), trace.c (the order of it all).
 */
#ifndef TRACE_INTERNAL_H
#define TRACE_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "trace/net.h"
#include "trace/trace.h"

struct equiv {
	char *dom; /* lower case, xmalloc'd */
	int group;
	bool first;  /* the group's first name: names the Actor */
	size_t next; /* 1 + index of the next name with the same first
	                byte, 0: none (see eq_head) */
};

struct trace_config {
	struct net_list trusted, internal, msa;
	char **hosts; /* trusted host names and authserv-ids, lower case */
	size_t nhosts;
	char **authserv;
	size_t nauthserv;
	struct equiv *eq;
	size_t neq, ceq;
	/* per first byte: 1 + index of the first name starting with it, 0:
	 * none. dom_group runs for every host of every hop: it compares
	 * only the names sharing the first byte. */
	size_t eq_head[256];
	int ngroups;
};

/* The identity of one side of a hop. */
struct ident {
	struct str host; /* the qualified host name used, as written */
	const char *org; /* its organizational domain, NULL: none, or not
	                    looked up yet (ident_org) */
	int group;       /* equivalence group of org, or -1 */
	bool qualified;  /* host is a qualified host name: org or not yet */
	bool has_ip, internal_ip;
	struct net_addr ip;
	bool joins;      /* private address or no usable name: the
	                    hop stays inside its neighbour's Actor */
	bool rdns_named; /* client: host is the rDNS, a qualified host name
	                    (dom_is_qualified(r->rdns), known already) */
};

struct ev_items;

/* Per-message working state. */
struct tctx {
	const struct trace_config *c;
	const struct header_block *hb;
	const struct message_info *mi;
	struct path *p;
	struct arena *a;
	struct findings *f;
	struct trace *t;
	struct ident *client, *server; /* per hop */
	bool *same; /* per hop: client and server one Actor (actor_group
	               fills it from the first node it groups on) */
	struct ident **node_id;     /* per node: the side naming it, or NULL */
	bool *node_joins;           /* per node: no identity of its own */
	bool *submission;           /* per hop */
	int *node_actor;            /* per node (p->n + 1) */
	struct ev_items *fwd, *med; /* candidate evidence (evidence.c),
	                               NULL until first asked for */
	long origin; /* the strongest X-Originating-IP and kin, or -1 */
};

/* domain.c */
/* Empty this thread's name memos if the Public Suffix List changed since
 * they were filled: once per message (trace_build), not per name. Until
 * the next call, an organizational domain looked up again in arena a is
 * the string handed out the first time (never changed: shared). */
void dom_begin(struct arena *a);
struct str dom_norm_slow(struct str s);
/* [0][b]: a name starting with byte b may need dom_norm_slow (a blank, a
 * control, '[', 'I' of "IPv6:"); [1][b]: one ending with it (a blank, a
 * control, '.'). Two loads instead of five compares: dom_norm runs for
 * every name of every hop (c8: 113.20 M -> 112.92 M). */
extern const unsigned char dom_norm_ends[2][256];
/* A host name without blanks around it, brackets, "IPv6:" and trailing
 * dots. Inline: most names have none of them, which their first and last
 * bytes tell. */
static inline struct str
dom_norm(struct str s)
{
	if (s.n == 0)
		return s;
	unsigned char a = (unsigned char)s.p[0],
	              z = (unsigned char)s.p[s.n - 1];
	if (!(dom_norm_ends[0][a] | dom_norm_ends[1][z]))
		return s;
	return dom_norm_slow(s);
}
bool dom_is_ip_literal(struct str s);
bool dom_is_qualified(struct str s);
/* The organizational domain of host, arena-owned and lower case; NULL
 * exactly when host is no qualified host name (dom_is_qualified). */
const char *dom_org(struct arena *a, struct str host);
int dom_group_slow(const struct trace_config *c, const char *org);
/* The equivalence group of org, or -1. Inline: most names are in none,
 * and no name of the table starts with their first byte. */
static inline int
dom_group(const struct trace_config *c, const char *org)
{
	if (!org || !c->eq_head[(unsigned char)org[0]])
		return -1;
	return dom_group_slow(c, org);
}
/* dom_org(x->a, host), and dom_group of the result into *group. */
const char *dom_org_group(const struct tctx *x, struct str host, int *group);
/* The same, but DOM_PENDING (group -1) for a qualified name whose
 * organizational domain the memos do not know yet: the Public Suffix
 * List is asked (dom_org_group) only for the names a message needs. */
extern const char dom_pending[1];
#define DOM_PENDING dom_pending
const char *dom_org_lazy(const struct tctx *x, struct str host, int *group);
const char *dom_group_name(const struct trace_config *c, int group);

/* Are organizational domains a and b (equivalence groups ga, gb) one
 * Actor? Inline, first byte before strcmp: the grouping and evidence
 * matching compare every pair of nodes. */
static inline bool
dom_same_org(const struct trace_config *c, const char *a, int ga, const char *b,
             int gb)
{
	(void)c;
	if (!a || !b)
		return false;
	return (a[0] == b[0] && strcmp(a, b) == 0) || (ga >= 0 && ga == gb);
}

bool dom_under(struct str host, const char *pattern);

/* evidence lists */
void ev_add(struct arena *a, struct trace_evlist *l, int hop, int header,
            const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Add an arena-owned text as it is (no copy). */
void ev_grow(struct arena *a, struct trace_evlist *l);
/* Inline: every piece of evidence goes through it, most lists have
 * room. */
static inline void
ev_add_text(struct arena *a, struct trace_evlist *l, int hop, int header,
            const char *text)
{
	if (l->n >= TRACE_MAX_EVIDENCE)
		return;
	if (l->n == l->cap)
		ev_grow(a, l);
	l->v[l->n++] = (struct trace_evidence){hop, header, text};
}
/* ev_add(a, l, hop, header, "hop %d: %s%.*s%s", hop, pre, mid, post),
 * mid quoted as given (clamp it with ev_clamp), built by concatenation. */
void ev_add_hop_n(struct arena *a, struct trace_evlist *l, int hop, int header,
                  struct str pre, struct str mid, struct str post);
/* Inline: pre and post are literals (or a choice of two), whose lengths
 * the compiler knows. */
static inline void
ev_add_hop(struct arena *a, struct trace_evlist *l, int hop, int header,
           const char *pre, struct str mid, const char *post)
{
	ev_add_hop_n(a, l, hop, header, (struct str){pre, strlen(pre)}, mid,
	             (struct str){post, strlen(post)});
}
void ev_copy(struct arena *a, struct trace_evlist *dst,
             const struct trace_evlist *src);
/* Quote at most this many bytes of an input string in evidence. */
#define TRACE_QUOTE_MAX 120
static inline int
ev_clamp(struct str s)
{
	return (int)(s.n > TRACE_QUOTE_MAX ? TRACE_QUOTE_MAX : s.n);
}

/* actor.c */
const char *ident_resolve(const struct tctx *x, struct ident *id);
/* id's organizational domain (and id->group), looked up now when
 * actor_idents left it for later: NULL exactly when id has no qualified
 * name. */
static inline const char *
ident_org(const struct tctx *x, struct ident *id)
{
	return id->org || !id->qualified ? id->org : ident_resolve(x, id);
}
/* dom_same_org of id's organizational domain (ident_org) and org. */
static inline bool
ident_same_org(const struct tctx *x, struct ident *id, const char *org, int g)
{
	const char *o = ident_org(x, id); /* sets id->group: first */
	return dom_same_org(x->c, o, id->group, org, g);
}
/* ident_same_org of a and b: a looked up (ident_org sets a->group) before
 * its group is read, which passing ident_org(x, a) and a->group to
 * ident_same_org would not promise (arguments are evaluated in any
 * order: GCC read a stale group, and a cold memo then split an Actor of
 * an equivalence group, google.com = gmail.com). */
static inline bool
idents_same_org(const struct tctx *x, struct ident *a, struct ident *b)
{
	const char *o = ident_org(x, a);
	return ident_same_org(x, b, o, a->group);
}
void actor_idents(struct tctx *x);
/* Are hop i's client and server one Actor? Asked, not kept for every
 * hop: the forged hops' names are looked up only if a question needs
 * them. */
bool actor_hop_joins(const struct tctx *x, int i);
void actor_group(struct tctx *x);
/* g: dom_group(x->c, org) */
bool actor_node_matches(const struct tctx *x, int lo, int hi, const char *org,
                        int g);

/* trust.c */
void trust_mark(struct tctx *x);

/* forge.c */
void forge_check(struct tctx *x);

/* evidence.c */
/* The origin header (x->origin): the strongest X-Originating-IP and
 * kin. Before virtual_hop. */
void evidence_origin(struct tctx *x);
bool evidence_forwarder(struct tctx *x, int lo, int hi,
                        struct trace_evlist *out);
bool evidence_mediator(struct tctx *x, int lo, int hi,
                       struct trace_evlist *out);

/* roles.c */
void roles_assign(struct tctx *x);

/* notation.c */
void notation_render(struct tctx *x);

#endif
