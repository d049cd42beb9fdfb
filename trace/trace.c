/* trace.c: trace_build, the order of the model's steps (trace.h). */
#include "internal.h"

#include <string.h>

/* Make room for hop 0 and renumber; findings already recorded refer to
 * the old numbers. */
static struct hop *
prepend_hop(struct tctx *x)
{
	struct path *p = x->p;
	/* not zeroed: the old hops are copied over v + 1, v[0] cleared below */
	struct hop *v = arena_array_raw(x->a, p->n + 1, sizeof(*v));
	if (p->n)
		memcpy(v + 1, p->v, p->n * sizeof(*v));
	p->v = v;
	p->n++;
	for (size_t i = 0; i < p->n; i++)
		v[i].index = (int)i;
	for (size_t i = 0; i < x->f->n; i++)
		if (x->f->v[i].hop >= 0)
			x->f->v[i].hop++;
	memset(&v[0], 0, sizeof(v[0]));
	return &v[0];
}

/* X-Originating-IP and its kind: a virtual first hop from the Author's
 * client to the webmail host that wrote the header. */
static void
virtual_hop(struct tctx *x)
{
	long h = x->origin; /* evidence_origin */
	if (h < 0)
		return;
	struct str v = dom_norm(header_unfold(x->a, x->hb->v[h].value));
	struct net_addr ip;
	if (!net_parse(v, &ip))
		return;
	if (x->p->n && str_ieq_str(dom_norm(x->p->v[0].r.ip), v))
		return;
	struct str by = STR_NULL;
	if (x->p->n)
		by =
		    x->p->v[0].r.rdns.n ? x->p->v[0].r.rdns : x->p->v[0].r.helo;
	struct hop *hp = prepend_hop(x);
	hp->is_virtual = true;
	hp->header_index = (int)h;
	hp->actor = -1;
	hp->r.raw = x->hb->v[h].value;
	hp->r.parsed = hp->r.handover = true;
	hp->r.ip = v;
	hp->r.by = by;
	hp->r.mta = RCV_MTA_VIRTUAL;
}

/* Fixed texts: recorded as they are, not copied through a format. */
static void
findings(struct tctx *x)
{
	struct trace *t = x->t;
	if (x->p->n == 0) {
		findings_add_text(
		    x->f, "trace.no-received", SEV_WARNING, -1, -1,
		    "no Received field: the path is unknown (a draft "
		    "or a locally injected message)");
		return;
	}
	if (t->border_hop < 0)
		findings_add_text(
		    x->f, "trace.border-not-found", SEV_INFO, -1, -1,
		    "every hop is trusted: no Border crossed (sender "
		    "and recipient share a provider, or the trust "
		    "configuration covers the whole path)");
}

struct trace *
trace_build(const struct trace_config *c, const struct header_block *hb,
            const struct message_info *mi, struct path *p, struct arena *a,
            struct findings *f)
{
	struct trace *t = arena_alloc(a, sizeof(*t));
	struct tctx x = {
	    .c = c, .hb = hb, .mi = mi, .p = p, .a = a, .f = f, .t = t};
	t->forwarder = t->mediator = t->border_hop = -1;
	dom_begin(a);
	evidence_origin(&x);
	virtual_hop(&x);
	actor_idents(&x);
	trust_mark(&x);
	forge_check(&x);
	t->author_node = p->n && t->believed_from == 0 && x.submission[0] &&
	                 t->border_hop != 0;
	actor_group(&x);
	roles_assign(&x);
	notation_render(&x);
	findings(&x);
	return t;
}
