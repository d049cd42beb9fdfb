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

/* Spans (jsonw.h): each writer continues the span at d and returns its
 * end; members come with their leading comma. */

/* auth_status_name(s) quoted (jsonw_put_name) */
static const struct jsonw_name *
status_json(enum auth_status s)
{
	static const struct jsonw_name v[] = {
	    AUTH_STATUS_NAMES(JSONW_NAME_ITEM)};
	return &v[(unsigned)s <= AUTH_NOT_RESULT ? s : AUTH_NOT_RESULT];
}

/* auth_alignment_name(al) quoted */
static const struct jsonw_name *
alignment_json(enum orgdomain_alignment al)
{
	static const struct jsonw_name v[] = {
	    AUTH_ALIGNMENT_NAMES(JSONW_NAME_ITEM)};
	return &v[(unsigned)al <= ORGDOMAIN_STRICT ? al : ORGDOMAIN_UNALIGNED];
}

/* auth_check_name(c) quoted */
static const struct jsonw_name *
check_json(enum auth_check c)
{
	static const struct jsonw_name v[] = {
	    AUTH_CHECK_NAMES(JSONW_NAME_ITEM)};
	return &v[(unsigned)c <= AUTH_CHECK_ALL ? c : AUTH_CHECK_ALL];
}

/* auth_effect_name(e) quoted: a name from the table, the longer one as
 * a literal (measured: 112.62 M -> 112.31 M instructions on c8, with
 * check_json) */
static char *
put_effect(char *d, enum auth_effect e)
{
	static const struct jsonw_name v[] = {
	    AUTH_EFFECT_NAMES(JSONW_NAME_ITEM)};
	if ((unsigned)e < sizeof(v) / sizeof(*v))
		return jsonw_put_name(d, &v[e]);
	return JSONW_LIT(d, "\"judges-forwarder\"");
}

/* a role (roles are enums, written from report_put_hop_role's table,
 * not measured and escaped: 112.31 M -> 112.00 M instructions on c8);
 * none is null, or "?" in a break */
static char *
put_role(char *d, enum hop_role r, bool in_break)
{
	if (in_break && !(r > HOP_ROLE_NONE && r < HOP_NROLES))
		return JSONW_LIT(d, "\"?\"");
	return report_put_hop_role(d, r);
}

/* auth_spf_kind quoted */
static const struct jsonw_name *
spf_kind_json(enum auth_spf_kind k)
{
	static const struct jsonw_name v[] = {
	    AUTH_SPF_KIND_NAMES(JSONW_NAME_ITEM)};
	return &v[(unsigned)k <= AUTH_SPF_RECORDED ? k : AUTH_SPF_RECORDED];
}

/* auth_how quoted, padded to 64 bytes: copied whole (within the span's
 * slack), as jsonw_put_name does (measured: 112.00 M -> 111.77 M
 * instructions on c8, with spf_kind_json) */
struct how_json {
	char s[63];
	unsigned char n;
};
#define HOW_JSON(lit)                                                          \
	{"\"" lit "\"",                                                        \
	 sizeof(lit) + 1 + 0 * sizeof(char[sizeof(lit) <= 62 ? 1 : -1])},

static char *
put_how(char *d, enum auth_how h)
{
	static const struct how_json v[] = {AUTH_HOW_NAMES(HOW_JSON)};
	_Static_assert(sizeof(v) / sizeof(*v) == AUTH_HOW_BY_HOST_ABOVE + 1,
	               "a text for each how");
	const struct how_json *e =
	    &v[(unsigned)h <= AUTH_HOW_BY_HOST_ABOVE ? h : AUTH_HOW_ABOVE];
	memcpy(d, e, sizeof(*e));
	return d + e->n;
}
#undef HOW_JSON

/* ,"recorded":[...] */
static char *
put_recorded(struct jsonw *w, char *d, const struct auth_reclist *l)
{
	d = JSONW_LIT(d, ",\"recorded\":[");
	/* the list in locals, as in put_evidence (trace_out.c) */
	const struct auth_recorded *v = l->v;
	size_t n = l->n;
	for (size_t i = 0; i < n; i++) {
		const struct auth_recorded *r = &v[i];
		if (i)
			*d++ = ',';
		d = JSONW_LIT(d, "{\"hop\":");
		d = jsonw_put_index(d, r->hop);
		d = JSONW_LIT(d, ",\"header_index\":");
		d = jsonw_put_int(d, r->header);
		d = JSONW_LIT(d, ",\"authserv_id\":");
		d = jsonw_put_str_or_null(w, d, r->authserv_id);
		d = JSONW_LIT(d, ",\"result\":");
		d = jsonw_put_str(w, d, r->result);
		d = JSONW_LIT(d, ",\"status\":");
		d = jsonw_put_name(d, status_json(r->status));
		*d++ = '}';
	}
	*d++ = ']';
	return d;
}

static char *
put_headers(struct jsonw *w, char *d, const struct auth *au)
{
	d = JSONW_LIT(d, ",\"headers\":[");
	/* the list in locals, as in put_evidence (trace_out.c) */
	const struct auth_header *v = au->headers;
	size_t n = au->nheaders;
	for (size_t i = 0; i < n; i++) {
		const struct auth_header *h = &v[i];
		if (i)
			*d++ = ',';
		d = JSONW_LIT(d, "{\"header_index\":");
		d = jsonw_put_int(d, h->header);
		d = JSONW_LIT(d, ",\"name\":");
		d = jsonw_put_str(w, d, h->name);
		d = JSONW_LIT(d, ",\"hop\":");
		d = jsonw_put_index(d, h->hop);
		d = JSONW_LIT(d, ",\"actor\":");
		d = jsonw_put_index(d, h->actor);
		d = JSONW_LIT(d, ",\"role\":");
		d = put_role(d, h->role, false);
		d = JSONW_LIT(d, ",\"how\":");
		d = put_how(d, h->how);
		d = JSONW_LIT(d, ",\"id\":");
		d = jsonw_put_str_or_null(w, d, h->id);
		d = JSONW_LIT(d, ",\"status\":");
		d = jsonw_put_name(d, status_json(h->status));
		*d++ = '}';
	}
	*d++ = ']';
	return d;
}

static char *
put_spf(struct jsonw *w, char *d, const struct auth *au)
{
	d = JSONW_LIT(d, ",\"spf\":[");
	for (size_t i = 0; i < au->nspf; i++) {
		const struct auth_spf *s = &au->spf[i];
		if (i)
			*d++ = ',';
		d = JSONW_LIT(d, "{\"hop\":");
		d = jsonw_put_int(d, s->hop);
		d = JSONW_LIT(d, ",\"role\":");
		d = put_role(d, s->role, false);
		d = JSONW_LIT(d, ",\"kind\":");
		d = jsonw_put_name(d, spf_kind_json(s->kind));
		d = JSONW_LIT(d, ",\"ip\":");
		d = jsonw_put_str_or_null(w, d, s->ip);
		d = JSONW_LIT(d, ",\"mail_from\":");
		if (s->mail_from.p)
			d = jsonw_put_str(w, d, s->mail_from);
		else
			d = JSONW_LIT(d, "null");
		d = JSONW_LIT(d, ",\"source\":");
		d = jsonw_put_cstr(w, d, s->source);
		d = JSONW_LIT(d, ",\"source_header\":");
		d = jsonw_put_index(d, s->source_header);
		d = JSONW_LIT(d, ",\"domain\":");
		d = jsonw_put_str_or_null(w, d, s->domain);
		if (s->srs) {
			d = JSONW_LIT(d, ",\"srs\":{\"domain\":");
			d = jsonw_put_str(w, d, s->srs_domain);
			d = JSONW_LIT(d, ",\"local\":");
			d = jsonw_put_str(w, d, s->srs_local);
			d = JSONW_LIT(d, "},\"aligned\":");
		} else
			d = JSONW_LIT(d, ",\"srs\":null,\"aligned\":");
		d = jsonw_put_bool(d, s->alignment != ORGDOMAIN_UNALIGNED &&
		                          !s->srs);
		d = JSONW_LIT(d, ",\"alignment\":");
		d = jsonw_put_name(d, alignment_json(s->alignment));
		d = JSONW_LIT(d,
		              ",\"result\":\"unknown\",\"reason\":\"checking "
		              "the SPF record needs DNS\"");
		d = put_recorded(w, d, &s->recorded);
		*d++ = '}';
	}
	*d++ = ']';
	return d;
}

/* the value of "c": "hcanon/bcanon", as the snprintf into 32 bytes it
 * replaces */
static char *
put_canon(struct jsonw *w, char *d, const struct dkim_sig *s)
{
	char c[32];
	const char *h = dkim_canon_name(s->hcanon);
	const char *b = dkim_canon_name(s->bcanon);
	size_t hn = h ? strlen(h) : 0, bn = b ? strlen(b) : 0;
	if (h && b && hn + 1 + bn < sizeof(c)) {
		memcpy(c, h, hn);
		c[hn] = '/';
		memcpy(c + hn + 1, b, bn);
		return jsonw_put_str(w, d, str_make(c, hn + 1 + bn));
	}
	snprintf(c, sizeof(c), "%s/%s", h, b);
	return jsonw_put_cstr(w, d, c);
}

static char *
put_dkim_one(struct jsonw *w, char *d, const struct auth_dkim *k)
{
	const struct dkim_sig *s = k->sig;
	d = JSONW_LIT(d, "{\"header_index\":");
	d = jsonw_put_int(d, s->header);
	d = JSONW_LIT(d, ",\"d\":");
	d = jsonw_put_str_or_null(w, d, s->d);
	d = JSONW_LIT(d, ",\"s\":");
	d = jsonw_put_str_or_null(w, d, s->s);
	d = JSONW_LIT(d, ",\"a\":");
	d = jsonw_put_str_or_null(w, d, s->a);
	d = JSONW_LIT(d, ",\"c\":");
	d = put_canon(w, d, s);
	d = JSONW_LIT(d, ",\"body_hash\":");
	d = jsonw_put_cstr(w, d, dkim_bh_verdict_name(s->bh_verdict));
	d = JSONW_LIT(d, ",\"l\":");
	if (s->has_l)
		d = jsonw_put_int(d,
		                  s->l > INT64_MAX ? INT64_MAX : (int64_t)s->l);
	else
		d = JSONW_LIT(d, "null");
	d = JSONW_LIT(d, ",\"signed_headers\":[");
	for (size_t i = 0; i < s->nnames; i++) {
		if (i)
			*d++ = ',';
		d = jsonw_put_str(w, d, s->names[i]);
	}
	d = JSONW_LIT(d, "],\"from_signed\":");
	d = jsonw_put_bool(d, s->from_signed);
	d = JSONW_LIT(d, ",\"oversigned\":");
	d = jsonw_put_int(d, (int64_t)s->n_oversigned);
	d = JSONW_LIT(d, ",\"rsa_sha1\":");
	d = jsonw_put_bool(d, s->alg == DKIM_ALG_RSA_SHA1);
	d = JSONW_LIT(d, ",\"t\":");
	if (s->has_t)
		d = jsonw_put_int(d, s->t);
	else
		d = JSONW_LIT(d, "null");
	d = JSONW_LIT(d, ",\"x\":");
	if (s->has_x)
		d = jsonw_put_int(d, s->x);
	else
		d = JSONW_LIT(d, "null");
	d = JSONW_LIT(d, ",\"expired\":");
	d = jsonw_put_bool(d, k->expired);
	d = JSONW_LIT(d, ",\"aligned\":");
	d = jsonw_put_bool(d, k->alignment != ORGDOMAIN_UNALIGNED);
	d = JSONW_LIT(d, ",\"alignment\":");
	d = jsonw_put_name(d, alignment_json(k->alignment));
	d = JSONW_LIT(d, ",\"result\":\"unknown\",\"reason\":");
	d = jsonw_put_cstr(w, d, k->reason);
	d = put_recorded(w, d, &k->recorded);
	*d++ = '}';
	return d;
}

static char *
put_dmarc(struct jsonw *w, char *d, const struct auth_dmarc *m)
{
	d = JSONW_LIT(d, ",\"dmarc\":{\"from_domain\":");
	d = jsonw_put_str_or_null(w, d, m->from_domain);
	d = JSONW_LIT(d, ",\"org_domain\":");
	d = jsonw_put_str_or_null(w, d, m->org_domain);
	d = JSONW_LIT(d, ",\"spf_aligned\":");
	d = jsonw_put_bool(d, m->spf_aligned);
	d = JSONW_LIT(d, ",\"dkim_aligned\":");
	d = jsonw_put_bool(d, m->dkim_aligned);
	d = JSONW_LIT(d, ",\"final_spf_aligned\":");
	d = jsonw_put_bool(d, m->final_spf_aligned);
	d = JSONW_LIT(d, ",\"final_dkim_aligned\":");
	d = jsonw_put_bool(d, m->final_dkim_aligned);
	d = JSONW_LIT(d, ",\"result\":\"unknown\"");
	d = put_recorded(w, d, &m->recorded);
	*d++ = '}';
	return d;
}

static const char *
cv_name(enum arc_cv cv)
{
	return cv == ARC_CV_NONE   ? "none"
	       : cv == ARC_CV_PASS ? "pass"
	       : cv == ARC_CV_FAIL ? "fail"
	                           : NULL;
}

static char *
put_arc(struct jsonw *w, char *d, const struct auth_arc *ar)
{
	/* no ARC field (most messages): one literal rather than two strings
	 * measured and escaped (ARC_NONE_REASON needs no escaping; measured:
	 * 111.77 M -> 111.59 M instructions on c8) */
	if (ar->absent)
		return JSONW_LIT(d, ",\"arc\":{\"result\":\"none\",\"reason\":"
		                    "\"" ARC_NONE_REASON "\",\"sets\":[]}");
	d = JSONW_LIT(d, ",\"arc\":{\"result\":");
	d = jsonw_put_cstr(w, d, arc_result_name(ar->result));
	d = JSONW_LIT(d, ",\"reason\":");
	d = jsonw_put_cstr(w, d, ar->reason);
	d = JSONW_LIT(d, ",\"sets\":[");
	for (size_t i = 0; i < ar->nsets; i++) {
		const struct auth_arc_set *s = &ar->sets[i];
		if (i)
			*d++ = ',';
		d = JSONW_LIT(d, "{\"instance\":");
		d = jsonw_put_int(d, s->instance);
		d = JSONW_LIT(d, ",\"sealer\":");
		d = jsonw_put_str_or_null(w, d, s->sealer);
		d = JSONW_LIT(d, ",\"cv\":");
		d = jsonw_put_cstr(w, d, cv_name(s->cv));
		d = JSONW_LIT(d, ",\"header_index\":");
		d = jsonw_put_index(d, s->header);
		d = JSONW_LIT(d, ",\"hop\":");
		d = jsonw_put_index(d, s->hop);
		d = JSONW_LIT(d, ",\"actor\":");
		d = jsonw_put_index(d, s->actor);
		d = JSONW_LIT(d, ",\"aar_authserv_id\":");
		d = jsonw_put_str_or_null(w, d, s->aar_id);
		d = JSONW_LIT(d, ",\"aar_results\":[");
		for (size_t k = 0; s->aar && k < s->aar->n; k++) {
			const struct authres_result *r = &s->aar->v[k];
			if (k)
				*d++ = ',';
			d = JSONW_LIT(d, "{\"method\":");
			d = jsonw_put_str(w, d, r->method);
			d = JSONW_LIT(d, ",\"result\":");
			d = jsonw_put_str(w, d, r->result);
			*d++ = '}';
		}
		d = JSONW_LIT(d, "]}");
	}
	d = JSONW_LIT(d, "]}");
	return d;
}

static char *
put_breaks(struct jsonw *w, char *d, const struct auth *au)
{
	d = JSONW_LIT(d, ",\"breaks\":[");
	for (size_t i = 0; i < au->nbreaks; i++) {
		const struct auth_break *b = &au->breaks[i];
		if (i)
			*d++ = ',';
		d = JSONW_LIT(d, "{\"check\":");
		d = jsonw_put_name(d, check_json(b->check));
		d = JSONW_LIT(d, ",\"at_hop\":");
		d = jsonw_put_index(d, b->at_hop);
		d = JSONW_LIT(d, ",\"role\":");
		d = put_role(d, b->role, true);
		d = JSONW_LIT(d, ",\"effect\":");
		d = put_effect(d, b->effect);
		d = JSONW_LIT(d, ",\"reason\":");
		d = jsonw_put_cstr(w, d, b->reason);
		d = JSONW_LIT(d, ",\"evidence\":[");
		for (size_t k = 0; k < b->nev; k++) {
			if (k)
				*d++ = ',';
			d = JSONW_LIT(d, "{\"hop\":");
			d = jsonw_put_index(d, b->ev[k].hop);
			d = JSONW_LIT(d, ",\"header_index\":");
			d = jsonw_put_index(d, b->ev[k].header);
			d = JSONW_LIT(d, ",\"text\":");
			d = jsonw_put_cstr(w, d, b->ev[k].text);
			*d++ = '}';
		}
		d = JSONW_LIT(d, "]}");
	}
	*d++ = ']';
	return d;
}

char *
report_auth_json(struct jsonw *w, char *d, const struct analysis *an,
                 struct report_day *day)
{
	const struct auth *au = an->auth;
	if (!au)
		return d;
	/* a section starts with the slack whole (jsonw.h) */
	d = jsonw_span_room(w, d, JSONW_SPAN_SLACK);
	d = JSONW_LIT(d, ",\"auth\":{\"arrival\":");
	if (au->has_arrival) {
		*d++ = '"';
		d = report_iso8601_day(d, REPORT_ISO8601_MAX,
		                       (long long)au->arrival, day);
		*d++ = '"';
	} else
		d = JSONW_LIT(d, "null");
	d = put_headers(w, d, au);
	d = put_spf(w, d, au);
	d = JSONW_LIT(d, ",\"dkim\":[");
	for (size_t i = 0; i < au->ndkim; i++) {
		if (i)
			*d++ = ',';
		d = put_dkim_one(w, d, &au->dkim[i]);
	}
	*d++ = ']';
	d = put_dmarc(w, d, &au->dmarc);
	d = put_arc(w, d, &au->arc);
	d = put_breaks(w, d, au);
	*d++ = '}';
	return d;
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
check_name(enum auth_check c)
{
	return c == AUTH_CHECK_SPF     ? "SPF"
	       : c == AUTH_CHECK_DKIM  ? "DKIM"
	       : c == AUTH_CHECK_DMARC ? "DMARC"
	       : c == AUTH_CHECK_ARC   ? "ARC"
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
		obuf_puts(o, b->role ? hop_role_name(b->role) : "?");
		obuf_puts(o, ", ");
		obuf_puts(o, check_name(b->check));
		obuf_putc(o, ' ');
		obuf_puts(o, auth_effect_name(b->effect));
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
		            s->role ? hop_role_name(s->role) : "?");
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
			obuf_printf(o, " (%s)", hop_role_name(h->role));
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
