/*
 * spf_offline.c: SPF without DNS. The checkpoints (the hops where an
 * Agent of another network takes the message), the MAIL FROM each one
 * saw (Received-SPF, Authentication-Results smtp.mailfrom, the Received
 * envelope-from, the Return-Path; SRS decoded), the client IP it would
 * have checked, and what it recorded. RFC 7208 §2.4, §9.1.
 */
#include "auth/internal.h"

#include <stddef.h>
#include <string.h>

/* Checkpoints: at most two Borders and the hop out of a Forwarder, but
 * a shared network can show one per recorded result. */
#define SPF_MAX_CHECKPOINTS 8

static bool
srs_sep(char c)
{
	return c == '=' || c == '+' || c == '-';
}

/* Skip n '='-separated fields of s; false when there are fewer. */
static bool
skip_fields(struct str *s, int n)
{
	for (int i = 0; i < n; i++) {
		const char *eq = memchr(s->p, '=', s->n);
		if (!eq)
			return false;
		s->n -= (size_t)(eq + 1 - s->p);
		s->p = eq + 1;
	}
	return true;
}

bool
auth_srs_decode(struct str addr, struct str *domain, struct str *local)
{
	addr = str_trim(addr);
	if (addr.n && addr.p[0] == '<')
		addr = str_make(addr.p + 1, addr.n - 1);
	/* the local part starts the address: its SRS0 or SRS1 and a
	 * separator rule out most addresses before the scan for the last
	 * '@' */
	if (addr.n < 6 || !str_istarts(addr, "SRS") ||
	    (addr.p[3] != '0' && addr.p[3] != '1') || !srs_sep(addr.p[4]))
		return false;
	const char *at = NULL;
	for (size_t i = 0; i < addr.n; i++)
		if (addr.p[i] == '@')
			at = addr.p + i;
	if (!at)
		return false;
	struct str lp = str_make(addr.p, (size_t)(at - addr.p));
	bool srs1 = str_istarts(lp, "SRS1") && srs_sep(lp.p[4]);
	if (!srs1 && !(str_istarts(lp, "SRS0") && srs_sep(lp.p[4])))
		return false;
	struct str s = str_make(lp.p + 5, lp.n - 5);
	if (srs1) {
		/* HHH=first-forwarder==HHH=TT=domain=local */
		long dd = -1;
		for (size_t i = 0; i + 1 < s.n; i++)
			if (s.p[i] == '=' && s.p[i + 1] == '=') {
				dd = (long)i;
				break;
			}
		if (dd < 0)
			return false;
		s = str_make(s.p + dd + 2, s.n - (size_t)dd - 2);
	}
	/* HHH=TT=domain=local */
	if (!skip_fields(&s, 2))
		return false;
	const char *eq = memchr(s.p, '=', s.n);
	if (!eq || eq == s.p || eq + 1 == s.p + s.n)
		return false;
	*domain = str_make(s.p, (size_t)(eq - s.p));
	*local = str_make(eq + 1, s.n - (size_t)(eq + 1 - s.p));
	return true;
}

struct cp {
	int hop;
	enum auth_spf_kind kind;
};

static void
add_cp(struct cp *v, size_t *n, int hop, enum auth_spf_kind kind,
       const struct path *p)
{
	if (hop < 0 || (size_t)hop >= p->n || *n >= SPF_MAX_CHECKPOINTS)
		return;
	for (size_t i = 0; i < *n; i++)
		if (v[i].hop == hop)
			return;
	size_t i = *n;
	while (i > 0 && v[i - 1].hop > hop) {
		v[i] = v[i - 1];
		i--;
	}
	v[i] = (struct cp){hop, kind};
	(*n)++;
}

static size_t
checkpoints(struct actx *x, struct cp *v)
{
	size_t n = 0;
	const struct trace *t = x->t;
	if (t && t->border_crossed) {
		int m = actx_mediator(x);
		if (m >= 0)
			add_cp(v, &n, t->actors[m].first_node - 1,
			       AUTH_SPF_BORDER, x->p);
		add_cp(v, &n, t->border_hop, AUTH_SPF_BORDER, x->p);
		int f = actx_forwarder(x);
		if (f >= 0)
			add_cp(v, &n, t->actors[f].last_node,
			       AUTH_SPF_FORWARDED, x->p);
		return n;
	}
	/* no Border: wherever the recipient side recorded SPF */
	for (size_t i = x->au->nheaders; i-- > 0;) {
		const struct auth_header *h = &x->au->headers[i];
		if (h->status == AUTH_EVIDENCE && h->hop >= 0 &&
		    (h->is_rspf || h->ar_kind == AUTHRES_KIND_AR))
			add_cp(v, &n, h->hop, AUTH_SPF_RECORDED, x->p);
	}
	return n;
}

struct range {
	int lo, hi, actor;
};

static bool
in_range(const struct actx *x, const struct auth_header *h,
         const struct authres_result *r, const void *arg)
{
	(void)r;
	const struct range *rg = arg;
	return h->hop >= rg->lo && h->hop < rg->hi &&
	       attr_hop_actor(x, h->hop) == rg->actor;
}

static void
set_from(struct auth_spf *s, struct str addr, const char *src, int hdr)
{
	if (s->mail_from.p || !addr.p)
		return;
	s->mail_from = str_trim(addr);
	if (s->mail_from.n >= 2 && s->mail_from.p[0] == '<')
		s->mail_from = str_make(
		    s->mail_from.p + 1,
		    s->mail_from.n -
		        (s->mail_from.p[s->mail_from.n - 1] == '>' ? 2 : 1));
	s->source = src;
	s->source_header = hdr;
}

/* MAIL FROM as the results headers of the checkpoint stated it. */
static void
from_results(struct actx *x, struct auth_spf *s, const struct range *rg)
{
	for (size_t i = x->au->nheaders; i-- > 0 && !s->mail_from.p;) {
		const struct auth_header *h = &x->au->headers[i];
		if (!in_range(x, h, NULL, rg))
			continue;
		if (h->is_rspf) {
			set_from(s, h->rspf.envelope_from, "Received-SPF",
			         h->header);
			continue;
		}
		if (h->ar_kind != AUTHRES_KIND_AR &&
		    h->ar_kind != AUTHRES_KIND_MS)
			continue;
		for (size_t k = 0; k < h->ar.n; k++) {
			if (!str_ieq(h->ar.v[k].method, "spf"))
				continue;
			const struct authres_prop *pr =
			    authres_prop(&h->ar.v[k], "smtp", "mailfrom");
			if (pr)
				set_from(s, pr->value,
				         "Authentication-Results smtp.mailfrom",
				         h->header);
		}
	}
}

static void
from_return_path(struct actx *x, struct auth_spf *s, bool last)
{
	int rp = x->hb->first[HK_RETURN_PATH];
	if (rp < 0)
		return;
	struct str raw = x->hb->v[rp].value;
	struct str v = header_unfold(x->a, raw);
	/* message_info_fill took the address of this field's raw value:
	 * the same when unfolding left the value where it was (trimmed) */
	struct str addr = v.p == str_trim(raw).p
	                      ? x->mi->return_path
	                      : message_first_address(x->a, v);
	if (!addr.n && str_ifind(v, "<>") >= 0)
		addr = STR_LIT("");
	struct str d, l;
	if (last) {
		set_from(s, addr, "Return-Path", (int)rp);
		return;
	}
	/* an earlier checkpoint: the envelope before a Forwarder's SRS */
	if (auth_srs_decode(addr, &d, &l)) {
		char *o = arena_printf(x->a, "%.*s@%.*s", (int)l.n, l.p,
		                       (int)d.n, d.p);
		set_from(s, str_make(o, strlen(o)), "Return-Path, SRS decoded",
		         (int)rp);
	} else if (actx_mediator(x) < 0)
		set_from(s, addr, "Return-Path (the envelope is kept)",
		         (int)rp);
}

static void
fill(struct actx *x, struct auth_spf *s, const struct cp *cp, int next_hop,
     bool last)
{
	const struct hop *h = &x->p->v[cp->hop];
	s->hop = cp->hop;
	s->kind = cp->kind;
	s->role = cp->kind == AUTH_SPF_BORDER ? HOP_ROLE_RECEIVER
	                                      : attr_hop_role(x, cp->hop);
	s->ip = h->r.ip;
	s->source_header = -1;
	struct range rg = {cp->hop, next_hop, attr_hop_actor(x, cp->hop)};
	from_results(x, s, &rg);
	if (h->r.envelope_from.n)
		set_from(s, h->r.envelope_from, "Received envelope-from",
		         h->header_index);
	from_return_path(x, s, last);
	if (s->mail_from.p) {
		s->domain = memchr(s->mail_from.p, '@', s->mail_from.n)
		                ? message_addr_domain(s->mail_from)
		                : s->mail_from; /* smtp.mailfrom=domain */
		if (!s->mail_from.n) /* null sender: the HELO identity */
			s->domain = h->r.helo;
		s->srs = auth_srs_decode(s->mail_from, &s->srs_domain,
		                         &s->srs_local);
		if (s->domain.n && x->from_domain.n)
			s->alignment = orgdomain_align_org(
			    x->a, x->from_domain, x->from_org, s->domain);
	}
	attr_recorded(x, "spf", in_range, &rg, &s->recorded);
}

void
spf_offline(struct actx *x)
{
	struct cp v[SPF_MAX_CHECKPOINTS];
	size_t n = checkpoints(x, v);
	struct auth *au = x->au;
	/* zeroed up to the recorded list, of which only the count: the
	 * list's 16 entries are written as they are added (114.23 M ->
	 * 114.14 M instructions on c8) */
	au->spf = arena_array_raw(x->a, n ? n : 1, sizeof(*au->spf));
	au->nspf = n;
	for (size_t i = 0; i < n; i++) {
		memset(&au->spf[i], 0, offsetof(struct auth_spf, recorded));
		au->spf[i].recorded.n = 0;
		fill(x, &au->spf[i], &v[i],
		     i + 1 < n ? v[i + 1].hop : (int)x->p->n, i + 1 == n);
	}
}
