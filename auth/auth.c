/*
 * auth.c: auth_analyze, the order of the offline analysis (auth.h):
 * attribute the trace headers, then SPF checkpoints, DKIM, DMARC, ARC,
 * and last the break prediction that reads them all.
 */
#include "auth/internal.h"

#include <stddef.h>
#include <string.h>

int
actx_forwarder(const struct actx *x)
{
	const struct trace *t = x->t;
	return t && t->forwarder >= 0 && (size_t)t->forwarder < t->nactors
	           ? t->forwarder
	           : -1;
}

int
actx_mediator(const struct actx *x)
{
	const struct trace *t = x->t;
	return t && t->mediator >= 1 && (size_t)t->mediator < t->nactors &&
	               t->actors[t->mediator].first_node >= 1
	           ? t->mediator
	           : -1;
}

struct auth *
auth_analyze(const struct trace_config *c, const struct header_block *hb,
             const struct message_info *mi, struct str body,
             const struct path *p, const struct trace *t, struct arena *a,
             struct findings *f)
{
	/* breaks[] is most of the struct (8 KB) and brk() fills each entry
	 * it adds: zero only the members before it */
	struct auth *au = arena_alloc_raw(a, sizeof(*au));
	memset(au, 0, offsetof(struct auth, breaks));
	au->nbreaks = 0;
	struct actx x = {.c = c,
	                 .hb = hb,
	                 .mi = mi,
	                 .body = body,
	                 .p = p,
	                 .t = t,
	                 .a = a,
	                 .f = f,
	                 .au = au};
	if (mi->from_domain.n) {
		x.from_domain = orgdomain_normalize(a, mi->from_domain);
		x.from_org = orgdomain_of_normalized(x.from_domain);
	}
	attribute_headers(&x);
	spf_offline(&x);
	dkim_offline(&x);
	dmarc_offline(&x);
	arc_offline(&x);
	breaks_predict(&x);
	return au;
}
