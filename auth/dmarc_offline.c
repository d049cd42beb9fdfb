/*
 * dmarc_offline.c: DMARC without the policy record: which identities
 * align with the From domain (RFC 7489 §3.1, relaxed mode, the default
 * of adkim= and aspf=), at the first checkpoint and at the last, and
 * what the recipient side recorded.
 */
#include "auth/internal.h"

/* An aligned signature whose body still matches (or cannot be checked):
 * it can still verify at the end of the path. */
static bool
dkim_survives(const struct actx *x)
{
	for (size_t i = 0; i < x->au->ndkim; i++) {
		const struct auth_dkim *k = &x->au->dkim[i];
		if (k->alignment != ORGDOMAIN_UNALIGNED &&
		    k->sig->bh_verdict != DKIM_BH_MISMATCH && !k->expired &&
		    !(k->sig->problems & ~DKIM_P_FROM) && k->sig->from_signed)
			return true;
	}
	return false;
}

/* Did an aligned signature exist when the message was sent? */
static bool
dkim_signed_aligned(const struct actx *x)
{
	for (size_t i = 0; i < x->au->ndkim; i++)
		if (x->au->dkim[i].alignment != ORGDOMAIN_UNALIGNED)
			return true;
	return false;
}

static bool
spf_aligned(const struct auth_spf *s)
{
	return s->alignment != ORGDOMAIN_UNALIGNED && !s->srs;
}

void
dmarc_offline(struct actx *x)
{
	struct auth_dmarc *d = &x->au->dmarc;
	d->from_domain = x->from_domain;
	d->org_domain = x->from_org;
	d->dkim_aligned = dkim_signed_aligned(x);
	d->final_dkim_aligned = dkim_survives(x);
	if (x->au->nspf) {
		d->spf_aligned = spf_aligned(&x->au->spf[0]);
		d->final_spf_aligned =
		    spf_aligned(&x->au->spf[x->au->nspf - 1]);
	}
	attr_recorded(x, "dmarc", NULL, NULL, &d->recorded);
}
