/* orgdomain.c: Organizational Domains via libpsl, see orgdomain.h. */
#include "orgdomain.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include <libpsl.h>

#include "parse/bulk.h"
#include "tls.h"

/* The list is shared by every thread: loaded once under list_lock, then
 * read through an atomic pointer so that a lookup takes no lock.
 * Replacing it (orgdomain_use_file, _use_builtin, _free) must not race
 * with lookups: the main thread does it before workers start. */
static pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(const psl_ctx_t *) list;
static psl_ctx_t *owned; /* list when we must psl_free() it */
static const char *source = "none";
/* Bumped whenever the list changes: each thread's memos hold answers of
 * one list and empty themselves when this moves on. */
static atomic_uint generation;

/* psl_registrable_domain costs about 10,000 instructions a call and a
 * mailbox names the same domains over and over: remember recent answers
 * (an offset into the normalized name) for names up to MEMO_NAME bytes.
 * One memo per thread, so that workers need no lock. 256 slots (65 KB):
 * 512 took more time, the probes missing the caches (make bench-ab, 100
 * pairs on the corpus at -j 1: -1 %). */
enum { MEMO_SLOTS = 256, MEMO_NAME = 253 };
static _Thread_local struct memo {
	unsigned short len; /* 0: empty */
	short off;          /* registrable domain at name + off; -1: none */
	char name[MEMO_NAME];
} * memo; /* [MEMO_SLOTS], from tls_calloc */
/* psl_registrable_domain asks psl_is_public_suffix about the name, then
 * each parent in turn, and each question costs about 2,500 instructions;
 * new host names mostly sit under known parents ("*.dialup.example.net"),
 * so remember the answer per suffix (up to PUB_NAME bytes), per thread.
 * No suffix longer than 46 bytes was asked twice in the corpus. 2,048
 * slots of 48 bytes (96 KB), with the memos of trace/domain.c sized
 * alike: 8,192 slots asked libpsl 10 % less often (the corpus at -j 1:
 * 4 M instructions, 1 %) but took more time, their probes missing the
 * caches (make bench-ab, 100 pairs each on the corpus: -j 1 -1.8 %,
 * 2 threads -2 % to -4 %). */
enum { PUB_SLOTS = 2048, PUB_NAME = 46 };
static _Thread_local struct pub_memo {
	unsigned char len; /* 0: empty */
	bool pub;
	char name[PUB_NAME];
} * pub_memo; /* [PUB_SLOTS], from tls_calloc */
static _Thread_local unsigned memo_gen;
/* Each thread asked libpsl again about the suffixes another had asked
 * already, so under threads a miss of a thread's pub_memo asks this
 * memo, one per process, before libpsl (-j 2 on the corpus, with the
 * memo sizes of then: 9,951 questions -> 8,115). No lock: a slot is claimed
 * once (len 0 -> SHARED_BUSY by compare-and-swap), written, then published by a
 * release store of its len, and nothing changes it until set_list empties the
 * table (no lookups run then): a reader that saw len (acquire) reads the rest
 * as it is. A set fills from its first slot, so the first empty one ends a
 * search; a full set leaves the answer to the thread's memo. Sets of
 * eight (of four, the corpus' suffixes overflowed 5 times as often).
 * 4,096 slots (192 KB), fewer than the corpus has suffixes (8,100): 16,384
 * shared them all but took more time, the probes missing the caches
 * (make bench-ab, 100 pairs on the corpus with 2 threads: -1.3 %). */
enum { SHARED_SLOTS = 4096, SHARED_WAYS = 8, SHARED_BUSY = 0xff };
struct shared_pub {
	_Atomic unsigned char len; /* 0: empty; SHARED_BUSY: being written */
	bool pub;
	char name[PUB_NAME];
};
/* [SHARED_SLOTS], made by orgdomain_threads before threads start; NULL
 * until then: one thread alone has no use for it, whose first touches
 * cost it about 380 page faults on the corpus (in 4 KB pages) for the
 * 217 questions its own memo had pushed out. */
static struct shared_pub *shared;
_Static_assert((int)PUB_NAME < (int)SHARED_BUSY, "SHARED_BUSY is no length");

/* Loads the list first: a generation seen is never 0, the value of a
 * memo no thread has filled yet (so that it need not be cleared). */
static const psl_ctx_t *get_list(void);

unsigned
orgdomain_generation(void)
{
	get_list();
	return atomic_load_explicit(&generation, memory_order_acquire);
}

/* Empty this thread's memos if the list changed since they were filled
 * (a fresh thread's are empty already). The caller has loaded the list
 * (get_list): the generation is read as it is, not through a second
 * get_list. */
static void
memo_check(void)
{
	unsigned g = atomic_load_explicit(&generation, memory_order_acquire);
	if (memo_gen != g) {
		if (memo_gen) {
			memset(memo, 0, MEMO_SLOTS * sizeof(*memo));
			memset(pub_memo, 0, PUB_SLOTS * sizeof(*pub_memo));
		} else {
			memo = tls_calloc(MEMO_SLOTS * sizeof(*memo));
			pub_memo = tls_calloc(PUB_SLOTS * sizeof(*pub_memo));
		}
		memo_gen = g;
	}
}

/* Empty the shared memo (set_list: no lookups run). */
static void
shared_clear(void)
{
	for (size_t i = 0; shared && i < SHARED_SLOTS; i++)
		atomic_store_explicit(&shared[i].len, 0, memory_order_relaxed);
}

/* Install l (owned: free it when replaced); list_lock held. */
static void
set_list(const psl_ctx_t *l, psl_ctx_t *own, const char *src)
{
	shared_clear();
	if (owned)
		psl_free(owned);
	owned = own;
	source = src;
	atomic_store_explicit(&list, l, memory_order_release);
	atomic_fetch_add_explicit(&generation, 1, memory_order_release);
}

/* The default list, loaded by the first caller of any thread. */
static const psl_ctx_t *
get_list(void)
{
	const psl_ctx_t *l = atomic_load_explicit(&list, memory_order_acquire);
	if (l)
		return l;
	pthread_mutex_lock(&list_lock);
	l = atomic_load_explicit(&list, memory_order_relaxed);
	if (!l) {
		psl_ctx_t *p = psl_latest(NULL);
		if (p)
			set_list(p, p, "latest");
		else
			set_list(psl_builtin(), NULL, "builtin");
		l = atomic_load_explicit(&list, memory_order_relaxed);
	}
	pthread_mutex_unlock(&list_lock);
	return l;
}

void
orgdomain_init(void)
{
	get_list();
}

void
orgdomain_threads(void)
{
	orgdomain_init();
	if (shared)
		return;
	/* for the process (never freed); a page of it first read would map
	 * the zero page, and the copy at the first write then interrupt the
	 * other processors to flush their TLBs */
	size_t n = SHARED_SLOTS * sizeof(*shared);
	shared = bulk_calloc(&n);
	tls_populate(shared, n);
}

const void *
orgdomain_list(void)
{
	return get_list();
}

int
orgdomain_use_file(const char *path)
{
	psl_ctx_t *p = psl_load_file(path);
	if (!p)
		return -1;
	pthread_mutex_lock(&list_lock);
	set_list(p, p, path);
	pthread_mutex_unlock(&list_lock);
	return 0;
}

void
orgdomain_use_builtin(void)
{
	pthread_mutex_lock(&list_lock);
	set_list(psl_builtin(), NULL, "builtin");
	pthread_mutex_unlock(&list_lock);
}

const char *
orgdomain_source(void)
{
	get_list();
	pthread_mutex_lock(&list_lock);
	const char *s = source;
	pthread_mutex_unlock(&list_lock);
	return s;
}

void
orgdomain_free(void)
{
	pthread_mutex_lock(&list_lock);
	set_list(NULL, NULL, "none");
	pthread_mutex_unlock(&list_lock);
}

/* What orgdomain_normalize does with each byte: copy it, lower-case it,
 * note a label boundary, or turn the name down (controls, space, DEL and
 * the separators of addresses, URLs and IPv6 literals). A table, because
 * comparing every byte with each of those cost most of the function. */
enum { NB_PLAIN, NB_UPPER, NB_DOT, NB_BAD };
#define NB_UPPER8(c)                                                           \
	[c] = NB_UPPER, [c + 1] = NB_UPPER, [c + 2] = NB_UPPER,                \
	[c + 3] = NB_UPPER, [c + 4] = NB_UPPER, [c + 5] = NB_UPPER,            \
	[c + 6] = NB_UPPER, [c + 7] = NB_UPPER
#define NB_BAD8(c)                                                             \
	[c] = NB_BAD, [c + 1] = NB_BAD, [c + 2] = NB_BAD, [c + 3] = NB_BAD,    \
	[c + 4] = NB_BAD, [c + 5] = NB_BAD, [c + 6] = NB_BAD, [c + 7] = NB_BAD
static const unsigned char name_byte[256] = {
    NB_BAD8(0),         NB_BAD8(8),          NB_BAD8(16),      NB_BAD8(24),
    [' '] = NB_BAD,     [0x7f] = NB_BAD,     [':'] = NB_BAD,   ['@'] = NB_BAD,
    ['/'] = NB_BAD,     ['\\'] = NB_BAD,     ['.'] = NB_DOT,   NB_UPPER8('A'),
    NB_UPPER8('A' + 8), NB_UPPER8('A' + 16), ['Y'] = NB_UPPER, ['Z'] = NB_UPPER,
};

struct str
orgdomain_normalize(struct arena *a, struct str d)
{
	d = str_trim(d);
	if (d.n > 0 && d.p[d.n - 1] == '.')
		d.n--;
	if (d.n == 0 || d.n > 253 * 4 || d.p[0] == '.' || d.p[0] == '[')
		return STR_LIT("");
	/* every byte and the NUL are written below: not zeroed */
	char *o = arena_alloc_raw(a, d.n + 1);
	size_t last = 0; /* start of the last label */
	for (size_t i = 0; i < d.n; i++) {
		unsigned char c = (unsigned char)d.p[i];
		if (name_byte[c] != NB_PLAIN) { /* one test for most bytes */
			if (name_byte[c] == NB_BAD)
				return STR_LIT("");
			if (name_byte[c] == NB_UPPER) {
				c += 32;
			} else { /* '.' */
				if (i > 0 && d.p[i - 1] == '.')
					return STR_LIT("");
				last = i + 1;
			}
		}
		o[i] = (char)c;
	}
	o[d.n] = '\0';
	/* an all-digit last label: an IPv4 literal (or shorthand), never a
	 * TLD */
	size_t i = last; /* stops at a TLD's first letter (c8: 54,000 instr.) */
	while (i < d.n && o[i] >= '0' && o[i] <= '9')
		i++;
	if (i == d.n)
		return STR_LIT("");
	return str_make(o, d.n);
}

/* Publish m's answer in set's first empty slot from w on (another
 * thread may have claimed w meanwhile: then the next one). m's whole
 * name array is copied: a few moves, where a memcpy of m->len bytes is a
 * call (c8: 45,000 instructions). */
static void
shared_add(struct shared_pub *set, int w, const struct pub_memo *m)
{
	for (; w < SHARED_WAYS; w++) {
		unsigned char zero = 0;
		if (!atomic_compare_exchange_strong_explicit(
		        &set[w].len, &zero, SHARED_BUSY, memory_order_relaxed,
		        memory_order_relaxed))
			continue;
		set[w].pub = m->pub;
		memcpy(set[w].name, m->name, PUB_NAME);
		atomic_store_explicit(&set[w].len, m->len,
		                      memory_order_release);
		return;
	}
}

/* psl_is_public_suffix(l, s) for m, a slot of this thread's memo that
 * holds s already (m->len bytes, hash hv), asked of the shared memo
 * first. */
static bool
shared_is_public(const psl_ctx_t *l, const char *s, struct pub_memo *m,
                 size_t hv)
{
	struct shared_pub *set =
	    &shared[hv % SHARED_SLOTS & ~(size_t)(SHARED_WAYS - 1)];
	int w = 0;
	for (; w < SHARED_WAYS; w++) {
		unsigned k =
		    atomic_load_explicit(&set[w].len, memory_order_acquire);
		if (!k)
			break;
		if (k == m->len && memcmp(set[w].name, s, k) == 0)
			return set[w].pub;
	}
	m->pub = psl_is_public_suffix(l, s);
	shared_add(set, w, m);
	return m->pub;
}

/* psl_is_public_suffix(l, s), s the last n bytes of a name, with a dot
 * (registrable answers single labels). */
static bool
is_public(const psl_ctx_t *l, const char *s, size_t n)
{
	if (n > PUB_NAME)
		return psl_is_public_suffix(l, s);
	/* four ways: a set of four slots per hash, so that suffixes that
	 * meet in a set do not push each other out (each costs libpsl's
	 * 4,500 instructions again) */
	size_t hv = str_hash(s, n);
	__typeof__(&pub_memo[0]) set = &pub_memo[hv % PUB_SLOTS & ~(size_t)3];
	/* a set fills from its first slot and only a list change empties
	 * it: the first empty slot ends the search and takes the answer,
	 * else the one the hash's high bits pick (c8: 61,000 instructions
	 * less than a search of all four and then a pick) */
	size_t w = 0;
	for (; w < 4 && set[w].len; w++)
		if (set[w].len == n && memcmp(set[w].name, s, n) == 0)
			return set[w].pub;
	__typeof__(&pub_memo[0]) m = &set[w < 4 ? w : hv >> 40 & 3];
	m->len = (unsigned char)n;
	memcpy(m->name, s, n);
	m->pub =
	    shared ? shared_is_public(l, s, m, hv) : psl_is_public_suffix(l, s);
	return m->pub;
}

/* psl_registrable_domain(l, h) with the questions memoized: the same
 * walk from the left, so that rules like "forgot.his.name" (public while
 * "his.name" is not) give libpsl's answer. */
static const char *
registrable(const psl_ctx_t *l, const char *h, size_t n)
{
	if (h[0] == '.')
		return NULL;
	const char *p = h, *end = h + n, *regdom = NULL;
	/* the dot found once a suffix: it tells a single label, public
	 * without asking (libpsl's implicit "*" rule), and where the next
	 * suffix starts */
	for (;;) {
		const char *dot = memchr(p, '.', (size_t)(end - p));
		if (!dot || is_public(l, p, (size_t)(end - p)))
			break;
		regdom = p;
		p = dot + 1;
	}
	return regdom;
}

const char *
orgdomain_registrable(const char *h, size_t n)
{
	const psl_ctx_t *l = get_list();
	if (!l)
		return NULL;
	memo_check();
	return registrable(l, h, n);
}

/* orgdomain_of for n, the non-empty result of orgdomain_normalize
 * (normalizing it again would change nothing). */
static struct str
of_normalized(struct str n)
{
	const psl_ctx_t *p = get_list();
	if (!p)
		return STR_NULL;
	memo_check();
	size_t hv = str_hash(n.p, n.n);
	size_t slot = hv % MEMO_SLOTS;
	if (memo[slot].len == n.n && memcmp(memo[slot].name, n.p, n.n) == 0)
		return memo[slot].off < 0
		           ? STR_NULL
		           : str_make(n.p + memo[slot].off,
		                      n.n - (size_t)memo[slot].off);
	const char *r = registrable(p, n.p, n.n);
	bool suffix = !r || (r >= n.p && r <= n.p + n.n);
	if (suffix && n.n <= MEMO_NAME) {
		memo[slot].len = (unsigned short)n.n;
		memcpy(memo[slot].name, n.p, n.n);
		memo[slot].off = r ? (short)(r - n.p) : -1;
	}
	if (!r)
		return STR_NULL;
	/* r points into n.p (a suffix of it) */
	return str_make(r, n.n - (size_t)(r - n.p));
}

struct str
orgdomain_of(struct arena *a, struct str d)
{
	return orgdomain_of_normalized(orgdomain_normalize(a, d));
}

struct str
orgdomain_of_normalized(struct str n)
{
	return n.n ? of_normalized(n) : STR_NULL;
}

enum orgdomain_alignment
orgdomain_align(struct arena *a, struct str from, struct str auth)
{
	return orgdomain_align_normalized(a, orgdomain_normalize(a, from),
	                                  auth);
}

/* Does the name n end with the whole labels o (n is o or "*.o")? */
static bool
ends_with_labels(struct str n, struct str o)
{
	if (n.n < o.n || memcmp(n.p + n.n - o.n, o.p, o.n) != 0)
		return false;
	return n.n == o.n || n.p[n.n - o.n - 1] == '.';
}

/* The alignment of f and d, both normalised, unequal and not empty; of
 * the Organizational Domain of f. d's own is a suffix of d at a label
 * boundary, so it can only equal of when d ends with of: libpsl is not
 * asked about the many names that cannot align (c8: alignment 1.59 M ->
 * 0.38 M instructions). */
static enum orgdomain_alignment
align_orgs(struct str of, struct str d)
{
	if (!of.n || !ends_with_labels(d, of))
		return ORGDOMAIN_UNALIGNED;
	struct str od = of_normalized(d);
	return od.n && str_eq(of, od) ? ORGDOMAIN_RELAXED : ORGDOMAIN_UNALIGNED;
}

enum orgdomain_alignment
orgdomain_align_normalized(struct arena *a, struct str f, struct str auth)
{
	struct str d = orgdomain_normalize(a, auth);
	if (f.n == 0 || d.n == 0)
		return ORGDOMAIN_UNALIGNED;
	if (str_eq(f, d))
		return ORGDOMAIN_STRICT;
	return align_orgs(of_normalized(f), d);
}

enum orgdomain_alignment
orgdomain_align_org(struct arena *a, struct str f, struct str f_org,
                    struct str auth)
{
	/* the identity is mostly the From domain as written, and f is
	 * normalised already: no copy (c8: 72,000 instructions) */
	if (f.n && str_eq(auth, f))
		return ORGDOMAIN_STRICT;
	struct str d = orgdomain_normalize(a, auth);
	if (f.n == 0 || d.n == 0)
		return ORGDOMAIN_UNALIGNED;
	if (str_eq(f, d))
		return ORGDOMAIN_STRICT;
	return align_orgs(f_org, d);
}

bool
orgdomain_aligned(struct arena *a, struct str from, struct str auth,
                  bool strict)
{
	enum orgdomain_alignment al = orgdomain_align(a, from, auth);
	return strict ? al == ORGDOMAIN_STRICT : al != ORGDOMAIN_UNALIGNED;
}
