/* forge.c: below the trust boundary anyone can write a Received line.
 * A chain that breaks (the by-host of one hop is not the client of the
 * next), runs backwards in time or cannot be parsed is not believed
 * from that point down (finding trace.forged-hop). */
#include "internal.h"

#include <string.h>

/* Clocks drift by seconds or minutes; a hop dated more than this after
 * the next one is a forged line, not a skewed clock. */
#define FORGE_TIME_SLACK_S 3600

/* a, already dom_norm'ed, and b the same host name? */
static bool
name_eq(struct str a, struct str b)
{
	b = dom_norm(b);
	return a.n && a.n == b.n && str_ieq_str(a, b);
}

/* Could the host that wrote hop i be the client of hop i+1? */
static bool
plausible(const struct tctx *x, size_t i)
{
	const struct received *r = &x->p->v[i].r, *nx = &x->p->v[i + 1].r;
	struct ident *sv = &x->server[i], *cl = &x->client[i + 1];
	struct str by = dom_norm(r->by); /* once, not per name */
	if (name_eq(by, nx->rdns) || name_eq(by, nx->helo) ||
	    name_eq(by, nx->ip))
		return true;
	if (sv->joins || cl->joins || !cl->qualified)
		return true; /* nothing to compare */
	return idents_same_org(x, sv, cl);
}

static void
flag(struct tctx *x, size_t i, const char *why)
{
	const struct hop *h = &x->p->v[i];
	findings_add(x->f, "trace.forged-hop", SEV_ERROR, h->index,
	             h->header_index,
	             "hop %d is below the trust boundary and %s: it and the "
	             "hops before it are not believed",
	             h->index, why);
	x->t->believed_from = (int)i + 1;
}

void
forge_check(struct tctx *x)
{
	struct trace *t = x->t;
	t->believed_from = 0;
	for (int i = t->border_hop - 1; i >= 0; i--) {
		const struct hop *h = &x->p->v[i], *nx = &x->p->v[i + 1];
		if (h->is_virtual)
			break;
		if (!h->r.parsed) {
			flag(x, (size_t)i, "cannot be parsed");
			return;
		}
		if (!plausible(x, (size_t)i)) {
			const char *by = arena_strndup(
			    x->a, h->r.by.p, (size_t)ev_clamp(h->r.by));
			flag(x, (size_t)i,
			     arena_printf(x->a,
			                  "was received by \"%s\", which is "
			                  "not the client of hop %d",
			                  by, nx->index));
			return;
		}
		if (h->r.has_date && nx->r.has_date &&
		    h->r.time - nx->r.time > FORGE_TIME_SLACK_S) {
			flag(x, (size_t)i,
			     arena_printf(x->a,
			                  "is dated %lld s after hop %d, "
			                  "which received the message from it",
			                  (long long)(h->r.time - nx->r.time),
			                  nx->index));
			return;
		}
	}
}
