/* actor.c: who each side of a hop is, and which hosts form one Actor
 * (roles-and-notation.md, "Grouping hops into Actors"). */
#include "internal.h"

#include <string.h>

#include "trace/tls.h"

/* name as the identity, when it is a qualified host name: dom_org
 * answers NULL exactly for the others, from its memo (cheaper than
 * asking dom_is_qualified first). Its organizational domain is left for
 * later (ident_org) when the memos do not know it: a message's forged
 * hops name hosts never seen before, whose domains nothing reads (c8:
 * 106.29 M -> 105.55 M). */
static bool
ident_name(struct tctx *x, struct ident *id, struct str name)
{
	/* no rDNS (a tenth of the names): not a call that answers NULL at
	 * once (c8: 104.77 M -> 104.68 M) */
	if (name.n == 0)
		return false;
	int group;
	const char *org = dom_org_lazy(x, name, &group);
	if (!org)
		return false;
	id->host = name;
	id->qualified = true;
	id->org = org == DOM_PENDING ? NULL : org;
	id->group = group;
	return true;
}

const char *
ident_resolve(const struct tctx *x, struct ident *id)
{
	return id->org = dom_org_group(x, id->host, &id->group);
}

/* client_ident parses the client address of every hop, and a mailbox
 * names the same few again and again (127.0.0.1 in a third of the hops
 * of c8): remember recent answers, per thread, keyed by the address's
 * bytes (up to IP_KEY: any IPv4 text); they depend on nothing else. */
enum { IP_SLOTS = 256, IP_KEY = 16 };
struct ip_key {
	uint64_t a, b; /* the bytes, zero-padded */
};
struct ip_memo {
	struct ip_key key;
	unsigned char len; /* 0: empty slot */
	bool has_ip, internal;
	struct net_addr ip;
};
static _Thread_local struct ip_memo *ip_memo; /* [IP_SLOTS] */

/* s (1..IP_KEY bytes) as a key (a struct: an array would cost client_ip
 * a stack guard), in loads that may overlap within s, never a byte past
 * it. */
static struct ip_key
ip_key(struct str s)
{
	uint64_t a = 0, b = 0;
	size_t n = s.n;
	if (n >= 8) {
		memcpy(&a, s.p, 8);
		if (n > 8) {
			memcpy(&b, s.p + n - 8, 8);
			b >>= 8 * (IP_KEY - n);
		}
	} else if (n >= 4) {
		uint32_t lo, hi;
		memcpy(&lo, s.p, 4);
		memcpy(&hi, s.p + n - 4, 4);
		a = lo | (uint64_t)hi << 8 * (n - 4);
	} else
		for (size_t i = 0; i < n; i++)
			a |= (uint64_t)(unsigned char)s.p[i] << 8 * i;
	return (struct ip_key){a, b};
}

/* id's address fields for the client address ip, from the memo. */
static void
client_ip(struct ident *id, struct str ip)
{
	if (ip.n == 0 || ip.n > IP_KEY) {
		id->has_ip = net_parse(ip, &id->ip);
		id->internal_ip = id->has_ip && net_is_internal(&id->ip);
		return;
	}
	if (!ip_memo)
		ip_memo = tls_calloc(IP_SLOTS * sizeof(*ip_memo));
	struct ip_key k = ip_key(ip);
	uint64_t h =
	    (k.a ^ (k.b << 29 | k.b >> 35) ^ ip.n) * 0x9e3779b97f4a7c15u;
	struct ip_memo *m = &ip_memo[(h >> 32) % IP_SLOTS];
	if (m->len != ip.n || m->key.a != k.a || m->key.b != k.b) {
		m->len = (unsigned char)ip.n;
		m->key = k;
		/* cleared, as client_ident clears id->ip */
		memset(&m->ip, 0, sizeof(m->ip));
		m->has_ip = net_parse(ip, &m->ip);
		m->internal = m->has_ip && net_is_internal(&m->ip);
	}
	id->has_ip = m->has_ip;
	id->internal_ip = m->internal;
	id->ip = m->ip;
}

/* The client: the rDNS the server looked up, else the HELO name (the
 * client's claim: good enough to group hosts, never to trust them). */
static void
client_ident(struct tctx *x, const struct received *r, struct ident *id)
{
	memset(id, 0, sizeof(*id));
	id->group = -1;
	client_ip(id, dom_norm(r->ip));
	id->rdns_named = ident_name(x, id, r->rdns);
	if (!id->rdns_named)
		ident_name(x, id, r->helo);
	id->joins = id->internal_ip || (!id->has_ip && !id->qualified);
}

/* The server: its by-name. An address or an unqualified name says
 * nothing about the Actor: the hop stays inside its neighbour. */
static void
server_ident(struct tctx *x, const struct received *r, struct ident *id)
{
	memset(id, 0, sizeof(*id));
	id->group = -1;
	struct str by = dom_norm(r->by);
	/* a qualified host name is no address (dom_is_qualified turns
	 * addresses down, and dom_norm leaves an address as it is): most
	 * by-names need no net_parse */
	if (!ident_name(x, id, by)) {
		id->has_ip = net_parse(by, &id->ip);
		id->internal_ip = id->has_ip && net_is_internal(&id->ip);
	}
	id->joins = !id->qualified;
}

static bool
is_submission(const struct hop *h, const struct ident *cl)
{
	unsigned sub =
	    RCV_F_AUTH | RCV_F_HTTP | RCV_F_MAPI | RCV_F_LOCAL | RCV_F_IMAP;
	return h->is_virtual || (h->r.flags & sub) || h->r.auth.n ||
	       cl->internal_ip || (!cl->has_ip && !cl->qualified);
}

/* A node's own identity: the name it gave itself as a by-host, else
 * the name its client side carries; a public address without a name is
 * an identity too (compared by address). */
static void
node_ident(struct tctx *x, int k)
{
	int n = (int)x->p->n;
	struct ident *id = k >= 1 ? &x->server[k - 1] : NULL;
	if ((!id || !id->qualified) && k < n)
		id = &x->client[k];
	bool named = id && id->qualified;
	x->node_id[k] = named ? id : NULL;
	x->node_joins[k] = !named && !(k < n && x->client[k].has_ip &&
	                               !x->client[k].internal_ip);
}

static bool
nodes_same(const struct tctx *x, int k)
{
	if (x->client[k].internal_ip)
		return true;
	if (x->node_joins[k] || x->node_joins[k + 1])
		return true;
	struct ident *a = x->node_id[k], *b = x->node_id[k + 1];
	if (a && b)
		return idents_same_org(x, a, b);
	if (a || b)
		return false;
	return str_ieq_str(dom_norm(x->p->v[k].r.ip),
	                   dom_norm(x->p->v[k + 1].r.ip));
}

/* The per-hop and per-node arrays, n + 1 elements each, carved from one
 * block (n is at most PATH_MAX_HOPS + 1): seven arena calls cost more
 * than the rest of the bookkeeping. Widest elements first, so that each
 * array is aligned. Not zeroed: see actor_idents. */
static void
alloc_arrays(struct tctx *x, size_t n)
{
	size_t m = n + 1;
	char *b = arena_alloc_raw(
	    x->a, m * (2 * sizeof(*x->client) + sizeof(*x->node_id) +
	               sizeof(*x->same) + sizeof(*x->submission) +
	               sizeof(*x->node_joins)));
	x->client = (struct ident *)b;
	x->server = x->client + m;
	x->node_id = (struct ident **)(x->server + m);
	x->same = (bool *)(x->node_id + m);
	x->submission = x->same + m;
	x->node_joins = x->submission + m;
}

void
actor_idents(struct tctx *x)
{
	size_t n = x->p->n;
	/* not zeroed: every element a reader may look at (hops 0..n-1, nodes
	 * 0..n) is written below; the spare one of client, server, same and
	 * submission is cleared so that the arrays stay n + 1 long for all */
	alloc_arrays(x, n);
	memset(&x->client[n], 0, sizeof(x->client[n]));
	memset(&x->server[n], 0, sizeof(x->server[n]));
	x->same[n] = x->submission[n] = false;
	for (size_t i = 0; i < n; i++) {
		const struct hop *h = &x->p->v[i];
		struct ident *cl = &x->client[i], *sv = &x->server[i];
		client_ident(x, &h->r, cl);
		server_ident(x, &h->r, sv);
		x->submission[i] = is_submission(h, cl);
	}
	for (size_t k = 0; k <= n; k++)
		node_ident(x, (int)k);
}

bool
actor_hop_joins(const struct tctx *x, int i)
{
	return nodes_same(x, i);
}

/* Does any host of nodes lo..hi have organizational domain org (or one
 * equivalent to it)? */
bool
actor_node_matches(const struct tctx *x, int lo, int hi, const char *org, int g)
{
	for (int k = lo; k <= hi; k++) {
		if (k >= 1) {
			struct ident *s = &x->server[k - 1];
			if (ident_same_org(x, s, org, g))
				return true;
		}
		if (k < (int)x->p->n) {
			struct ident *c = &x->client[k];
			if (ident_same_org(x, c, org, g))
				return true;
		}
	}
	return false;
}

/* ac->domains has room for every host of the Actor's nodes. The first
 * new domain in an equivalence group with a name names the Actor (the
 * host's group is dom_group of its org: not looked up again). */
static void
add_domain(const struct tctx *x, struct trace_actor *ac, struct ident *id)
{
	const char *org = ident_org(x, id);
	if (!org)
		return;
	/* the same string (a host named twice: dom_begin), else the first
	 * byte, then strcmp */
	for (size_t i = 0; i < ac->ndomains; i++)
		if (ac->domains[i] == org || (ac->domains[i][0] == org[0] &&
		                              strcmp(ac->domains[i], org) == 0))
			return;
	ac->domains[ac->ndomains++] = org;
	if (!ac->name && id->group >= 0)
		ac->name = dom_group_name(x->c, id->group);
}

/* Domains, then the name: an equivalence group's first name, else the
 * first domain, else the client address. The domains go to *room, which
 * has space for two a node (server and client side); it moves past
 * them. */
static void
name_actor(struct tctx *x, struct trace_actor *ac, const char ***room)
{
	ac->domains = *room;
	*room += 2 * (size_t)(ac->last_node - ac->first_node + 1);
	for (int k = ac->first_node; k <= ac->last_node; k++) {
		if (k >= 1 && k > x->t->believed_from)
			add_domain(x, ac, &x->server[k - 1]);
		if (k < (int)x->p->n)
			add_domain(x, ac, &x->client[k]);
	}
	if (!ac->name && ac->ndomains)
		ac->name = ac->domains[0];
	int k = ac->first_node;
	if (!ac->name && k < (int)x->p->n && x->p->v[k].r.ip.n)
		ac->name =
		    arena_strndup(x->a, x->p->v[k].r.ip.p, x->p->v[k].r.ip.n);
	if (!ac->name)
		ac->name = "unknown";
}

static struct trace_actor *
new_actor(struct tctx *x, int node)
{
	struct trace *t = x->t;
	/* t->actors has room (actor_group); cleared below */
	struct trace_actor *ac = &t->actors[t->nactors];
	memset(ac, 0, sizeof(*ac));
	ac->id = (int)t->nactors++;
	ac->first_node = ac->last_node = node;
	ac->network = -1;
	return ac;
}

/* Runs of nodes joined by same[], split at the Border hop; the forged
 * part and the Author's machine belong to no Actor. */
void
actor_group(struct tctx *x)
{
	struct trace *t = x->t;
	int n = (int)x->p->n;
	/* not zeroed: set just below */
	x->node_actor = arena_array_raw(x->a, (size_t)n + 1, sizeof(int));
	for (int k = 0; k <= n; k++)
		x->node_actor[k] = -1;
	if (n == 0)
		return;
	int start = t->author_node ? 1 : t->believed_from;
	/* which hops join two nodes, from start on (below it nothing
	 * reads them): before start's by-name is dropped just below */
	for (int k = start; k < n; k++)
		x->same[k] = nodes_same(x, k);
	/* the by-name of a hop that is not believed names nobody */
	if (!t->author_node && start > 0 && start < n) {
		struct ident *cl = &x->client[start];
		x->node_id[start] = cl->qualified ? cl : NULL;
		x->node_joins[start] = false;
	}
	/* at most an Actor per node from start on: one block, not grown
	 * an Actor at a time; not zeroed (new_actor clears each) */
	if (start <= n)
		t->actors = arena_array_raw(x->a, (size_t)(n - start + 1),
		                            sizeof(*t->actors));
	struct trace_actor *ac = NULL;
	for (int k = start; k <= n; k++) {
		bool split = !ac || !x->same[k - 1] || k - 1 == t->border_hop;
		if (split)
			ac = new_actor(x, k);
		ac->last_node = k;
		x->node_actor[k] = ac->id;
	}
	if (t->nactors == 0)
		return;
	/* the Actors' domains in one block, not one per Actor */
	const char **room =
	    arena_array_raw(x->a, 2 * (size_t)(n - start + 1), sizeof(*room));
	for (size_t i = 0; i < t->nactors; i++)
		name_actor(x, &t->actors[i], &room);
}
