/* trust.c: the trust boundary. Configured (--trusted, --authserv-id,
 * SpamAssassin's trusted/internal/msa_networks) or inferred from the top
 * as SpamAssassin does, extended through a Forwarder of the Recipient's
 * network (roles-and-notation.md). */
#include "internal.h"

#include <string.h>

/* Forwarders chain (an alias forwarding to an alias); trust extends
 * through at most this many, past that the chain is not believable. */
#define TRUST_MAX_FORWARDERS 4

static bool
hop_auth(const struct hop *h)
{
	return (h->r.flags & RCV_F_AUTH) || h->r.auth.n;
}

static bool
host_listed(const struct trace_config *c, const struct received *r)
{
	struct str name = dom_is_qualified(r->rdns) ? r->rdns
	                  : r->ip.n                 ? STR_NULL
	                                            : r->helo;
	for (size_t i = 0; name.n && i < c->nhosts; i++)
		if (dom_under(name, c->hosts[i]))
			return true;
	return false;
}

/* Is the client of hop i in list (loopback always is, as in
 * SpamAssassin)? Host names count for the trusted list only. */
static bool
client_in(const struct tctx *x, size_t i, const struct net_list *l, bool hosts)
{
	const struct ident *cl = &x->client[i];
	if (cl->has_ip &&
	    (net_is_loopback(&cl->ip) || net_list_match(l, &cl->ip)))
		return true;
	return hosts && host_listed(x->c, &x->p->v[i].r);
}

/* The first node of the Actor that the client of hop i belongs to. */
static int
block_low(const struct tctx *x, int i)
{
	int lo = i;
	while (lo > 0 && actor_hop_joins(x, lo - 1))
		lo--;
	return lo;
}

/* Hop i's client is untrusted: is it a Forwarder of the Recipient's
 * network? Then trust goes on below it; the hop to continue from. */
static int
extend(struct tctx *x, int i, int *nfwd)
{
	int lo = block_low(x, i);
	struct trace_evlist ev = {0};
	if (lo == 0 || *nfwd >= TRUST_MAX_FORWARDERS ||
	    !evidence_forwarder(x, lo, i, &ev))
		return -1;
	(*nfwd)++;
	x->t->forwarder = lo; /* a node for now: roles.c maps it */
	ev_copy(x->a, &x->t->forward_ev, &ev);
	ev_add(x->a, &x->t->trust_ev, i, x->p->v[i].header_index,
	       "trust extended through the Forwarder at hops %d-%d", lo - 1, i);
	return lo;
}

static void
mark(struct tctx *x, int i, bool trusted, bool internal)
{
	x->p->v[i].trusted = trusted;
	x->t->internal[i] = internal;
}

static void
configured(struct tctx *x)
{
	const struct trace_config *c = x->c;
	const struct net_list *tl =
	    c->trusted.n || c->nhosts ? &c->trusted : &c->internal;
	const struct net_list *il = c->internal.n ? &c->internal : tl;
	bool hosts_i = !c->internal.n;
	bool in_t = true, in_i = true, found_msa = false;
	int nfwd = 0;
	for (int i = (int)x->p->n - 1; i >= 0; i--) {
		const struct hop *h = &x->p->v[i];
		if (found_msa) {
			mark(x, i, in_t, in_i);
			continue;
		}
		bool auth = hop_auth(h);
		if (in_t && !auth && !client_in(x, (size_t)i, tl, true)) {
			int lo = extend(x, i, &nfwd);
			if (lo >= 0) {
				for (int k = i; k >= lo; k--)
					mark(x, k, true, in_i);
				i = lo;
				continue;
			}
			in_t = false;
		} else if (in_t && x->client[i].has_ip &&
		           net_list_match(&c->msa, &x->client[i].ip)) {
			x->t->msa[i] = true;
			found_msa = true;
		}
		if (in_i && !auth && !client_in(x, (size_t)i, il, hosts_i))
			in_i = false;
		mark(x, i, in_t, in_i);
	}
}

/* Inferred: private and loopback clients, authenticated clients, and
 * clients whose verified name is in our Actor are ours. */
static bool
ours(const struct tctx *x, int i, const char **orgs, size_t norgs)
{
	struct ident *cl = &x->client[i];
	if (hop_auth(&x->p->v[i]) || cl->internal_ip ||
	    (!cl->has_ip && cl->joins))
		return true;
	if (!cl->qualified || (cl->has_ip && !cl->rdns_named))
		return false; /* a HELO name proves nothing */
	for (size_t k = 0; k < norgs; k++)
		if (ident_same_org(x, cl, orgs[k], dom_group(x->c, orgs[k])))
			return true;
	return false;
}

static void
inferred(struct tctx *x)
{
	size_t n = x->p->n, norgs = 0;
	/* orgs[0..norgs) only is read, each written first: not zeroed */
	const char **orgs = arena_array_raw(x->a, n + 1, sizeof(*orgs));
	bool in_t = true;
	int nfwd = 0;
	for (int i = (int)n - 1; i >= 0; i--) {
		const char *org = in_t ? ident_org(x, &x->server[i]) : NULL;
		if (org)
			orgs[norgs++] = org;
		if (in_t && !ours(x, i, orgs, norgs)) {
			int lo = extend(x, i, &nfwd);
			if (lo >= 0) {
				for (int k = i; k >= lo; k--)
					mark(x, k, true, true);
				i = lo;
				continue;
			}
			in_t = false;
		}
		mark(x, i, in_t, in_t);
	}
}

static void
border(struct tctx *x)
{
	struct trace *t = x->t;
	t->border_hop = -1;
	for (int i = (int)x->p->n - 1; i >= 0; i--)
		if (!x->p->v[i].trusted) {
			t->border_hop = i;
			break;
		}
	if (t->border_hop < 0)
		return;
	const struct hop *h = &x->p->v[t->border_hop];
	struct str who = h->r.ip.n     ? h->r.ip
	                 : h->r.rdns.n ? h->r.rdns
	                               : h->r.helo;
	ev_add_hop(x->a, &t->trust_ev, h->index, h->header_index, "the client ",
	           str_make(who.p, (size_t)ev_clamp(who)),
	           t->trust_configured
	               ? " is not in the configured trusted networks or hosts"
	               : " is a public address outside the Recipient's Actor "
	                 "and did not authenticate");
}

void
trust_mark(struct tctx *x)
{
	const struct trace_config *c = x->c;
	struct trace *t = x->t;
	size_t n = x->p->n;
	/* both flags per hop, cleared, in one block */
	t->internal = arena_array(x->a, 2 * (n + 1), sizeof(bool));
	t->msa = t->internal + n + 1;
	t->forwarder = -1;
	t->trust_configured = c->trusted.n || c->internal.n || c->nhosts;
	if (t->trust_configured) {
		ev_add_text(x->a, &t->trust_ev, -1, -1,
		            "trust configured (--trusted, --authserv-id): the "
		            "topmost hops whose clients are listed are ours");
		configured(x);
	} else {
		ev_add_text(
		    x->a, &t->trust_ev, -1, -1,
		    "trust inferred from the top (as SpamAssassin does): "
		    "private, loopback, authenticated and same-Actor "
		    "clients are ours");
		inferred(x);
	}
	border(x);
}
