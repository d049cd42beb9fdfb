/*
 * dkim_offline.c: every DKIM-Signature with its body hash recomputed from
 * the raw bytes (dkim_analyse), x= against the arrival time (the top
 * Received date), alignment of d= with From (RFC 7489 §3.1.1) and what
 * the results headers recorded for it. Checking b= needs the key: the
 * offline result is "unknown", never "fail" (RFC 6376 §6.1.3).
 */
#include "auth/internal.h"

#include <string.h>

/* The arrival time: the date of the topmost dated Received field. */
static void
arrival(struct actx *x)
{
	for (size_t k = x->p->n; k-- > 0;) {
		const struct hop *h = &x->p->v[k];
		if (!h->is_virtual && h->r.has_date) {
			x->au->has_arrival = true;
			x->au->arrival = h->r.time;
			return;
		}
	}
}

/* Does result r (method dkim) speak of signature s? header.d (or the
 * domain of header.i) must be d=, header.s and header.b (a prefix of b=,
 * RFC 6008) must agree when present. Without any of them it is taken to
 * speak of the only signature. */
static bool
speaks_of(const struct actx *x, const struct auth_header *h,
          const struct authres_result *r, const void *arg)
{
	(void)h;
	const struct dkim_sig *s = arg;
	if (!r)
		return false;
	const struct authres_prop *d = authres_prop(r, "header", "d");
	const struct authres_prop *i = authres_prop(r, "header", "i");
	const struct authres_prop *sel = authres_prop(r, "header", "s");
	const struct authres_prop *b = authres_prop(r, "header", "b");
	if (!d && !i && !b)
		return x->au->ndkim == 1;
	if (d && !str_ieq_str(str_trim(d->value), s->d))
		return false;
	if (!d && i && !str_ieq_str(message_addr_domain(i->value), s->d) &&
	    !str_ieq_str(message_addr_domain(i->value), s->auid_domain))
		return false;
	if (sel && !str_ieq_str(str_trim(sel->value), s->s))
		return false;
	if (b && (b->value.n > s->b.n ||
	          memcmp(b->value.p, s->b.p, b->value.n) != 0))
		return false;
	return true;
}

static const char *
reason(struct actx *x, const struct auth_dkim *k)
{
	const struct dkim_sig *s = k->sig;
	const char *bh;
	switch (s->bh_verdict) {
	case DKIM_BH_MATCH:
		bh = "the body hash matches: the body is as signed";
		break;
	case DKIM_BH_MISMATCH:
		bh = "the body hash does not match: the body changed after "
		     "signing, so the signature cannot verify";
		break;
	default:
		bh = arena_printf(x->a, "the body hash cannot be checked (%s)",
		                  s->why ? s->why : "bad bh=, a= or c=");
	}
	return arena_printf(
	    x->a,
	    "%s; %s%s; verifying b= needs the key of %.*s._domainkey."
	    "%.*s: unknown offline",
	    bh, s->from_signed ? "From is signed" : "From is NOT signed",
	    k->expired ? "; expired before arrival (x=)" : "",
	    (int)(s->s.n > 64 ? 64 : s->s.n), s->s.p ? s->s.p : "",
	    (int)(s->d.n > 64 ? 64 : s->d.n), s->d.p ? s->d.p : "");
}

void
dkim_offline(struct actx *x)
{
	struct auth *au = x->au;
	arrival(x);
	const char *buf = x->body.p ? x->body.p - x->hb->body : NULL;
	size_t len = x->hb->body + x->body.n;
	if (!buf && x->hb->n)
		buf = x->hb->v[0].raw.p - x->hb->v[0].offset;
	struct dkim_options opt = {.body_hashes = true,
	                           .has_arrival = au->has_arrival,
	                           .arrival = au->arrival};
	struct dkim_result res = {0};
	if (buf)
		dkim_analyse(buf, len, x->hb, x->a, &opt, &res, x->f);
	/* none for most messages: no block to zero (an auth_dkim holds a
	 * list of recorded results; 114.40 M -> 114.23 M instructions on c8) */
	au->dkim = res.n ? arena_array(x->a, res.n, sizeof(*au->dkim)) : NULL;
	au->ndkim = res.n;
	for (size_t i = 0; i < res.n; i++) {
		struct auth_dkim *k = &au->dkim[i];
		k->sig = &res.v[i];
		k->expired =
		    au->has_arrival && k->sig->has_x && k->sig->x < au->arrival;
		if (x->from_domain.n && k->sig->d.n)
			k->alignment = orgdomain_align_org(
			    x->a, x->from_domain, x->from_org, k->sig->d);
	}
	for (size_t i = 0; i < res.n; i++) {
		struct auth_dkim *k = &au->dkim[i];
		attr_recorded(x, "dkim", speaks_of, k->sig, &k->recorded);
		k->reason = reason(x, k);
	}
}
