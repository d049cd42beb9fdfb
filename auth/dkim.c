/* dkim.c: offline DKIM analysis, see dkim.h. */
#include "dkim.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "parse/dynlib.h"

/* ------------------------------------------------------------------ */
/* libcrypto, loaded when the first signature needs it                  */

/*
 * libcrypto is loaded (dlopen) when a message first needs a digest or
 * base64, as GMime is (parse/message.c): linked, its loading and
 * relocations cost 0.6 ms of every start-up, a third of a mail filter's
 * run, though most mail an archive holds is unsigned. Every call goes
 * through cr(), whose pthread_once loads it once, before any thread's
 * first call; the digest methods are fetched there too (an implicit fetch
 * per EVP_DigestInit_ex with EVP_sha256() costs a method-store lookup
 * each time) and kept for the life of the process.
 */
#define CRYPTO_SONAME "libcrypto.so.3"

static struct crypto_fns {
	EVP_MD *(*md_fetch)(OSSL_LIB_CTX *, const char *, const char *);
	EVP_MD_CTX *(*ctx_new)(void);
	void (*ctx_free)(EVP_MD_CTX *);
	int (*init)(EVP_MD_CTX *, const EVP_MD *, ENGINE *);
	int (*update)(EVP_MD_CTX *, const void *, size_t);
	int (*final)(EVP_MD_CTX *, unsigned char *, unsigned int *);
	int (*decode)(unsigned char *, const unsigned char *, int);
	EVP_MD *md[2]; /* by enum dkim_hash; NULL: not available */
} crypto;
static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;
static atomic_bool crypto_started;
static void (*on_error)(const char *why);

void
dkim_lib_init(void (*error)(const char *why))
{
	on_error = error;
}

bool
dkim_crypto_started(void)
{
	return atomic_load_explicit(&crypto_started, memory_order_relaxed);
}

static void
load_crypto(void)
{
	const struct dynlib_sym syms[] = {
	    {"EVP_MD_fetch", &crypto.md_fetch},
	    {"EVP_MD_CTX_new", &crypto.ctx_new},
	    {"EVP_MD_CTX_free", &crypto.ctx_free},
	    {"EVP_DigestInit_ex", &crypto.init},
	    {"EVP_DigestUpdate", &crypto.update},
	    {"EVP_DigestFinal_ex", &crypto.final},
	    {"EVP_DecodeBlock", &crypto.decode},
	};
	dynlib_load(CRYPTO_SONAME, syms, sizeof(syms) / sizeof(syms[0]),
	            on_error);
	crypto.md[DKIM_SHA256] = crypto.md_fetch(NULL, "SHA256", NULL);
	crypto.md[DKIM_SHA1] = crypto.md_fetch(NULL, "SHA1", NULL);
	atomic_store_explicit(&crypto_started, true, memory_order_relaxed);
}

/* libcrypto's functions, loaded on the first call. */
static inline const struct crypto_fns *
cr(void)
{
	pthread_once(&crypto_once, load_crypto);
	return &crypto;
}

/* ------------------------------------------------------------------ */
/* Canonical-byte sink: buffers small pieces, passes large ones (a CRLF
 * body under simple canonicalization is one piece) straight to the
 * digests, each digest stopping at its own l= limit.                   */

#define SINK_BUF (64 * 1024)
#define SINK_MAXD 4

struct sink {
	EVP_MD_CTX *ctx[SINK_MAXD];
	uint64_t limit[SINK_MAXD];
	size_t nd;
	uint64_t max_limit; /* largest limit: past it only count */
	uint64_t fed;       /* canonical bytes before buf[0] */
	size_t used;
	bool failed;
	/* copy mode (dkim_body_canon) */
	struct arena *a;
	char *cp;
	size_t cpn, cpcap;
	unsigned char buf[SINK_BUF];
};

static void
feed(struct sink *s, const unsigned char *p, size_t n)
{
	if (n == 0)
		return;
	for (size_t k = 0; k < s->nd; k++) {
		if (s->limit[k] <= s->fed)
			continue;
		uint64_t room = s->limit[k] - s->fed;
		size_t m = room < n ? (size_t)room : n;
		if (!crypto.update(s->ctx[k], p, m))
			s->failed = true;
	}
	if (s->a && s->fed < s->max_limit) {
		uint64_t room = s->max_limit - s->fed;
		size_t m = room < n ? (size_t)room : n;
		if (s->cpn + m > s->cpcap) {
			size_t nc = s->cpcap ? s->cpcap : 256;
			while (nc < s->cpn + m)
				nc *= 2;
			s->cp = arena_grow(s->a, s->cp, s->cpn, nc, 1);
			s->cpcap = nc;
		}
		memcpy(s->cp + s->cpn, p, m);
		s->cpn += m;
	}
	s->fed += n;
}

static void
flush(struct sink *s)
{
	size_t n = s->used;
	s->used = 0;
	feed(s, s->buf, n);
}

static inline void
emit(struct sink *s, const unsigned char *p, size_t n)
{
	if (n <= SINK_BUF - s->used) {
		memcpy(s->buf + s->used, p, n);
		s->used += n;
		return;
	}
	flush(s);
	if (n >= SINK_BUF / 2) {
		feed(s, p, n);
		return;
	}
	memcpy(s->buf, p, n);
	s->used = n;
}

static void
emit_crlfs(struct sink *s, size_t k)
{
	static const unsigned char crlf16[] =
	    "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n"
	    "\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n";
	while (k > 0) {
		size_t m = k < 16 ? k : 16;
		emit(s, crlf16, 2 * m);
		k -= m;
	}
}

/* ------------------------------------------------------------------ */
/* Body canonicalization (§3.4.3, §3.4.4). A line ends at LF, a CR just
 * before the LF belongs to the line end, any other CR is content.
 * Line ends are emitted lazily: a run of them is written only when
 * content follows, so trailing empty lines vanish; the body then gets
 * exactly one final CRLF (simple: always, relaxed: when non-empty).   */

/* Simple: the input minus trailing line ends, with each bare LF turned
 * into CRLF, plus CRLF. Zero-copy for CRLF input. */
static void
canon_simple(struct sink *s, const unsigned char *p, size_t n)
{
	size_t end = n;
	while (end > 0 && p[end - 1] == '\n') {
		end--;
		if (end > 0 && p[end - 1] == '\r')
			end--;
	}
	size_t span = 0, i = 0;
	while (i < end) {
		const unsigned char *nl = memchr(p + i, '\n', end - i);
		if (!nl)
			break;
		size_t k = (size_t)(nl - p);
		if (k == 0 || p[k - 1] != '\r') {
			emit(s, p + span, k - span);
			emit_crlfs(s, 1);
			span = k + 1;
		}
		i = k + 1;
	}
	emit(s, p + span, end - span);
	emit_crlfs(s, 1);
}

/* Copy p[0..n) into the sink with each WSP run as one SP: a tight loop
 * writing straight into the buffer (output never exceeds input). */
static void
relaxed_copy(struct sink *s, const unsigned char *p, size_t n)
{
	bool ws = false;
	size_t j = 0;
	while (j < n) {
		if (s->used == SINK_BUF)
			flush(s);
		size_t room = SINK_BUF - s->used;
		size_t lim = n - j < room ? n : j + room;
		unsigned char *q = s->buf + s->used;
		for (; j < lim; j++) {
			unsigned char c = p[j];
			if (c == ' ' || c == '\t') {
				if (!ws)
					*q++ = ' ';
				ws = true;
			} else {
				*q++ = c;
				ws = false;
			}
		}
		s->used = (size_t)(q - s->buf);
	}
}

/* Relaxed: line by line; trailing WSP dropped, WSP runs reduced. */
static void
canon_relaxed(struct sink *s, const unsigned char *p, size_t n)
{
	size_t pend = 0, i = 0;
	bool any = false;
	while (i < n) {
		const unsigned char *nl = memchr(p + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - p) : n;
		size_t te = e;
		if (nl && te > i && p[te - 1] == '\r')
			te--;
		while (te > i && (p[te - 1] == ' ' || p[te - 1] == '\t'))
			te--;
		if (te > i) {
			if (pend) {
				emit_crlfs(s, pend);
				pend = 0;
			}
			relaxed_copy(s, p + i, te - i);
			any = true;
		}
		if (nl)
			pend++;
		i = nl ? e + 1 : n;
	}
	if (any)
		emit_crlfs(s, 1);
}

static void
canon_run(struct sink *s, enum dkim_canon c, const char *body, size_t len)
{
	if (c == DKIM_SIMPLE)
		canon_simple(s, (const unsigned char *)body, len);
	else
		canon_relaxed(s, (const unsigned char *)body, len);
	flush(s);
}

int
dkim_body_hash(const char *body, size_t len, struct dkim_bodyhash *r, size_t n)
{
	int rc = 0;
	for (size_t k = 0; k < n; k++) {
		r[k].md_len = 0;
		r[k].canon_len = r[k].hashed_len = 0;
		if (r[k].canon != DKIM_SIMPLE && r[k].canon != DKIM_RELAXED)
			rc = -1;
	}
	if (n == 0)
		return rc;
	struct sink *s = xmalloc(sizeof(*s));
	for (int c = DKIM_SIMPLE; c <= DKIM_RELAXED; c++) {
		size_t k = 0;
		while (k < n) {
			/* up to SINK_MAXD digests per pass */
			memset(s, 0, offsetof(struct sink, buf));
			size_t idx[SINK_MAXD];
			for (; k < n && s->nd < SINK_MAXD; k++) {
				if ((int)r[k].canon != c)
					continue;
				const EVP_MD *md = cr()->md[r[k].hash];
				EVP_MD_CTX *ctx = md ? crypto.ctx_new() : NULL;
				if (!ctx || !crypto.init(ctx, md, NULL)) {
					crypto.ctx_free(ctx);
					rc = -1;
					continue;
				}
				idx[s->nd] = k;
				s->limit[s->nd] = r[k].limit;
				s->ctx[s->nd++] = ctx;
			}
			if (s->nd == 0)
				break;
			canon_run(s, (enum dkim_canon)c, body, len);
			for (size_t d = 0; d < s->nd; d++) {
				struct dkim_bodyhash *q = &r[idx[d]];
				unsigned int ml = 0;
				q->canon_len = s->fed;
				q->hashed_len =
				    q->limit < s->fed ? q->limit : s->fed;
				if (!s->failed &&
				    crypto.final(s->ctx[d], q->md, &ml) &&
				    ml <= DKIM_MD_MAX)
					q->md_len = ml;
				else
					rc = -1;
				crypto.ctx_free(s->ctx[d]);
			}
		}
	}
	free(s);
	return rc;
}

struct str
dkim_body_canon(struct arena *a, const char *body, size_t len,
                enum dkim_canon c, uint64_t limit)
{
	if (c != DKIM_SIMPLE && c != DKIM_RELAXED)
		return STR_NULL;
	struct sink *s = xmalloc(sizeof(*s));
	memset(s, 0, offsetof(struct sink, buf));
	s->a = a;
	s->max_limit = limit;
	canon_run(s, c, body, len);
	struct str out = s->cpn ? str_make(s->cp, s->cpn) : STR_LIT("");
	free(s);
	return out;
}

/* ------------------------------------------------------------------ */
/* Header canonicalization (§3.4.1, §3.4.2)                            */

struct obuf {
	struct arena *a;
	char *p;
	size_t n, cap;
};

static void
ob_put(struct obuf *o, const char *p, size_t n)
{
	if (o->n + n + 1 > o->cap) {
		size_t nc = o->cap ? o->cap : 256;
		while (nc < o->n + n + 1)
			nc *= 2;
		o->p = arena_grow(o->a, o->p, o->n, nc, 1);
		o->cap = nc;
	}
	memcpy(o->p + o->n, p, n);
	o->n += n;
	o->p[o->n] = '\0';
}

static bool
is_eol_at(const char *p, size_t n, size_t i, size_t *len)
{
	if (p[i] == '\n') {
		*len = 1;
		return true;
	}
	if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n') {
		*len = 2;
		return true;
	}
	return false;
}

/* Simple: raw bytes with bare LF as CRLF, CRLF appended when missing. */
static void
hcanon_simple(struct obuf *o, const char *p, size_t n)
{
	size_t span = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r')) {
			ob_put(o, p + span, i - span);
			ob_put(o, "\r\n", 2);
			span = i + 1;
		}
	}
	ob_put(o, p + span, n - span);
	if (n < 1 || p[n - 1] != '\n')
		ob_put(o, "\r\n", 2);
}

/* Relaxed: lower-case name, ':', value unfolded with WSP runs as one SP
 * and no WSP at either end, CRLF. */
static void
hcanon_relaxed(struct obuf *o, struct str name, const char *v, size_t n)
{
	for (size_t i = 0; i < name.n; i++) {
		char c = name.p[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		ob_put(o, &c, 1);
	}
	ob_put(o, ":", 1);
	bool sp = false, any = false;
	for (size_t i = 0; i < n; i++) {
		size_t el;
		if (is_eol_at(v, n, i, &el)) {
			i += el - 1;
			continue;
		}
		if (v[i] == ' ' || v[i] == '\t') {
			sp = true;
			continue;
		}
		size_t j = i + 1;
		while (j < n && v[j] != ' ' && v[j] != '\t' && v[j] != '\r' &&
		       v[j] != '\n')
			j++;
		if (sp && any)
			ob_put(o, " ", 1);
		sp = false;
		any = true;
		ob_put(o, v + i, j - i);
		i = j - 1;
	}
	ob_put(o, "\r\n", 2);
}

static void
hcanon(struct obuf *o, const struct header *h, enum dkim_canon c)
{
	if (c == DKIM_SIMPLE)
		hcanon_simple(o, h->raw.p, h->raw.n);
	else
		hcanon_relaxed(o, h->name, h->value.p, h->value.n);
}

struct str
dkim_header_canon(struct arena *a, const struct header *h, enum dkim_canon c)
{
	if (c != DKIM_SIMPLE && c != DKIM_RELAXED)
		return STR_NULL;
	struct obuf o = {.a = a};
	hcanon(&o, h, c);
	return str_make(o.p, o.n);
}

/* ------------------------------------------------------------------ */
/* Tag parsing                                                         */

static bool
fws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void
problem(struct dkim_sig *sig, enum dkim_problem p, const char *why)
{
	sig->problems |= p;
	if (!sig->why)
		sig->why = why;
}

/* base64 (no FWS left) to bytes via OpenSSL; '=' only as final padding. */
static bool
b64_decode(struct arena *a, struct str s, unsigned char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	if (s.n == 0 || s.n % 4 != 0 || s.n > (size_t)INT_MAX / 2)
		return false;
	size_t pad = 0;
	while (pad < 2 && s.p[s.n - 1 - pad] == '=')
		pad++;
	if (memchr(s.p, '=', s.n - pad))
		return false;
	unsigned char *buf = arena_alloc(a, s.n / 4 * 3 + 1);
	int r = cr()->decode(buf, (const unsigned char *)s.p, (int)s.n);
	if (r < 0 || (size_t)r < pad)
		return false;
	*out = buf;
	*len = (size_t)r - pad;
	return true;
}

/* Unsigned decimal; saturates at UINT64_MAX. False when not 1*DIGIT or
 * longer than maxdig digits. */
static bool
parse_num(struct str s, size_t maxdig, uint64_t *out)
{
	if (s.n == 0 || s.n > maxdig)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		unsigned d = (unsigned)(s.p[i] - '0');
		v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
	}
	*out = v;
	return true;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* dkim-quoted-printable (§2.11) decoded, FWS dropped. */
static struct str
qp_decode(struct arena *a, struct str s)
{
	if (!memchr(s.p, '=', s.n) && !memchr(s.p, ' ', s.n) &&
	    !memchr(s.p, '\t', s.n) && !memchr(s.p, '\n', s.n))
		return s;
	char *o = arena_alloc(a, s.n + 1);
	size_t k = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (fws(s.p[i]))
			continue;
		if (s.p[i] == '=' && i + 2 < s.n + 0 &&
		    hexval(s.p[i + 1]) >= 0 && hexval(s.p[i + 2]) >= 0) {
			o[k++] = (char)(hexval(s.p[i + 1]) * 16 +
			                hexval(s.p[i + 2]));
			i += 2;
			continue;
		}
		o[k++] = s.p[i];
	}
	return str_make(o, k);
}

/* Is sub equal to dom or a subdomain of it (ASCII case-insensitive)? */
static bool
under_domain(struct str sub, struct str dom)
{
	if (dom.n == 0 || sub.n < dom.n)
		return false;
	struct str tail = str_make(sub.p + sub.n - dom.n, dom.n);
	if (!str_ieq_str(tail, dom))
		return false;
	return sub.n == dom.n || sub.p[sub.n - dom.n - 1] == '.';
}

/* Split v on ':' into trimmed, non-empty names (h= and q=). */
static size_t
split_colon(struct arena *a, struct str v, struct str **out)
{
	size_t cnt = 1;
	for (size_t i = 0; i < v.n; i++)
		cnt += v.p[i] == ':';
	struct str *arr = arena_array(a, cnt, sizeof(*arr));
	size_t k = 0, st = 0;
	for (size_t i = 0; i <= v.n; i++) {
		if (i < v.n && v.p[i] != ':')
			continue;
		struct str e = str_trim(str_make(v.p + st, i - st));
		if (e.n)
			arr[k++] = e;
		st = i + 1;
	}
	*out = arr;
	return k;
}

static bool
plausible_domain(struct str d)
{
	if (d.n == 0 || d.p[0] == '.' || d.p[d.n - 1] == '.')
		return false;
	for (size_t i = 0; i < d.n; i++) {
		unsigned char c = (unsigned char)d.p[i];
		if (c <= ' ' || c == ';' || c == '@' || c == 0x7f ||
		    (c == '.' && i > 0 && d.p[i - 1] == '.'))
			return false;
	}
	return true;
}

/* h= entries to header fields, bottom-up, each instance used once
 * (§5.4.2). Repeated names continue from where the previous search for
 * the same name stopped, so a name costs one pass over the fields. */
static void
select_signed(struct arena *a, const struct header_block *hb,
              struct dkim_sig *sig)
{
	sig->signed_idx =
	    arena_array(a, sig->nnames ? sig->nnames : 1, sizeof(int));
	for (size_t k = 0; k < sig->nnames; k++) {
		long start = (long)hb->n;
		for (size_t j = k; j-- > 0;)
			if (str_ieq_str(sig->names[j], sig->names[k])) {
				start = sig->signed_idx[j] < 0
				            ? 0
				            : sig->signed_idx[j];
				break;
			}
		int found = -1;
		for (long m = start - 1; m >= 0; m--)
			if (str_ieq_str(hb->v[m].name, sig->names[k])) {
				found = (int)m;
				break;
			}
		sig->signed_idx[k] = found;
		if (found < 0)
			sig->n_oversigned++;
		else if (str_ieq(sig->names[k], "from"))
			sig->from_signed = true;
	}
}

void
dkim_sig_parse(struct arena *a, const struct header_block *hb, size_t idx,
               struct dkim_sig *sig)
{
	memset(sig, 0, sizeof(*sig));
	sig->header = (int)idx;
	sig->alg = DKIM_ALG_UNKNOWN;
	const struct header *h = &hb->v[idx];
	sig->tags_status = tags_parse(h->value, a, &sig->tags);
	if (sig->tags_status != TAGS_OK)
		problem(sig, DKIM_P_TAGS, tags_strerror(sig->tags_status));

	bool pv, pa, pb, pbh, pd, ph, ps, pc, pi, pl, pq, pt, px;
	sig->v = tags_get(&sig->tags, "v", &pv);
	sig->a = tags_get(&sig->tags, "a", &pa);
	sig->b = tags_value_nows(a, tags_get(&sig->tags, "b", &pb));
	sig->bh = tags_value_nows(a, tags_get(&sig->tags, "bh", &pbh));
	sig->c = tags_get(&sig->tags, "c", &pc);
	sig->d = tags_get(&sig->tags, "d", &pd);
	sig->h = tags_value_nows(a, tags_get(&sig->tags, "h", &ph));
	sig->i = tags_get(&sig->tags, "i", &pi);
	struct str l = tags_get(&sig->tags, "l", &pl);
	sig->q = tags_get(&sig->tags, "q", &pq);
	sig->s = tags_get(&sig->tags, "s", &ps);
	struct str t = tags_get(&sig->tags, "t", &pt);
	struct str x = tags_get(&sig->tags, "x", &px);
	sig->z = tags_get(&sig->tags, "z", NULL);

	if (!pv)
		problem(sig, DKIM_P_MISSING, "missing required tag v=");
	if (!pa)
		problem(sig, DKIM_P_MISSING, "missing required tag a=");
	if (!pb)
		problem(sig, DKIM_P_MISSING, "missing required tag b=");
	if (!pbh)
		problem(sig, DKIM_P_MISSING, "missing required tag bh=");
	if (!pd)
		problem(sig, DKIM_P_MISSING, "missing required tag d=");
	if (!ph)
		problem(sig, DKIM_P_MISSING, "missing required tag h=");
	if (!ps)
		problem(sig, DKIM_P_MISSING, "missing required tag s=");

	if (pv && !str_eq(sig->v, STR_LIT("1")))
		problem(sig, DKIM_P_VERSION, "v= is not 1 (pre-RFC draft?)");

	sig->hash = DKIM_SHA256;
	if (str_ieq(sig->a, "rsa-sha256"))
		sig->alg = DKIM_ALG_RSA_SHA256;
	else if (str_ieq(sig->a, "rsa-sha1")) {
		sig->alg = DKIM_ALG_RSA_SHA1;
		sig->hash = DKIM_SHA1;
	} else if (str_ieq(sig->a, "ed25519-sha256"))
		sig->alg = DKIM_ALG_ED25519_SHA256;
	else if (pa)
		problem(sig, DKIM_P_ALG, "unknown signing algorithm a=");

	sig->hcanon = sig->bcanon = DKIM_SIMPLE;
	if (pc) {
		const char *sl = memchr(sig->c.p, '/', sig->c.n);
		struct str hc =
		    sl ? str_make(sig->c.p, (size_t)(sl - sig->c.p)) : sig->c;
		struct str bc = sl ? str_make(sl + 1, sig->c.n - hc.n - 1)
		                   : STR_LIT("simple");
		sig->hcanon = str_ieq(hc, "simple")    ? DKIM_SIMPLE
		              : str_ieq(hc, "relaxed") ? DKIM_RELAXED
		                                       : DKIM_CANON_UNKNOWN;
		sig->bcanon = str_ieq(bc, "simple")    ? DKIM_SIMPLE
		              : str_ieq(bc, "relaxed") ? DKIM_RELAXED
		                                       : DKIM_CANON_UNKNOWN;
		if (sig->hcanon == DKIM_CANON_UNKNOWN ||
		    sig->bcanon == DKIM_CANON_UNKNOWN)
			problem(sig, DKIM_P_CANON,
			        "unknown canonicalization c=");
	}

	if (pb) {
		sig->b_ok = b64_decode(a, sig->b, &sig->sig, &sig->sig_len);
		if (!sig->b_ok)
			problem(sig, DKIM_P_B64_B, "b= is not valid base64");
	}
	if (pbh) {
		unsigned char *bin;
		size_t bl;
		bool ok = b64_decode(a, sig->bh, &bin, &bl);
		size_t want = sig->hash == DKIM_SHA1 ? 20 : 32;
		if (!ok)
			problem(sig, DKIM_P_B64_BH, "bh= is not valid base64");
		else if (bl != want && sig->alg != DKIM_ALG_UNKNOWN)
			problem(sig, DKIM_P_B64_BH,
			        "bh= length does not match the hash of a=");
		else if (bl <= DKIM_MD_MAX) {
			memcpy(sig->bh_bin, bin, bl);
			sig->bh_len = bl;
			sig->bh_ok = true;
		} else
			problem(sig, DKIM_P_B64_BH, "bh= is too long");
	}

	if (pd && !plausible_domain(sig->d))
		problem(sig, DKIM_P_DOMAIN, "d= is not a domain name");
	if (ps && sig->s.n == 0)
		problem(sig, DKIM_P_DOMAIN, "s= is empty");

	if (pi) {
		struct str auid = qp_decode(a, sig->i);
		const char *at = NULL;
		for (size_t k = auid.n; k-- > 0;)
			if (auid.p[k] == '@') {
				at = auid.p + k;
				break;
			}
		if (!at)
			problem(sig, DKIM_P_AUID, "i= has no '@'");
		else {
			sig->auid_domain = str_make(
			    at + 1, auid.n - (size_t)(at + 1 - auid.p));
			if (pd && !under_domain(sig->auid_domain, sig->d))
				problem(sig, DKIM_P_AUID,
				        "i= domain is not d= or a subdomain");
		}
	} else
		sig->auid_domain = sig->d;

	if (pl) {
		sig->has_l = parse_num(l, 76, &sig->l);
		if (!sig->has_l)
			problem(sig, DKIM_P_LENGTH, "l= is not a number");
	}
	uint64_t tv = 0, xv = 0;
	if (pt) {
		sig->has_t = parse_num(t, 18, &tv);
		sig->t = (int64_t)tv;
		if (!sig->has_t)
			problem(sig, DKIM_P_TIME, "t= is not a number");
	}
	if (px) {
		sig->has_x = parse_num(x, 18, &xv);
		sig->x = (int64_t)xv;
		if (!sig->has_x)
			problem(sig, DKIM_P_TIME, "x= is not a number");
	}
	if (sig->has_t && sig->has_x && sig->x <= sig->t)
		problem(sig, DKIM_P_TIME, "x= is not after t=");

	if (pq) {
		struct str *qs;
		size_t nq = split_colon(a, sig->q, &qs);
		bool dns = false;
		for (size_t k = 0; k < nq; k++)
			dns |= str_ieq(qs[k], "dns/txt");
		if (!dns)
			problem(sig, DKIM_P_QUERY, "q= does not list dns/txt");
	}

	if (ph) {
		sig->nnames = split_colon(a, sig->h, &sig->names);
		if (sig->nnames > DKIM_H_MAX) {
			problem(sig, DKIM_P_H_TOO_LONG,
			        "h= lists more names than analysed");
			sig->nnames = DKIM_H_MAX;
		}
		bool listed = false;
		for (size_t k = 0; k < sig->nnames; k++)
			listed |= str_ieq(sig->names[k], "from");
		if (!listed)
			problem(sig, DKIM_P_FROM, "h= does not list From");
		select_signed(a, hb, sig);
	}
}

/* ------------------------------------------------------------------ */
/* Header-hash input                                                   */

struct str
dkim_header_hash_input(struct arena *a, const struct header_block *hb,
                       const struct dkim_sig *sig)
{
	if ((sig->hcanon != DKIM_SIMPLE && sig->hcanon != DKIM_RELAXED) ||
	    sig->header < 0 || (size_t)sig->header >= hb->n)
		return STR_NULL;
	struct obuf o = {.a = a};
	for (size_t k = 0; k < sig->nnames; k++)
		if (sig->signed_idx[k] >= 0)
			hcanon(&o, &hb->v[sig->signed_idx[k]], sig->hcanon);

	/* The signature field with the b= value emptied: from after '='
	 * to the ';' that ends the tag (or the end of the field). */
	const struct header *h = &hb->v[sig->header];
	const struct tag *bt = NULL;
	for (size_t k = 0; k < sig->tags.n; k++)
		if (str_eq(sig->tags.v[k].name, STR_LIT("b")))
			bt = &sig->tags.v[k];
	struct header mod = *h;
	char *tmp = NULL;
	if (bt) {
		const char *vend = h->value.p + h->value.n;
		const char *eq = bt->name.p + bt->name.n;
		while (eq < vend && *eq != '=')
			eq++;
		if (eq < vend) {
			const char *cut = eq + 1;
			const char *e =
			    bt->value.n ? bt->value.p + bt->value.n : cut;
			if (e < cut)
				e = cut;
			while (e < vend && *e != ';')
				e++;
			size_t pre = (size_t)(cut - h->raw.p);
			size_t post = (size_t)(h->raw.p + h->raw.n - e);
			tmp = arena_alloc(a, pre + post + 1);
			memcpy(tmp, h->raw.p, pre);
			memcpy(tmp + pre, e, post);
			mod.raw = str_make(tmp, pre + post);
			mod.name =
			    str_make(tmp + (h->name.p - h->raw.p), h->name.n);
			size_t voff = (size_t)(h->value.p - h->raw.p);
			mod.value = str_make(tmp + voff,
			                     h->value.n - (size_t)(e - cut));
		}
	}
	size_t before = o.n;
	hcanon(&o, &mod, sig->hcanon);
	if (o.n >= before + 2)
		o.n -= 2; /* no final CRLF */
	if (o.p)
		o.p[o.n] = '\0';
	return o.p ? str_make(o.p, o.n) : STR_LIT("");
}

/* ------------------------------------------------------------------ */
/* Whole message                                                       */

static void add(struct findings *f, const char *id, enum severity sev, int hdr,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
add(struct findings *f, const char *id, enum severity sev, int hdr,
    const char *fmt, ...)
{
	if (!f)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = arena_vprintf(f->arena, fmt, ap);
	va_end(ap);
	findings_add(f, id, sev, -1, hdr, "%s", msg);
}

static int
clip(size_t n)
{
	return n > 64 ? 64 : (int)n;
}

void
dkim_analyse(const char *buf, size_t len, const struct header_block *hb,
             struct arena *a, const struct dkim_options *opt,
             struct dkim_result *out, struct findings *f)
{
	out->v = NULL;
	out->n = 0;
	/* headers_split classified the names: start at the first signature
	 * and test the kind, not the name (most messages have none; two
	 * str_ieq passes over every field cost ~0.2 M on c8). */
	int first = hb->first[HK_DKIM_SIGNATURE];
	if (first < 0)
		return;
	size_t cnt = 0;
	for (size_t k = (size_t)first; k < hb->n; k++)
		cnt += hb->v[k].kind == HK_DKIM_SIGNATURE;
	out->v = arena_array(a, cnt, sizeof(*out->v));
	for (size_t k = (size_t)first; k < hb->n; k++)
		if (hb->v[k].kind == HK_DKIM_SIGNATURE)
			dkim_sig_parse(a, hb, k, &out->v[out->n++]);

	if (opt && opt->body_hashes) {
		size_t boff = hb->body <= len ? hb->body : len;
		struct dkim_bodyhash *req = arena_array(a, cnt, sizeof(*req));
		size_t nreq = 0;
		for (size_t k = 0; k < out->n; k++) {
			struct dkim_sig *s = &out->v[k];
			s->bh_verdict = DKIM_BH_UNVERIFIABLE;
			if (!s->bh_ok || s->alg == DKIM_ALG_UNKNOWN ||
			    s->bcanon == DKIM_CANON_UNKNOWN ||
			    (s->problems & DKIM_P_LENGTH))
				continue;
			uint64_t lim = s->has_l ? s->l : UINT64_MAX;
			size_t r = 0;
			while (r < nreq &&
			       !(req[r].canon == s->bcanon &&
			         req[r].hash == s->hash && req[r].limit == lim))
				r++;
			if (r == nreq)
				req[nreq++] =
				    (struct dkim_bodyhash){.canon = s->bcanon,
				                           .hash = s->hash,
				                           .limit = lim};
		}
		dkim_body_hash(buf + boff, len - boff, req, nreq);
		for (size_t k = 0; k < out->n; k++) {
			struct dkim_sig *s = &out->v[k];
			if (s->bh_verdict != DKIM_BH_UNVERIFIABLE || !s->bh_ok)
				continue;
			uint64_t lim = s->has_l ? s->l : UINT64_MAX;
			for (size_t r = 0; r < nreq; r++) {
				if (req[r].canon != s->bcanon ||
				    req[r].hash != s->hash ||
				    req[r].limit != lim || !req[r].md_len)
					continue;
				memcpy(s->bh_computed, req[r].md,
				       req[r].md_len);
				s->bh_computed_len = req[r].md_len;
				s->body_canon_len = req[r].canon_len;
				s->body_hashed_len = req[r].hashed_len;
				s->bh_verdict =
				    s->bh_len == req[r].md_len &&
				            memcmp(s->bh_bin, req[r].md,
				                   s->bh_len) == 0
				        ? DKIM_BH_MATCH
				        : DKIM_BH_MISMATCH;
				break;
			}
		}
	}

	for (size_t k = 0; k < out->n; k++) {
		struct dkim_sig *s = &out->v[k];
		int hdr = s->header;
		int dn = clip(s->d.n), sn = clip(s->s.n);
		const char *dp = s->d.p ? s->d.p : "",
		           *sp = s->s.p ? s->s.p : "";
		if (s->problems & ~DKIM_P_FROM)
			add(f, "auth.dkim-malformed", SEV_WARNING, hdr,
			    "DKIM-Signature d=%.*s s=%.*s: %s; a verifier "
			    "ignores it (permerror)",
			    dn, dp, sn, sp, s->why);
		if (s->problems & DKIM_P_FROM)
			add(f, "auth.dkim-from-unsigned", SEV_ERROR, hdr,
			    "DKIM-Signature d=%.*s s=%.*s: h= does not list "
			    "From, so the signature says nothing about the "
			    "author (RFC 6376 §5.4: From MUST be signed)",
			    dn, dp, sn, sp);
		if (s->alg == DKIM_ALG_RSA_SHA1)
			add(f, "auth.dkim-sha1", SEV_WARNING, hdr,
			    "DKIM-Signature d=%.*s s=%.*s uses rsa-sha1, "
			    "which RFC 8301 forbids (SHA-1 collisions)",
			    dn, dp, sn, sp);
		if (s->has_l) {
			if (s->bh_verdict == DKIM_BH_MATCH ||
			    s->bh_verdict == DKIM_BH_MISMATCH)
				add(f, "auth.dkim-length-limit", SEV_WARNING,
				    hdr,
				    "DKIM-Signature d=%.*s s=%.*s has l=%llu: "
				    "it covers %llu of %llu canonical body "
				    "bytes, and content appended after them "
				    "does not break it",
				    dn, dp, sn, sp, (unsigned long long)s->l,
				    (unsigned long long)s->body_hashed_len,
				    (unsigned long long)s->body_canon_len);
			else
				add(f, "auth.dkim-length-limit", SEV_WARNING,
				    hdr,
				    "DKIM-Signature d=%.*s s=%.*s has l=%llu: "
				    "content appended after that many body "
				    "bytes does not break it",
				    dn, dp, sn, sp, (unsigned long long)s->l);
		}
		if (opt && opt->has_arrival && s->has_x && s->x < opt->arrival)
			add(f, "auth.dkim-expired", SEV_WARNING, hdr,
			    "DKIM-Signature d=%.*s s=%.*s expired (x=%lld) "
			    "%lld s before the message arrived",
			    dn, dp, sn, sp, (long long)s->x,
			    (long long)(opt->arrival - s->x));
		if (s->bh_verdict == DKIM_BH_MISMATCH)
			add(f, "auth.dkim-body-modified", SEV_ERROR, hdr,
			    "DKIM-Signature d=%.*s s=%.*s: the body hash "
			    "does not match bh= (%s/%s): the body changed "
			    "after signing",
			    dn, dp, sn, sp, dkim_canon_name(s->bcanon),
			    s->hash == DKIM_SHA1 ? "sha1" : "sha256");
	}
}

/* ------------------------------------------------------------------ */

const char *
dkim_alg_name(enum dkim_alg a)
{
	switch (a) {
	case DKIM_ALG_RSA_SHA256:
		return "rsa-sha256";
	case DKIM_ALG_RSA_SHA1:
		return "rsa-sha1";
	case DKIM_ALG_ED25519_SHA256:
		return "ed25519-sha256";
	default:
		return "unknown";
	}
}

const char *
dkim_canon_name(enum dkim_canon c)
{
	return c == DKIM_SIMPLE    ? "simple"
	       : c == DKIM_RELAXED ? "relaxed"
	                           : "unknown";
}

const char *
dkim_bh_verdict_name(enum dkim_bh_verdict v)
{
	switch (v) {
	case DKIM_BH_MATCH:
		return "match";
	case DKIM_BH_MISMATCH:
		return "mismatch";
	case DKIM_BH_UNVERIFIABLE:
		return "unverifiable";
	default:
		return "not-checked";
	}
}
