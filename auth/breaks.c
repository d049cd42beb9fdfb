/*
 * breaks.c: where authentication breaks along the path (the spec's table
 * "Where authentication breaks"). At each checkpoint (a Border crossing)
 * what the receiving Agent can verify; at each Forwarder and Mediator
 * what no longer verifies further down, and why.
 */
#include "auth/internal.h"

#include <stdarg.h>
#include <string.h>

#define Q(s) (int)((s).n > 80 ? 80 : (s).n), ((s).p ? (s).p : "")

static struct auth_break *brk(struct actx *x, enum auth_check check, int hop,
                              enum hop_role role, enum auth_effect effect,
                              const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* A break whose reason is text (arena-owned or constant). */
static struct auth_break *
brk_text(struct actx *x, enum auth_check check, int hop, enum hop_role role,
         enum auth_effect effect, const char *text)
{
	static _Thread_local struct auth_break spare; /* per worker */
	struct auth *au = x->au;
	if (au->nbreaks >= AUTH_MAX_BREAKS) {
		memset(&spare, 0, sizeof(spare));
		return &spare; /* more is repetition: dropped */
	}
	struct auth_break *b = &au->breaks[au->nbreaks++];
	*b = (struct auth_break){check, hop, role, effect, text, {{0}}, 0};
	return b;
}

static struct auth_break *
brk(struct actx *x, enum auth_check check, int hop, enum hop_role role,
    enum auth_effect effect, const char *fmt, ...)
{
	if (x->au->nbreaks >= AUTH_MAX_BREAKS) /* dropped: not formatted */
		return brk_text(x, check, hop, role, effect, NULL);
	va_list ap;
	va_start(ap, fmt);
	const char *text = arena_vprintf(x->a, fmt, ap);
	va_end(ap);
	return brk_text(x, check, hop, role, effect, text);
}

static void ev(struct actx *x, struct auth_break *b, int hop, int header,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
ev(struct actx *x, struct auth_break *b, int hop, int header, const char *fmt,
   ...)
{
	if (b->nev >= sizeof(b->ev) / sizeof(*b->ev))
		return;
	va_list ap;
	va_start(ap, fmt);
	b->ev[b->nev++] =
	    (struct auth_evidence){hop, header, arena_vprintf(x->a, fmt, ap)};
	va_end(ap);
}

/* s as Q quotes it for %.*s: at most 80 bytes, up to a NUL. */
static struct str
q80(struct str s)
{
	return str_make(s.p, s.p ? strnlen(s.p, s.n > 80 ? 80 : s.n) : 0);
}

/* s as %s writes it (glibc's "(null)" included). */
static struct str
lit(const char *s)
{
	return s ? str_make(s, strlen(s)) : STR_LIT("(null)");
}

/* n as %d writes it, in buf: the texts of most messages (a Border
 * without a recorded MAIL FROM, a Mediator) are put together with
 * ARENA_CAT rather than formatted, and some give a hop. */
static struct str
dec(char buf[static 12], int n)
{
	return str_make(buf, (size_t)(str_put_dec(buf, n) - buf));
}

static void
ev_text(struct auth_break *b, int hop, int header, const char *text)
{
	if (b->nev < sizeof(b->ev) / sizeof(*b->ev))
		b->ev[b->nev++] = (struct auth_evidence){hop, header, text};
}

/* Where the MAIL FROM the SPF checkpoint s checked was read. */
static void
ev_mail_from(struct actx *x, struct auth_break *b, const struct auth_spf *s)
{
	if (s->source_header < 0 || b->nev >= sizeof(b->ev) / sizeof(*b->ev))
		return;
	b->ev[b->nev++] = (struct auth_evidence){
	    s->hop, s->source_header,
	    ARENA_CAT(x->a, STR_LIT("MAIL FROM <"), q80(s->mail_from),
	              STR_LIT("> from "), lit(s->source))};
}

static void
ev_rec(struct actx *x, struct auth_break *b, const struct auth_recorded *r,
       const char *what)
{
	ev_text(b, r->hop, r->header,
	        ARENA_CAT(x->a, lit(what), STR_LIT("="), q80(r->result),
	                  STR_LIT(" recorded by "), q80(r->authserv_id),
	                  STR_LIT(" ("), lit(auth_status_name(r->status)),
	                  STR_LIT(")")));
}

/* The hop after which a signature travels (its signer's hop; -1 when it
 * was there from the start). */
static int
sig_hop(const struct actx *x, const struct auth_dkim *k)
{
	const struct auth_header *h = attr_header_at(x, k->sig->header);
	return h ? h->hop : -1;
}

static const struct auth_spf *
spf_at(const struct actx *x, int hop)
{
	for (size_t i = 0; i < x->au->nspf; i++)
		if (x->au->spf[i].hop == hop)
			return &x->au->spf[i];
	return NULL;
}

/* The first recorded result (chronologically) at or after hop lo that
 * is not a pass, or NULL. */
static const struct auth_recorded *
first_fail(const struct auth_reclist *l, int lo)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].hop >= lo && l->v[i].code != AUTHRES_R_PASS &&
		    l->v[i].code != AUTHRES_R_NONE &&
		    l->v[i].status != AUTH_FORGED)
			return &l->v[i];
	return NULL;
}

static const struct auth_recorded *
recorded_at(const struct auth_reclist *l, int lo, int hi)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].hop >= lo && l->v[i].hop < hi &&
		    l->v[i].status != AUTH_FORGED)
			return &l->v[i];
	return NULL;
}

/* ---- at a Border: what the receiving Agent can verify ---- */

static void
border_spf(struct actx *x, const struct auth_spf *s, enum hop_role role)
{
	struct auth_break *b;
	if (!s->mail_from.p) {
		b = brk_text(
		    x, AUTH_CHECK_SPF, s->hop, role, AUTH_EFFECT_VERIFIABLE,
		    ARENA_CAT(x->a, STR_LIT("the "), lit(hop_role_name(role)),
		              STR_LIT(" sees "), q80(s->ip),
		              STR_LIT("; the MAIL FROM it checked is "
		                      "not recorded")));
	} else if (s->srs) {
		b = brk(x, AUTH_CHECK_SPF, s->hop, role, AUTH_EFFECT_UNALIGNED,
		        "%.*s (an SRS address for %.*s) from %.*s: not "
		        "aligned with From %.*s",
		        Q(s->domain), Q(s->srs_domain), Q(s->ip),
		        Q(x->from_domain));
	} else {
		bool al = s->alignment != ORGDOMAIN_UNALIGNED;
		b = brk_text(x, AUTH_CHECK_SPF, s->hop, role,
		             al ? AUTH_EFFECT_VERIFIABLE
		                : AUTH_EFFECT_UNALIGNED,
		             ARENA_CAT(x->a, q80(s->domain), STR_LIT(" from "),
		                       q80(s->ip),
		                       al ? STR_LIT(", aligned with From ")
		                          : STR_LIT(": not aligned with From "),
		                       q80(x->from_domain)));
	}
	ev_mail_from(x, b, s);
	const struct auth_recorded *r =
	    recorded_at(&s->recorded, s->hop, (int)x->p->n);
	if (r)
		ev_rec(x, b, r, "spf");
}

static void
border_dkim(struct actx *x, int hop, enum hop_role role, bool before_change)
{
	for (size_t i = 0; i < x->au->ndkim; i++) {
		const struct auth_dkim *k = &x->au->dkim[i];
		if (sig_hop(x, k) >= hop)
			continue; /* added later */
		const struct dkim_sig *s = k->sig;
		bool bad = s->bh_verdict == DKIM_BH_MISMATCH && !before_change;
		struct auth_break *b = brk(
		    x, AUTH_CHECK_DKIM, hop, role,
		    bad ? AUTH_EFFECT_FAILS : AUTH_EFFECT_VERIFIABLE,
		    "d=%.*s s=%.*s: %s, %s with From %.*s", Q(s->d), Q(s->s),
		    s->bh_verdict == DKIM_BH_MATCH ? "body hash matches"
		    : s->bh_verdict == DKIM_BH_MISMATCH && before_change
		        ? "the body was still as signed here (changed later)"
		    : s->bh_verdict == DKIM_BH_MISMATCH
		        ? "body hash mismatch"
		        : "body hash unverifiable",
		    k->alignment != ORGDOMAIN_UNALIGNED ? "aligned"
		                                        : "not aligned",
		    Q(x->from_domain));
		ev(x, b, sig_hop(x, k), s->header, "DKIM-Signature d=%.*s",
		   Q(s->d));
		const struct auth_recorded *r =
		    recorded_at(&k->recorded, hop, (int)x->p->n);
		if (r)
			ev_rec(x, b, r, "dkim");
	}
}

/* DMARC as the Agent at hop can evaluate it (before_change: the body
 * was still as signed there). */
static void
border_dmarc(struct actx *x, const struct auth_spf *s, enum hop_role role,
             bool before_change)
{
	bool spf = s && s->mail_from.p && !s->srs &&
	           s->alignment != ORGDOMAIN_UNALIGNED;
	bool dkim = false;
	for (size_t i = 0; i < x->au->ndkim; i++) {
		const struct auth_dkim *k = &x->au->dkim[i];
		dkim |=
		    sig_hop(x, k) < s->hop &&
		    k->alignment != ORGDOMAIN_UNALIGNED &&
		    (before_change || k->sig->bh_verdict != DKIM_BH_MISMATCH);
	}
	if (!x->from_domain.n)
		return;
	bool unknown = !spf && !dkim && s && !s->mail_from.p;
	struct auth_break *b = brk_text(
	    x, AUTH_CHECK_DMARC, s->hop, role,
	    spf || dkim ? AUTH_EFFECT_VERIFIABLE
	    : unknown   ? AUTH_EFFECT_UNKNOWN
	                : AUTH_EFFECT_FAILS,
	    ARENA_CAT(
	        x->a, STR_LIT("From "), q80(x->from_domain), STR_LIT(": "),
	        lit(spf && dkim ? "aligned through SPF and DKIM"
	            : spf       ? "aligned through SPF only"
	            : dkim      ? "aligned through DKIM only"
	            : unknown   ? "no aligned DKIM signature, and the MAIL "
	                          "FROM is not recorded"
	                        : "no aligned identity: DMARC fails here")));
	const struct auth_recorded *r =
	    recorded_at(&x->au->dmarc.recorded, s->hop, (int)x->p->n);
	if (r)
		ev_rec(x, b, r, "dmarc");
}

/* ---- ARC ---- */

static bool
sealed_by(const struct actx *x, const struct auth_arc_set *s, int lo, int hi)
{
	if (s->actor >= lo && s->actor <= hi)
		return true;
	for (int a = lo; a <= hi; a++)
		if (attr_actor_has(x, a, s->sealer))
			return true;
	return false;
}

static const char *
cv_name(enum arc_cv cv)
{
	return cv == ARC_CV_NONE   ? "none"
	       : cv == ARC_CV_PASS ? "pass"
	       : cv == ARC_CV_FAIL ? "fail"
	                           : "missing";
}

static void
arc_rescue(struct actx *x, int lo, int hi, int hop, enum hop_role role,
           bool broken)
{
	const struct auth_arc *ar = &x->au->arc;
	for (size_t i = 0; i < ar->nsets; i++) {
		const struct auth_arc_set *s = &ar->sets[i];
		if (!sealed_by(x, s, lo, hi))
			continue;
		bool ok = ar->result == ARC_PASS;
		struct auth_break *b = brk(
		    x, AUTH_CHECK_ARC, hop, role,
		    !ok      ? AUTH_EFFECT_BREAKS
		    : broken ? AUTH_EFFECT_RESCUE
		             : AUTH_EFFECT_AVAILABLE,
		    "the %s sealed ARC set i=%ld (d=%.*s, cv=%s; chain %s)%s",
		    hop_role_name(role), s->instance, Q(s->sealer),
		    cv_name(s->cv), arc_result_name(ar->result),
		    !ok ? ": the chain does not hold, it cannot vouch"
		    : broken
		        ? ": the MDA can still accept it if it trusts that "
		          "sealer (RFC 8617)"
		        : ": nothing broke that it needs to vouch for");
		ev(x, b, s->hop, s->header, "ARC-Seal i=%ld d=%.*s",
		   s->instance, Q(s->sealer));
		if (ok && broken)
			findings_add(x->f, "auth.arc-rescue", SEV_INFO, hop,
			             s->header,
			             "the %s sealed ARC set i=%ld (d=%.*s, "
			             "cv=%s): a receiver that trusts this "
			             "sealer can accept what broke",
			             hop_role_name(role), s->instance,
			             Q(s->sealer), cv_name(s->cv));
	}
}

/* ---- the Forwarder ---- */

static bool
spf_broken_at(const struct auth_spf *s)
{
	return !s->srs && s->mail_from.p && s->alignment != ORGDOMAIN_UNALIGNED;
}

static void
forwarder_spf(struct actx *x, const struct auth_spf *s, const char *name)
{
	struct auth_break *b;
	if (s->srs) {
		b = brk(x, AUTH_CHECK_SPF, s->hop, HOP_ROLE_FORWARDER,
		        AUTH_EFFECT_UNALIGNED,
		        "the Forwarder %s re-sent with SRS (<%.*s>): SPF can "
		        "still pass at hop %d, but for %.*s, not aligned with "
		        "From %.*s (RFC 7489 §3.1.2)",
		        name, Q(s->mail_from), s->hop, Q(s->domain),
		        Q(x->from_domain));
		findings_add(x->f, "auth.spf-unaligned", SEV_INFO, s->hop,
		             s->source_header,
		             "SRS keeps SPF passing for the Forwarder's "
		             "domain %.*s, which does not align with From %.*s",
		             Q(s->domain), Q(x->from_domain));
	} else {
		b = brk(x, AUTH_CHECK_SPF, s->hop, HOP_ROLE_FORWARDER,
		        AUTH_EFFECT_BREAKS,
		        "the Forwarder %s re-sent without SRS: the Agent at "
		        "hop %d sees %.*s, the Forwarder's address, which is "
		        "not in %.*s's SPF record",
		        name, s->hop, Q(s->ip),
		        Q(s->domain.n ? s->domain : x->from_domain));
		findings_add(x->f, "auth.spf-breaks-at-forwarder", SEV_WARNING,
		             s->hop, s->source_header,
		             "the Forwarder %s kept the sender's envelope "
		             "(no SRS): SPF of %.*s fails for %.*s at hop %d",
		             name, Q(s->domain.n ? s->domain : x->from_domain),
		             Q(s->ip), s->hop);
	}
	ev_mail_from(x, b, s);
	const struct auth_recorded *r =
	    recorded_at(&s->recorded, s->hop, (int)x->p->n);
	if (r)
		ev_rec(x, b, r, "spf");
}

/* Why DMARC fails after a Forwarder or a Mediator: what became of SPF
 * (spf_case indexes texts) "and" what became of DKIM. Constant texts,
 * picked rather than formatted for every message. */
enum { SPF_FAILS, SPF_SRS_ONLY, SPF_LIST_ENVELOPE };
static const char *
why_dmarc_fails(const struct actx *x, int spf_case)
{
	static const char *const texts[3][2] = {
	    [SPF_FAILS] = {"SPF fails and there is no aligned DKIM signature",
	                   "SPF fails and the aligned DKIM signature broke"},
	    [SPF_SRS_ONLY] = {"SPF passes only for the SRS domain and there "
	                      "is no aligned DKIM signature",
	                      "SPF passes only for the SRS domain and the "
	                      "aligned DKIM signature broke"},
	    [SPF_LIST_ENVELOPE] = {"SPF does not align (the list's envelope) "
	                           "and there is no aligned DKIM signature",
	                           "SPF does not align (the list's envelope) "
	                           "and the aligned DKIM signature broke"},
	};
	return texts[spf_case][x->au->dmarc.dkim_aligned ? 1 : 0];
}

static void
final_dmarc(struct actx *x, const struct auth_spf *s, enum hop_role role,
            const char *who, const char *why)
{
	const struct auth_dmarc *d = &x->au->dmarc;
	if (!x->from_domain.n)
		return;
	bool spf = s && spf_broken_at(s) ? false : d->final_spf_aligned;
	struct auth_break *b;
	if (spf || d->final_dkim_aligned) {
		b = brk(x, AUTH_CHECK_DMARC, s->hop, role, AUTH_EFFECT_KEPT,
		        "DMARC for %.*s still passes %s at hop %d",
		        Q(x->from_domain),
		        d->final_dkim_aligned ? "through DKIM (an aligned "
		                                "signature is intact)"
		                              : "through SPF",
		        s->hop);
	} else {
		char hop[12];
		b = brk_text(
		    x, AUTH_CHECK_DMARC, s->hop, role, AUTH_EFFECT_FAILS,
		    ARENA_CAT(x->a, lit(why), STR_LIT(": DMARC for "),
		              q80(x->from_domain), STR_LIT(" fails at hop "),
		              dec(hop, s->hop),
		              STR_LIT("; with p=reject or p=quarantine the MDA "
		                      "drops or junks it, or bounces it to a "
		                      "forged sender (backscatter)")));
		findings_add_text(
		    x->f, "auth.dmarc-would-fail", SEV_WARNING, s->hop, -1,
		    ARENA_CAT(x->f->arena, STR_LIT("after the "), lit(who),
		              STR_LIT(" no identity aligned with From "),
		              q80(x->from_domain), STR_LIT(" survives: "),
		              lit(why)));
	}
	const struct auth_recorded *r =
	    recorded_at(&d->recorded, s->hop, (int)x->p->n);
	if (r)
		ev_rec(x, b, r, "dmarc");
}

/* Results written past the Border judge the Forwarder, not the sender. */
static void
past_border(struct actx *x, int from_hop, const char *name)
{
	for (size_t i = x->au->nheaders; i-- > 0;) {
		const struct auth_header *h = &x->au->headers[i];
		if (h->status != AUTH_EVIDENCE || h->hop < from_hop ||
		    h->ar_kind == AUTHRES_KIND_ARC)
			continue;
		struct auth_break *b = brk(
		    x, AUTH_CHECK_ALL, h->hop, attr_hop_role(x, h->hop),
		    AUTH_EFFECT_JUDGES_FORWARDER,
		    "%.*s by %.*s is past the Border: it judges the Forwarder "
		    "%s (%.*s), not the sender",
		    Q(h->name), Q(h->id), name,
		    Q(x->p->v[from_hop].r.ip.n ? x->p->v[from_hop].r.ip
		                               : x->p->v[from_hop].r.helo));
		ev(x, b, h->hop, h->header, "%.*s (header %d)", Q(h->name),
		   h->header);
		findings_add(x->f, "auth.checked-past-border", SEV_INFO, h->hop,
		             h->header,
		             "%.*s by %.*s was written after the Forwarder "
		             "%s: its verdict is about the Forwarder, not "
		             "the sender",
		             Q(h->name), Q(h->id), name);
	}
}

static void
forwarder(struct actx *x, int f)
{
	const struct trace_actor *A = &x->t->actors[f];
	const struct auth_spf *s = spf_at(x, A->last_node);
	if (!s)
		return;
	forwarder_spf(x, s, A->name); /* SPF breaks, or loses alignment */
	for (size_t i = 0; i < x->au->ndkim; i++) {
		const struct auth_dkim *k = &x->au->dkim[i];
		if (k->sig->bh_verdict != DKIM_BH_MATCH)
			continue;
		brk(x, AUTH_CHECK_DKIM, s->hop, HOP_ROLE_FORWARDER,
		    AUTH_EFFECT_KEPT,
		    "d=%.*s survives the Forwarder: the body hash still "
		    "matches",
		    Q(k->sig->d));
	}
	final_dmarc(x, s, HOP_ROLE_FORWARDER, "Forwarder",
	            why_dmarc_fails(x, s->srs ? SPF_SRS_ONLY : SPF_FAILS));
	arc_rescue(x, f, f, s->hop, HOP_ROLE_FORWARDER, true);
	past_border(x, s->hop, A->name);
}

/* ---- the Mediator ---- */

/* "[tag]" at the start of the Subject (after Re:), or empty. */
static struct str
subject_tag(const struct actx *x)
{
	struct str s = str_trim(x->mi->subject);
	while (str_istarts(s, "Re:"))
		s = str_trim(str_make(s.p + 3, s.n - 3));
	const char *rb = s.n && s.p[0] == '[' ? memchr(s.p, ']', s.n) : NULL;
	return rb && rb - s.p > 1 ? str_make(s.p, (size_t)(rb - s.p) + 1)
	                          : STR_NULL;
}

static bool
signs(const struct dkim_sig *s, const char *name)
{
	for (size_t i = 0; i < s->nnames; i++)
		if (str_ieq(s->names[i], name))
			return true;
	return false;
}

/* Set the hop of dkim_analyse's finding for the signature at header. */
static void
locate_finding(struct actx *x, int header, int hop)
{
	for (size_t i = 0; i < x->f->n; i++)
		if (x->f->v[i].header == header && x->f->v[i].hop < 0 &&
		    strcmp(x->f->v[i].id, "auth.dkim-body-modified") == 0)
			x->f->v[i].hop = hop;
}

static void
mediator_dkim(struct actx *x, int entry, int exit, const char *name)
{
	struct str tag = subject_tag(x);
	for (size_t i = 0; i < x->au->ndkim; i++) {
		const struct auth_dkim *k = &x->au->dkim[i];
		const struct dkim_sig *s = k->sig;
		if (sig_hop(x, k) >= entry)
			continue; /* the Mediator's own, or later */
		const struct auth_recorded *r = first_fail(&k->recorded, entry);
		bool body = s->bh_verdict == DKIM_BH_MISMATCH;
		bool hdr = !body && ((tag.n && signs(s, "subject")) || r);
		int at = r ? r->hop : exit;
		struct auth_break *b;
		if (!body && !hdr) {
			brk(x, AUTH_CHECK_DKIM, exit, HOP_ROLE_MEDIATOR,
			    AUTH_EFFECT_KEPT, "d=%.*s survives the Mediator %s",
			    Q(s->d), name);
			continue;
		}
		if (body)
			b = brk(
			    x, AUTH_CHECK_DKIM, at, HOP_ROLE_MEDIATOR,
			    AUTH_EFFECT_BREAKS,
			    "the Mediator %s changed the body (footer, "
			    "MIME rewrite)%s%.*s: d=%.*s's body hash no "
			    "longer matches (%s)",
			    name,
			    tag.n && signs(s, "subject")
			        ? " and tagged the signed Subject "
			        : "",
			    Q(tag.n && signs(s, "subject") ? tag : STR_NULL),
			    Q(s->d),
			    r ? "first shown by the results at this hop"
			      : "shown by the body-hash mismatch");
		else
			b = brk(
			    x, AUTH_CHECK_DKIM, at, HOP_ROLE_MEDIATOR,
			    AUTH_EFFECT_BREAKS,
			    "the Mediator %s changed a signed header%s%.*s: "
			    "d=%.*s's header hash no longer matches (%s)",
			    name, tag.n ? " (Subject tag " : "", Q(tag),
			    Q(s->d),
			    r ? "first shown by the results at this hop"
			      : "inferred: Subject is signed and tagged");
		ev(x, b, sig_hop(x, k), s->header, "DKIM-Signature d=%.*s%s",
		   Q(s->d), signs(s, "subject") ? " signs Subject" : "");
		if (r)
			ev_rec(x, b, r, "dkim");
		findings_add(x->f, "auth.dkim-breaks-at-mediator", SEV_WARNING,
		             at, s->header,
		             "the Mediator %s broke DKIM d=%.*s (%s)", name,
		             Q(s->d),
		             body ? "body changed"
		                  : "signed header "
		                    "changed");
		if (body)
			locate_finding(x, s->header, at);
	}
}

static void
mediator_spf(struct actx *x, const struct auth_spf *s, const char *name)
{
	if (!s->mail_from.p)
		return;
	struct auth_break *b;
	if (spf_broken_at(s)) {
		b = brk(x, AUTH_CHECK_SPF, s->hop, HOP_ROLE_MEDIATOR,
		        AUTH_EFFECT_BREAKS,
		        "the Mediator %s re-posted with the author's envelope: "
		        "the Agent at hop %d sees %.*s, not in %.*s's SPF "
		        "record",
		        name, s->hop, Q(s->ip), Q(s->domain));
		findings_add(x->f, "auth.spf-breaks-at-forwarder", SEV_WARNING,
		             s->hop, s->source_header,
		             "the Mediator %s kept the author's envelope: SPF "
		             "of %.*s fails for %.*s",
		             name, Q(s->domain), Q(s->ip));
	} else {
		b = brk_text(
		    x, AUTH_CHECK_SPF, s->hop, HOP_ROLE_MEDIATOR,
		    AUTH_EFFECT_UNALIGNED,
		    ARENA_CAT(x->a, STR_LIT("the Mediator "), lit(name),
		              STR_LIT(" re-posts with its own envelope <"),
		              q80(s->mail_from),
		              STR_LIT(">: SPF can pass for "), q80(s->domain),
		              STR_LIT(", not aligned with From "),
		              q80(x->from_domain)));
		char hop[12];
		findings_add_text(
		    x->f, "auth.spf-unaligned", SEV_INFO, s->hop,
		    s->source_header,
		    ARENA_CAT(x->f->arena, STR_LIT("SPF at hop "),
		              dec(hop, s->hop),
		              STR_LIT(" is about the Mediator's domain "),
		              q80(s->domain),
		              STR_LIT(", which does not align with From "),
		              q80(x->from_domain)));
	}
	ev_mail_from(x, b, s);
}

static void
mediator(struct actx *x, int m)
{
	const struct trace *t = x->t;
	const struct trace_actor *A = &t->actors[m];
	int entry = A->first_node - 1;
	const struct auth_spf *s = spf_at(x, t->border_hop);
	if (!s)
		return;
	int last = t->nets[A->network].last_actor;
	mediator_spf(x, s, A->name);
	mediator_dkim(x, entry, s->hop, A->name);
	final_dmarc(x, s, HOP_ROLE_MEDIATOR, "Mediator",
	            why_dmarc_fails(x, spf_broken_at(s) ? SPF_FAILS
	                                                : SPF_LIST_ENVELOPE));
	arc_rescue(x, m, last, s->hop, HOP_ROLE_MEDIATOR,
	           !x->au->dmarc.final_dkim_aligned);
}

/* A body changed with no Mediator to blame: say where it shows. */
static void
unexplained(struct actx *x)
{
	for (size_t i = 0; i < x->au->ndkim; i++) {
		const struct auth_dkim *k = &x->au->dkim[i];
		if (k->sig->bh_verdict != DKIM_BH_MISMATCH)
			continue;
		const struct auth_recorded *r = first_fail(&k->recorded, 0);
		int at = r ? r->hop : x->au->nspf ? x->au->spf[0].hop : -1;
		struct auth_break *b =
		    brk(x, AUTH_CHECK_DKIM, at,
		        at >= 0 ? attr_hop_role(x, at) : HOP_ROLE_NONE,
		        AUTH_EFFECT_BREAKS,
		        "the body changed after d=%.*s signed it (%s)",
		        Q(k->sig->d),
		        r ? "first shown by the results at this hop"
		          : "shown by the body-hash mismatch");
		if (r)
			ev_rec(x, b, r, "dkim");
		locate_finding(x, k->sig->header, at);
	}
}

void
breaks_predict(struct actx *x)
{
	const struct trace *t = x->t;
	int f = actx_forwarder(x), m = actx_mediator(x);
	int entry = m >= 0 ? t->actors[m].first_node - 1 : -1;
	for (size_t i = 0; i < x->au->nspf; i++) {
		const struct auth_spf *s = &x->au->spf[i];
		if (s->kind == AUTH_SPF_FORWARDED)
			continue;
		enum hop_role role = HOP_ROLE_RECEIVER;
		bool before = m >= 0 && s->hop == entry;
		border_spf(x, s, role);
		border_dkim(x, s->hop, role, before);
		border_dmarc(x, s, role, before);
	}
	if (f >= 0)
		forwarder(x, f);
	if (m >= 0)
		mediator(x, m);
	if (m < 0)
		unexplained(x);
}
