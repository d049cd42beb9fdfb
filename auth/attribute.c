/*
 * attribute.c: which hop, and so which Actor, added each trace header;
 * which results headers are evidence, which are claims, which are forged
 * (RFC 8601 §5: only results from inside the trust boundary count).
 */
#include "auth/internal.h"

#include <string.h>

/* What kind of trace header a field is, if any; parse_results goes by
 * it rather than comparing the name again. */
enum trace_kind {
	TK_NONE,    /* no trace header */
	TK_PLAIN,   /* dated by its position only */
	TK_RSPF,    /* Received-SPF */
	TK_SIGNED,  /* DKIM-Signature, ARC-Seal, ARC-Message-Signature: d= */
	TK_RESULTS, /* the names authres_kind knows */
};

/* Trace headers: added in transit, so their position dates them. By
 * the kind headers_split gave each name (comparing the names here ran
 * for every field of every message). */
static const unsigned char trace_kind[HK_N] = {
    [HK_LIST_ID] = TK_PLAIN,
    [HK_ARC_SEAL] = TK_SIGNED,
    [HK_RETURN_PATH] = TK_PLAIN,
    [HK_DELIVERED_TO] = TK_PLAIN,
    [HK_RECEIVED_SPF] = TK_RSPF,
    [HK_X_ORIGINAL_TO] = TK_PLAIN,
    [HK_DKIM_SIGNATURE] = TK_SIGNED,
    [HK_X_FORWARDED_TO] = TK_PLAIN,
    [HK_X_FORWARDED_FOR] = TK_PLAIN,
    [HK_ARC_MESSAGE_SIGNATURE] = TK_SIGNED,
    [HK_AUTHENTICATION_RESULTS] = TK_RESULTS,
    [HK_ARC_AUTHENTICATION_RESULTS] = TK_RESULTS,
    [HK_AUTHENTICATION_RESULTS_ORIGINAL] = TK_RESULTS,
    [HK_X_ORIGINAL_AUTHENTICATION_RESULTS] = TK_RESULTS,
    [HK_X_MS_EXCHANGE_AUTHENTICATION_RESULTS] = TK_RESULTS,
};

bool
attr_writer_trusted(const struct actx *x, int hop)
{
	const struct trace *t = x->t;
	if (!t || hop < 0 || (size_t)hop >= x->p->n || hop < t->believed_from)
		return false;
	return x->p->v[hop].trusted || hop == t->border_hop;
}

const struct auth_header *
attr_header_at(const struct actx *x, int idx)
{
	for (size_t i = 0; i < x->au->nheaders; i++)
		if (x->au->headers[i].header == idx)
			return &x->au->headers[i];
	return NULL;
}

int
attr_hop_actor(const struct actx *x, int hop)
{
	if (hop < 0 || (size_t)hop >= x->p->n)
		return -1;
	return x->p->v[hop].actor;
}

/* the trace roles are the hop roles from HOP_ROLE_AUTHOR, in order */
#define SAME_ROLE(id)                                                          \
	(TRACE_ROLE_##id == 1u << (HOP_ROLE_##id - HOP_ROLE_AUTHOR))
_Static_assert(SAME_ROLE(AUTHOR) && SAME_ROLE(MSA) && SAME_ROLE(RELAY) &&
                   SAME_ROLE(TRANSMITTER) && SAME_ROLE(RECEIVER) &&
                   SAME_ROLE(FORWARDER) && SAME_ROLE(MEDIATOR) &&
                   SAME_ROLE(MDA) && SAME_ROLE(RECIPIENT),
               "trace role k is hop role HOP_ROLE_AUTHOR + k");
#undef SAME_ROLE

enum hop_role
attr_hop_role(const struct actx *x, int hop)
{
	int ac = attr_hop_actor(x, hop);
	if (!x->t || ac < 0 || (size_t)ac >= x->t->nactors)
		return hop >= 0 && (size_t)hop < x->p->n
		           ? (enum hop_role)x->p->v[hop].role
		           : HOP_ROLE_NONE;
	unsigned r = x->t->actors[ac].roles;
	if (hop == x->t->border_hop && (r & TRACE_ROLE_RECEIVER))
		return HOP_ROLE_RECEIVER;
	if ((size_t)hop + 1 == x->p->n && (r & TRACE_ROLE_MDA))
		return HOP_ROLE_MDA;
	for (int k = TRACE_NROLES - 1; k >= 0; k--)
		if (r & (1u << k) && k != 8 /* Recipient */)
			return (enum hop_role)(HOP_ROLE_AUTHOR + k);
	return HOP_ROLE_NONE;
}

bool
attr_actor_has(const struct actx *x, int ac, struct str d)
{
	if (!x->t || ac < 0 || (size_t)ac >= x->t->nactors || !d.n)
		return false;
	struct str org = orgdomain_of(x->a, d);
	if (!org.n)
		return false;
	const struct trace_actor *A = &x->t->actors[ac];
	for (size_t i = 0; i < A->ndomains; i++)
		if (str_ieq(org, A->domains[i]))
			return true;
	return A->name && str_ieq(org, A->name);
}

/* Does the id (a host or a domain) name the host `by`? */
static bool
names_host(struct actx *x, struct str id, struct str by)
{
	if (!id.n || !by.n)
		return false;
	struct str i = orgdomain_normalize(x->a, id);
	struct str b = orgdomain_normalize(x->a, by);
	if (!i.n || !b.n)
		return false;
	if (str_eq(i, b))
		return true;
	if (b.n > i.n && b.p[b.n - i.n - 1] == '.' &&
	    memcmp(b.p + b.n - i.n, i.p, i.n) == 0)
		return true;
	return orgdomain_align_normalized(x->a, i, b) != ORGDOMAIN_UNALIGNED;
}

/* The hops whose Received fields are nearest below and above header h
 * (chronologically the one before and the one after), -1 when none; h
 * is no Received field, virtual hops have none. Each hop's field lies
 * above the one before (path_build), so the hops below h are those
 * before *split, and as h grows from call to call *split only moves
 * down: start it at p->n. */
static void
neighbours(const struct actx *x, size_t h, size_t *split, int *below,
           int *above)
{
	const struct hop *v = x->p->v;
	size_t k = *split; /* the hops from k on lie above h */
	while (k > 0 && (v[k - 1].is_virtual || v[k - 1].header_index < (int)h))
		k--;
	*split = k;
	*below = (int)k - 1; /* not virtual: the loop stopped at it */
	while (k < x->p->n && v[k].is_virtual)
		k++;
	*above = k < x->p->n ? (int)k : -1;
}

/* The tag value of name in a tag-list-ish value ("d=", "receiver="). */
static struct str
tag_of(struct arena *a, struct str v, const char *name)
{
	struct tag_list tl;
	tags_parse(v, a, &tl);
	return str_trim(tags_get(&tl, name, NULL));
}

static bool
ip_eq(struct str a, struct str b)
{
	return a.n && str_ieq_str(str_trim(a), str_trim(b));
}

/* hd is a trace header of kind k (trace_kind). */
static void
parse_results(struct actx *x, struct auth_header *ah, const struct header *hd,
              enum trace_kind k)
{
	ah->ar_kind = k == TK_RESULTS
	                  ? authres_kind_of((enum header_kind)hd->kind)
	                  : AUTHRES_KIND_NOT;
	if (ah->ar_kind != AUTHRES_KIND_NOT) {
		authres_parse_kind(ah->ar_kind, hd->value, AUTHRES_F_RELAXED,
		                   x->a, x->f, ah->header, &ah->ar);
		ah->id = ah->ar.authserv_id;
		return;
	}
	if (k == TK_RSPF) {
		ah->is_rspf = true;
		received_spf_parse(hd->value, x->a, x->f, ah->header,
		                   &ah->rspf);
		ah->id = ah->rspf.receiver;
		return;
	}
	if (k == TK_SIGNED)
		ah->id = tag_of(x->a, hd->value, "d");
}

/* Pick the hop: the one below by default, the one above when the id (or
 * Received-SPF's client-ip) names it and not the one below. */
static void
place(struct actx *x, struct auth_header *ah, int below, int above)
{
	const struct path *p = x->p;
	ah->hop = below;
	ah->how = below >= 0 ? AUTH_HOW_ABOVE : AUTH_HOW_BELOW_ALL;
	if (ah->is_rspf && ah->rspf.client_ip.n) {
		if (below >= 0 && ip_eq(ah->rspf.client_ip, p->v[below].r.ip)) {
			ah->how = AUTH_HOW_CLIENT;
			return;
		}
		if (above >= 0 && ip_eq(ah->rspf.client_ip, p->v[above].r.ip)) {
			ah->hop = above;
			ah->how = AUTH_HOW_CLIENT_ABOVE;
			return;
		}
	}
	if (!ah->id.n)
		return;
	if (below >= 0 && names_host(x, ah->id, p->v[below].r.by)) {
		ah->how = AUTH_HOW_BY_HOST;
		return;
	}
	if (above >= 0 && names_host(x, ah->id, p->v[above].r.by)) {
		ah->hop = above;
		ah->how = AUTH_HOW_BY_HOST_ABOVE;
	}
}

/* Does id name a host of the recipient side (a trusted writer)? */
static bool
names_recipient_side(struct actx *x, struct str id)
{
	if (!id.n)
		return false;
	if (trace_config_is_authserv(x->c, id))
		return true;
	for (size_t k = 0; k < x->p->n; k++)
		if (attr_writer_trusted(x, (int)k) &&
		    names_host(x, id, x->p->v[k].r.by))
			return true;
	return false;
}

static void
judge(struct actx *x, struct auth_header *ah)
{
	bool result = ah->ar_kind != AUTHRES_KIND_NOT || ah->is_rspf;
	if (!result) {
		ah->status = AUTH_NOT_RESULT;
		return;
	}
	if (attr_writer_trusted(x, ah->hop)) {
		ah->status = AUTH_EVIDENCE;
		return;
	}
	ah->status = AUTH_CLAIM;
	if (!names_recipient_side(x, ah->id))
		return;
	ah->status = AUTH_FORGED;
	findings_add(
	    x->f, "auth.untrusted-results", SEV_ERROR, ah->hop, ah->header,
	    "%.*s by \"%.*s\" (header %d) lies below the trust "
	    "boundary but names the recipient side: forged, not "
	    "evidence",
	    (int)ah->name.n, ah->name.p, (int)(ah->id.n > 80 ? 80 : ah->id.n),
	    ah->id.p, ah->header);
}

void
attribute_headers(struct actx *x)
{
	struct auth *au = x->au;
	const struct header_block *hb = x->hb;
	/* one pass over the trace chain; the second visits the trace
	 * headers */
	struct {
		size_t h;
		enum trace_kind kind;
	} *trace = arena_array_raw(x->a, hb->n ? hb->n : 1, sizeof(*trace));
	size_t ntrace = 0;
	for (int i = hb->trace; i >= 0; i = hb->v[i].next) {
		size_t h = (size_t)i;
		unsigned hk = hb->v[h].kind;
		enum trace_kind k = (enum trace_kind)trace_kind[hk];
		if (k != TK_NONE) {
			trace[ntrace].h = h;
			trace[ntrace++].kind = k;
		}
	}
	size_t want = ntrace < AUTH_MAX_HEADERS ? ntrace : AUTH_MAX_HEADERS;
	au->headers = arena_array(x->a, want ? want : 1, sizeof(*au->headers));
	size_t split = x->p->n; /* see neighbours */
	for (size_t i = 0; i < ntrace; i++) {
		size_t h = trace[i].h;
		if (au->nheaders >= AUTH_MAX_HEADERS) {
			au->headers_truncated = true;
			break;
		}
		struct auth_header *ah = &au->headers[au->nheaders++];
		ah->header = (int)h;
		ah->name = hb->v[h].name; /* no blank to trim: headers_split
		                            makes names of ftext bytes only
		                            (RFC 5322 3.6.8; field_name) */
		ah->ar_kind = AUTHRES_KIND_NOT;
		parse_results(x, ah, &hb->v[h], trace[i].kind);
		int below, above;
		neighbours(x, h, &split, &below, &above);
		place(x, ah, below, above);
		ah->actor = attr_hop_actor(x, ah->hop);
		ah->role = attr_hop_role(x, ah->hop);
		judge(x, ah);
	}
	if (au->headers_truncated)
		findings_add(x->f, "auth.headers-truncated", SEV_WARNING, -1,
		             -1,
		             "more than %d trace headers: the rest were not "
		             "attributed",
		             AUTH_MAX_HEADERS);
}

static void
push_rec(struct auth_reclist *l, const struct auth_header *h, struct str result,
         enum authres_code code)
{
	if (l->n >= AUTH_MAX_RECORDED)
		return;
	l->v[l->n++] = (struct auth_recorded){h->hop, h->header, h->id,
	                                      result, code,      h->status};
}

void
attr_recorded(const struct actx *x, const char *method, attr_match_fn match,
              const void *arg, struct auth_reclist *l)
{
	const struct auth *au = x->au;
	/* bottom of the block first: chronological */
	for (size_t i = au->nheaders; i-- > 0;) {
		const struct auth_header *h = &au->headers[i];
		if (h->is_rspf && strcmp(method, "spf") == 0 &&
		    (!match || match(x, h, NULL, arg))) {
			push_rec(l, h, h->rspf.result, h->rspf.code);
			continue;
		}
		if (h->ar_kind != AUTHRES_KIND_AR &&
		    h->ar_kind != AUTHRES_KIND_MS)
			continue;
		for (size_t k = 0; k < h->ar.n; k++) {
			const struct authres_result *r = &h->ar.v[k];
			if (!str_ieq(r->method, method) ||
			    (match && !match(x, h, r, arg)))
				continue;
			push_rec(l, h, r->result, r->code);
		}
	}
}

#define NAME(name) name,
static const char *const status_names[] = {AUTH_STATUS_NAMES(NAME)};
static const char *const alignment_names[] = {AUTH_ALIGNMENT_NAMES(NAME)};
_Static_assert(sizeof(status_names) / sizeof(*status_names) ==
                   AUTH_NOT_RESULT + 1,
               "a name for each status");
_Static_assert(sizeof(alignment_names) / sizeof(*alignment_names) ==
                   ORGDOMAIN_STRICT + 1,
               "a name for each alignment");

const char *
auth_status_name(enum auth_status s)
{
	return (unsigned)s <= AUTH_NOT_RESULT ? status_names[s] : "trace";
}

const char *
auth_alignment_name(enum orgdomain_alignment al)
{
	return (unsigned)al <= ORGDOMAIN_STRICT ? alignment_names[al]
	                                        : "unaligned";
}

const char *
auth_check_name(enum auth_check c)
{
	static const char *const v[] = {AUTH_CHECK_NAMES(NAME)};
	_Static_assert(sizeof(v) / sizeof(*v) == AUTH_CHECK_ALL + 1,
	               "a name for each check");
	return (unsigned)c <= AUTH_CHECK_ALL ? v[c] : "all";
}

const char *
auth_effect_name(enum auth_effect e)
{
	static const char *const v[] = {AUTH_EFFECT_NAMES(NAME)};
	_Static_assert(sizeof(v) / sizeof(*v) == AUTH_EFFECT_JUDGES_FORWARDER,
	               "a name for each effect but the last");
	return (unsigned)e < sizeof(v) / sizeof(*v) ? v[e] : "judges-forwarder";
}
#undef NAME
