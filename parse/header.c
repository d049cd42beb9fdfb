/* header.c: split the header block, see header.h. */
#include "header.h"

#include <stdint.h>
#include <string.h>

#include "fieldname.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "parse/cpu.h"
#if defined(RT_HAVE_AVX2_PATH)
#include <immintrin.h>
#endif

/* Length of the line starting at p (up to and excluding its LF), and the
 * length of its line end (0 at end of input, 1 for LF, 2 for CRLF). */
static size_t
line_at(const char *p, size_t n, size_t *eol)
{
	const char *nl = memchr(p, '\n', n);
	if (!nl) {
		*eol = 0;
		return n;
	}
	size_t len = (size_t)(nl - p);
	if (len > 0 && p[len - 1] == '\r') {
		*eol = 2;
		return len - 1;
	}
	*eol = 1;
	return len;
}

/* ftext (RFC 5322 §3.6.8): printable ASCII but ':'. A table: the
 * loop runs over every field name of every message. */
static const unsigned char ftext[256] = {
#define R4(c) [c] = 1, [c + 1] = 1, [c + 2] = 1, [c + 3] = 1
#define R16(c) R4(c), R4(c + 4), R4(c + 8), R4(c + 12)
    [33] = 1, [34] = 1, [35] = 1,  [36] = 1,  [37] = 1,  [38] = 1, [39] = 1,
    [40] = 1, [41] = 1, [42] = 1,  [43] = 1,  [44] = 1,  [45] = 1, [46] = 1,
    [47] = 1, R4(48),   R4(52),    [56] = 1,  [57] = 1,  [59] = 1, [60] = 1,
    [61] = 1, [62] = 1, [63] = 1,  R16(64),   R16(80),   R16(96),  R4(112),
    R4(116),  R4(120),  [124] = 1, [125] = 1, [126] = 1,
#undef R16
#undef R4
};

/* The bytes the vector tests below compare with, 32 of each, loaded
 * from memory (cpu_opaque hides the contents from GCC): in an AVX2
 * function GCC builds each with three instructions, again after every
 * call, as in jsonw.c (vec_special32). With name_len's two constants
 * where there were three: 105.60 M -> 105.29 M instructions on c8; its
 * 1 (for v + 1) from here too, 104.29 M -> 104.21 M. */
#define X16(c) c, c, c, c, c, c, c, c, c, c, c, c, c, c, c, c
static const _Alignas(32) char vconst[4][32] = {{X16(0x22), X16(0x22)},
                                                {X16(':'), X16(':')},
                                                {X16('\n'), X16('\n')},
                                                {X16(1), X16(1)}};
#undef X16
enum { VC_22 = 0, VC_COLON = 32, VC_LF = 64, VC_1 = 96 };

/* (volatile: without it GCC took the pointer out of split_lines_with's
 * loop, and kept it and the LF vector in memory across the loop's calls,
 * 103.71 M -> 103.54 M instructions on c8) */
static inline const char *
vconst_k(void)
{
	return cpu_opaque(vconst[0]);
}

/* Length of the run of ftext bytes at p, at most n; avail (>= n) bytes
 * may be read. Sixteen at a time with SSE2: a byte <= ' ', >= 0x7f or
 * ':' ends the name; the line end is such a byte, so the vector never
 * runs past the line unless it is inside the input. */
static size_t
name_len(const char *p, size_t n, size_t avail)
{
	size_t i = 0;
#if defined(__SSE2__)
	const char *k = vconst_k();
	const __m128i c22 = _mm_load_si128((const __m128i *)(k + VC_22)),
	              colon = _mm_load_si128((const __m128i *)(k + VC_COLON)),
	              one = _mm_load_si128((const __m128i *)(k + VC_1));
	for (; i + 16 <= avail; i += 16) {
		__m128i v =
		    _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		/* v + 1 < 0x22 as signed bytes: <= ' ', or >= 0x7f (those
		 * wrap to negative or to 0) */
		__m128i low = _mm_cmplt_epi8(_mm_add_epi8(v, one), c22);
		unsigned m = (unsigned)_mm_movemask_epi8(
		    _mm_or_si128(low, _mm_cmpeq_epi8(v, colon)));
		if (m) {
			i += (unsigned)__builtin_ctz(m);
			return i < n ? i : n;
		}
	}
#else
	(void)avail;
#endif
	while (i < n && ftext[(unsigned char)p[i]])
		i++;
	return i < n ? i : n;
}

/* Length of a field name at the start of a line of n bytes, optionally
 * followed by blanks before the colon (obs-optional). Returns 0 when the
 * line is not a field. Inline even with its second (rare) caller,
 * line_field: it runs on every line. */
static inline __attribute__((always_inline)) size_t
field_name(const char *p, size_t n, size_t avail, size_t *colon)
{
	size_t i = name_len(p, n, avail);
	/* most names: the colon at once, no blanks to skip (headers_split:
	 * 115.51 M -> 115.29 M instructions on c8) */
	if (i < n && p[i] == ':' && i) {
		*colon = i;
		return i;
	}
	size_t name = i;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (name == 0 || i >= n || p[i] != ':')
		return 0;
	*colon = i;
	return name;
}

/* A 64-byte window of the header block as bit masks, bit k for byte k:
 * the block's lines are found by the LFs' bits, a few instructions a
 * line, where a vector scan from each line's start (scan_line) cost
 * about sixty; with AVX2, a window is two vectors (106.29 M -> 105.81
 * M instructions on c8; built without the AVX2 paths, headers_split
 * went from 9.14 M to 8.78 M with finish and vconst below). */
enum { WIN = 64 };

/* The LF bits of p[0..WIN), and in *odd those of the NULs and 8-bit bytes
 * (0 for nearly every window: they are worked out only when the window
 * has one). */
typedef uint64_t window_fn(const char *p, uint64_t *odd);

/* window_bits of the n <= WIN bytes at p, one at a time: for the last
 * window of an input, and without SSE2. */
static uint64_t
window_bits_short(const char *p, size_t n, uint64_t *odd)
{
	uint64_t lf = 0, o = 0;
	for (size_t i = 0; i < n; i++) {
		lf |= (uint64_t)(p[i] == '\n') << i;
		o |= (uint64_t)(p[i] == '\0' || (unsigned char)p[i] >= 0x80)
		     << i;
	}
	*odd = o;
	return lf;
}

static inline __attribute__((always_inline)) uint64_t
window_bits(const char *p, uint64_t *odd)
{
#if defined(__SSE2__)
	uint64_t lf = 0, o = 0;
	const __m128i nl =
	                  _mm_load_si128((const __m128i *)(vconst_k() + VC_LF)),
	              zero = _mm_setzero_si128();
	__m128i v[4], any = zero, min = _mm_set1_epi8(-1);
	for (int i = 0; i < 4; i++) {
		v[i] = _mm_loadu_si128(
		    (const __m128i *)(const void *)(p + 16 * i));
		lf |= (uint64_t)(unsigned)_mm_movemask_epi8(
		          _mm_cmpeq_epi8(v[i], nl))
		      << 16 * i;
		any = _mm_or_si128(any, v[i]);
		min = _mm_min_epu8(min, v[i]);
	}
	/* one test for the window: a high bit in any byte, or a NUL */
	if (_mm_movemask_epi8(_mm_or_si128(any, _mm_cmpeq_epi8(min, zero))))
		for (int i = 0; i < 4; i++)
			o |= (uint64_t)(unsigned)_mm_movemask_epi8(
			         _mm_or_si128(v[i], _mm_cmpeq_epi8(v[i], zero)))
			     << 16 * i;
	*odd = o;
	return lf;
#else
	return window_bits_short(p, WIN, odd);
#endif
}

#if defined(RT_HAVE_AVX2_PATH)
/* window_bits in two AVX2 vectors: a third of its instructions. */
__attribute__((target("avx2"), always_inline)) static inline uint64_t
window_bits_avx2(const char *p, uint64_t *odd)
{
	const __m256i nl = _mm256_load_si256(
	                  (const __m256i *)(vconst_k() + VC_LF)),
	              zero = _mm256_setzero_si256();
	__m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)p),
	        hi =
	            _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
	uint64_t lf =
	    (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, nl)) |
	    (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, nl))
	        << 32;
	__m256i any = _mm256_or_si256(lo, hi), min = _mm256_min_epu8(lo, hi);
	uint64_t o = 0;
	if (_mm256_movemask_epi8(
	        _mm256_or_si256(any, _mm256_cmpeq_epi8(min, zero))))
		o = (uint32_t)_mm256_movemask_epi8(
		        _mm256_or_si256(lo, _mm256_cmpeq_epi8(lo, zero))) |
		    (uint64_t)(uint32_t)_mm256_movemask_epi8(
		        _mm256_or_si256(hi, _mm256_cmpeq_epi8(hi, zero)))
		        << 32;
	*odd = o;
	return lf;
}
#endif

/* What a line with odd bytes has: LN_NUL, LN_8BIT or both. */
enum { LN_NUL = 1, LN_8BIT = 2 };

static unsigned
line_seen(const char *p, size_t n)
{
	unsigned seen = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\0')
			seen |= LN_NUL;
		else if ((unsigned char)p[i] >= 0x80)
			seen |= LN_8BIT;
	}
	return seen;
}

/* The findings for the first NUL and the first 8-bit byte of the block,
 * on field (the index of the field the line belongs to, -1 for none). */
static void
census(unsigned seen, struct findings *f, int field, bool *seen_nul,
       bool *seen_8bit)
{
	if ((seen & LN_NUL) && !*seen_nul) {
		*seen_nul = true;
		findings_add(f, "hdr.nul-byte", SEV_WARNING, -1, field,
		             "NUL byte in the header block (kept, shown as "
		             "\\0 in text and U+FFFD in JSON)");
	}
	if ((seen & LN_8BIT) && !*seen_8bit) {
		*seen_8bit = true;
		findings_add(f, "hdr.8bit", SEV_INFO, -1, field,
		             "unencoded 8-bit bytes in the header block (RFC "
		             "5322 allows only ASCII)");
	}
}

struct splitter {
	const char *buf;
	size_t len;
	struct arena *a;
	struct header_block *hb;
	struct findings *f;
	size_t cap;
	int last[2]; /* the last field of hb->received and hb->trace */
	bool seen_nul, seen_8bit, seen_long, seen_invalid;
};

/* A name the length of none of the exact ones, or that was none of
 * them: List-* or Resent-*? */
static enum header_kind
prefix_kind(struct str name)
{
	if (NAME_STARTS(name, "list-"))
		return HK_LIST_OTHER;
	return NAME_STARTS(name, "resent-") ? HK_RESENT : HK_OTHER;
}

/* Which name the analysis asks about name is (enum header_kind): by its
 * length, then its first byte, then NAME_IS. Once per field here, where
 * four passes over every field compared names (about 2.3 M of 113 M
 * instructions on c8). */
static inline __attribute__((always_inline)) enum header_kind
exact_kind(struct str name)
{
	unsigned c = (unsigned char)name.p[0] | 0x20; /* exact for letters */
	switch (name.n) {
	case 2:
		return c == 't' && ((unsigned char)name.p[1] | 0x20) == 'o'
		           ? HK_TO
		           : HK_OTHER;
	case 4:
		return NAME_IS(name, "from")   ? HK_FROM
		       : NAME_IS(name, "date") ? HK_DATE
		                               : HK_OTHER;
	case 6:
		return NAME_IS(name, "sender") ? HK_SENDER : HK_OTHER;
	case 7:
		return NAME_IS(name, "subject")   ? HK_SUBJECT
		       : NAME_IS(name, "list-id") ? HK_LIST_ID
		                                  : HK_OTHER;
	case 8:
		return NAME_IS(name, "received")   ? HK_RECEIVED
		       : NAME_IS(name, "arc-seal") ? HK_ARC_SEAL
		                                   : HK_OTHER;
	case 9:
		return NAME_IS(name, "list-post") ? HK_LIST_POST : HK_OTHER;
	case 10:
		return c == 'm'   ? NAME_IS(name, "message-id") ? HK_MESSAGE_ID
		                                                : HK_OTHER
		       : c == 'p' ? NAME_IS(name, "precedence") ? HK_PRECEDENCE
		                                                : HK_OTHER
		       : NAME_IS(name, "x-senderip") ? HK_X_SENDERIP
		                                     : HK_OTHER;
	case 11:
		return c == 'r' ? NAME_IS(name, "return-path") ? HK_RETURN_PATH
		                                               : HK_OTHER
		       : NAME_IS(name, "x-beenthere") ? HK_X_BEENTHERE
		       : NAME_IS(name, "x-sender-ip") ? HK_X_SENDER_IP
		                                      : HK_OTHER;
	case 12:
		return NAME_IS(name, "delivered-to")   ? HK_DELIVERED_TO
		       : NAME_IS(name, "received-spf") ? HK_RECEIVED_SPF
		                                       : HK_OTHER;
	case 13:
		return NAME_IS(name, "x-original-to") ? HK_X_ORIGINAL_TO
		                                      : HK_OTHER;
	case 14:
		return NAME_IS(name, "dkim-signature")   ? HK_DKIM_SIGNATURE
		       : NAME_IS(name, "x-forwarded-to") ? HK_X_FORWARDED_TO
		                                         : HK_OTHER;
	case 15:
		return NAME_IS(name, "x-forwarded-for")   ? HK_X_FORWARDED_FOR
		       : NAME_IS(name, "x-yahoo-post-ip") ? HK_X_YAHOO_POST_IP
		                                          : HK_OTHER;
	case 16:
		return NAME_IS(name, "x-originating-ip") ? HK_X_ORIGINATING_IP
		                                         : HK_OTHER;
	case 17:
		return NAME_IS(name, "x-mailman-version") ? HK_X_MAILMAN_VERSION
		                                          : HK_OTHER;
	case 21:
		return NAME_IS(name, "arc-message-signature")
		           ? HK_ARC_MESSAGE_SIGNATURE
		           : HK_OTHER;
	case 22:
		return NAME_IS(name, "authentication-results")
		           ? HK_AUTHENTICATION_RESULTS
		           : HK_OTHER;
	case 26:
		return NAME_IS(name, "arc-authentication-results")
		           ? HK_ARC_AUTHENTICATION_RESULTS
		           : HK_OTHER;
	case 31:
		return NAME_IS(name, "authentication-results-original")
		           ? HK_AUTHENTICATION_RESULTS_ORIGINAL
		           : HK_OTHER;
	case 33:
		return NAME_IS(name, "x-original-authentication-results")
		           ? HK_X_ORIGINAL_AUTHENTICATION_RESULTS
		           : HK_OTHER;
	case 36:
		return NAME_IS(name, "x-ms-exchange-authentication-results")
		           ? HK_X_MS_EXCHANGE_AUTHENTICATION_RESULTS
		           : HK_OTHER;
	default:
		return HK_OTHER;
	}
}

/* name (at least one byte) classified: the exact names, else the
 * prefixes, tried only for a name starting with l or r. It and
 * exact_kind always inline: with header_name_kind their second caller,
 * GCC called exact_kind for every field (+0.48 M instructions on c8). */
static inline __attribute__((always_inline)) enum header_kind
header_kind(struct str name)
{
	enum header_kind k = exact_kind(name);
	unsigned c = (unsigned char)name.p[0] | 0x20;
	if (k == HK_OTHER && (c == 'l' || c == 'r') && name.n >= 5)
		k = prefix_kind(name);
	return k;
}

/* Field i (h, of kind k) recorded by its kind: first of its kind (but
 * Received, whose chain is enough), and at the end of its chain. Most
 * fields leave at the first or second test. */
static void
link_field(struct splitter *s, struct header *h, int i, enum header_kind k)
{
	struct header_block *hb = s->hb;
	h->next = -1;
	if (k == HK_OTHER)
		return;
	int c = 0;
	if (k != HK_RECEIVED) {
		if (hb->first[k] < 0)
			hb->first[k] = i;
		if (k < HK_RETURN_PATH)
			return;
		c = 1;
	}
	if (s->last[c] >= 0)
		hb->v[s->last[c]].next = i;
	else if (c == 0)
		hb->received = i;
	else
		hb->trace = i;
	s->last[c] = i;
}

static inline __attribute__((always_inline)) struct header *
add_field(struct splitter *s, size_t off, size_t namelen, size_t colon)
{
	struct header_block *hb = s->hb;
	if (hb->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 32;
		/* not zeroed: add_field and finish write every member */
		hb->v = arena_grow_raw(s->a, hb->v, hb->n, nc, sizeof(*hb->v));
		s->cap = nc;
	}
	struct header *h = &hb->v[hb->n++];
	/* the name classified from a local: read back from *h, it was
	 * loaded again after the stores; the lengths of value and raw are
	 * finish's (104.38 M -> 104.29 M instructions on c8) */
	struct str name = str_make(s->buf + off, namelen);
	h->name = name;
	h->offset = off;
	h->value.p = name.p + colon + 1;
	h->raw.p = name.p;
	enum header_kind k = header_kind(name);
	h->kind = (unsigned char)k;
	link_field(s, h, (int)hb->n - 1, k);
	return h;
}

/* Field h ends where the line at pos starts (the next field's, the
 * blank line or the end of the input), its last line's end before it:
 * an LF, with a CR before it that is not the line's first byte (the
 * line is not blank), or none at the end of the input. Set once a
 * field, not at each of its lines: a continuation line costs only its
 * tests (105.81 M -> 105.60 M instructions on c8). */
static void
finish(const struct splitter *s, struct header *h, size_t pos)
{
	size_t eol = 0;
	if (s->buf[pos - 1] == '\n')
		eol = s->buf[pos - 2] == '\r' ? 2 : 1;
	h->value.n = (size_t)(s->buf + pos - eol - h->value.p);
	h->raw.n = pos - h->offset;
}

/* Index of the field the line at pos (l bytes) belongs to: the one it
 * starts (the next to be added), else the one it continues (-1 for a
 * first line that is no field). The tests of headers_split's loop. */
static __attribute__((cold, noinline)) int
line_field(const struct splitter *s, size_t pos, size_t l)
{
	size_t colon;
	bool cont = s->buf[pos] == ' ' || s->buf[pos] == '\t';
	bool starts = !cont &&
	              field_name(s->buf + pos, l, s->len - pos, &colon) &&
	              s->hb->n < HEADERS_MAX;
	return starts ? (int)s->hb->n : (int)s->hb->n - 1;
}

static size_t
skip_envelope(const char *buf, size_t len, struct header_block *hb)
{
	if (len < 5 || memcmp(buf, "From ", 5) != 0)
		return 0;
	size_t eol;
	size_t l = line_at(buf, len, &eol);
	hb->envelope = str_make(buf, l);
	return l + eol;
}

/* split_lines_with's per-line state, in locals: the loop runs per
 * line, and hb's members are memory it stored to. */
struct tally {
	size_t crlf, lf;    /* the line-end census */
	struct header *cur; /* the field the lines go to */
};

/* The findings a line of l bytes at pos may raise before it is split:
 * its NUL and 8-bit bytes (odd: it has some), its length. */
static void
line_checks(struct splitter *s, size_t pos, size_t l, bool odd)
{
	if (odd) /* rare: the field is worked out only then */
		census(line_seen(s->buf + pos, l), s->f, line_field(s, pos, l),
		       &s->seen_nul, &s->seen_8bit);
	if (l > HEADER_LINE_MAX && !s->seen_long) {
		s->seen_long = true;
		findings_add(s->f, "hdr.line-too-long", SEV_WARNING, -1,
		             line_field(s, pos, l),
		             "header line of %zu bytes, over the RFC "
		             "5322 limit of 998 (kept whole)",
		             l);
	}
}

/* A line after the first that is neither a new field nor a continuation
 * (nl: it has a name, past HEADERS_MAX): the findings it may raise. */
static void
line_other(struct splitter *s, size_t pos, size_t nl)
{
	struct header_block *hb = s->hb;
	if (!nl && !s->seen_invalid) {
		s->seen_invalid = true;
		findings_add(s->f, "hdr.invalid-line", SEV_WARNING, -1,
		             (int)hb->n - 1,
		             "line %zu bytes into the message is "
		             "neither a field nor a continuation; kept "
		             "as part of the previous field",
		             pos);
	} else if (nl && hb->n == HEADERS_MAX &&
	           !findings_has(s->f, "hdr.too-many")) {
		findings_add(s->f, "hdr.too-many", SEV_ERROR, -1,
		             HEADERS_MAX - 1,
		             "more than HEADERS_MAX (%d) header "
		             "fields; the rest are kept in the last "
		             "field, not analysed",
		             HEADERS_MAX);
	}
}

/* The line from pos to e (its LF if lf, else the end of the input),
 * odd if it has a NUL or 8-bit byte: false when it ends the header
 * block. buf and len are s's, in the caller's registers (stores through
 * the fields might change s->len, for all GCC knows); lf is a constant
 * where it is inlined, and finish reads the last line end back from the
 * bytes: two values fewer in the loop's registers (104.61 M -> 104.38 M
 * instructions on c8). */
static inline __attribute__((always_inline)) bool
split_line(struct splitter *s, struct tally *t, const char *buf, size_t len,
           size_t pos, size_t e, bool lf, bool odd)
{
	struct header_block *hb = s->hb;
	size_t l = e - pos, eol = 0;
	if (lf) { /* a CR before the LF? */
		eol = 1;
		if (l > 0 && buf[e - 1] == '\r') {
			eol = 2;
			l--;
		}
	}
	t->crlf += eol == 2;
	t->lf += eol == 1;
	if (l == 0) { /* the blank line */
		hb->has_separator = eol != 0;
		hb->body = pos + eol;
		if (t->cur)
			finish(s, t->cur, pos);
		return false;
	}
	if (odd || l > HEADER_LINE_MAX)
		line_checks(s, pos, l, odd);
	size_t colon = 0, nl = 0;
	bool cont = buf[pos] == ' ' || buf[pos] == '\t';
	if (!cont)
		nl = field_name(buf + pos, l, len - pos, &colon);
	if (!cont && nl && hb->n < HEADERS_MAX) {
		if (t->cur)
			finish(s, t->cur, pos);
		t->cur = add_field(s, pos, nl, colon);
	} else if (hb->n == 0) {
		/* a first line that is not a field: not a message header
		 * block (or garbage). Stop here; the caller decides what no
		 * fields means. */
		hb->body = pos;
		return false;
	} else if (!cont) {
		line_other(s, pos, nl);
	}
	return true;
}

/* split_lines_with's loop state, handed to odd_window and back. */
struct lines {
	struct tally t;
	size_t line; /* the start of the current line */
	bool odd;    /* a NUL or 8-bit byte in it so far */
	bool ended;  /* the header block ended */
};

/* The lines that end in a window with NUL or 8-bit bytes (oddw, their
 * bits) or that begin in one before it (st.odd): each line's own bits.
 * Apart from split_lines_with's loop, which then tests nothing for the
 * census at each line; the state by value, so that the loop keeps it in
 * registers (103.97 M -> 103.79 M instructions on c8). */
static __attribute__((noinline)) struct lines
odd_window(struct splitter *s, struct lines st, size_t base, uint64_t lf,
           uint64_t oddw)
{
	for (; lf; lf &= lf - 1) {
		size_t e = base + (size_t)__builtin_ctzll(lf);
		uint64_t upto = (2ULL << (e - base)) - 1; /* 0 - 1 at 63 */
		bool o = st.odd || (oddw & upto) != 0;
		oddw &= ~upto;
		if (!split_line(s, &st.t, s->buf, s->len, st.line, e, true,
		                o)) {
			st.ended = true;
			return st;
		}
		st.line = e + 1;
		st.odd = false;
	}
	st.odd |= oddw != 0; /* bits after the last LF: the next line's */
	return st;
}

/* Split the lines from pos on, a window of the input at a time (window
 * gives its bits): each line ends at the next LF bit (lines and windows
 * are in the same order). Inline in split_lines_generic and
 * split_lines_avx2, where window is a constant. */
static inline __attribute__((always_inline)) void
split_lines_with(struct splitter *s, size_t pos, window_fn *window)
{
	const char *buf = s->buf;
	size_t len = s->len;
	struct lines st = {.line = pos};
	/* one loop a line, the next window taken when the bits run out:
	 * with a loop for the windows around it, GCC saved and restored
	 * registers at each window (103.79 M -> 103.71 M instructions on
	 * c8; 103.54 M with vconst_k's asm volatile) */
	size_t base = pos, next = pos; /* this window's start, the next's */
	uint64_t lf = 0;
	for (;;) {
		while (!lf) {
			if (next >= len)
				goto last;
			base = next;
			next += WIN;
			uint64_t oddw;
			lf = len - base >= WIN
			         ? window(buf + base, &oddw)
			         : window_bits_short(buf + base, len - base,
			                             &oddw);
			if (oddw || st.odd) {
				st = odd_window(s, st, base, lf, oddw);
				if (st.ended)
					goto done;
				lf = 0;
			}
		}
		size_t e = base + (size_t)__builtin_ctzll(lf);
		lf &= lf - 1;
		if (!split_line(s, &st.t, buf, len, st.line, e, true, false))
			goto done;
		st.line = e + 1;
	}
last:
	if (st.line < len && /* a last line without an LF */
	    !split_line(s, &st.t, buf, len, st.line, len, false, st.odd))
		goto done;
	if (st.t.cur) /* no blank line */
		finish(s, st.t.cur, len);
done:
	s->hb->crlf = st.t.crlf;
	s->hb->lf = st.t.lf;
}

static void
split_lines_generic(struct splitter *s, size_t pos)
{
	split_lines_with(s, pos, window_bits);
}

#if defined(RT_HAVE_AVX2_PATH)
__attribute__((target("avx2"))) static void
split_lines_avx2(struct splitter *s, size_t pos)
{
	split_lines_with(s, pos, window_bits_avx2);
}
#endif

void
headers_split(const char *buf, size_t len, struct arena *a,
              struct header_block *hb, struct findings *f)
{
	memset(hb, 0, sizeof(*hb));
	memset(hb->first, 0xff, sizeof(hb->first)); /* all -1 */
	hb->received = hb->trace = -1;
	struct splitter s = {
	    .buf = buf, .len = len, .a = a, .hb = hb, .f = f, .last = {-1, -1}};
	size_t pos = skip_envelope(buf, len, hb);
	hb->start = pos;
	hb->body = len;
#if defined(RT_HAVE_AVX2_PATH)
	if (cpu_avx2()) {
		split_lines_avx2(&s, pos);
		return;
	}
#endif
	split_lines_generic(&s, pos);
}

enum header_kind
header_name_kind(struct str name)
{
	return name.n ? header_kind(name) : HK_OTHER;
}

#if defined(__SSE2__)
/* The CRs and LFs of the 16 bytes at p, as a mask. */
static inline unsigned
eol16(const char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	return (unsigned)_mm_movemask_epi8(
	    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')),
	                 _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))));
}
#endif

/* Does p[0..n) hold a CR or an LF? Most values asked have neither, which
 * two memchr calls (one per byte) took two scans to tell: one scan, with
 * SSE2 32 bytes a turn (one test for two vectors) and the last 32, or 16,
 * overlapping the others rather than a byte loop over the rest (16 a
 * turn: 103.54 M -> 103.46 M instructions on c8). */
static bool
has_eol(const char *p, size_t n)
{
#if defined(__SSE2__)
	if (n >= 16) {
		size_t i = 0;
		for (; i + 32 < n; i += 32)
			if (eol16(p + i) | eol16(p + i + 16))
				return true;
		/* the last 32 bytes, or the first and last 16 of 16 to 32 */
		size_t k = n >= 32 ? n - 32 : 0;
		return (eol16(p + k) | eol16(p + n - 16)) != 0;
	}
#endif
	for (size_t i = 0; i < n; i++)
		if (p[i] == '\r' || p[i] == '\n')
			return true;
	return false;
}

/* v (trimmed, with a CR or LF) without its CRs and LFs, arena-owned.
 * Apart from header_unfold, whose values mostly have neither: there the
 * registers this copy needs were saved and restored on every call
 * (header_unfold: 114.14 M -> 113.99 M instructions on c8). */
static __attribute__((noinline)) struct str
unfold_copy(struct arena *a, struct str v)
{
	/* not zeroed: written up to out[o], the NUL */
	char *out = arena_alloc_raw(a, v.n + 1);
	size_t o = 0, i = 0;
	while (i < v.n) { /* copy line by line, dropping the CRs and LFs */
		const char *nl = memchr(v.p + i, '\n', v.n - i);
		size_t e = nl ? (size_t)(nl - v.p) : v.n;
		/* the bytes before the line's first CR at once (memchr:
		 * folded values are long, DKIM-Signature and ARC, their lines
		 * too), the rest byte by byte: a CR may stand alone, it is
		 * dropped too */
		const char *cr = memchr(v.p + i, '\r', e - i);
		size_t run = (cr ? (size_t)(cr - v.p) : e) - i;
		memcpy(out + o, v.p + i, run);
		o += run;
		for (size_t k = i + run; k < e; k++)
			if (v.p[k] != '\r')
				out[o++] = v.p[k];
		i = e + 1;
	}
	out[o] = '\0';
	return str_make(out, o);
}

struct str
header_unfold(struct arena *a, struct str v)
{
	v = header_trim(v);
	if (v.n == 0 || !has_eol(v.p, v.n))
		return v;
	return unfold_copy(a, v);
}
