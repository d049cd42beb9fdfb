/*
 * arc_offline.c: the ARC sets (RFC 8617) grouped and judged from their
 * structure (arc_collect), each attributed to the hop whose relay sealed
 * it: the ARC-Seal's position, or its d= against the by-hosts.
 */
#include "auth/internal.h"

void
arc_offline(struct actx *x)
{
	struct auth_arc *ar = &x->au->arc;
	if (!arc_any(x->hb)) {
		/* what arc_collect finds, without its pass over every field
		 * and the zeroing of a chain of ARC_MAX_INSTANCE sets */
		ar->result = ARC_NONE;
		ar->reason = ARC_NONE_REASON;
		ar->absent = true;
		return;
	}
	struct arc_chain *c = arena_alloc(x->a, sizeof(*c));
	ar->result = arc_collect(x->hb, x->a, x->f, c);
	ar->reason = c->reason;
	long n = c->max_instance;
	ar->sets =
	    arena_array(x->a, (size_t)(n > 0 ? n : 1), sizeof(*ar->sets));
	for (long i = 1; i <= n; i++) {
		const struct arc_set *s = &c->sets[i];
		struct auth_arc_set *o = &ar->sets[ar->nsets++];
		o->instance = i;
		o->header = -1;
		o->hop = o->actor = -1;
		if (s->as) {
			o->sealer = str_trim(tags_get(&s->as->tags, "d", NULL));
			o->cv = s->as->cv;
			o->header = s->as->header;
		}
		const struct auth_header *h = attr_header_at(
		    x, o->header >= 0 ? o->header : s->aar_header);
		if (h) {
			o->hop = h->hop;
			o->actor = h->actor;
		}
		if (s->aar) {
			o->aar = s->aar;
			o->aar_id = s->aar->authserv_id;
		}
	}
}
