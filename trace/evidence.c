/* evidence.c: what says that an Agent forwarded the message (a
 * Forwarder) or re-posted it (a Mediator, a mailing list), and which
 * Agent it points at: by the position of the header field (the Relay
 * whose Received field lies just below it added it) or by a domain. */
#include "internal.h"

#include <stdint.h>
#include <string.h>

#include "trace/tls.h"

enum { EV_WEAK = 0, EV_STRONG = 1 };

/* How item_text words an item's evidence. Texts are built only when
 * an item is quoted (collect): most never are, and building them all
 * cost a fifth of evidence_collect. */
enum text_kind {
	T_NAME_VALUE,  /* "Name: value" */
	T_SRS,         /* "Return-Path value: an SRS address ..." */
	T_RESENT,      /* "Name: value (a Resent- block)" */
	T_EARLIER_DT,  /* "an earlier Delivered-To: value" */
	T_FOR,         /* "hop N was for <value>, delivered to <aux>" */
	T_ARC,         /* "ARC set sealed by org" */
	T_SUBJECT_TAG, /* "Subject tag value" */
};

/* A domain an item names: its organizational domain and group. */
struct org_ref {
	const char *org; /* or NULL */
	int group;       /* dom_group of org */
};
#define NO_ORG ((struct org_ref){NULL, -1})

struct item {
	int node;        /* host that added it, or -1 */
	const char *org; /* domain it names, or NULL */
	int group;       /* dom_group of org */
	int strength;
	enum text_kind kind;
	struct str value; /* for a text left to item_text: the field's
	                     value if unfolded already, else STR_NULL */
	struct str aux;   /* T_FOR: the final recipient */
};

/* Items are kept per message; a message with more than this many
 * forwarding or list header fields repeats itself. */
#define EVIDENCE_MAX_ITEMS 64

struct ev_items {
	struct item v[EVIDENCE_MAX_ITEMS];
	struct trace_evlist ev; /* ev.v[k] goes with v[k] */
	/* x->med only: the last domain org_of looked up, and its answer */
	struct str last_host;
	struct org_ref last_org;
};

/* The node that wrote the Received field just below header h: the
 * newest hop (not virtual) whose field comes after h, plus one; -1 when
 * none does. The hops' fields come in reverse order (hop n - 1 is the
 * topmost), so for ascending h the answer only moves down: the search
 * goes on from *from (start at p->n), the hop it stopped at last. */
static int
owner_node(const struct tctx *x, size_t h, size_t *from)
{
	size_t i = *from;
	while (i > 0 && (x->p->v[i - 1].is_virtual ||
	                 x->p->v[i - 1].header_index <= (int)h))
		i--;
	*from = i;
	return i > 0 ? (int)i : -1;
}

/* An item whose text item_text builds when it is first quoted (see
 * collect), from kind, value (the field's value when the caller has
 * unfolded it already, else STR_NULL: the field's own) and aux. */
static void
push_kind(struct tctx *x, struct ev_items *it, int node, struct org_ref o,
          int strength, int header, enum text_kind kind, struct str value,
          struct str aux)
{
	size_t k = it->ev.n;
	if (k >= EVIDENCE_MAX_ITEMS || k >= TRACE_MAX_EVIDENCE)
		return;
	it->v[k] =
	    (struct item){node, o.org, o.group, strength, kind, value, aux};
	ev_add_text(x->a, &it->ev, node >= 1 ? node - 1 : -1, header, NULL);
}

/* "Name: value" of header field `header`, built when quoted. */
static void
push_value(struct tctx *x, struct ev_items *it, int node, struct org_ref o,
           int strength, int header, struct str value)
{
	push_kind(x, it, node, o, strength, header, T_NAME_VALUE, value,
	          STR_NULL);
}

/* The organizational domain of host, and its group. */
static struct org_ref
org_of(struct tctx *x, struct str host)
{
	/* X-BeenThere, List-Post and Sender mostly name one domain, one
	 * after the other: the same bytes, the same answer */
	struct ev_items *m = x->med;
	if (host.n && host.n == m->last_host.n &&
	    memcmp(host.p, m->last_host.p, host.n) == 0)
		return m->last_org;
	struct org_ref o;
	o.org = dom_org_group(x, host, &o.group);
	m->last_host = host;
	m->last_org = o;
	return o;
}

/* The domain of an address-ish value: after the last '@', up to '>'. */
static struct org_ref
addr_org(struct tctx *x, struct str v)
{
	/* memrchr: the byte loop over every List-Post value cost more than
	 * the domain lookup after it */
	const char *at = v.n ? memrchr(v.p, '@', v.n) : NULL;
	if (!at)
		return NO_ORG;
	/* the domain ends at '>', ' ' or ';': one table load a byte */
	static const bool stop[256] = {['>'] = 1, [' '] = 1, [';'] = 1};
	size_t s = (size_t)(at - v.p) + 1, e = s;
	while (e < v.n && !stop[(unsigned char)v.p[e]])
		e++;
	return org_of(x, str_make(v.p + s, e - s));
}

/* "Name <dev.lists.example.org>": the id in angle brackets. */
static struct org_ref
listid_org(struct tctx *x, struct str v)
{
	const char *lt = memchr(v.p, '<', v.n);
	if (!lt)
		return org_of(x, v);
	size_t s = (size_t)(lt - v.p) + 1;
	const char *gt = memchr(v.p + s, '>', v.n - s);
	size_t e = gt ? (size_t)(gt - v.p) : v.n;
	return org_of(x, str_make(v.p + s, e - s));
}

/* d= of an ARC-Seal (RFC 8617 §4.1.3). */
static struct org_ref
tag_d(struct tctx *x, struct str v)
{
	for (size_t i = 0; i + 2 < v.n; i++) {
		bool start = i == 0 || v.p[i - 1] == ';' || v.p[i - 1] == ' ' ||
		             v.p[i - 1] == '\t' || v.p[i - 1] == '\n';
		if (!start || (v.p[i] != 'd' && v.p[i] != 'D') ||
		    v.p[i + 1] != '=')
			continue;
		size_t s = i + 2, e = s;
		while (e < v.n && v.p[e] != ';')
			e++;
		return org_of(x, str_trim(str_make(v.p + s, e - s)));
	}
	return NO_ORG;
}

static struct str
value(const struct tctx *x, size_t h)
{
	return header_unfold(x->a, x->hb->v[h].value);
}

/* An input string as evidence quotes it: at most TRACE_QUOTE_MAX bytes,
 * up to a NUL. */
static struct str
q(struct str v)
{
	size_t n = (size_t)ev_clamp(v);
	const char *z = n ? memchr(v.p, '\0', n) : NULL;
	return str_make(v.p, z ? (size_t)(z - v.p) : n);
}

/* message_first_address costs hundreds of instructions, thousands when
 * GMime parses the value ("mailing list x@example.org"), and a mailbox
 * repeats the same Delivered-To values in message after message:
 * remember recent answers, per thread, for values up to ADDR_MAX bytes.
 * The answer depends on the value's bytes alone. */
enum { ADDR_SLOTS = 256, ADDR_MAX = 120 };
struct addr_memo {
	unsigned char len; /* of the value; 0: empty slot */
	unsigned char alen;
	short off; /* the address is value[off..off + alen), or -1: in addr */
	char value[ADDR_MAX];
	char addr[ADDR_MAX];
};
static _Thread_local struct addr_memo *addr_memo; /* [ADDR_SLOTS] */

static struct str
first_address(struct tctx *x, struct str v)
{
	if (v.n == 0 || v.n > ADDR_MAX)
		return message_first_address(x->a, v);
	if (!addr_memo)
		addr_memo = tls_calloc(ADDR_SLOTS * sizeof(*addr_memo));
	size_t h = str_hash(v.p, v.n);
	/* two slots a value: a mailbox's Delivered-To values alternate, and
	 * two of them sharing a slot pushed each other out, message after
	 * message, one of them a value for GMime (c8: 63 misses, now 26;
	 * 104.89 M -> 104.77 M with the hash's tail in one load) */
	size_t slot = (h ^ h >> 29) % ADDR_SLOTS;
	struct addr_memo *m = &addr_memo[slot];
	for (int k = 0; k < 2; k++, m = &addr_memo[slot ^ 1])
		if (m->len == v.n && memcmp(m->value, v.p, v.n) == 0) {
			if (m->off >= 0)
				return str_make(v.p + m->off, m->alen);
			return arena_str(x->a, m->addr, m->alen);
		}
	m = &addr_memo[slot]; /* the pair's empty slot, else this one */
	if (m->len && !addr_memo[slot ^ 1].len)
		m = &addr_memo[slot ^ 1];
	struct str r = message_first_address(x->a, v);
	if (r.n > ADDR_MAX)
		return r;
	m->len = (unsigned char)v.n;
	memcpy(m->value, v.p, v.n);
	m->alen = (unsigned char)r.n;
	if (r.n && r.p >= v.p && r.p + r.n <= v.p + v.n)
		m->off = (short)(r.p - v.p);
	else {
		m->off = -1;
		if (r.n)
			memcpy(m->addr, r.p, r.n);
	}
	return r;
}

/* The final recipient: the address of the first Delivered-To or
 * X-Original-To field, parsed when first asked (message_first_address
 * costs hundreds of instructions and many messages never need it). */
struct final {
	bool seen, parsed;
	int header;
	struct str raw, addr; /* the field's value; its address once parsed */
};

static struct str
final_addr(struct tctx *x, struct final *fi)
{
	if (!fi->parsed) {
		fi->addr = first_address(x, fi->raw);
		fi->parsed = true;
	}
	return fi->addr;
}

/* The `for` of the latest hop that differs from the final recipient:
 * the Agent that wrote it received the message for an older address. */
static void
for_change(struct tctx *x, struct ev_items *it, struct final *fi)
{
	for (size_t i = x->p->n; i-- > 0;) {
		struct str f = x->p->v[i].r.for_;
		if (!f.n)
			continue;
		struct str final = final_addr(x, fi);
		if (!final.n)
			return; /* no final recipient: nothing to differ from */
		if (str_ieq_str(f, final))
			continue;
		push_kind(x, it, (int)i + 1, NO_ORG, EV_WEAK, fi->header, T_FOR,
		          f, final);
		return;
	}
}

/* "Name: value", the text of most forwarding and list evidence; name is
 * a field's name (or empty). */
static const char *
name_value(struct tctx *x, struct str name, struct str v)
{
	/* by hand: arena_cat's loops cost more than the copies. A name has
	 * no NUL (only ftext, parse/header.c name_len): clamped, not
	 * searched (c8: 112.92 M -> 112.81 M) */
	struct str a = str_make(name.p, (size_t)ev_clamp(name)), b = q(v);
	char *t = arena_alloc_raw(x->a, a.n + 2 + b.n + 1);
	if (a.n)
		memcpy(t, a.p, a.n);
	t[a.n] = ':';
	t[a.n + 1] = ' ';
	if (b.n)
		memcpy(t + a.n + 2, b.p, b.n);
	t[a.n + 2 + b.n] = '\0';
	return t;
}

/* The header fields evidence looks at. */
enum field {
	F_NONE,
	F_RETURN_PATH,
	F_FORWARDED, /* X-Forwarded-To, X-Forwarded-For */
	F_RESENT,    /* Resent-* */
	F_DELIVERED_TO,
	F_ORIGINAL_TO, /* X-Original-To */
	F_LIST_ID,
	F_LIST_ADDR,  /* List-Post, X-BeenThere */
	F_MAILMAN,    /* X-Mailman-Version */
	F_LIST_OTHER, /* List-* */
	F_PRECEDENCE,
	F_SENDER,
	F_ARC_SEAL,
};

/* The field each header kind is, if any (headers_split classified the
 * names; comparing them here cost about 25 instructions a field). */
static const unsigned char field_of[HK_N] = {
    [HK_ARC_SEAL] = F_ARC_SEAL,
    [HK_DELIVERED_TO] = F_DELIVERED_TO,
    [HK_LIST_ID] = F_LIST_ID,
    [HK_LIST_POST] = F_LIST_ADDR,
    [HK_LIST_OTHER] = F_LIST_OTHER,
    [HK_PRECEDENCE] = F_PRECEDENCE,
    [HK_RETURN_PATH] = F_RETURN_PATH,
    [HK_RESENT] = F_RESENT,
    [HK_SENDER] = F_SENDER,
    [HK_X_BEENTHERE] = F_LIST_ADDR,
    [HK_X_ORIGINAL_TO] = F_ORIGINAL_TO,
    [HK_X_FORWARDED_TO] = F_FORWARDED,
    [HK_X_FORWARDED_FOR] = F_FORWARDED,
    [HK_X_MAILMAN_VERSION] = F_MAILMAN,
};

/* "SRS0=" or "SRS1=" anywhere in v, in any case. Most Return-Paths have
 * no '=' at all: memchr finds each one, then the four bytes before it
 * are checked. */
static bool
has_srs(struct str v)
{
	const char *p = v.n > 4 ? v.p + 4 : NULL, *e = v.p + v.n;
	while (p && (p = memchr(p, '=', (size_t)(e - p))) != NULL) {
		if ((p[-4] | 0x20) == 's' && (p[-3] | 0x20) == 'r' &&
		    (p[-2] | 0x20) == 's' && (p[-1] == '0' || p[-1] == '1'))
			return true;
		p++;
	}
	return false;
}

static void
forwarding_field(struct tctx *x, size_t h, enum field f, int owner,
                 struct final *fi)
{
	struct ev_items *it = x->fwd;
	if (f == F_RETURN_PATH) {
		/* no '=' in the field, none unfolded: no SRS (most) */
		struct str raw = x->hb->v[h].value;
		struct str v =
		    raw.n && memchr(raw.p, '=', raw.n) ? value(x, h) : STR_NULL;
		if (has_srs(v))
			push_kind(x, it, -1, addr_org(x, v), EV_STRONG, (int)h,
			          T_SRS, v, STR_NULL);
	} else if (f == F_FORWARDED)
		push_value(x, it, owner, NO_ORG, EV_STRONG, (int)h, STR_NULL);
	else if (f == F_RESENT)
		push_kind(x, it, owner, NO_ORG, EV_STRONG, (int)h, T_RESENT,
		          STR_NULL, STR_NULL);
	else if (f == F_DELIVERED_TO || f == F_ORIGINAL_TO) {
		struct str v = value(x, h);
		if (!fi->seen) {
			fi->seen = true;
			fi->raw = v;
			fi->header = (int)h;
		} else if (f == F_DELIVERED_TO &&
		           /* the same value has the same address */
		           !str_eq(v, fi->raw) &&
		           !str_ieq_str(first_address(x, v), final_addr(x, fi)))
			push_kind(x, it, owner, NO_ORG, EV_WEAK, (int)h,
			          T_EARLIER_DT, v, STR_NULL);
	}
}

static void
list_field(struct tctx *x, size_t h, enum field f, int owner)
{
	if (f == F_LIST_ID) {
		struct str v = value(x, h);
		push_value(x, x->med, owner, listid_org(x, v), EV_STRONG,
		           (int)h, v);
	} else if (f == F_LIST_ADDR) {
		struct str v = value(x, h);
		push_value(x, x->med, owner, addr_org(x, v), EV_STRONG, (int)h,
		           v);
	} else if (f == F_MAILMAN)
		push_value(x, x->med, owner, NO_ORG, EV_STRONG, (int)h,
		           STR_NULL);
	else if (f == F_LIST_OTHER)
		push_value(x, x->med, owner, NO_ORG, EV_WEAK, (int)h, STR_NULL);
	else if (f == F_PRECEDENCE) {
		struct str v = value(x, h);
		if (str_ieq(str_trim(v), "list"))
			push_value(x, x->med, owner, NO_ORG, EV_WEAK, (int)h,
			           v);
	} else if (f == F_SENDER) {
		struct str v = value(x, h);
		push_value(x, x->med, -1, addr_org(x, v), EV_WEAK, (int)h, v);
	}
}

static void
subject_tag(struct tctx *x)
{
	struct str s = str_trim(x->mi->subject);
	while (str_istarts(s, "Re:") || str_istarts(s, "Fwd:"))
		s = str_trim(
		    str_make(s.p + 3 + (s.p[1] == 'w' || s.p[1] == 'W'),
		             s.n - 3 - (s.p[1] == 'w' || s.p[1] == 'W')));
	const char *rb = s.n && s.p[0] == '[' ? memchr(s.p, ']', s.n) : NULL;
	if (rb && rb - s.p > 1)
		push_kind(x, x->med, -1, NO_ORG, EV_WEAK, -1, T_SUBJECT_TAG,
		          str_make(s.p, (size_t)(rb - s.p) + 1), STR_NULL);
}

void
evidence_origin(struct tctx *x)
{
	/* webmail headers naming the Author's client address, strongest
	 * first (SpamAssassin's list): the first of the strongest kind
	 * present, which headers_split found (no pass over the fields) */
	static const unsigned char kinds[] = {HK_X_ORIGINATING_IP,
	                                      HK_X_YAHOO_POST_IP, HK_X_SENDERIP,
	                                      HK_X_SENDER_IP};
	x->origin = -1;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(*kinds) && x->origin < 0;
	     k++)
		x->origin = x->hb->first[kinds[k]];
}

/* The items, gathered when first asked for (evidence_forwarder,
 * evidence_mediator): after actor_idents, from the hops and the header
 * fields, which nothing changes after it. Some messages never ask
 * (c8: 105.55 M -> 105.25 M). */
static void
evidence_collect(struct tctx *x)
{
	/* items are written whole as they are pushed: only the lists need
	 * clearing (zeroing 64 items each cost more than the rest); both
	 * sets and their lists in one arena block */
	struct {
		struct ev_items fwd, med;
		struct trace_evidence fwd_ev[TRACE_MAX_EVIDENCE],
		    med_ev[TRACE_MAX_EVIDENCE];
	} *b = arena_alloc_raw(x->a, sizeof(*b));
	x->fwd = &b->fwd;
	x->med = &b->med;
	/* room for TRACE_MAX_EVIDENCE at once: not grown 4, 8, 16 */
	x->fwd->ev = (struct trace_evlist){b->fwd_ev, 0, TRACE_MAX_EVIDENCE};
	x->med->ev = (struct trace_evlist){b->med_ev, 0, TRACE_MAX_EVIDENCE};
	x->med->last_host = STR_NULL;
	struct final fi = {.header = -1};
	size_t from = x->p->n;
	/* the trace chain in one pass: listed for every message first, then
	 * walked again here (c8: 105.25 M -> 105.05 M) */
	const struct header_block *hb = x->hb;
	for (int i = hb->trace; i >= 0; i = hb->v[i].next) {
		size_t h = (size_t)i;
		enum field f = field_of[hb->v[h].kind];
		if (f == F_NONE)
			continue;
		int owner = owner_node(x, h, &from);
		forwarding_field(x, h, f, owner, &fi);
		list_field(x, h, f, owner);
		if (f == F_ARC_SEAL) {
			struct org_ref d = tag_d(x, value(x, h));
			push_kind(x, x->fwd, -1, d, EV_WEAK, (int)h, T_ARC,
			          STR_NULL, STR_NULL);
			push_kind(x, x->med, -1, d, EV_WEAK, (int)h, T_ARC,
			          STR_NULL, STR_NULL);
		}
	}
	if (fi.seen)
		for_change(x, x->fwd, &fi);
	subject_tag(x);
}

static bool
item_matches(const struct tctx *x, struct item *it, int lo, int hi)
{
	if (it->node >= lo && it->node <= hi)
		return true;
	return it->org && actor_node_matches(x, lo, hi, it->org, it->group);
}

/* n in decimal into the end of buf[24]: its text. */
static struct str
decimal(char buf[24], size_t n)
{
	return str_make(buf, (size_t)(str_put_udec(buf, n) - buf));
}

/* The text of item k, built now: push_kind left it for later. */
static const char *
item_text(struct tctx *x, struct ev_items *it, size_t k)
{
	struct trace_evidence *e = &it->ev.v[k];
	if (e->text)
		return e->text;
	const struct item *m = &it->v[k];
	struct str v = m->value;
	if (!v.p && e->header >= 0 &&
	    (m->kind == T_NAME_VALUE || m->kind == T_RESENT))
		v = value(x, (size_t)e->header);
	struct str name = e->header >= 0 ? x->hb->v[e->header].name : STR_NULL;
	char num[24];
	switch (m->kind) {
	case T_NAME_VALUE:
		e->text = name_value(x, name, v);
		break;
	case T_SRS:
		e->text = ARENA_CAT(x->a, STR_LIT("Return-Path "), q(v),
		                    STR_LIT(": an SRS address written by a "
		                            "forwarder"));
		break;
	case T_RESENT:
		e->text = ARENA_CAT(x->a, q(name), STR_LIT(": "), q(v),
		                    STR_LIT(" (a Resent- block)"));
		break;
	case T_EARLIER_DT:
		e->text =
		    ARENA_CAT(x->a, STR_LIT("an earlier Delivered-To: "), q(v));
		break;
	case T_FOR: /* the hop is the item's: node - 1 */
		e->text = ARENA_CAT(
		    x->a, STR_LIT("hop "), decimal(num, (size_t)(m->node - 1)),
		    STR_LIT(" was for <"), q(v), STR_LIT(">, delivered to <"),
		    q(m->aux), STR_LIT(">"));
		break;
	case T_ARC:
		e->text = m->org
		              ? ARENA_CAT(x->a, STR_LIT("ARC set sealed by "),
		                          str_make(m->org, strlen(m->org)))
		              : "ARC set sealed by ?";
		break;
	case T_SUBJECT_TAG:
		e->text = ARENA_CAT(x->a, STR_LIT("Subject tag "), q(v));
		break;
	}
	return e->text;
}

/* Items pointing at nodes lo..hi into out; true when one is strong (or,
 * for unattributed items such as a Subject tag, when others matched). */
static bool
collect(struct tctx *x, struct ev_items *it, int lo, int hi,
        struct trace_evlist *out, bool need_strong)
{
	/* one item that matches (a strong one when need_strong) decides:
	 * the others are looked at only to be quoted */
	bool found = false;
	for (size_t k = 0; k < it->ev.n && !found; k++)
		found = (!need_strong || it->v[k].strength == EV_STRONG) &&
		        item_matches(x, &it->v[k], lo, hi);
	if (!found)
		return false;
	for (size_t k = 0; out && k < it->ev.n; k++) {
		struct item *m = &it->v[k];
		bool loose = m->node < 0 && !m->org;
		if (loose || item_matches(x, m, lo, hi))
			ev_add_text(x->a, out, it->ev.v[k].hop,
			            it->ev.v[k].header, item_text(x, it, k));
	}
	return true;
}

bool
evidence_mediator(struct tctx *x, int lo, int hi, struct trace_evlist *out)
{
	if (!x->med)
		evidence_collect(x);
	return collect(x, x->med, lo, hi, out, true);
}

bool
evidence_forwarder(struct tctx *x, int lo, int hi, struct trace_evlist *out)
{
	if (evidence_mediator(x, lo, hi, NULL))
		return false; /* a list re-posts; it does not forward */
	return collect(x, x->fwd, lo, hi, out, false);
}
