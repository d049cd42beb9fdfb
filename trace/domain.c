/* domain.c: host names and organizational domains (Public Suffix List,
 * RFC 7489 §3.2) for grouping hosts into Actors. */
#include "internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "trace/net.h"
#include "trace/orgdomain.h"
#include "trace/tls.h"

/* A DNS name is at most 253 bytes (RFC 1035 §2.3.4); longer is not a
 * host name and gets no organizational domain. */
#define DOM_NAME_MAX 253

/* dom_norm's test of a name's first and last bytes (internal.h): the
 * bytes the five compares it replaces turned to dom_norm_slow. */
#define END8(c)                                                                \
	[c] = 1, [c + 1] = 1, [c + 2] = 1, [c + 3] = 1, [c + 4] = 1,           \
	[c + 5] = 1, [c + 6] = 1, [c + 7] = 1
#define END_CTL END8(0), END8(8), END8(16), END8(24), [' '] = 1
const unsigned char dom_norm_ends[2][256] = {
    {END_CTL, ['['] = 1, ['i'] = 1, ['I'] = 1},
    {END_CTL, ['.'] = 1},
};

struct str
dom_norm_slow(struct str s)
{
	s = str_trim(s);
	if (s.n >= 2 && s.p[0] == '[' && s.p[s.n - 1] == ']')
		s = str_make(s.p + 1, s.n - 2);
	if (str_istarts(s, "IPv6:"))
		s = str_make(s.p + 5, s.n - 5);
	while (s.n && s.p[s.n - 1] == '.')
		s.n--;
	return s;
}

bool
dom_is_ip_literal(struct str s)
{
	struct net_addr a;
	return net_parse(dom_norm(s), &a);
}

/* Letters, digits, '-', '.', '_': one load a byte, not six tests. */
#define HC8(c)                                                                 \
	[c] = 1, [c + 1] = 1, [c + 2] = 1, [c + 3] = 1, [c + 4] = 1,           \
	[c + 5] = 1, [c + 6] = 1, [c + 7] = 1
static const bool host_chars[256] = {
    HC8('a'),     HC8('a' + 8),  HC8('a' + 16), ['y'] = 1, ['z'] = 1, HC8('A'),
    HC8('A' + 8), HC8('A' + 16), ['Y'] = 1,     ['Z'] = 1, HC8('0'),  ['8'] = 1,
    ['9'] = 1,    ['-'] = 1,     ['.'] = 1,     ['_'] = 1};

static bool
host_char(char c)
{
	return host_chars[(unsigned char)c];
}

/* dom_is_qualified of s, a dom_norm result, but for its bytes, which
 * the caller checks (host_char): with them a name is its own dom_norm,
 * and an address only when it is an IPv4 one (an IPv6 address has a
 * ':'), which starts with a digit: net_parse for those alone. */
static bool
qualified_shape(struct str s)
{
	if (s.n == 0 || s.n > DOM_NAME_MAX || s.p[0] == '.')
		return false;
	if (!memchr(s.p, '.', s.n) || str_istarts(s, "localhost"))
		return false;
	return (unsigned)(s.p[0] - '0') > 9 || !dom_is_ip_literal(s);
}

/* A name with a dot that is not an address, "localhost", or "unknown"
 * (Postfix's word for no rDNS). */
bool
dom_is_qualified(struct str s)
{
	s = dom_norm(s);
	if (!qualified_shape(s))
		return false;
	for (size_t i = 0; i < s.n; i++)
		if (!host_char(s.p[i]))
			return false;
	return true;
}

/* Are the n bytes at w, lower-cased (lower8) and then zero up to a
 * whole 16, all host characters? Sixteen at a time: the byte loop was a
 * good part of a new name's cost (c8: 105.04 M -> 104.89 M, with
 * qualified_shape). Upper-case letters are lower-cased ones here, and
 * lower8 makes no other byte a host character. */
static bool
host_words(const uint64_t *w, size_t n)
{
#if defined(__SSE2__)
	const char *p = (const char *)w;
	for (size_t i = 0; i < n; i += 16) {
		/* signed compares: a byte >= 0x80 is in none of the ranges */
		__m128i v = _mm_loadu_si128((const __m128i *)(p + i));
#define IN(lo, hi)                                                             \
	_mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8((lo)-1)),                \
	              _mm_cmplt_epi8(v, _mm_set1_epi8((hi) + 1)))
		__m128i ok =
		    _mm_or_si128(_mm_or_si128(IN('a', 'z'), IN('0', '9')),
		                 _mm_or_si128(IN('-', '.'), IN('_', '_')));
#undef IN
		unsigned want = n - i >= 16 ? 0xffffu : (1u << (n - i)) - 1;
		if (((unsigned)_mm_movemask_epi8(ok) & want) != want)
			return false;
	}
	return true;
#else
	const char *p = (const char *)w;
	for (size_t i = 0; i < n; i++)
		if (!host_char(p[i]))
			return false;
	return true;
#endif
}

/* psl_registrable_domain costs about 10,000 instructions a call, and a
 * mailbox names the same few hosts over and over: remember the answer
 * for recent names, keyed by the normalized name lower-cased (whether it
 * is a qualified host name depends on nothing else, case included). Names
 * longer than DOM_NAME_MAX are never qualified, so the memo has a fixed size.
 * One memo per thread (no lock), emptied when the list changes. */
enum {
	DOM_MEMO_SLOTS = 512, /* 132 KB; see RAW_SLOTS */
	DOM_MEMO_UNQUALIFIED = -2,
	DOM_MEMO_PENDING = -3
};
/* Names are kept as whole 8-byte words, zero-padded (as lower_hash
 * writes them): compared a word at a time. */
#define DOM_WORDS ((DOM_NAME_MAX + 7) / 8)
struct dom_memo {
	unsigned char len; /* 0: empty slot */
	short off;         /* registrable domain at name + off; -1: none (the
	                      name itself); DOM_MEMO_UNQUALIFIED;
	                      DOM_MEMO_PENDING: qualified, not looked up */
	uint64_t name[DOM_WORDS];
};
static _Thread_local struct dom_memo *memo; /* [DOM_MEMO_SLOTS] */

/* In front of it, a memo keyed by the host name exactly as the caller
 * gives it (up to RAW_MAX bytes): a hit then needs neither dom_norm nor
 * lower-casing the whole name to find the slot, only hashing the bytes
 * as they are; the answer depends on them alone. A host written in
 * another case takes a slot of its own. 1,024 slots (88 KB): 2,048 had
 * fewer misses (c8: 2,630 with 1,024 before the memo below halved too,
 * 2,546 with 2,048), but these memos and the public-suffix one
 * (orgdomain.c) took more time at their sizes of then, their probes
 * missing the caches (see PUB_SLOTS there). */
enum { RAW_SLOTS = 1024, RAW_MAX = 64, RAW_UNQUALIFIED = -1, RAW_PENDING = -2 };
struct raw_memo {
	uint64_t name[RAW_MAX / 8];       /* host bytes, zero-padded */
	unsigned char len;                /* 0: empty slot */
	unsigned char norm_off, norm_len; /* dom_norm(host) in host */
	short org_off;   /* org: norm from here on, lower-cased;
	                    RAW_UNQUALIFIED: no org; RAW_PENDING: qualified,
	                    org not looked up yet (dom_org_lazy) */
	bool org_lower;  /* those bytes are in lower case already */
	unsigned msg;    /* org was handed out in message msg (dom_begin) */
	const char *org; /* that copy, in the message's arena */
};
static _Thread_local struct raw_memo *raw; /* [RAW_SLOTS] */
static _Thread_local unsigned memo_gen;
/* The message dom_begin started (never 0: a slot's msg 0 matches none)
 * and its arena: a host named again in the message gets the copy of its
 * org made the first time. */
static _Thread_local unsigned msg_serial;
static _Thread_local struct arena *msg_arena;

/* Empty both memos when the list changed (or allocate them). */
static void
memo_check(void)
{
	unsigned g = orgdomain_generation();
	if (memo_gen != g) {
		if (memo_gen) { /* 0: never filled (g never is) */
			memset(memo, 0, DOM_MEMO_SLOTS * sizeof(*memo));
			memset(raw, 0, RAW_SLOTS * sizeof(*raw));
		} else {
			memo = tls_calloc(DOM_MEMO_SLOTS * sizeof(*memo));
			raw = tls_calloc(RAW_SLOTS * sizeof(*raw));
		}
		memo_gen = g;
	}
}

void
dom_begin(struct arena *a)
{
	memo_check();
	if (++msg_serial == 0) { /* wrapped: an old slot might match */
		for (size_t i = 0; i < RAW_SLOTS; i++)
			raw[i].msg = 0;
		msg_serial = 1;
	}
	msg_arena = a;
}

static struct dom_memo *
memo_slot(size_t hv)
{
	if (!memo) /* dom_begin not called: never before a list change */
		memo_check();
	return &memo[hv % DOM_MEMO_SLOTS];
}

/* Eight bytes lower-cased at once: a byte of 'A'..'Z' (high bit clear)
 * gets 0x20; others, UTF-8 included, are kept. */
static uint64_t
lower8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u;
	uint64_t low7 = w & 0x7f * ones;
	uint64_t ge_a = low7 + (0x80 - 'A') * ones;     /* bit 7: >= 'A' */
	uint64_t gt_z = low7 + (0x80 - 'Z' - 1) * ones; /* bit 7: > 'Z' */
	uint64_t upper = ge_a & ~gt_z & ~w & 0x80 * ones;
	return w | upper >> 2;
}

static inline uint64_t
word_at8(const char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

/* The bytes s[i..n) (fewer than 8, at least 1) as a zero-padded word. */
static inline __attribute__((always_inline)) uint64_t
tail_word(const char *s, size_t i, size_t n)
{
	uint64_t w = 0;
	if (n >= 8) { /* the last 8 bytes, shifted: one load */
		memcpy(&w, s + n - 8, 8);
		return w >> 8 * (8 - (n - i));
	}
	for (size_t k = 0; k < n - i; k++)
		w |= (uint64_t)(unsigned char)s[i + k] << 8 * k;
	return w;
}

/* The 8 bytes of s from i (i < n) lower-cased, zero past n. */
static inline uint64_t
lower_word(const char *s, size_t i, size_t n)
{
	uint64_t w;
	if (n - i >= 8)
		memcpy(&w, s + i, 8);
	else
		w = tail_word(s, i, n);
	return lower8(w);
}

/* s lower-cased into d as (n + 7) / 8 words, the last zero-padded, and a
 * hash of it: dom_org runs for every host of every hop, and a byte at a
 * time was most of its cost. */
static uint64_t
lower_hash(uint64_t *d, const char *s, size_t n)
{
	uint64_t hv = n;
	for (size_t i = 0; i < n; i += 8) {
		uint64_t w = lower_word(s, i, n);
		d[i / 8] = w;
		hv = (hv ^ w) * 0x9e3779b97f4a7c15u;
	}
	return hv ^ hv >> 32;
}

/* A hash of s (n bytes, 1..RAW_MAX) from its first and last eight bytes
 * and its length, without a loop: host names differ there (the host
 * label, the domain); the memo compares the whole name anyway. */
static inline size_t
raw_hash(const char *s, size_t n)
{
	uint64_t a, b;
	if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
	} else
		a = b = tail_word(s, 0, n);
	uint64_t hv = (a ^ (b << 7 | b >> 57) ^ n) * 0x9e3779b97f4a7c15u;
	return (size_t)(hv ^ hv >> 32);
}

/* Is s (n bytes) the zero-padded words name? */
static inline bool
raw_eq(const uint64_t *name, const char *s, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (name[i / 8] != w)
			return false;
	}
	return i == n || name[i / 8] == tail_word(s, i, n);
}

static bool
words_eq(const uint64_t *a, const uint64_t *b, size_t n)
{
	for (size_t i = 0; i < (n + 7) / 8; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

const char dom_pending[1];

/* dom_org of a host whose dom_norm is s; lazy: DOM_PENDING for a qualified
 * name not looked up yet. */
static const char *
org_of_norm(struct arena *a, struct str s, bool lazy)
{
	if (s.n == 0 || s.n > DOM_NAME_MAX)
		return NULL;
	/* s lower-cased, then a NUL word: host_words's last 16-byte load
	 * ends within them (at most word 31 of 33) */
	uint64_t w[DOM_WORDS + 1];
	struct dom_memo *m = memo_slot(lower_hash(w, s.p, s.n));
	const char *low = (const char *)w;
	bool hit = m->len == s.n && words_eq(m->name, w, s.n);
	if (hit && m->off == DOM_MEMO_UNQUALIFIED)
		return NULL;
	if (!hit) {
		m->len = (unsigned char)s.n;
		memcpy(m->name, w, (s.n + 7) / 8 * 8);
		m->off = DOM_MEMO_UNQUALIFIED;
		w[(s.n + 7) / 8] = 0;
		if (!qualified_shape(s) || !host_words(w, s.n))
			return NULL;
		m->off = DOM_MEMO_PENDING;
	}
	if (m->off == DOM_MEMO_PENDING) {
		if (lazy)
			return DOM_PENDING;
		w[(s.n + 7) / 8] = 0; /* NUL-terminated even when n % 8 == 0 */
		const char *r = orgdomain_registrable(low, s.n);
		m->off = r ? (short)(r - low) : -1;
	}
	size_t off = m->off < 0 ? 0 : (size_t)m->off, n = s.n - off;
	char *org = arena_alloc_raw(a, n + 1); /* all written: not zeroed */
	memcpy(org, low + off, n);
	org[n] = '\0';
	return org;
}

/* s[0..n) lower-cased into a new arena string. */
static char *
lower_dup(struct arena *a, const char *s, size_t n)
{
	/* whole words written: room for them */
	char *org = arena_alloc_raw(a, (n + 8) & ~(size_t)7);
	for (size_t i = 0; i < n; i += 8) {
		uint64_t w = lower_word(s, i, n);
		memcpy(org + i, &w, 8);
	}
	org[n] = '\0';
	return org;
}

/* Slot m's answer: org, org_of_norm's for its name (norm s). */
static void
raw_set_org(struct arena *a, struct raw_memo *m, struct str s, const char *org)
{
	if (!org || org == DOM_PENDING) {
		m->org_off = org ? RAW_PENDING : RAW_UNQUALIFIED;
		return;
	}
	size_t on = strlen(org);
	m->org_off = (short)(s.n - on);
	m->org_lower = memcmp(org, s.p + s.n - on, on) == 0;
	m->msg = a == msg_arena ? msg_serial : 0;
	m->org = org;
}

/* dom_org, inline into dom_org_group: most of its calls are memo
 * hits, for which a call more is a good part of the cost. lazy: as
 * dom_org_lazy. */
static inline __attribute__((always_inline)) const char *
org_lookup(struct arena *a, struct str host, bool lazy)
{
	if (host.n == 0) /* no rDNS (a tenth of all calls): no name */
		return NULL;
	if (host.n > RAW_MAX)
		return org_of_norm(a, dom_norm(host), lazy);
	if (!raw) /* see memo_slot */
		memo_check();
	struct raw_memo *m = &raw[raw_hash(host.p, host.n) % RAW_SLOTS];
	if (m->len == host.n && raw_eq(m->name, host.p, host.n)) {
		struct str norm = str_make(host.p + m->norm_off, m->norm_len);
		if (m->org_off == RAW_UNQUALIFIED)
			return NULL;
		if (m->org_off == RAW_PENDING) {
			if (lazy)
				return DOM_PENDING;
			const char *org = org_of_norm(a, norm, false);
			raw_set_org(a, m, norm, org);
			return org;
		}
		if (m->msg == msg_serial && a == msg_arena)
			return m->org; /* named before in this message */
		m->msg = a == msg_arena ? msg_serial : 0;
		const char *o = norm.p + m->org_off;
		size_t n = m->norm_len - (size_t)m->org_off;
		return m->org = m->org_lower ? arena_strndup(a, o, n)
		                             : lower_dup(a, o, n);
	}
	struct str s = dom_norm(host);
	const char *org = org_of_norm(a, s, lazy);
	m->len = (unsigned char)host.n;
	for (size_t i = 0; i < host.n; i += 8)
		m->name[i / 8] = host.n - i >= 8 ? word_at8(host.p + i)
		                                 : tail_word(host.p, i, host.n);
	m->norm_off = (unsigned char)(s.p - host.p);
	m->norm_len = (unsigned char)s.n;
	raw_set_org(a, m, s, org);
	return org;
}

const char *
dom_org(struct arena *a, struct str host)
{
	return org_lookup(a, host, false);
}

int
dom_group_slow(const struct trace_config *c, const char *org)
{
	for (size_t i = c->eq_head[(unsigned char)org[0]]; i;
	     i = c->eq[i - 1].next)
		if (strcmp(c->eq[i - 1].dom, org) == 0)
			return c->eq[i - 1].group;
	return -1;
}

const char *
dom_org_group(const struct tctx *x, struct str host, int *group)
{
	const char *org = org_lookup(x->a, host, false);
	*group = dom_group(x->c, org);
	return org;
}

const char *
dom_org_lazy(const struct tctx *x, struct str host, int *group)
{
	const char *org = org_lookup(x->a, host, true);
	*group = org == DOM_PENDING ? -1 : dom_group(x->c, org);
	return org;
}

const char *
dom_group_name(const struct trace_config *c, int group)
{
	if (group < 0) /* most hosts are in no group */
		return NULL;
	for (size_t i = 0; i < c->neq; i++)
		if (c->eq[i].group == group && c->eq[i].first)
			return c->eq[i].dom;
	return NULL;
}

/* host is pattern or a name under it ("mx.example.net" under
 * "example.net"). */
bool
dom_under(struct str host, const char *pattern)
{
	host = dom_norm(host);
	size_t n = strlen(pattern);
	if (host.n < n || n == 0)
		return false;
	struct str tail = str_make(host.p + host.n - n, n);
	if (!str_ieq(tail, pattern))
		return false;
	return host.n == n || host.p[host.n - n - 1] == '.';
}

void
ev_grow(struct arena *a, struct trace_evlist *l)
{
	/* not zeroed: entries are written whole as they are added. A first
	 * block (most lists never grow past it) is no growth: nothing to
	 * copy (c8: 112.81 M -> 112.68 M) */
	if (!l->cap) {
		l->v = arena_alloc_raw(a, 4 * sizeof(*l->v));
		l->cap = 4;
		return;
	}
	size_t nc = l->cap * 2;
	l->v = arena_grow_raw(a, l->v, l->n, nc, sizeof(*l->v));
	l->cap = nc;
}

void
ev_add(struct arena *a, struct trace_evlist *l, int hop, int header,
       const char *fmt, ...)
{
	if (l->n >= TRACE_MAX_EVIDENCE)
		return;
	if (!strchr(fmt, '%')) { /* a fixed text: shared, as ev_copy does */
		ev_add_text(a, l, hop, header, fmt);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	const char *t = arena_vprintf(a, fmt, ap);
	va_end(ap);
	ev_add_text(a, l, hop, header, t);
}

/* Most role and trust evidence reads "hop N: ...": concatenating it
 * costs a fraction of arena_vprintf, which parses the format each time. */
void
ev_add_hop_n(struct arena *a, struct trace_evlist *l, int hop, int header,
             struct str pre, struct str mid, struct str post)
{
	if (l->n >= TRACE_MAX_EVIDENCE)
		return;
	size_t np = pre.n, nq = post.n;
	size_t nm = mid.p ? strnlen(mid.p, mid.n) : 0; /* as %.*s */
	/* hop as %d: at most 11 bytes */
	char *t = arena_alloc_raw(a, 4 + 11 + 2 + np + nm + nq + 1), *o = t;
	memcpy(o, "hop ", 4);
	o = str_put_dec(o + 4, hop);
	memcpy(o, ": ", 2);
	o += 2;
	memcpy(o, pre.p, np);
	o += np;
	if (nm)
		memcpy(o, mid.p, nm);
	o += nm;
	memcpy(o, post.p, nq);
	o[nq] = '\0';
	ev_add_text(a, l, hop, header, t);
}

void
ev_copy(struct arena *a, struct trace_evlist *dst,
        const struct trace_evlist *src)
{
	/* texts are arena-owned and never changed: share them */
	if (dst->n == 0 && dst->cap == 0 && src->n) {
		/* into an empty list (nearly always): one copy */
		size_t n =
		    src->n < TRACE_MAX_EVIDENCE ? src->n : TRACE_MAX_EVIDENCE;
		dst->v = arena_array_raw(a, n, sizeof(*dst->v));
		memcpy(dst->v, src->v, n * sizeof(*dst->v));
		dst->n = dst->cap = n;
		return;
	}
	for (size_t i = 0; i < src->n; i++)
		ev_add_text(a, dst, src->v[i].hop, src->v[i].header,
		            src->v[i].text);
}
