/*
 * auth_out.c: the offline authentication analysis in JSON (key "auth")
 * and in text (the break lines under the notation, then a summary). Key
 * names are a contract: keys are only ever added.
 */
#include "sections.h"

#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "report.h"

/* ---- JSON ---- */

JSONW_INLINE void
kint_or_null(struct jsonw *w, const char *key, int v)
{
	if (v >= 0)
		jsonw_kint(w, key, v);
	else
		jsonw_knull(w, key);
}

static void
recorded_json(struct jsonw *w, const struct auth_reclist *l)
{
	jsonw_karr(w, "recorded");
	for (size_t i = 0; i < l->n; i++) {
		const struct auth_recorded *r = &l->v[i];
		jsonw_obj(w);
		kint_or_null(w, "hop", r->hop);
		jsonw_kint(w, "header_index", r->header);
		jsonw_kstr_or_null(w, "authserv_id", r->authserv_id);
		jsonw_kstr(w, "result", r->result);
		jsonw_kcstr(w, "status", auth_status_name(r->status));
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
}

static void
headers_json(struct jsonw *w, const struct auth *au)
{
	jsonw_karr(w, "headers");
	for (size_t i = 0; i < au->nheaders; i++) {
		const struct auth_header *h = &au->headers[i];
		jsonw_obj(w);
		jsonw_kint(w, "header_index", h->header);
		jsonw_kstr(w, "name", h->name);
		kint_or_null(w, "hop", h->hop);
		kint_or_null(w, "actor", h->actor);
		jsonw_kcstr(w, "role", h->role);
		jsonw_kcstr(w, "how", h->how);
		jsonw_kstr_or_null(w, "id", h->id);
		jsonw_kcstr(w, "status", auth_status_name(h->status));
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
}

static void
spf_json(struct jsonw *w, const struct auth *au)
{
	jsonw_karr(w, "spf");
	for (size_t i = 0; i < au->nspf; i++) {
		const struct auth_spf *s = &au->spf[i];
		jsonw_obj(w);
		jsonw_kint(w, "hop", s->hop);
		jsonw_kcstr(w, "role", s->role);
		jsonw_kcstr(w, "kind", s->kind);
		jsonw_kstr_or_null(w, "ip", s->ip);
		if (s->mail_from.p)
			jsonw_kstr(w, "mail_from", s->mail_from);
		else
			jsonw_knull(w, "mail_from");
		jsonw_kcstr(w, "source", s->source);
		kint_or_null(w, "source_header", s->source_header);
		jsonw_kstr_or_null(w, "domain", s->domain);
		if (s->srs) {
			jsonw_kobj(w, "srs");
			jsonw_kstr(w, "domain", s->srs_domain);
			jsonw_kstr(w, "local", s->srs_local);
			jsonw_obj_end(w);
		} else
			jsonw_knull(w, "srs");
		jsonw_kbool(w, "aligned",
		            s->alignment != ORGDOMAIN_UNALIGNED && !s->srs);
		jsonw_kcstr(w, "alignment", auth_alignment_name(s->alignment));
		jsonw_klit(w, "result", "unknown");
		jsonw_klit(w, "reason", "checking the SPF record needs DNS");
		recorded_json(w, &s->recorded);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
}

static void
dkim_one(struct jsonw *w, const struct auth_dkim *k)
{
	const struct dkim_sig *s = k->sig;
	jsonw_obj(w);
	jsonw_kint(w, "header_index", s->header);
	jsonw_kstr_or_null(w, "d", s->d);
	jsonw_kstr_or_null(w, "s", s->s);
	jsonw_kstr_or_null(w, "a", s->a);
	char c[32];
	snprintf(c, sizeof(c), "%s/%s", dkim_canon_name(s->hcanon),
	         dkim_canon_name(s->bcanon));
	jsonw_kcstr(w, "c", c);
	jsonw_kcstr(w, "body_hash", dkim_bh_verdict_name(s->bh_verdict));
	if (s->has_l)
		jsonw_kint(w, "l",
		           s->l > INT64_MAX ? INT64_MAX : (int64_t)s->l);
	else
		jsonw_knull(w, "l");
	jsonw_karr(w, "signed_headers");
	for (size_t i = 0; i < s->nnames; i++)
		jsonw_str(w, s->names[i]);
	jsonw_arr_end(w);
	jsonw_kbool(w, "from_signed", s->from_signed);
	jsonw_kint(w, "oversigned", (int64_t)s->n_oversigned);
	jsonw_kbool(w, "rsa_sha1", s->alg == DKIM_ALG_RSA_SHA1);
	if (s->has_t)
		jsonw_kint(w, "t", s->t);
	else
		jsonw_knull(w, "t");
	if (s->has_x)
		jsonw_kint(w, "x", s->x);
	else
		jsonw_knull(w, "x");
	jsonw_kbool(w, "expired", k->expired);
	jsonw_kbool(w, "aligned", k->alignment != ORGDOMAIN_UNALIGNED);
	jsonw_kcstr(w, "alignment", auth_alignment_name(k->alignment));
	jsonw_klit(w, "result", "unknown");
	jsonw_kcstr(w, "reason", k->reason);
	recorded_json(w, &k->recorded);
	jsonw_obj_end(w);
}

static void
dmarc_json(struct jsonw *w, const struct auth_dmarc *d)
{
	jsonw_kobj(w, "dmarc");
	jsonw_kstr_or_null(w, "from_domain", d->from_domain);
	jsonw_kstr_or_null(w, "org_domain", d->org_domain);
	jsonw_kbool(w, "spf_aligned", d->spf_aligned);
	jsonw_kbool(w, "dkim_aligned", d->dkim_aligned);
	jsonw_kbool(w, "final_spf_aligned", d->final_spf_aligned);
	jsonw_kbool(w, "final_dkim_aligned", d->final_dkim_aligned);
	jsonw_klit(w, "result", "unknown");
	recorded_json(w, &d->recorded);
	jsonw_obj_end(w);
}

static const char *
cv_name(enum arc_cv cv)
{
	return cv == ARC_CV_NONE   ? "none"
	       : cv == ARC_CV_PASS ? "pass"
	       : cv == ARC_CV_FAIL ? "fail"
	                           : NULL;
}

static void
arc_json(struct jsonw *w, const struct auth_arc *ar)
{
	jsonw_kobj(w, "arc");
	jsonw_kcstr(w, "result", arc_result_name(ar->result));
	jsonw_kcstr(w, "reason", ar->reason);
	jsonw_karr(w, "sets");
	for (size_t i = 0; i < ar->nsets; i++) {
		const struct auth_arc_set *s = &ar->sets[i];
		jsonw_obj(w);
		jsonw_kint(w, "instance", s->instance);
		jsonw_kstr_or_null(w, "sealer", s->sealer);
		jsonw_kcstr(w, "cv", cv_name(s->cv));
		kint_or_null(w, "header_index", s->header);
		kint_or_null(w, "hop", s->hop);
		kint_or_null(w, "actor", s->actor);
		jsonw_kstr_or_null(w, "aar_authserv_id", s->aar_id);
		jsonw_karr(w, "aar_results");
		for (size_t k = 0; s->aar && k < s->aar->n; k++) {
			const struct authres_result *r = &s->aar->v[k];
			jsonw_obj(w);
			jsonw_kstr(w, "method", r->method);
			jsonw_kstr(w, "result", r->result);
			jsonw_obj_end(w);
		}
		jsonw_arr_end(w);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
	jsonw_obj_end(w);
}

static void
breaks_json(struct jsonw *w, const struct auth *au)
{
	jsonw_karr(w, "breaks");
	for (size_t i = 0; i < au->nbreaks; i++) {
		const struct auth_break *b = &au->breaks[i];
		jsonw_obj(w);
		jsonw_kcstr(w, "check", b->check);
		kint_or_null(w, "at_hop", b->at_hop);
		jsonw_kcstr(w, "role", b->role);
		jsonw_kcstr(w, "effect", b->effect);
		jsonw_kcstr(w, "reason", b->reason);
		jsonw_karr(w, "evidence");
		for (size_t k = 0; k < b->nev; k++) {
			jsonw_obj(w);
			kint_or_null(w, "hop", b->ev[k].hop);
			kint_or_null(w, "header_index", b->ev[k].header);
			jsonw_kcstr(w, "text", b->ev[k].text);
			jsonw_obj_end(w);
		}
		jsonw_arr_end(w);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
}

void
report_auth_json(struct jsonw *w, const struct analysis *an)
{
	const struct auth *au = an->auth;
	if (!au)
		return;
	jsonw_kobj(w, "auth");
	if (au->has_arrival) {
		char *d = jsonw_kplain(w, "arrival", REPORT_ISO8601_MAX);
		jsonw_kplain_end(w, report_iso8601(d, REPORT_ISO8601_MAX,
		                                   (long long)au->arrival));
	} else
		jsonw_knull(w, "arrival");
	headers_json(w, au);
	spf_json(w, au);
	jsonw_karr(w, "dkim");
	for (size_t i = 0; i < au->ndkim; i++)
		dkim_one(w, &au->dkim[i]);
	jsonw_arr_end(w);
	dmarc_json(w, &au->dmarc);
	arc_json(w, &au->arc);
	breaks_json(w, au);
	jsonw_obj_end(w);
}

/* ---- text ---- */

static void
safe(struct obuf *o, struct str s)
{
	text_safe(o, s);
}

static void
safe_c(struct obuf *o, const char *s)
{
	if (s)
		text_safe(o, str_make(s, strlen(s)));
}

static const char *
check_name(const char *c)
{
	return strcmp(c, "spf") == 0     ? "SPF"
	       : strcmp(c, "dkim") == 0  ? "DKIM"
	       : strcmp(c, "dmarc") == 0 ? "DMARC"
	       : strcmp(c, "arc") == 0   ? "ARC"
	                                 : "all checks";
}

static void
break_lines(struct obuf *o, const struct auth *au)
{
	for (size_t i = 0; i < au->nbreaks; i++) {
		const struct auth_break *b = &au->breaks[i];
		if (b->at_hop >= 0) {
			obuf_puts(o, "   hop ");
			obuf_putint(o, b->at_hop);
			obuf_putc(o, ' ');
		} else
			obuf_puts(o, "   hop ? ");
		obuf_puts(o, b->role);
		obuf_puts(o, ", ");
		obuf_puts(o, check_name(b->check));
		obuf_putc(o, ' ');
		obuf_puts(o, b->effect);
		obuf_puts(o, ": ");
		safe_c(o, b->reason);
		obuf_putc(o, '\n');
	}
}

static void
recorded_text(struct obuf *o, const struct auth_reclist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct auth_recorded *r = &l->v[i];
		obuf_puts(o, i ? ", " : "; recorded ");
		safe(o, r->result);
		if (r->hop >= 0)
			obuf_printf(o, " at hop %d", r->hop);
		if (r->authserv_id.n) {
			obuf_puts(o, " by ");
			safe(o, r->authserv_id);
		}
		obuf_printf(o, " (%s)", auth_status_name(r->status));
	}
}

static void
spf_text(struct obuf *o, const struct auth *au)
{
	for (size_t i = 0; i < au->nspf; i++) {
		const struct auth_spf *s = &au->spf[i];
		obuf_printf(o, "  SPF    hop %d %s: MAIL FROM ", s->hop,
		            s->role ? s->role : "?");
		if (s->mail_from.p) {
			obuf_putc(o, '<');
			safe(o, s->mail_from);
			obuf_printf(o, "> (%s)", s->source);
		} else
			obuf_puts(o, "unknown");
		if (s->srs) {
			obuf_puts(o, ", SRS for ");
			safe(o, s->srs_domain);
		}
		obuf_puts(o, ", client ");
		safe(o, s->ip.n ? s->ip : STR_LIT("?"));
		obuf_printf(o, ", %s",
		            s->srs ? "unaligned"
		                   : auth_alignment_name(s->alignment));
		recorded_text(o, &s->recorded);
		obuf_putc(o, '\n');
	}
}

static void
dkim_text(struct obuf *o, const struct auth *au)
{
	for (size_t i = 0; i < au->ndkim; i++) {
		const struct auth_dkim *k = &au->dkim[i];
		const struct dkim_sig *s = k->sig;
		obuf_printf(o, "  DKIM   header %d d=", s->header);
		safe(o, s->d);
		obuf_puts(o, " s=");
		safe(o, s->s);
		obuf_printf(o, " %s %s/%s: body hash %s%s%s, %s, %s",
		            dkim_alg_name(s->alg), dkim_canon_name(s->hcanon),
		            dkim_canon_name(s->bcanon),
		            dkim_bh_verdict_name(s->bh_verdict),
		            s->has_l ? " (l=)" : "",
		            k->expired ? ", expired" : "",
		            s->from_signed ? "From signed" : "From NOT signed",
		            auth_alignment_name(k->alignment));
		if (s->n_oversigned)
			obuf_printf(o, ", %zu over-signed", s->n_oversigned);
		obuf_puts(o, "; result unknown offline");
		recorded_text(o, &k->recorded);
		obuf_putc(o, '\n');
	}
}

static void
dmarc_text(struct obuf *o, const struct auth *au)
{
	const struct auth_dmarc *d = &au->dmarc;
	if (!d->from_domain.n)
		return;
	obuf_puts(o, "  DMARC  From ");
	safe(o, d->from_domain);
	obuf_printf(o,
	            ": at the first Receiver SPF %s, DKIM %s; at the last SPF "
	            "%s, DKIM %s",
	            d->spf_aligned ? "aligned" : "not aligned",
	            d->dkim_aligned ? "aligned" : "not aligned",
	            d->final_spf_aligned ? "aligned" : "not aligned",
	            d->final_dkim_aligned ? "aligned" : "not aligned");
	recorded_text(o, &d->recorded);
	obuf_putc(o, '\n');
}

static void
arc_text(struct obuf *o, const struct auth *au)
{
	const struct auth_arc *ar = &au->arc;
	if (ar->result == ARC_NONE)
		return;
	obuf_printf(o, "  ARC    chain %s", arc_result_name(ar->result));
	if (ar->reason) {
		obuf_puts(o, " (");
		safe_c(o, ar->reason);
		obuf_putc(o, ')');
	}
	for (size_t i = 0; i < ar->nsets; i++) {
		const struct auth_arc_set *s = &ar->sets[i];
		obuf_printf(o, "%s i=%ld d=", i ? "," : ":", s->instance);
		safe(o, s->sealer);
		obuf_printf(o, " cv=%s", cv_name(s->cv) ? cv_name(s->cv) : "?");
		if (s->hop >= 0)
			obuf_printf(o, " at hop %d", s->hop);
	}
	obuf_putc(o, '\n');
}

static void
headers_text(struct obuf *o, const struct auth *au)
{
	for (size_t i = 0; i < au->nheaders; i++) {
		const struct auth_header *h = &au->headers[i];
		if (h->status == AUTH_NOT_RESULT)
			continue;
		obuf_printf(o, "  %-6s header %d ", auth_status_name(h->status),
		            h->header);
		safe(o, h->name);
		if (h->id.n) {
			obuf_puts(o, " ");
			safe(o, h->id);
		}
		if (h->hop >= 0)
			obuf_printf(o, ": hop %d", h->hop);
		else
			obuf_puts(o, ": below every Received");
		if (h->role)
			obuf_printf(o, " (%s)", h->role);
		obuf_putc(o, '\n');
	}
}

void
report_auth_text(struct obuf *o, const struct analysis *an,
                 const struct text_style *st)
{
	const struct auth *au = an->auth;
	(void)st;
	if (!au)
		return;
	break_lines(o, au);
	if (!au->nspf && !au->ndkim && au->arc.result == ARC_NONE &&
	    !au->nheaders)
		return;
	obuf_puts(o, "\nAuthentication (offline: what needs DNS is unknown)\n");
	spf_text(o, au);
	dkim_text(o, au);
	dmarc_text(o, au);
	arc_text(o, au);
	headers_text(o, au);
}
