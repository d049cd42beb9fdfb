/* path.c: rebuild the relay path from the Received fields, see path.h. */
#include "path.h"

#include <stdint.h>
#include <string.h>

/* The number of Received fields (headers_split chained them). */
static size_t
count_received(const struct header_block *hb)
{
	size_t n = 0;
	for (int i = hb->received; i >= 0; i = hb->v[i].next)
		n++;
	return n;
}

/* Parse the fields into hops (chronological: the bottom field first). */
static void
parse_all(const struct header_block *hb, struct arena *a, struct path *p,
          struct findings *f)
{
	size_t total = count_received(hb);
	size_t keep = total < PATH_MAX_HOPS ? total : PATH_MAX_HOPS;
	p->nreceived = total;
	/* local deliveries and handover hops, room for keep of each in one
	 * block: filled by whole copies below, so not zeroed */
	size_t room = keep ? keep : 1;
	p->local = arena_array_raw(a, 2 * room, sizeof(*p->local));
	if (total > keep)
		findings_add(f, "rcvd.too-many", SEV_ERROR, -1, -1,
		             "%zu Received fields, more than PATH_MAX_HOPS "
		             "(%d): only the %d nearest the recipient are "
		             "analysed",
		             total, PATH_MAX_HOPS, PATH_MAX_HOPS);
	/* keep the first `keep` fields from the top (the trusted end of the
	 * chain), parsed in that order but stored chronologically (the
	 * newest field is the last hop). Not zeroed as a block:
	 * received_parse clears h->r, the rest is set here. Handover hops
	 * fill all[] from the end, local deliveries p->local[] likewise:
	 * a local one moves out at once and its slot takes the next field,
	 * so that no hop is moved to close a gap. */
	struct hop *all = p->local + room;
	size_t top = keep, ltop = keep; /* all[top..), p->local[ltop..) */
	int rcvd = hb->received;        /* the k-th Received field */
	for (size_t k = 0; k < keep; k++, rcvd = hb->v[rcvd].next) {
		struct hop *h = &all[top - 1];
		h->index = 0;
		h->header_index = rcvd;
		h->has_delay = false;
		h->delay_s = 0;
		h->actor = -1;
		h->role = HOP_ROLE_NONE;
		h->trusted = false;
		h->is_virtual = false;
		received_parse(hb->v[rcvd].value, a, &h->r, f, -1, rcvd);
		if (h->r.handover || !h->r.parsed)
			top--;
		else
			p->local[--ltop] = *h;
	}
	p->v = all + top;
	p->n = keep - top;
	p->local += ltop;
	p->nlocal = keep - ltop;
	for (size_t i = 0; i < p->n; i++)
		p->v[i].index = (int)i;
	for (size_t i = 0; i < p->nlocal; i++)
		p->local[i].index = (int)i;
}

/* Quote at most this much of a name in a finding's message. */
#define QUOTE_MAX 200

static int
clamp(struct str s)
{
	return (int)(s.n > QUOTE_MAX ? QUOTE_MAX : s.n);
}

static char *
put(char *o, const char *s, size_t n)
{
	memcpy(o, s, n);
	return o + n;
}

/* v in decimal, as %lld writes it (at most 20 bytes): its length
 * first, then the digits from the end, in place (no buffer to copy, no
 * stack guard). */

/* The message of rcvd.clock-skew, in a: put together rather than
 * formatted, for the reason chain_text gives. */
static const char *
skew_text(struct arena *a, int hop, long long before, int prev)
{
	static const char tail[] =
	    ": clock skew between the relays, or a forged line";
	char *t = arena_alloc_raw(a, 4 + 20 + 10 + 20 + 14 + 20 + sizeof(tail));
	char *o = put(t, "hop ", 4);
	o = str_put_dec(o, hop);
	o = put(o, " is dated ", 10);
	o = str_put_dec(o, before);
	o = put(o, " s before hop ", 14);
	o = str_put_dec(o, prev);
	memcpy(o, tail, sizeof(tail)); /* and its NUL */
	return t;
}

/* Delays between dated hops, clock skew, total transit time. */
static void
timing(struct path *p, struct findings *f)
{
	const struct hop *prev = NULL, *first = NULL;
	for (size_t i = 0; i < p->n; i++) {
		struct hop *h = &p->v[i];
		if (!h->r.has_date)
			continue;
		if (!first)
			first = h;
		if (prev) {
			h->has_delay = true;
			h->delay_s = h->r.time - prev->r.time;
			if (h->delay_s < PATH_SKEW_TOLERANCE_S)
				findings_add_text(
				    f, "rcvd.clock-skew", SEV_WARNING, h->index,
				    h->header_index,
				    skew_text(f->arena, h->index,
				              (long long)-h->delay_s,
				              prev->index));
		}
		prev = h;
	}
	if (first && prev && prev != first) {
		p->has_total = true;
		p->total_s = prev->r.time - first->r.time;
	}
}

/* Hostnames equal ignoring case and a trailing dot. The lengths first,
 * here: most pairs differ in length, and the call that found it cost as
 * much as host_eq (c8: 11,321 calls; 113.31 M -> 113.20 M). */
static bool
host_eq(struct str a, struct str b)
{
	if (a.n && a.p[a.n - 1] == '.')
		a.n--;
	if (b.n && b.p[b.n - 1] == '.')
		b.n--;
	return a.n && a.n == b.n && str_ieq_str(a, b);
}

/* Does the next hop's from-part name the host that wrote this hop? */
static bool
continues(const struct hop *h, const struct hop *next)
{
	struct str by = h->r.by;
	const struct received *n = &next->r;
	if (host_eq(by, n->rdns) || host_eq(by, n->helo) || host_eq(by, n->ip))
		return true;
	/* "by mx1" against "from mx1.example.com": unqualified names */
	struct str names[] = {n->rdns, n->helo};
	for (size_t i = 0; i < 2; i++) {
		struct str x = names[i];
		if (by.n && x.n > by.n && x.p[by.n] == '.' &&
		    str_ieq_str(str_make(x.p, by.n), by))
			return true;
		if (x.n && by.n > x.n && by.p[x.n] == '.' &&
		    str_ieq_str(str_make(by.p, x.n), x))
			return true;
	}
	return false;
}

/* The bytes of s that "%.*s" with precision clamp(s) writes. */
static size_t
quoted_len(struct str s)
{
	return s.p ? strnlen(s.p, (size_t)clamp(s)) : 0;
}

/* s[0..n) in double quotes (n: quoted_len(s)). */
static char *
put_quoted(char *o, struct str s, size_t n)
{
	*o++ = '"';
	return put(put(o, s.p, n), "\"", 1);
}

/* The message of rcvd.chain-broken, in a: put together here rather than
 * formatted by findings_add, as a third of all hops get one and
 * formatting its four arguments cost as much as the rest of path_build.
 * Written in place, its length known first (two ints of at most 11
 * characters, the rest counted). */
static const char *
chain_text(struct arena *a, int hop, struct str by, int next, struct str client)
{
	size_t nb = quoted_len(by), nc = quoted_len(client);
	char *t =
	    arena_alloc_raw(a, 4 + 11 + 17 + nb + 2 + 9 + 11 + 18 + nc + 2 + 1);
	char *o = put(t, "hop ", 4);
	o = str_put_dec(o, hop);
	o = put(o, " was received by ", 17);
	o = put_quoted(o, by, nb);
	o = put(o, " but hop ", 9);
	o = str_put_dec(o, next);
	o = put(o, " names its client ", 18);
	o = put_quoted(o, client, nc);
	*o = '\0';
	return t;
}

static void
continuity(struct path *p, struct findings *f)
{
	for (size_t i = 0; i + 1 < p->n; i++) {
		const struct hop *h = &p->v[i], *next = &p->v[i + 1];
		if (!h->r.parsed || !next->r.parsed)
			continue;
		if (h->r.by.n == 0 ||
		    (next->r.helo.n == 0 && next->r.rdns.n == 0 &&
		     next->r.ip.n == 0))
			continue;
		if (continues(h, next))
			continue;
		struct str by = h->r.by;
		struct str client = next->r.rdns.n   ? next->r.rdns
		                    : next->r.helo.n ? next->r.helo
		                                     : next->r.ip;
		findings_add_text(
		    f, "rcvd.chain-broken", SEV_INFO, next->index,
		    next->header_index,
		    chain_text(f->arena, h->index, by, next->index, client));
	}
}

#define HOP_ROLE_NAME(id, name) name,
static const char *const hop_role_names[HOP_NROLES] = {
    NULL, HOP_ROLES(HOP_ROLE_NAME)};
#undef HOP_ROLE_NAME

const char *
hop_role_name(enum hop_role r)
{
	return hop_role_names[r];
}

void
path_build(const struct header_block *hb, struct arena *a, struct path *p,
           struct findings *f)
{
	memset(p, 0, sizeof(*p));
	parse_all(hb, a, p, f);
	/* findings from received_parse carry hop -1; give them their hop */
	for (size_t i = 0; i < f->n; i++) {
		if (f->v[i].hop != -1 || f->v[i].header < 0)
			continue;
		for (size_t k = 0; k < p->n; k++)
			if (p->v[k].header_index == f->v[i].header)
				f->v[i].hop = p->v[k].index;
	}
	timing(p, f);
	continuity(p, f);
}
