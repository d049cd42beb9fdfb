/* roles.c: roles of the Actors, networks, the origin, and the hop
 * labels (roles-and-notation.md, "Roles" and "Grouping"). */
#include "internal.h"

#include <string.h>

#define NAME(name) name,
const char *const trace_role_names[TRACE_NROLES] = {TRACE_ROLE_NAMES(NAME)};
#undef NAME

size_t
trace_roles_order(unsigned roles, int out[TRACE_NROLES])
{
	size_t n = 0;
	if (!(roles & TRACE_ROLE_MEDIATOR)) { /* bit order: the set bits only */
		for (unsigned r = roles & ((1u << TRACE_NROLES) - 1); r;
		     r &= r - 1)
			out[n++] = __builtin_ctz(r);
		return n;
	}
	static const int mediated[] = {0, 1, 4, 5, 6, 2, 3, 7, 8};
	for (int k = 0; k < TRACE_NROLES; k++)
		if (roles & (1u << mediated[k]))
			out[n++] = mediated[k];
	return n;
}

size_t
trace_roles_ordered(unsigned roles, const char *out[TRACE_NROLES])
{
	int idx[TRACE_NROLES];
	size_t n = trace_roles_order(roles, idx);
	for (size_t k = 0; k < n; k++)
		out[k] = trace_role_names[idx[k]];
	return n;
}

static int
actor_of_node(const struct tctx *x, int node)
{
	return node >= 0 && node <= (int)x->p->n ? x->node_actor[node] : -1;
}

/* A path has at most three networks: the Sender's, a Mediator's, the
 * Recipient's (or one shared by all). roles_assign makes room for them at
 * once: grown one by one, each network cost a copy of the others. */
enum { MAX_NETS = 3 };

static void
add_net(struct tctx *x, enum trace_net_kind kind, int lo, int hi)
{
	struct trace *t = x->t;
	if (t->nnets == MAX_NETS)
		return; /* never: see MAX_NETS */
	/* the new network is cleared below: not zeroed twice */
	struct trace_network *nw = &t->nets[t->nnets];
	memset(nw, 0, sizeof(*nw));
	nw->kind = kind;
	nw->first_actor = lo;
	nw->last_actor = hi;
	/* the Actors' names joined by " + ", in one piece */
	size_t len = 0;
	for (int a = lo; a >= 0 && a <= hi; a++) {
		struct trace_actor *ac = &t->actors[a];
		ac->network = (int)t->nnets;
		len += strlen(ac->name) + 3;
	}
	if (lo < 0 || lo > hi)
		nw->name = "unknown";
	else if (lo == hi)
		nw->name = t->actors[lo].name;
	else {
		char *name = arena_alloc_raw(x->a, len - 3 + 1), *o = name;
		for (int a = lo; a <= hi; a++) {
			if (a > lo) {
				memcpy(o, " + ", 3);
				o += 3;
			}
			size_t k = strlen(t->actors[a].name);
			memcpy(o, t->actors[a].name, k);
			o += k;
		}
		*o = '\0';
		nw->name = name;
	}
	t->nnets++;
}

/* Entry role on the first Actor, exit role on the last, Relay between. */
static void
segment(struct tctx *x, int lo, int hi, unsigned entry, unsigned exit)
{
	for (int a = lo; a <= hi; a++) {
		unsigned r = 0;
		if (a == lo)
			r |= entry;
		if (a == hi)
			r |= exit;
		x->t->actors[a].roles |= r ? r : TRACE_ROLE_RELAY;
	}
}

static void
set_client(struct tctx *x, struct trace_client *c, int hop)
{
	const struct hop *h = &x->p->v[hop];
	c->set = true;
	c->hop = hop;
	c->ip = h->r.ip;
	c->helo = h->r.helo;
	c->rdns = h->r.rdns;
}

static int
find_mediator(struct tctx *x, int last_sender)
{
	for (int a = last_sender; a >= 1; a--) {
		struct trace_actor *ac = &x->t->actors[a];
		if (evidence_mediator(x, ac->first_node, ac->last_node,
		                      &x->t->mediator_ev))
			return a;
	}
	return -1;
}

static void
sender_side(struct tctx *x, int last)
{
	struct trace *t = x->t;
	int m = find_mediator(x, last);
	t->mediator = m;
	if (m < 0) {
		segment(x, 0, last, TRACE_ROLE_MSA, TRACE_ROLE_TRANSMITTER);
		add_net(x, TRACE_NET_SENDER, 0, last);
		return;
	}
	segment(x, 0, m - 1, TRACE_ROLE_MSA, TRACE_ROLE_TRANSMITTER);
	add_net(x, TRACE_NET_SENDER, 0, m - 1);
	segment(x, m, last, TRACE_ROLE_RECEIVER | TRACE_ROLE_MEDIATOR,
	        TRACE_ROLE_TRANSMITTER);
	add_net(x, TRACE_NET_MEDIATOR, m, last);
	ev_copy(x->a, &t->actors[m].ev, &t->mediator_ev);
	int entry = t->actors[m].first_node - 1;
	set_client(x, &t->upstream, entry);
	ev_add_hop(x->a, &t->upstream.ev, entry, x->p->v[entry].header_index,
	           "the client that reached the Mediator's Receiver", STR_NULL,
	           "");
}

static void
recipient_side(struct tctx *x, int first)
{
	struct trace *t = x->t;
	int last = (int)t->nactors - 1;
	int f = t->forwarder >= 0 ? actor_of_node(x, t->forwarder) : -1;
	t->forwarder = f >= first && f < last ? f : -1;
	if (t->forwarder < 0) {
		segment(x, first, last, TRACE_ROLE_RECEIVER, TRACE_ROLE_MDA);
	} else {
		segment(x, first, f, TRACE_ROLE_RECEIVER, TRACE_ROLE_FORWARDER);
		segment(x, f + 1, last, 0, TRACE_ROLE_MDA);
		ev_copy(x->a, &t->actors[f].ev, &t->forward_ev);
	}
	add_net(x, TRACE_NET_RECIPIENT, first, last);
}

/* Why the first Actor is the MSA. */
static void
msa_evidence(struct tctx *x, struct trace_actor *ac)
{
	if (!x->t->author_node) {
		ev_add_text(
		    x->a, &ac->ev, -1, -1,
		    "no submission hop recorded: the first host is taken "
		    "as the MSA");
		return;
	}
	const struct hop *h = &x->p->v[0];
	/* whole texts: constant, so shared rather than formatted */
	const char *why =
	    h->is_virtual             ? "hop 0: webmail (client address "
	                                "from a header)"
	    : h->r.flags & RCV_F_HTTP ? "hop 0: webmail (with HTTP)"
	    : h->r.flags & RCV_F_MAPI ? "hop 0: with MAPI"
	    : h->r.flags & RCV_F_AUTH || h->r.auth.n
	        ? "hop 0: the client authenticated (RFC 3848, or "
	          "the MTA's own marker)"
	    : h->r.flags & RCV_F_LOCAL ? "hop 0: local submission"
	                               : "hop 0: the client is on "
	                                 "a private address";
	ev_add_text(x->a, &ac->ev, 0, h->header_index, why);
}

static void
role_evidence(struct tctx *x, int first_rcpt)
{
	struct trace *t = x->t;
	int b = t->border_hop;
	msa_evidence(x, &t->actors[0]);
	if (b >= 0 && first_rcpt > 0) {
		const struct hop *h = &x->p->v[b];
		ev_add_hop(
		    x->a, &t->actors[first_rcpt - 1].ev, b, h->header_index,
		    "the client of the Border hop (Transmitter)", STR_NULL, "");
		ev_add_hop(x->a, &t->actors[first_rcpt].ev, b, h->header_index,
		           "the recipient side's host that took the message "
		           "from another network (Receiver)",
		           STR_NULL, "");
	}
	const struct hop *last = &x->p->v[x->p->n - 1];
	ev_add_hop(x->a, &t->actors[t->nactors - 1].ev, last->index,
	           last->header_index,
	           last->r.flags & RCV_F_LMTP ? "the last hop, with LMTP (MDA)"
	                                      : "the last hop (MDA)",
	           STR_NULL, "");
}

static void
origin(struct tctx *x)
{
	struct trace *t = x->t;
	int b = t->border_hop;
	int hop = b >= 0 ? b : t->believed_from;
	set_client(x, &t->origin, hop);
	ev_copy(x->a, &t->origin.ev, &t->trust_ev);
	if (b < 0)
		ev_add_text(
		    x->a, &t->origin.ev, hop, x->p->v[hop].header_index,
		    "every hop is trusted: the oldest client is the origin");
	if (t->author_node) {
		set_client(x, &t->author, 0);
		ev_add_text(x->a, &t->author.ev, 0, x->p->v[0].header_index,
		            x->p->v[0].is_virtual
		                ? "hop 0: the client of the submission hop "
		                  "(X-Originating-IP)"
		                : "hop 0: the client of the submission hop");
	}
}

/* The Actor roles as hop labels, in the same order */
_Static_assert(HOP_ROLE_RECIPIENT - HOP_ROLE_AUTHOR + 1 == TRACE_NROLES,
               "a hop label for each role");

static enum hop_role
hop_role(const struct tctx *x, size_t i)
{
	int a = x->node_actor[i + 1], prev = x->node_actor[i];
	if (a < 0)
		return HOP_ROLE_NONE;
	unsigned r = x->t->actors[a].roles;
	if (a != prev) {
		/* the hop brings the message into Actor a: it is that
		 * Actor's entry role (a list is entered by its Receiver,
		 * not its Transmitter) */
		if (r & TRACE_ROLE_MSA)
			return HOP_ROLE_MSA;
		if (r & TRACE_ROLE_RECEIVER)
			return HOP_ROLE_RECEIVER;
		for (int k = 1; k < TRACE_NROLES; k++)
			if (r & (1u << k))
				return (enum hop_role)(HOP_ROLE_AUTHOR + k);
	}
	if (i + 1 == x->p->n && (r & TRACE_ROLE_MDA))
		return HOP_ROLE_MDA;
	return HOP_ROLE_INTERNAL;
}

static void
label_hops(struct tctx *x)
{
	for (size_t i = 0; i < x->p->n; i++) {
		struct hop *h = &x->p->v[i];
		if ((int)i < x->t->believed_from) {
			h->actor = -1;
			h->role = HOP_ROLE_FORGED;
			h->trusted = false;
			continue;
		}
		h->actor = x->node_actor[i + 1];
		h->role = hop_role(x, i);
	}
}

void
roles_assign(struct tctx *x)
{
	struct trace *t = x->t;
	t->mediator = -1;
	if (t->nactors == 0) {
		t->forwarder = -1;
		return;
	}
	int b = t->border_hop;
	int first_rcpt = b >= 0 ? actor_of_node(x, b + 1) : -1;
	t->border_crossed = first_rcpt > 0;
	t->nets = arena_array_raw(x->a, MAX_NETS, sizeof(*t->nets));
	if (first_rcpt > 0) {
		sender_side(x, first_rcpt - 1);
		recipient_side(x, first_rcpt);
	} else {
		int last = (int)t->nactors - 1;
		t->forwarder = -1;
		segment(x, 0, 0, TRACE_ROLE_MSA, TRACE_ROLE_TRANSMITTER);
		segment(x, last, last, TRACE_ROLE_RECEIVER, TRACE_ROLE_MDA);
		if (last > 0)
			segment(x, 1, last - 1, 0, 0);
		add_net(x, TRACE_NET_SHARED, 0, last);
	}
	role_evidence(x, first_rcpt);
	origin(x);
	label_hops(x);
}
