/* jsonw.c: streaming JSON writer, see jsonw.h. */
#include "jsonw.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "parse/cpu.h"
#if defined(RT_HAVE_AVX2_PATH)
#include <immintrin.h>
#endif

static void pick_put_cstr(struct jsonw *w); /* by w->avx2 */

void
jsonw_init(struct jsonw *w, struct obuf *o, bool pretty)
{
	w->o = o;
	obuf_reserve(o, 1); /* o->p is not NULL */
	w->d = o->p + o->n;
	w->pretty = pretty;
	w->end = o->p + o->cap;
	w->depth = 0;
	w->comma = false;
	w->after_key = false;
	w->replaced = 0;
	w->start = o->n;
	w->avx2 = cpu_avx2();
	pick_put_cstr(w);
}

void
jsonw_grow(struct jsonw *w, size_t more)
{
	struct obuf *o = w->o;
	o->n = (size_t)(w->d - o->p);
	obuf_grow(o, more);
	w->d = o->p + o->n;
	w->end = o->p + o->cap;
}

static void
putch(struct jsonw *w, char c)
{
	jsonw_reserve(w, 1);
	*w->d++ = c;
}

/* Before a key written out of line: the comma if one is needed. The
 * value written after it sets w->comma. */
static inline void
sep(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->comma)
		putch(w, ',');
}

void
jsonw_open_slow(struct jsonw *w, char c)
{
	jsonw_grow(w, 2);
	jsonw_open(w, c);
}

void
jsonw_close_slow(struct jsonw *w, char c)
{
	jsonw_grow(w, 1);
	jsonw_close(w, c);
}

/* A line's start at depth up to JSONW_MAX_DEPTH: '\n' and two spaces a
 * level, 16 bytes more for a fixed-size copy. */
static const char nl_indent[1 + 2 * JSONW_MAX_DEPTH + 16] =
    "\n                                                                "
    "                ";

/* '\n' and the indent of depth at q, with room for 1 + 2 *
 * JSONW_MAX_DEPTH bytes: a copy of constant size either way. */
static inline char *
put_indent(char *q, int depth)
{
	size_t n = 1 + 2 * (size_t)depth;
	if (n <= 16)
		memcpy(q, nl_indent, 16);
	else
		memcpy(q, nl_indent, 1 + 2 * JSONW_MAX_DEPTH);
	return q + n;
}

/* Room for more bytes at q in o, whose contents end at q; returns q in
 * the grown buffer. */
static char *
pretty_grow(struct obuf *o, char *q, size_t more)
{
	o->n = (size_t)(q - o->p);
	obuf_grow(o, more);
	return o->p + o->n;
}

/* Bytes after the compact copy jsonw_pretty_doc reads: NULs, so that a
 * 16-byte step may start up to 16 bytes past the end */
#define PRETTY_PAD 32

#if defined(__SSE2__)
/* The end of the string whose opening '"' is at p: past the first '"'
 * after an even number of backslashes. Sixteen bytes a step, with the
 * backslashes and the NUL of the padding (a raw NUL is never in a
 * string: the escaper's U+FFFD) in the mask. */
static const char *
string_end(const char *p, const char *pe)
{
	const char *e = p + 1;
	const __m128i quote = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
	for (;;) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)e);
		unsigned m = (unsigned)_mm_movemask_epi8(
		    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
		                              _mm_cmpeq_epi8(v, bs)),
		                 _mm_cmpeq_epi8(v, _mm_setzero_si128())));
		if (!m) {
			e += 16;
			continue;
		}
		e += __builtin_ctz(m);
		if (*e == '"')
			return e + 1;
		if (*e == '\0') /* cut short: not from the writer */
			return pe;
		e += 2; /* a backslash and the byte it escapes */
	}
}

/* n bytes from p to q, 16 at a time: q has 16 bytes of room more, p as
 * many bytes after (PRETTY_PAD). */
static inline void
copy_run(char *q, const char *p, size_t n)
{
	for (size_t k = 0; k < n; k += 16)
		_mm_storeu_si128(
		    (__m128i *)(void *)(q + k),
		    _mm_loadu_si128((const __m128i *)(const void *)(p + k)));
}
#else
static const char *
string_end(const char *p, const char *pe)
{
	const char *e = p + 1;
	for (;;) {
		e = memchr(e, '"', (size_t)(pe - e));
		if (!e) /* cut short: not from the writer */
			return pe;
		const char *b = e;
		while (b[-1] == '\\') /* p[0] is the '"' */
			b--;
		if ((e++ - b) % 2 == 0)
			return e;
	}
}

static inline void
copy_run(char *q, const char *p, size_t n)
{
	memcpy(q, p, n);
}
#endif

/* A scalar (number, true, false, null) ends before these */
static const unsigned char scalar_end[256] = {
    [','] = 1, ['}'] = 1, [']'] = 1, [':'] = 1,
    ['"'] = 1, ['{'] = 1, ['['] = 1};

/*
 * Pretty output from compact: each element of a non-empty container on a
 * line of its own, indented two spaces per level, the closing bracket on
 * a line at the container's level; empty containers stay "{}" and "[]";
 * a key's colon gets a space. Outside strings the compact document has
 * no blanks, and inside them no raw '"' or control byte (the escaper's),
 * so the layout needs no parsing beyond finding where strings end: at a
 * '"' (memchr) after an even number of backslashes. Written at a local
 * cursor, with room for a token's fixed part checked once per token.
 */
void
jsonw_pretty_doc(struct jsonw *w)
{
	struct obuf *o = w->o;
	if (o->n == w->start) /* nothing written */
		return;
	struct obuf c; /* the compact document, and PRETTY_PAD NULs */
	size_t n = o->n - w->start;
	obuf_init(&c);
	obuf_grow(&c, n + PRETTY_PAD);
	memcpy(c.p, o->p + w->start, n);
	memset(c.p + n, 0, PRETTY_PAD);
	const char *p = c.p, *pe = c.p + n;
	char *q = o->p + w->start, *qe = o->p + o->cap;
	/* a token's fixed part: "[\n" and an indent */
	const size_t room = 2 + 2 * JSONW_MAX_DEPTH + 16;
	int depth = 0;
	while (p < pe) {
		if (qe - q <= (ptrdiff_t)room) {
			q = pretty_grow(o, q, room);
			qe = o->p + o->cap;
		}
		char ch = *p;
		switch (ch) {
		case '"': {
			const char *e = string_end(p, pe);
			size_t len = (size_t)(e - p);
			if ((size_t)(qe - q) <= len + 16) {
				q = pretty_grow(o, q, len + 16);
				qe = o->p + o->cap;
			}
			copy_run(q, p, len);
			q += len;
			p = e;
			continue;
		}
		case '{':
		case '[':
			*q++ = ch;
			if (p + 1 < pe && p[1] == ch + 2) { /* '}' or ']' */
				*q++ = ch + 2;
				p += 2;
				continue;
			}
			q = put_indent(q, ++depth);
			break;
		case '}':
		case ']':
			q = put_indent(q, --depth);
			*q++ = ch;
			break;
		case ',':
			*q++ = ',';
			if (depth > 0)
				q = put_indent(q, depth);
			break;
		case ':':
			q[0] = ':';
			q[1] = ' ';
			q += 2;
			break;
		default: /* a scalar: short, within the room */
			do
				*q++ = *p++;
			while (p < pe && !scalar_end[(unsigned char)*p]);
			continue;
		}
		p++;
	}
	obuf_free(&c);
	*q = '\0';
	o->n = (size_t)(q - o->p);
	w->start = o->n;
	w->d = q;
	w->end = o->p + o->cap;
}

size_t
utf8_valid_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	if (c < 0x80)
		return 1;
	size_t len;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;
		if (c == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		if (c == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	if (n < len)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return len;
}

/* Might any of the 8 bytes in x need escaping: < 0x20, >= 0x80, '"' or
 * '\\'? Exact, but says nothing of where. (haszero and hasless from "Bit
 * Twiddling Hacks".) */
static inline bool
word_special(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t high = 0x8080808080808080ULL;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
	return (((x - ones * 0x20) & ~x) | ((q - ones) & ~q) |
	        ((b - ones) & ~b) | x) &
	       high;
}

#if defined(__SSE2__)
/*
 * Bit k set: byte k of v needs escaping. In three operations instead of
 * three compares: XOR with 0x02 maps '"' (0x22) to 0x20 and keeps the
 * control bytes below 0x20 (and nothing else moves below 0x21); then a
 * saturating subtract of 0x21 leaves the sign bit set exactly for those
 * and for the bytes >= 0x80 (negative as signed). Only '\\' needs a
 * compare of its own.
 */
static inline unsigned
vec_special(__m128i v)
{
	__m128i low = _mm_subs_epi8(_mm_xor_si128(v, _mm_set1_epi8(0x02)),
	                            _mm_set1_epi8(0x21));
	__m128i bs = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(low, bs));
}

static inline __m128i
loadu16(const unsigned char *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}

static inline void
storeu16(char *d, __m128i v)
{
	_mm_storeu_si128((__m128i *)(void *)d, v);
}

#if defined(RT_HAVE_AVX2_PATH)
/* vec_special's constants, 32 of each: loaded from memory through
 * cpu_opaque, as GCC would build each with two or three instructions at
 * every call */
#define X8(c) c, c, c, c, c, c, c, c
#define X32(c)                                                                 \
	{                                                                      \
		X8(c), X8(c), X8(c), X8(c)                                     \
	}
/* then a window for the last r bytes of 32: its 32 bytes from 32 - r
 * are 32 - r zeros and r 0xFF */
static const _Alignas(32) char special32[5][32] = {X32(0x02), X32(0x21),
                                                   X32('\\'), X32(0), X32(-1)};
#undef X32
#undef X8

__attribute__((target("avx2"), always_inline)) static inline __m256i
load32(const void *p)
{
	return _mm256_load_si256((const __m256i *)p);
}

__attribute__((target("avx2"), always_inline)) static inline const char *
special_k(void)
{
	return cpu_opaque(special32[0]);
}

/* vec_special of 32 bytes */
__attribute__((target("avx2"), always_inline)) static inline unsigned
vec_special32(__m256i v)
{
	const char *k = special_k();
	__m256i low =
	    _mm256_subs_epi8(_mm256_xor_si256(v, load32(k)), load32(k + 32));
	__m256i bs = _mm256_cmpeq_epi8(v, load32(k + 64));
	return (unsigned)_mm256_movemask_epi8(_mm256_or_si256(low, bs));
}

__attribute__((target("avx2"), always_inline)) static inline __m256i
loadu32(const unsigned char *p)
{
	return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

__attribute__((target("avx2"), always_inline)) static inline void
storeu32(char *d, __m256i v)
{
	_mm256_storeu_si256((__m256i *)(void *)d, v);
}
#endif

static inline uint64_t
load8(const unsigned char *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
	return x;
}

static inline uint32_t
load4(const unsigned char *p)
{
	uint32_t x;
	memcpy(&x, p, 4);
	return x;
}

/* plain_prefix for n < 16: the string read as two overlapping halves
 * (bytes [0, h) and [n - h, n), h = 8 or 4) tested in one vector, so
 * no byte loop and no read outside p[0..n). */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline size_t
plain_prefix_short(char *d, const unsigned char *p, size_t n)
{
	if (n >= 8) {
		uint64_t a = load8(p), b = load8(p + n - 8);
		unsigned m =
		    vec_special(_mm_set_epi64x((long long)b, (long long)a));
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
		if (!m)
			return n;
		/* bits 8..15 are bytes n - 8 .. n - 1 */
		return m & 0xFF ? (size_t)__builtin_ctz(m)
		                : n - 16 + (size_t)__builtin_ctz(m);
	}
	if (n >= 4) {
		uint32_t a = load4(p), b = load4(p + n - 4);
		/* the upper 8 bytes are zero, which would count as special */
		unsigned m = vec_special(_mm_cvtsi64_si128(
		                 (long long)((uint64_t)b << 32 | a))) &
		             0xFF;
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
		if (!m)
			return n;
		return m & 0xF ? (size_t)__builtin_ctz(m)
		               : n - 8 + (size_t)__builtin_ctz(m);
	}
	if (n == 0)
		return 0;
	/* 1 to 3 bytes: p[0], p[n / 2] and p[n - 1] are all of them */
	size_t h = n / 2, l = n - 1;
	d[0] = (char)p[0];
	d[h] = (char)p[h];
	d[l] = (char)p[l];
	unsigned m = vec_special(_mm_cvtsi32_si128(
	                 (int)(p[0] | p[h] << 8 | p[l] << 16))) &
	             0x7;
	return !m ? n : m & 1 ? 0 : m & 2 ? h : l;
}

/*
 * Copies the bytes of p[0..n) that need no escaping, up to the first
 * that does, to d; returns how many. Thirty-two bytes per step, the two
 * halves' masks tested at once; the rest (n % 32) in one more step of
 * the string's last sixteen or thirty-two bytes, loaded again where they
 * overlap what is done and stored over output that is the same bytes (a
 * byte's bit is the same in both loads, so the masks are ORed where they
 * overlap). Reads and writes stay within [0, n).
 */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline size_t
plain_prefix(char *d, const unsigned char *p, size_t n)
{
	if (n < 16)
		return plain_prefix_short(d, p, n);
	if (n < 32) {
		/* the first 16 and the last 16 bytes, tested at once: not
		 * the loop's set-up and tail for a host name (measured:
		 * 116.53 M -> 116.37 M instructions on c8) */
		__m128i a = loadu16(p), b = loadu16(p + n - 16);
		storeu16(d, a);
		storeu16(d + n - 16, b);
		unsigned m = vec_special(a) | vec_special(b) << (n - 16);
		return m ? (size_t)__builtin_ctz(m) : n;
	}
	size_t i = 0;
	for (; i + 32 <= n; i += 32) {
		__m128i a = loadu16(p + i), b = loadu16(p + i + 16);
		storeu16(d + i, a);
		storeu16(d + i + 16, b);
		unsigned m = vec_special(a) | vec_special(b) << 16;
		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
	size_t r = n - i; /* < 32 */
	if (r == 0)
		return n;
	__m128i b = loadu16(p + n - 16);
	storeu16(d + n - 16, b);
	unsigned mb = vec_special(b); /* bytes n - 16 .. n - 1 */
	if (r <= 16) {
		mb >>= 16 - r; /* the new bytes */
		return mb ? i + (size_t)__builtin_ctz(mb) : n;
	}
	__m128i a = loadu16(p + i);
	storeu16(d + i, a);
	unsigned m = vec_special(a) | mb << (r - 16);
	return m ? i + (size_t)__builtin_ctz(m) : n;
}
#else
static inline bool
byte_special(unsigned char c)
{
	return c < 0x20 || c >= 0x80 || c == '"' || c == '\\';
}

/* Portable: eight bytes at a time while none needs escaping. */
static inline size_t
plain_prefix(char *d, const unsigned char *p, size_t n)
{
	size_t i = 0;
	for (uint64_t x; i + 8 <= n; i += 8) {
		memcpy(&x, p + i, 8);
		if (word_special(x))
			break;
		memcpy(d + i, &x, 8);
	}
	for (; i < n && !byte_special(p[i]); i++)
		d[i] = (char)p[i];
	return i;
}
#endif

/* The second byte of the two-byte escapes; 0: none. */
static const char short_escape[0x80] = {
    ['"'] = '"', ['\\'] = '\\', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't'};

/* The escape of p[*ip], a byte that needs one (byte_special) but has no
 * two-byte escape, or of the valid UTF-8 sequence starting there (which
 * may run to n), at d; advances *ip and returns the end of the output. */
static char *
escape_special(struct jsonw *w, char *d, const unsigned char *p, size_t *ip,
               size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = *ip;
	unsigned char c = p[i];
	if (c >= 0x80) {
		size_t l = utf8_valid_len(p + i, n - i);
		if (l > 1) {
			memcpy(d, p + i, l);
			*ip = i + l;
			return d + l;
		}
	}
	*ip = i + 1;
	/* NUL too: \u0000 is valid JSON, but jansson, jq's C consumers and
	 * PostgreSQL's jsonb reject it or cut the string there
	 * (hdr.nul-byte says U+FFFD) */
	if (c >= 0x80 || c == 0) {
		memcpy(d, "\xEF\xBF\xBD", 3);
		w->replaced++;
		return d + 3;
	}
	memcpy(d, "\\u00", 4);
	d[4] = hex[c >> 4];
	d[5] = hex[c & 15];
	return d + 6;
}

/* p[i..end) escaped at d, with (end - i) * 6 bytes of room plus a
 * UTF-8 sequence running over end; n is the length of the whole string
 * (where such a sequence must stop). Returns the end of the output; *ip
 * is where the input stopped (end, or past it by the rest of a UTF-8
 * sequence). */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline char *
escape_round(struct jsonw *w, char *d, const unsigned char *p, size_t *ip,
             size_t end, size_t n)
{
	size_t i = *ip;
	while (i < end) {
		size_t k = plain_prefix(d, p + i, end - i);
		d += k;
		i += k;
		if (i >= end)
			break;
		/* the usual ones (folding, quotes) here, the rest out of line
		 */
		unsigned char c = p[i];
		if (c < 0x80 && short_escape[c]) {
			d[0] = '\\';
			d[1] = short_escape[c];
			d += 2;
			i++;
		} else
			d = escape_special(w, d, p, &i, n);
	}
	*ip = i;
	return d;
}

#if defined(__SSE2__)
/* escape_special for escape_long: the output's end and the input's
 * position come back in registers, so that escape_long takes no
 * address of its own (which would cost it a stack canary). */
struct esc_at {
	char *d;
	size_t i;
};

#if defined(__GNUC__)
__attribute__((noinline))
#endif
static struct esc_at
escape_special_at(struct jsonw *w, char *d, const unsigned char *p, size_t i,
                  size_t n)
{
	struct esc_at r;
	r.d = escape_special(w, d, p, &i, n);
	r.i = i;
	return r;
}

/*
 * p[0..n) escaped at d, for n >= 16, with JSONW_ESCAPE_ROOM(n) bytes of
 * room; returns the end. One loop for the plain runs and the usual
 * escapes between them (the raw Received fields have a folding "\n\t"
 * every line or so), 32 bytes a step while that many are left, the two
 * halves' masks tested at once. Each step stores its bytes whole and
 * moves d only past the plain ones: the output always has room for the
 * input left (6 bytes a byte), so what follows is written over. The
 * rarer escapes (\u00XX, U+FFFD, a UTF-8 sequence) leave the loop for
 * escape_special_at: a call inside the loop would have the vector
 * constants loaded again every step.
 *
 * The last n % 16 bytes: the string's last sixteen loaded again and
 * stored over the output of the bytes before them, when that output is
 * those bytes (nothing escaped since plain_from, where the plain copy
 * began); else a step of plain_prefix_short, which reads only them.
 */
static char *
escape_long(struct jsonw *w, char *d, const unsigned char *p, size_t i,
            size_t n)
{
	size_t plain_from = 0;
	goto escape; /* p[i] needs one */
	for (;;) {
		for (;;) {
			size_t r = n - i;
			unsigned m;
			if (r >= 32) {
				__m128i a = loadu16(p + i),
				        b = loadu16(p + i + 16);
				storeu16(d, a);
				storeu16(d + 16, b);
				unsigned ma = vec_special(a),
				         mb = vec_special(b);
				if (!(ma | mb)) {
					i += 32;
					d += 32;
					continue;
				}
				m = ma | mb << 16;
			} else if (r >= 16) {
				__m128i a = loadu16(p + i);
				storeu16(d, a);
				m = vec_special(a);
				if (!m) {
					i += 16;
					d += 16;
					continue;
				}
			} else if (r == 0) {
				return d;
			} else if (n - 16 >= plain_from) {
				__m128i a = loadu16(p + n - 16);
				storeu16(d - (16 - r), a);
				m = vec_special(a) >>
				    (16 - r); /* the new bytes */
				if (!m)
					return d + r;
			} else {
				size_t k = plain_prefix_short(d, p + i, r);
				if (k == r)
					return d + r;
				m = 1u << k;
			}
			size_t k = (size_t)__builtin_ctz(m);
			d += k;
			i += k;
		escape:;
			unsigned char c = p[i];
			if (c >= 0x80 || !short_escape[c])
				break;
			d[0] = '\\';
			d[1] = short_escape[c];
			d += 2;
			plain_from = ++i;
		}
		struct esc_at e = escape_special_at(w, d, p, i, n);
		d = e.d;
		plain_from = i = e.i;
	}
}
#endif

/* escape_short_rest's for a short string: apart, as escape_round takes
 * the address of i (a stack canary the long strings would pay too). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static char *
escape_short_round(struct jsonw *w, char *d, const unsigned char *p, size_t i,
                   size_t n)
{
	d = escape_round(w, d, p, &i, n, n);
	*d++ = '"';
	return d;
}

#if defined(RT_HAVE_AVX2_PATH)
/* Where escape_avx2_run stopped: the output's end, and the input's */
struct esc_run {
	char *d;
	const unsigned char *q;
};

/*
 * [q, e) escaped at d, for a string of at least 32 bytes that ends at e,
 * with JSONW_ESCAPE_ROOM of its length in room, up to the end or to a
 * byte that needs escape_special; returns where it stopped (q is e at
 * the end; the closing quote is not written). escape_long's loop with
 * one AVX2 vector a step, about half its instructions a byte (the raw
 * Received fields: 160 bytes and 4 escapes each), here also for the
 * plain run before the first escape (measured: 118.09 M -> 117.63 M
 * instructions on c8). The last (e - q) % 32 bytes: the string's last 32
 * loaded again and blended into the output's last 32, whose first
 * 32 - r bytes stay: the output is at least as long as the input done,
 * so they are the string's output, and there is room for the 32 (the
 * blend, not a test of whether those bytes were escaped and a shift
 * through w->scratch, leaves no value but the cursors live: below)
 */
__attribute__((target("avx2"), always_inline)) static inline struct esc_run
escape_avx2_run(char *d, const unsigned char *q, const unsigned char *e)
{
	for (;;) {
		size_t r = (size_t)(e - q);
		unsigned m;
		if (r >= 32) {
			__m256i a = loadu32(q);
			storeu32(d, a);
			m = vec_special32(a);
			if (!m) {
				q += 32;
				d += 32;
				continue;
			}
		} else if (r == 0) {
			return (struct esc_run){d, e};
		} else {
			/* the string's last 32 bytes, r of them new, over the
			 * output's last 32 - r bytes: those kept by a blend */
			__m256i a = loadu32(e - 32);
			char *o = d - (32 - r);
			__m256i win = loadu32(
			    (const unsigned char *)special_k() + 96 + r);
			storeu32(
			    o, _mm256_blendv_epi8(
			           loadu32((const unsigned char *)o), a, win));
			/* 32 - r as a shift count (r < 32): no constant */
			m = vec_special32(a) >> ((0u - (unsigned)r) & 31);
			if (!m)
				return (struct esc_run){d + r, e};
		}
		size_t k = (size_t)__builtin_ctz(m);
		d += k;
		q += k;
		unsigned char c = *q;
		if (c >= 0x80 || !short_escape[c])
			return (struct esc_run){d, q};
		d[0] = '\\';
		d[1] = short_escape[c];
		d += 2;
		q++;
	}
}

/* escape_avx2 from q, a byte for escape_special on: the loop that calls
 * it, apart (a few strings in a thousand) */
__attribute__((target("avx2"), noinline, cold)) static char *
escape_avx2_special(struct jsonw *w, char *d, const unsigned char *q,
                    const unsigned char *e)
{
	struct esc_run r = {d, q};
	do {
		struct esc_at s =
		    escape_special_at(w, r.d, r.q, 0, (size_t)(e - r.q));
		r = escape_avx2_run(s.d, r.q + s.i, e);
	} while (r.q != e);
	*r.d = '"';
	return r.d + 1;
}

/* p[i..n) escaped at d and the closing quote, for n >= 32, with
 * JSONW_ESCAPE_ROOM(n) bytes of room; returns the end. No call in it
 * but a tail call to the rare escapes: the usual string saves and
 * restores no registers (measured: 106.29 M -> 106.02 M instructions on
 * c8) */
__attribute__((target("avx2"), noinline)) static char *
escape_avx2(struct jsonw *w, char *d, const unsigned char *p, size_t i,
            size_t n)
{
	struct esc_run r = escape_avx2_run(d, p + i, p + n);
	if (r.q != p + n)
		return escape_avx2_special(w, r.d, r.q, p + n);
	*r.d = '"';
	return r.d + 1;
}
#endif

#if defined(RT_HAVE_AVX2_PATH)
/* escape_avx2 for 32 to 64 bytes (an address, a subject, a Message-ID),
 * tried as the first and last 32 at once: most need no escape, and then
 * no call and no saved registers (a loop for longer ones had GCC save
 * some) (measured: 116.37 M -> 116.15 M instructions on c8) */
__attribute__((target("avx2"), noinline)) static char *
escape_avx2_64(struct jsonw *w, char *d, const unsigned char *p, size_t n)
{
	__m256i a = loadu32(p), b = loadu32(p + n - 32);
	storeu32(d, a);
	storeu32(d + n - 32, b);
	if (vec_special32(a) | vec_special32(b))
		return escape_avx2(w, d, p, 0, n);
	d[n] = '"';
	return d + n + 1;
}
#endif

/* The rest of jsonw_escape_short once a byte needs escaping: out of
 * line, so that the usual plain string costs no more than its copy. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static char *
escape_short_rest(struct jsonw *w, char *d, const unsigned char *p, size_t i,
                  size_t n)
{
#if defined(__SSE2__)
	if (n >= 16) {
		d = escape_long(w, d, p, i, n);
		*d = '"';
		return d + 1;
	}
#endif
	return escape_short_round(w, d, p, i, n);
}

#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline char *
escape_short(struct jsonw *w, char *d, struct str s)
{
	const unsigned char *p = (const unsigned char *)s.p;
	*d++ = '"';
#if defined(RT_HAVE_AVX2_PATH)
	size_t k;
	if (s.n < 16) /* first: the usual string pays for no other test */
		k = plain_prefix_short(d, p, s.n);
	else if (s.n >= 32 && w->avx2)
		return s.n <= 64 ? escape_avx2_64(w, d, p, s.n)
		                 : escape_avx2(w, d, p, 0, s.n);
	else
		k = plain_prefix(d, p, s.n);
#else
	size_t k = plain_prefix(d, p, s.n);
#endif
	if (k < s.n)
		return escape_short_rest(w, d + k, p, k, s.n);
	d[k] = '"';
	return d + k + 1;
}

char *
jsonw_escape_short(struct jsonw *w, char *d, struct str s)
{
	return escape_short(w, d, s);
}

/* "p[0..n)" in rounds of JSONW_ESCAPE_ROUND input bytes */
static void
escape(struct jsonw *w, const unsigned char *p, size_t n)
{
	size_t i = 0;
	putch(w, '"');
	while (i < n) {
		size_t end =
		    n - i < JSONW_ESCAPE_ROUND ? n : i + JSONW_ESCAPE_ROUND;
		jsonw_reserve(w, (end - i) * 6 + 16);
		w->d = escape_round(w, w->d, p, &i, end, n);
	}
	putch(w, '"');
}

/* "key": for a key known to need no escaping */
static inline void
plain_key(struct jsonw *w, const char *key, size_t n)
{
	jsonw_reserve(w, n + 4);
	char *d = w->d;
	*d++ = '"';
	memcpy(d, key, n);
	d += n;
	*d++ = '"';
	*d++ = ':';
	w->d = d;
}

void
jsonw_keyn(struct jsonw *w, const char *key, size_t n)
{
	sep(w);
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, key + i, 8);
		if (word_special(x))
			break;
	}
	while (i < n && key[i] >= 0x20 && key[i] != '"' && key[i] != '\\')
		i++;
	if (i == n) { /* the usual plain key: one reserve, no escaping */
		plain_key(w, key, n);
	} else {
		escape(w, (const unsigned char *)key, n);
		putch(w, ':');
	}
	w->after_key = true;
	w->comma = false; /* the value needs none (jsonw_elem) */
}

char *
jsonw_member_slow(struct jsonw *w, const char *key, size_t n, size_t more)
{
	jsonw_grow(w, n + 4 + more);
	return jsonw_member_at(w, key, n);
}

/* Where a value of up to `more` bytes goes, after its separator. */
JSONW_INLINE char *
value_at(struct jsonw *w, size_t more)
{
	jsonw_reserve(w, more + 1);
	return jsonw_elem_at(w);
}

/* The end of a value at d (a scalar may be the whole document). */
JSONW_INLINE void
value_end(struct jsonw *w, char *d)
{
	jsonw_member_end(w, d);
	jsonw_flush(w);
}

void
jsonw_str_slow(struct jsonw *w, struct str s)
{
	if (s.n > JSONW_ESCAPE_ROUND) {
		sep(w);
		escape(w, (const unsigned char *)s.p, s.n);
		jsonw_flush(w);
		w->comma = true;
		return;
	}
	char *d = value_at(w, JSONW_ESCAPE_ROOM(s.n));
	value_end(w, jsonw_escape_short(w, d, s));
}

void
jsonw_kstr_slow(struct jsonw *w, const char *key, size_t n, struct str s)
{
	w->d = jsonw_member(w, key, n, 0); /* as jsonw_key */
	w->after_key = true;
	w->comma = false;
	jsonw_str_slow(w, s);
}

const char jsonw_digit_pairs[200] = "00010203040506070809"
                                    "10111213141516171819"
                                    "20212223242526272829"
                                    "30313233343536373839"
                                    "40414243444546474849"
                                    "50515253545556575859"
                                    "60616263646566676869"
                                    "70717273747576777879"
                                    "80818283848586878889"
                                    "90919293949596979899";

/* x < 10000 in decimal at d, no leading zeros; returns the end */
static inline char *
put_upto4(char *d, unsigned x)
{
	if (x < 10) {
		*d = (char)('0' + x);
		return d + 1;
	}
	if (x < 100)
		return jsonw_two_digits(d, x);
	unsigned hi = x / 100;
	if (hi < 10)
		*d++ = (char)('0' + hi);
	else
		d = jsonw_two_digits(d, hi);
	return jsonw_two_digits(d, x - hi * 100);
}

/* Numbers of up to 8 digits (delays, transit times, message indexes)
 * as two halves of up to 4, no digit count (measured: 116.66 M -> 116.53 M
 * instructions on c8) */
char *
jsonw_int_at(char *d, int64_t v)
{
	/* unsigned arithmetic: -INT64_MIN overflows int64_t */
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	if (v < 0)
		*d++ = '-';
	if (u < 10000)
		return put_upto4(d, (unsigned)u);
	if (u < 100000000) {
		unsigned hi = (unsigned)u / 10000, lo = (unsigned)u % 10000;
		d = put_upto4(d, hi);
		d = jsonw_two_digits(d, lo / 100);
		return jsonw_two_digits(d, lo % 100);
	}
	size_t len = 9;
	for (uint64_t t = u / 1000000000; t; t /= 10)
		len++;
	/* from the last digit back, two at a time */
	char *e = d + len;
	for (; u >= 100; u /= 100)
		jsonw_two_digits(e -= 2, (unsigned)(u % 100));
	if (u >= 10)
		jsonw_two_digits(e - 2, (unsigned)u);
	else
		e[-1] = (char)('0' + u);
	return d + len;
}

void
jsonw_int_slow(struct jsonw *w, int64_t v)
{
	value_end(w, jsonw_int_at(value_at(w, JSONW_INT_MAX), v));
}

void
jsonw_bool(struct jsonw *w, bool v)
{
	char *d = value_at(w, 5);
	/* both literals have 5 bytes with the NUL of "true" */
	memcpy(d, v ? "true" : "false", 5);
	value_end(w, d + 5 - v);
}

void
jsonw_null_slow(struct jsonw *w)
{
	char *d = value_at(w, 4);
	memcpy(d, "null", 4);
	value_end(w, d + 4);
}

char *
jsonw_span_grow(struct jsonw *w, char *d, size_t more)
{
	w->d = d;
	jsonw_grow(w, more);
	return w->d;
}

/* jsonw_put_str when the string is long or the room short: escaped with
 * the general writer's rounds, growing as it goes. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static char *
put_str_slow(struct jsonw *w, char *d, struct str s)
{
	w->d = d;
	if (s.n > JSONW_ESCAPE_ROUND) {
		escape(w, (const unsigned char *)s.p, s.n);
	} else {
		jsonw_reserve(w, JSONW_ESCAPE_ROOM(s.n));
		w->d = jsonw_escape_short(w, w->d, s);
	}
	jsonw_reserve(w, JSONW_SPAN_SLACK);
	return w->d;
}

char *
jsonw_put_strn(char *d, const char *p, size_t n, struct jsonw *w)
{
	struct str s = str_make(p, n);
	if (!JSONW_ONE_GO(s.n) ||
	    w->end - d <=
	        (ptrdiff_t)(JSONW_ESCAPE_ROOM(s.n) + JSONW_SPAN_SLACK))
		return put_str_slow(w, d, s);
	return escape_short(w, d, s);
}

/* out of line: jsonw_put_cstr saves no registers for it */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
char *
jsonw_put_null_room(struct jsonw *w, char *d)
{
	d = jsonw_span_room(w, d, JSONW_SPAN_SLACK + 4);
	return JSONW_LIT(d, "null");
}

#if defined(__SSE2__)
/* jsonw_put_cstr's general way: its length first */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static char *
put_cstr_slow(struct jsonw *w, char *d, const char *s)
{
	return jsonw_put_str(w, d, str_make(s, strlen(s)));
}

/* jsonw_put_cstr's when s[k] needs escaping, the k bytes before it
 * copied: the rest measured and escaped from there, not all again. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static char *
put_cstr_rest(struct jsonw *w, char *d, const char *s, size_t k)
{
	struct str t = str_make(s, k + strlen(s + k));
	if (!JSONW_ONE_GO(t.n) ||
	    w->end - d <=
	        (ptrdiff_t)(JSONW_ESCAPE_ROOM(t.n) + JSONW_SPAN_SLACK))
		return put_str_slow(w, d, t);
#if defined(RT_HAVE_AVX2_PATH)
	if (t.n >= 32 && w->avx2)
		return escape_avx2(w, d + 1 + k, (const unsigned char *)s, k,
		                   t.n);
#endif
	return escape_short_rest(w, d + 1 + k, (const unsigned char *)s, k,
	                         t.n);
}

/* The aligned block at s + base copied to o + base; its mask. */
#if defined(__GNUC__)
__attribute__((always_inline, no_sanitize("address", "thread")))
#endif
static inline unsigned
cstr_block(char *o, const char *s, size_t base)
{
	__m128i v = _mm_load_si128((const __m128i *)(const void *)(s + base));
	storeu16(o + base, v);
	return vec_special(v);
}

/* Bytes of a string jsonw_put_cstr measures and copies in one pass */
#define CSTR_FAST 256

#if defined(RT_HAVE_AVX2_PATH)
/* cstr_block of 32 bytes, at s + base aligned to 32 */
__attribute__((target("avx2"), always_inline,
               no_sanitize("address", "thread"))) static inline unsigned
cstr_block32(char *o, const char *s, size_t base)
{
	__m256i v = load32(s + base);
	_mm256_storeu_si256((__m256i *)(void *)(o + base), v);
	return vec_special32(v);
}

/*
 * jsonw_put_cstr on a processor with AVX2: the same pass in aligned
 * blocks of 32 bytes (which cannot cross a page either), half the
 * instructions a byte of the SSE2 blocks: the evidence texts, reasons
 * and messages are 40 to 100 bytes (measured: 118.60 M -> 118.09 M
 * instructions on c8).
 */
__attribute__((target("avx2"), noinline,
               no_sanitize("address", "thread"))) static char *
put_cstr_avx2(struct jsonw *w, char *d, const char *s)
{
	if (!s)
		return jsonw_put_null_room(w, d);
	if (w->end - d <= CSTR_FAST + 2 + JSONW_SPAN_SLACK)
		return put_cstr_slow(w, d, s);
	uintptr_t off = (uintptr_t)s & 31;
	const unsigned char *a = (const unsigned char *)((uintptr_t)s - off);
	__m256i v = load32(a);
	_mm256_storeu_si256((__m256i *)(void *)w->scratch, v);
	char *o = d + 1; /* the string's output */
	*d = '"';
	_mm256_storeu_si256(
	    (__m256i *)(void *)o,
	    _mm256_loadu_si256(
	        (const __m256i *)(const void *)(w->scratch + off)));
	unsigned m = vec_special32(v) >> off; /* the string's bytes only */
	size_t base = 0;                      /* of the block m is for */
	if (!m) {
		base = 32 - off; /* the next blocks are aligned */
		m = cstr_block32(o, s, base);
		while (!m) {
			if (base + 64 > CSTR_FAST)
				return put_cstr_slow(w, d, s);
			base += 32;
			m = cstr_block32(o, s, base);
		}
	}
	size_t k = base + (size_t)__builtin_ctz(m); /* < CSTR_FAST */
	if (s[k] != '\0')                           /* it needs escaping */
		return put_cstr_rest(w, d, s, k);
	o[k] = '"';
	return o + k + 1;
}
#endif

/*
 * A NUL-terminated string with no strlen first: the scan for a byte to
 * escape finds the NUL too (a control byte), so one pass measures and
 * copies the usual plain string (a name, a role, an evidence text). That
 * pass reads whole aligned 16-byte blocks, as strlen does: an aligned
 * block holding a byte of the string cannot cross into another page, but
 * it can run past the string, before and after it. Those bytes are only
 * shifted or masked out of the result, or copied past the output's end,
 * where what follows writes over them; the sanitizers would report the
 * reads, so they do not instrument this function (Memcheck accepts
 * them: aligned partial loads, whose undefined bits never decide a
 * branch). The first block's bytes from the string's start are brought
 * to the front through w->scratch (SSE2 shifts bytes by constants
 * only). A string that needs an escape goes on from that byte
 * (put_cstr_rest); one longer than CSTR_FAST or that finds the room
 * short goes the general way (put_cstr_slow): every slow path a tail
 * call, so that the usual one saves no registers. With AVX2, all of it
 * in blocks of 32 (put_cstr_avx2).
 */
#if defined(__GNUC__)
__attribute__((no_sanitize("address", "thread")))
#endif
static char *
put_cstr_sse2(struct jsonw *w, char *d, const char *s)
{
	if (!s)
		return jsonw_put_null_room(w, d);
	/* for CSTR_FAST bytes, the quotes, and then JSONW_SPAN_SLACK */
	if (w->end - d <= CSTR_FAST + 2 + JSONW_SPAN_SLACK)
		return put_cstr_slow(w, d, s);
	uintptr_t off = (uintptr_t)s & 15;
	const unsigned char *a = (const unsigned char *)((uintptr_t)s - off);
	__m128i v = _mm_load_si128((const __m128i *)(const void *)a);
	_mm_storeu_si128((__m128i *)(void *)w->scratch, v);
	char *o = d + 1; /* the string's output */
	*d = '"';
	storeu16(o, loadu16(w->scratch + off));
	unsigned m = vec_special(v) >> off; /* the string's bytes only */
	size_t base = 0;                    /* of the block m is for */
	if (!m) {
		/* the next blocks are aligned: a + 16 is s + 16 - off. The
		 * second, where most strings that go on end, before the loop
		 * and its bound: it ends within 32 bytes < CSTR_FAST. */
		base = 16 - off;
		m = cstr_block(o, s, base);
		/* then two blocks a round, one bound for both; the second
		 * read only if the first has no NUL */
		while (!m) {
			if (base + 48 > CSTR_FAST)
				return put_cstr_slow(w, d, s);
			base += 16;
			m = cstr_block(o, s, base);
			if (m)
				break;
			base += 16;
			m = cstr_block(o, s, base);
		}
	}
	size_t k = base + (size_t)__builtin_ctz(m); /* < CSTR_FAST */
	if (s[k] != '\0')                           /* it needs escaping */
		return put_cstr_rest(w, d, s, k);
	o[k] = '"';
	return o + k + 1;
}
#else
static char *
put_cstr_plain(struct jsonw *w, char *d, const char *s)
{
	if (!s)
		return jsonw_put_null_room(w, d);
	return jsonw_put_str(w, d, str_make(s, strlen(s)));
}
#endif

/* jsonw_put_cstr's pass, called through w->put_cstr: a test of w->avx2
 * in it cost 8 instructions a string, its tail call and the moves around
 * it (measured: 117.63 M -> 117.17 M instructions on c8) */
static void
pick_put_cstr(struct jsonw *w)
{
#if defined(RT_HAVE_AVX2_PATH)
	if (w->avx2) {
		w->put_cstr = put_cstr_avx2;
		return;
	}
#endif
#if defined(__SSE2__)
	w->put_cstr = put_cstr_sse2;
#else
	w->put_cstr = put_cstr_plain;
#endif
}
