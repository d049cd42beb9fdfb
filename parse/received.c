/*
 * received.c: a hand tokenizer for Received values (see received.h).
 *
 * The value is cut once into words, comments and the date (after the first
 * ';' outside comments), then the clause keywords from/by/via/with/id/for
 * are walked in order. The TCP-info comments of the from-part and the
 * vendor comments anywhere (TLS, authentication, envelope sender) are read
 * word by word. Every stage is a single forward pass over its bytes, so
 * the whole parse is linear in the value length whatever the input.
 *
 * No regular expressions: the vendor shapes below are all recognised by
 * their first words, which is simpler and cannot backtrack.
 */
#include "received.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "message.h"

#define FLAG_NAME(name) name,
const char *const received_flag_names[] = {RECEIVED_FLAG_NAMES(FLAG_NAME)};
#undef FLAG_NAME

#define MTA_NAME(id, name) name,
const char *const received_mta_names[RECEIVED_NMTAS] = {
    RECEIVED_MTAS(MTA_NAME)};
#undef MTA_NAME

/* A TCP-info comment holds a handful of words; more are not read. */
#define CW_MAX 24
/* message_date_parse() takes at most 255 bytes. */
#define DATE_MAX 255

enum tkind { TK_WORD, TK_COMMENT, TK_SEMI };

struct tok {
	/* the word, or the comment without its parens (tok_str): its length
	 * in 32 bits, which RECEIVED_MAX_BYTES leaves room for, so that a
	 * token is 16 bytes, indexed by a shift (measured: 104.91 M ->
	 * 104.77 M instructions on c8) */
	const char *p;
	uint32_t n;
	/* enum tkind in a byte: walk's test of every token's kind is then
	 * one compare with memory (measured: 107.00 M -> 106.90 M
	 * instructions on c8) */
	unsigned char k;
};

static inline struct str
tok_str(const struct tok *x)
{
	return str_make(x->p, x->n);
}

struct toks {
	struct tok *v;
	size_t n, cap;
};

/* Tokens a value's array holds before it moves to the arena. */
#define TOKS_STACK 32

enum kw { KW_NONE, KW_FROM, KW_BY, KW_VIA, KW_WITH, KW_ID, KW_FOR };

struct cw;
/* Comments of the from-part whose words (cut by tokenize) scan_comments
 * points at for from_comment, which would cut them again: the first few
 * suffice. */
#define FROM_CW 3

/* Comment tokens whose indices tokenize records (struct pstate). */
#define CMT_MAX 16

/* State of one received_parse() call. */
struct pstate {
	struct received *r;
	struct arena *a;
	struct findings *f;
	int hop, header;
	struct toks t;
	size_t depth;    /* deepest comment nesting seen */
	bool unclosed;   /* a comment ran to the end of the value */
	bool stray_semi; /* a ';' inside the clauses or the date */
	bool has_from, has_by;
	size_t from_b, from_e; /* token range of the from-part */
	size_t with_b, with_e; /* word tokens of the `with` protocol */
	struct str claimed;    /* obtuse smtpd: claiming to be "x" */
	bool local;            /* evidence that this is not a handover */
	bool net_handover;     /* qmail "invoked from network" */
	bool fetch;            /* fetchmail retrieval */
	struct str date;       /* the date text, when found */
	bool date_found;
	const struct cw *from_cw[FROM_CW]; /* words of from-part comments */
	size_t from_cw_tok[FROM_CW]; /* token index + 1 of each; 0: none */
	/* the comment tokens of the value, as tokenize cuts them (rec is
	 * the array it records for, ps->t, until scan_comments has read
	 * them), so that scan_comments need not look at every token; more
	 * than CMT_MAX: it does */
	const struct toks *rec;
	size_t ncmt;
	unsigned short cmt[CMT_MAX];
	struct cw *cmt_cw; /* CMT_MAX: the words of each, cut by tokenize */
	const char *end; /* the value's end: every string cut lies before it */
};

/* ---- characters and small string helpers ---- */

/* Byte classes: the tokenizer asks about every byte of every Received
 * field, and one table load beats seven compares. */
enum {
	CC_SP = 1,    /* white space */
	CC_BREAK = 2, /* ends a word: white space ( ) ; */
	CC_CMT = 4,   /* matters inside a comment: ( ) \\ */
	/* the bytes strip() drops, a class each: a set of them is a mask,
	 * one table load a byte rather than a compare per member (measured:
	 * 104.77 M -> 104.66 M instructions on c8) */
	CC_COMMA = 8,
	CC_SEMI = 16,
	CC_LT = 32,
	CC_GT = 64,
	CC_QUOTE = 128,
	CC_LBRACKET = 256,
	CC_RBRACKET = 512,
	CC_PUNCT = CC_COMMA | CC_SEMI,
};
static const unsigned short cclass[256] = {
    [' '] = CC_SP | CC_BREAK,
    ['\t'] = CC_SP | CC_BREAK,
    ['\r'] = CC_SP | CC_BREAK,
    ['\n'] = CC_SP | CC_BREAK,
    ['('] = CC_BREAK | CC_CMT,
    [')'] = CC_BREAK | CC_CMT,
    [';'] = CC_BREAK | CC_SEMI,
    ['\\'] = CC_CMT,
    [','] = CC_COMMA,
    ['<'] = CC_LT,
    ['>'] = CC_GT,
    ['"'] = CC_QUOTE,
    ['['] = CC_LBRACKET,
    [']'] = CC_RBRACKET,
};

static bool
is_sp(char c)
{
	return cclass[(unsigned char)c] & CC_SP;
}

static bool
is_word(char c)
{
	return !(cclass[(unsigned char)c] & CC_BREAK);
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The bytes of an IPv6 address, and of an IPv4 one: hex digits, ':' and
 * '.'. A table: every address word and from-name asks of its first byte,
 * and v6_parse of every byte (with v4_len inline and v6_parse's bytes
 * checked before its memchr calls, measured: 103.64 M -> 103.54 M
 * instructions on c8). */
#define IPB(c) [c] = true
static const bool ip_bytes[256] = {
    IPB('0'), IPB('1'), IPB('2'), IPB('3'), IPB('4'), IPB('5'),
    IPB('6'), IPB('7'), IPB('8'), IPB('9'), IPB('a'), IPB('b'),
    IPB('c'), IPB('d'), IPB('e'), IPB('f'), IPB('A'), IPB('B'),
    IPB('C'), IPB('D'), IPB('E'), IPB('F'), IPB(':'), IPB('.'),
};
#undef IPB

static inline bool
is_ip_byte(char c)
{
	return ip_bytes[(unsigned char)c];
}

static struct str
sub(struct str s, size_t b, size_t e)
{
	return str_make(s.p + b, e - b);
}

static bool
has_char(struct str s, char c)
{
	return s.n && memchr(s.p, c, s.n) != NULL;
}

/* The four bytes at p, each of 'A'..'Z' given its lower case, the others
 * kept: bit 7 of h + 0x3f is set when a byte's low seven bits are >= 'A',
 * of h + 0x25 when they are >= 'Z' + 1 (no carry crosses a byte), and a
 * byte >= 0x80 is no letter. */
static inline uint32_t
fold4(const char *p)
{
	uint32_t x, h;
	memcpy(&x, p, 4);
	h = x & 0x7f7f7f7fu;
	uint32_t up = (h + 0x3f3f3f3fu) & ~(h + 0x25252525u) & ~x & 0x80808080u;
	return x | up >> 2;
}

/* a[0..n) equals lower[0..n), a name in lower case, ignoring the case of
 * a: str_ieq_bytes, with a's upper-case letters folded rather than the
 * two bytes compared both ways (the protocol and host tables are all
 * lower case, received_init checks). Four bytes at a time, the last four
 * overlapping (with protos_by_len, measured: 118.62 M -> 118.48 M
 * instructions on c8). */
static inline bool
lower_eq(const char *a, const char *lower, size_t n)
{
	uint32_t y;
	if (n < 4) {
		for (size_t i = 0; i < n; i++) {
			unsigned char x = (unsigned char)a[i];
			if ((unsigned)(x - 'A') <= 'Z' - 'A')
				x |= 0x20;
			if (x != (unsigned char)lower[i])
				return false;
		}
		return true;
	}
	size_t i = 0;
	for (; i + 4 < n; i += 4) {
		memcpy(&y, lower + i, 4);
		if (fold4(a + i) != y)
			return false;
	}
	memcpy(&y, lower + n - 4, 4);
	return fold4(a + n - 4) == y;
}

/* s without its leading bytes of the classes `lead` and its trailing
 * bytes of the classes `trail` (brackets, quotes, commas). */
static inline struct str
strip(struct str s, unsigned lead, unsigned trail)
{
	while (s.n && (cclass[(unsigned char)s.p[0]] & lead))
		s = sub(s, 1, s.n);
	while (s.n && (cclass[(unsigned char)s.p[s.n - 1]] & trail))
		s.n--;
	return s;
}

/* A word without its trailing , and ; */
static inline struct str
strip_punct(struct str s)
{
	return strip(s, 0, CC_PUNCT);
}

/* An address as MTAs write it: <x>, <<x>>, x, "x", x, */
static struct str
strip_addr(struct str s)
{
	return strip(s, CC_LT | CC_QUOTE, CC_GT | CC_QUOTE | CC_PUNCT);
}

/* The bytes of a keyword as one number (the case is folded by the
 * caller). */
#define KW4(a, b, c, d)                                                        \
	((uint32_t)(unsigned char)(a) | (uint32_t)(unsigned char)(b) << 8 |    \
	 (uint32_t)(unsigned char)(c) << 16 |                                  \
	 (uint32_t)(unsigned char)(d) << 24)

static inline enum kw
keyword(struct str w)
{
	/* this runs for every word of every Received field: the two to
	 * four bytes are read as one number and compared at once. The
	 * keywords are all letters, and x | 0x20 is a letter's lower case
	 * only for the letter's two cases, so or-ing 0x20 into every byte
	 * compares exactly as str_ieq did. It sets a bit in each of the
	 * word's bytes, a NUL among them too: x's bytes that are not zero
	 * are the word's, and x alone tells its length (the length beside
	 * it in 64 bits made each compare a 64-bit constant: measured,
	 * 104.66 M -> 104.49 M instructions on c8). */
	if (w.n - 2 > 2) /* unsigned: not 2 to 4 bytes */
		return KW_NONE;
	const unsigned char *p = (const unsigned char *)w.p;
	uint32_t x = (uint32_t)p[0] | (uint32_t)p[1] << 8;
	if (w.n > 2)
		x |= (uint32_t)p[2] << 16;
	if (w.n > 3)
		x |= (uint32_t)p[3] << 24;
	x |= 0x20202020u >> (8 * (4 - w.n));
	switch (x) {
	case KW4('b', 'y', 0, 0):
		return KW_BY;
	case KW4('i', 'd', 0, 0):
		return KW_ID;
	case KW4('v', 'i', 'a', 0):
		return KW_VIA;
	case KW4('f', 'o', 'r', 0):
		return KW_FOR;
	case KW4('f', 'r', 'o', 'm'):
		return KW_FROM;
	case KW4('w', 'i', 't', 'h'):
		return KW_WITH;
	}
	return KW_NONE;
}
#undef KW4

/* ---- addresses ---- */

/* Length of a dotted quad at the start of s, 0 if none: four numbers of
 * one to three digits, at most 255 (leading zeros allowed), dots between,
 * no digit after. It runs on every address word and most from-names,
 * which the first byte turns away. A quad and the byte after it lie in
 * the first sixteen bytes: those are copied (two overlapping loads) to a
 * zeroed buffer, read then with no bound check (a zero byte is neither
 * digit nor dot, as the end of s is neither) (measured: 118.48 M ->
 * 118.39 M instructions on c8). Inline (see is_ip_byte). */
static inline size_t
v4_len(struct str s)
{
	if (s.n < 7 || !is_digit(s.p[0]))
		return 0;
	unsigned char b[16] = {0};
	size_t k = s.n < 16 ? s.n : 16;
	if (k >= 8) {
		memcpy(b, s.p, 8);
		memcpy(b + k - 8, s.p + k - 8, 8);
	} else {
		memcpy(b, s.p, 4);
		memcpy(b + 3, s.p + 3, 4);
	}
	size_t i = 0;
	for (int part = 0;; part++) {
		unsigned v = b[i] - (unsigned)'0', d;
		if (v > 9)
			return 0;
		if ((d = b[++i] - (unsigned)'0') <= 9) {
			v = v * 10 + d;
			if ((d = b[++i] - (unsigned)'0') <= 9) {
				v = v * 10 + d;
				i++;
			}
		}
		if (v > 255)
			return 0;
		if (part == 3)
			break;
		if (b[i++] != '.')
			return 0;
	}
	/* i <= 15 */
	return b[i] - (unsigned)'0' <= 9 ? 0 : i;
}

static bool
all_digits(struct str s)
{
	if (!s.n)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if (!is_digit(s.p[i]))
			return false;
	return true;
}

/* An IPv6 address, zone id (%eth0) stripped; ::ffff:a.b.c.d gives the
 * embedded IPv4 address. Out of line: its buffers would make ip_bare,
 * which seldom gets here, save registers and a stack canary per call. */
__attribute__((noinline)) static bool
v6_parse(struct str s, struct str *out)
{
	char buf[INET6_ADDRSTRLEN];
	unsigned char bin[16];
	/* the bytes up to a '%' first, which turn away the host names
	 * that start with a hex letter at their first other letter (they
	 * took a memchr for the '%' and one for a ':' before) */
	size_t n = 0;
	bool colon = false;
	for (; n < s.n && s.p[n] != '%'; n++) {
		if (!is_ip_byte(s.p[n]))
			return false;
		colon |= s.p[n] == ':';
	}
	s.n = n;
	if (s.n < 2 || s.n >= sizeof(buf) || !colon)
		return false;
	memcpy(buf, s.p, s.n);
	buf[s.n] = '\0';
	if (inet_pton(AF_INET6, buf, bin) != 1)
		return false;
	if (str_istarts(s, "::ffff:") && v4_len(sub(s, 7, s.n)) == s.n - 7) {
		*out = sub(s, 7, s.n);
		return true;
	}
	*out = s;
	return true;
}

/* A bare address: a.b.c.d, a.b.c.d:port, or IPv6. dot_port also takes
 * Exim 3's a.b.c.d.port. 0: none, 1: an address, 2: one with a port
 * (one return value rather than a bool through a pointer: the callers
 * then take the address of no local, and need no stack canary). */
static int
ip_bare_at(struct str s, struct str *out, bool dot_port)
{
	size_t l = v4_len(s);
	if (l) {
		struct str rest = sub(s, l, s.n);
		if (rest.n &&
		    !((rest.p[0] == ':' || (dot_port && rest.p[0] == '.')) &&
		      all_digits(sub(rest, 1, rest.n))))
			return 0;
		*out = sub(s, 0, l);
		return rest.n > 0 ? 2 : 1;
	}
	/* most words asked are host names: the first byte tells, without
	 * the call to v6_parse (ip_bare asks it before this call) */
	if (!s.n || !is_ip_byte(s.p[0]))
		return 0;
	return v6_parse(s, out) ? 1 : 0;
}

static inline bool
ip_bare(struct str s, struct str *out, bool dot_port, bool *port)
{
	/* most words asked are host names, which ip_bare_at turns away by
	 * their first byte (no digit, hex letter, ':' or '.'): asked here,
	 * without the call (measured: 104.00 M -> 103.82 M instructions
	 * on c8) */
	if (!s.n || !is_ip_byte(s.p[0])) {
		*port = false;
		return false;
	}
	int r = ip_bare_at(s, out, dot_port);
	*port = r == 2;
	return r != 0;
}

/* What may follow a literal's ']': nothing, or ":port". */
static bool
port_ok(struct str after)
{
	return !after.n ||
	       (after.p[0] == ':' && all_digits(sub(after, 1, after.n)));
}

/* A bracketed literal [a.b.c.d], [a.b.c.d]:port, [a.b.c.d:port],
 * [IPv6:x::y], [x::y]:port. Inline (see clean_rdns). */
static inline bool
ip_bracket(struct str s, struct str *out, bool *port)
{
	if (s.n < 3 || s.p[0] != '[')
		return false;
	/* most literals are [a.b.c.d]: the ']' right after the quad is the
	 * first (a quad has none), which memchr need not look for, nor
	 * ip_bare_at read the quad again */
	size_t l = v4_len(sub(s, 1, s.n));
	if (l && 1 + l < s.n && s.p[1 + l] == ']') {
		struct str after = sub(s, l + 2, s.n);
		if (!port_ok(after))
			return false;
		*out = sub(s, 1, 1 + l);
		*port = after.n > 0;
		return true;
	}
	const char *close = memchr(s.p, ']', s.n);
	if (!close)
		return false;
	struct str in = str_make(s.p + 1, (size_t)(close - s.p - 1));
	struct str after = str_make(close + 1, s.n - in.n - 2);
	if (!port_ok(after))
		return false;
	if (str_istarts(in, "IPv6:"))
		in = sub(in, 5, in.n);
	int r = ip_bare_at(in, out, true);
	*port = after.n > 0 || r == 2;
	return r != 0;
}

/* ---- tokenizer ---- */

/* The scans below read sixteen bytes at a time where SSE2 is there: they
 * run over every byte of every Received field. A vector compare picks
 * candidates, the byte table decides; the last bytes of the value go
 * byte by byte (nothing is read past it). */

/* Index of the first word break (white space, parenthesis, ';') in s at
 * or after i, or s.n. Candidates: bytes <= ' ', '(' and ')' (equal but
 * for bit 0), ';'; a control byte that is no white space is part of the
 * word. */
#if defined(__SSE2__)
/* Bit k set when p[k] might end a word (the candidates above). */
static inline unsigned
break_candidates(const char *p)
{
	const __m128i sp = _mm_set1_epi8(' '), paren = _mm_set1_epi8('('),
	              not1 = _mm_set1_epi8((char)0xfe),
	              semi = _mm_set1_epi8(';');
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i c = _mm_or_si128(
	    _mm_cmpeq_epi8(_mm_min_epu8(v, sp), v),
	    _mm_or_si128(_mm_cmpeq_epi8(_mm_and_si128(v, not1), paren),
	                 _mm_cmpeq_epi8(v, semi)));
	return (unsigned)_mm_movemask_epi8(c);
}
#endif

#if defined(__SSE2__)
/* break_candidates, and with bs bit k also set when p[k] is a
 * backslash. */
static inline unsigned
candidates(const char *p, bool bs)
{
	unsigned m = break_candidates(p);
	if (bs) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		m |= (unsigned)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
	}
	return m;
}
#endif

/* The end of the word at i of s (its first break), or with stop_bs
 * SIZE_MAX when a backslash comes before it (comment_cut: a backslash
 * in a comment is a quoted-pair, the two scans decide). One scan for
 * both, stop_bs a constant where it is inlined. */
static inline __attribute__((always_inline)) size_t
word_scan(struct str s, size_t i, bool stop_bs)
{
#if defined(__SSE2__)
	for (; i + 16 <= s.n; i += 16)
		for (unsigned m = candidates(s.p + i, stop_bs); m; m &= m - 1) {
			size_t k = i + (unsigned)__builtin_ctz(m);
			if (stop_bs && s.p[k] == '\\')
				return SIZE_MAX;
			if (!is_word(s.p[k]))
				return k;
		}
	/* fewer than sixteen bytes left: the last sixteen of s, those
	 * before i masked off, rather than a byte loop (the last word of
	 * most values and comments ends here) */
	if (i < s.n && s.n >= 16) {
		size_t b = s.n - 16; /* i - b is 1 to 15 */
		unsigned m =
		    candidates(s.p + b, stop_bs) & (0xffffu << (i - b));
		for (; m; m &= m - 1) {
			size_t k = b + (unsigned)__builtin_ctz(m);
			if (stop_bs && s.p[k] == '\\')
				return SIZE_MAX;
			if (!is_word(s.p[k]))
				return k;
		}
		return s.n;
	}
#endif
	for (; i < s.n && is_word(s.p[i]); i++)
		if (stop_bs && s.p[i] == '\\')
			return SIZE_MAX;
	return i;
}

static size_t
word_end(struct str s, size_t i)
{
	return word_scan(s, i, false);
}

/* The end of the word that starts at i: word_end with its first block
 * inline, without the call (most words end at the first candidate of the
 * sixteen bytes at i). */
static inline size_t
word_at(struct str s, size_t i)
{
#if defined(__SSE2__)
	if (i + 16 <= s.n) {
		unsigned m = break_candidates(s.p + i);
		if (m && !is_word(s.p[i + (unsigned)__builtin_ctz(m)]))
			return i + (unsigned)__builtin_ctz(m);
		/* no candidate in the sixteen bytes (a long word): word_end
		 * goes on after them rather than look at them again
		 * (measured: 104.38 M -> 104.17 M instructions on c8) */
		if (!m)
			i += 16;
	}
#endif
	return word_end(s, i);
}

#if defined(__SSE2__)
/* The end of the word at i of comment text s, which lies before end. A
 * word that ends within the last sixteen bytes of s, where the sixteen
 * bytes at i lie before end (the bytes after a comment's text, up to the
 * value's end, may be read): one block, the bits past s masked off,
 * rather than the byte loop that short comments would take. */
static inline size_t
word_end_before(struct str s, size_t i, const char *end)
{
	if (i + 16 <= s.n)
		return word_at(s, i);
	if ((size_t)(end - (s.p + i)) < 16)
		return word_end(s, i);
	unsigned m = break_candidates(s.p + i) & ((1u << (s.n - i)) - 1);
	for (; m; m &= m - 1) {
		size_t k = i + (unsigned)__builtin_ctz(m);
		if (!is_word(s.p[k]))
			return k;
	}
	return s.n;
}
#else
static inline size_t
word_end_before(struct str s, size_t i, const char *end)
{
	(void)end;
	return word_end(s, i);
}
#endif

#if defined(__SSE2__)
/* Bit k set when p[k] is '(', ')' or a backslash. */
static inline unsigned
comment_specials(const char *p)
{
	const __m128i paren = _mm_set1_epi8('('),
	              not1 = _mm_set1_epi8((char)0xfe),
	              bslash = _mm_set1_epi8('\\');
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i c = _mm_or_si128(_mm_cmpeq_epi8(_mm_and_si128(v, not1), paren),
	                         _mm_cmpeq_epi8(v, bslash));
	return (unsigned)_mm_movemask_epi8(c);
}
#endif

/* Index of the first '(', ')' or backslash in s at or after i, or s.n. */
static size_t
comment_special(struct str s, size_t i)
{
#if defined(__SSE2__)
	for (; i + 16 <= s.n; i += 16) {
		unsigned m = comment_specials(s.p + i);
		if (m)
			return i + (unsigned)__builtin_ctz(m);
	}
	/* fewer than sixteen bytes left: the last sixteen of s, those
	 * before i masked off, as word_scan does (the byte loop took about 28
	 * instructions for the "(PDT)" of most dates: with date_tail's
	 * call on the whole date, 104.49 M -> 104.38 M instructions on c8) */
	if (i < s.n && s.n >= 16) {
		size_t b = s.n - 16; /* i - b is 1 to 15 */
		unsigned m = comment_specials(s.p + b) & (0xffffu << (i - b));
		return m ? b + (unsigned)__builtin_ctz(m) : s.n;
	}
#endif
	while (i < s.n && !(cclass[(unsigned char)s.p[i]] & CC_CMT))
		i++;
	return i;
}

/* Out of line: the token arrays start on the stack (TOKS_STACK), which
 * most values do not outgrow; the first growth copies them to the arena.
 * Not zeroed: tok_push writes every field. */
static void
tok_grow(struct pstate *ps, struct toks *t)
{
	size_t nc = t->cap ? t->cap * 2 : 32;
	t->v = arena_grow_raw(ps->a, t->v, t->n, nc, sizeof(*t->v));
	t->cap = nc;
}

static inline void
tok_push(struct pstate *ps, struct toks *t, enum tkind k, struct str s)
{
	if (t->n == t->cap)
		tok_grow(ps, t);
	struct tok *x = &t->v[t->n++];
	x->p = s.p;
	x->n = (uint32_t)s.n; /* s lies in a value (RECEIVED_MAX_BYTES) */
	x->k = (unsigned char)k;
}

/* What skip_comment found: returned in registers (16 bytes), so that
 * its callers take the address of no local (which would cost them a
 * stack canary per call). */
struct skipped {
	size_t end;     /* after the ')', or s.n */
	uint32_t depth; /* the deepest nesting inside, 1 for "(a)" */
	bool closed;    /* false at end of input */
};

/* From p[i], inside a comment (one level deep) whose nesting so far
 * reached maxd, to after its ')'. Nesting is counted, not recursed into,
 * so 100,000 '(' cost no stack. (A value is at most RECEIVED_MAX_BYTES
 * long: the depth fits its 32 bits.) */
static struct skipped
skip_from(struct str s, size_t i, uint32_t maxd)
{
	uint32_t d = 1;
	for (; i < s.n; i++) {
		i = comment_special(s, i); /* over the plain bytes */
		if (i == s.n)
			break;
		char c = s.p[i];
		if (c == '\\' &&
		    i + 1 < s.n) { /* quoted-pair, RFC 5322 3.2.1 */
			i++;
		} else if (c == '(') {
			if (++d > maxd)
				maxd = d;
		} else if (c == ')' && --d == 0) {
			return (struct skipped){i + 1, maxd, true};
		}
	}
	return (struct skipped){s.n, maxd, false};
}

/* From p[i] == '(' to after its ')'. */
static inline struct skipped
skip_comment(struct str s, size_t i)
{
	/* the '(' at i opens the first level: the scan starts after it */
	return skip_from(s, i + 1, 1);
}

/* The top-level words of a comment's text, nested comments skipped. */
struct cw {
	struct str w[CW_MAX];
	size_t n;
	bool lead_space; /* "( 1.2.3.4)": Scalix, not qmail */
	/* bit c - 'a' set when a word starts with letter c in either case:
	 * the readers of every word of a comment look for words of a few
	 * first letters, and most comments have none of them */
	uint32_t first;
};

/* The bit of struct cw's first for letter c (a literal, lower case). */
#define LB(c) (1u << ((c) - 'a'))

/* letter_bit's table: a load rather than the fold, subtract, compare and
 * shift per word of every comment (measured: 105.60 M -> 105.34 M
 * instructions on c8). */
#define LB2(c) [c] = LB(c), [(c) - 'a' + 'A'] = LB(c)
static const uint32_t letter_bits[256] = {
    LB2('a'), LB2('b'), LB2('c'), LB2('d'), LB2('e'), LB2('f'), LB2('g'),
    LB2('h'), LB2('i'), LB2('j'), LB2('k'), LB2('l'), LB2('m'), LB2('n'),
    LB2('o'), LB2('p'), LB2('q'), LB2('r'), LB2('s'), LB2('t'), LB2('u'),
    LB2('v'), LB2('w'), LB2('x'), LB2('y'), LB2('z'),
};
#undef LB2

/* LB of letter c in either case, 0 for any other byte. */
static inline uint32_t
letter_bit(char c)
{
	return letter_bits[(unsigned char)c];
}

/* The words of comment text s, which lies before end (see pstate). */
static void
cwords(struct str s, const char *end, struct cw *cw)
{
	size_t i = 0;
	cw->n = 0;
	cw->first = 0;
	cw->lead_space = s.n && is_sp(s.p[0]);
	while (i < s.n && cw->n < CW_MAX) {
		/* the breaks are white space, ( ) and ;: one table load
		 * tells a word's first byte */
		if (!is_word(s.p[i])) {
			if (s.p[i] == '(')
				i = skip_comment(s, i).end;
			else
				i++;
		} else {
			size_t b = i;
			cw->first |= letter_bit(s.p[b]);
			i = word_end_before(s, i, end);
			cw->w[cw->n++] = sub(s, b, i);
		}
	}
}

/* The end of the word at i of s, or SIZE_MAX when a backslash comes
 * before it. */
static inline size_t
cword_end(struct str s, size_t i)
{
	return word_scan(s, i, true);
}

/*
 * skip_comment and cwords in one scan of the comment at p[i] == '(' (they
 * read each comment's bytes twice: 113.31 M -> 112.61 M instructions on c8).
 * They differ only on a backslash outside the nested comments (a
 * quoted-pair to one, a word's byte to the other): there the depth is 0
 * and *cw unset, for the caller to take the two.
 */
static struct skipped
comment_cut(struct str s, size_t i, struct cw *cw)
{
	uint32_t maxd = 1, first = 0;
	size_t n = 0;
	cw->lead_space = ++i < s.n && is_sp(s.p[i]);
	while (i < s.n) {
		char c = s.p[i];
		if (is_word(c)) {
			if (n == CW_MAX) /* cwords stops: the rest skipped */
				break;
			size_t e = cword_end(s, i);
			if (e == SIZE_MAX)
				return (struct skipped){0, 0, false};
			first |= letter_bit(c);
			cw->w[n++] = sub(s, i, e);
			i = e;
			/* most words end at one space: stepped over here, not
			 * in a turn of the loop (measured: 105.34 M -> 105.15 M
			 * instructions on c8) */
			if (i < s.n && s.p[i] == ' ')
				i++;
		} else if (c == '(') {
			struct skipped sk = skip_comment(s, i);
			if (sk.depth + 1 > maxd)
				maxd = sk.depth + 1;
			i = sk.end;
		} else if (c == ')') {
			cw->n = n;
			cw->first = first;
			return (struct skipped){i + 1, maxd, true};
		} else {
			i++;
		}
	}
	cw->n = n;
	cw->first = first;
	return skip_from(s, i, maxd);
}

/* Where the date starts after the ';' at i - 1: the index after the white
 * space there, or SIZE_MAX when a clause keyword follows (a ';' that is
 * not the end of the clauses, as in `(SquirrelMail authenticated user x);
 * by host`). The date starts where the keyword's look skipped to
 * (received_parse stepped over the white space again: 106.29 M -> 106.01 M
 * instructions on c8). */
static size_t
date_after(struct str s, size_t i)
{
	while (i < s.n && is_sp(s.p[i]))
		i++;
	/* the keywords start with b, f, i, v or w; most dates with none of
	 * them (measured: 112.52 M -> 112.38 M instructions on c8) */
	if (i == s.n || !(letter_bit(s.p[i]) &
	                  (LB('b') | LB('f') | LB('i') | LB('v') | LB('w'))))
		return i;
	size_t b = i;
	while (i < s.n && is_word(s.p[i]) && i - b < 5)
		i++;
	return keyword(sub(s, b, i)) != KW_NONE ? SIZE_MAX : b;
}

/* The comment at p[i] == '(' for tokenize; the words of those it
 * records for scan_comments cut. */
static struct skipped
tok_comment(struct pstate *ps, struct str s, size_t i, const struct toks *t)
{
	if (t != ps->rec)
		return skip_comment(s, i);
	if (ps->ncmt >= CMT_MAX || t->n > USHRT_MAX) {
		ps->ncmt = CMT_MAX + 1; /* scan_comments reads every token */
		return skip_comment(s, i);
	}
	struct cw *cw = &ps->cmt_cw[ps->ncmt];
	ps->cmt[ps->ncmt++] = (unsigned short)t->n;
	struct skipped sk = comment_cut(s, i, cw);
	if (!sk.depth) { /* a backslash: the two scans */
		sk = skip_comment(s, i);
		cwords(sub(s, i + 1, sk.closed ? sk.end - 1 : sk.end), ps->end,
		       cw);
	}
	return sk;
}

/*
 * Cut s into tokens. With split_date, stop at the first ';' outside
 * comments that is not followed by a clause keyword: the date is what
 * follows it, white space skipped (ps->date); return the index of that
 * ';', else s.n.
 */
static size_t
tokenize(struct pstate *ps, struct str s, struct toks *t, bool split_date)
{
	size_t i = 0;
	while (i < s.n) {
		char c = s.p[i];
		/* words first: most tokens are */
		if (is_word(c)) {
			size_t b = i;
			i = word_at(s, i);
			tok_push(ps, t, TK_WORD, sub(s, b, i));
			/* most words end at one space: step over it here rather
			 * than in a turn of the loop of its own */
			if (i < s.n && s.p[i] == ' ')
				i++;
			continue;
		}
		if (is_sp(c)) { /* the whole run: folding is a few bytes */
			do
				i++;
			while (i < s.n && is_sp(s.p[i]));
			continue;
		}
		if (c == ')') { /* a stray ')' is dropped */
			i++;
			continue;
		}
		if (c == '(') {
			struct skipped sk = tok_comment(ps, s, i, t);
			size_t e = sk.end;
			bool closed = sk.closed;
			if (sk.depth > ps->depth)
				ps->depth = sk.depth;
			ps->unclosed |= !closed;
			tok_push(ps, t, TK_COMMENT,
			         sub(s, i + 1, closed ? e - 1 : e));
			i = e;
			continue;
		}
		if (c == ';') {
			size_t d = split_date ? date_after(s, i + 1) : SIZE_MAX;
			if (d != SIZE_MAX) {
				ps->date = sub(s, d, s.n);
				ps->date_found = true;
				return i;
			}
			ps->stray_semi = true;
			tok_push(ps, t, TK_SEMI, sub(s, i, i + 1));
			i++;
			continue;
		}
	}
	return s.n;
}

/* ---- date ---- */

static bool
num(struct str s, size_t *i, size_t len, unsigned *v)
{
	*v = 0;
	for (size_t k = 0; k < len; k++, (*i)++) {
		if (*i >= s.n || !is_digit(s.p[*i]))
			return false;
		*v = *v * 10 + (unsigned)(s.p[*i] - '0');
	}
	return true;
}

/* Go's time.Time String() as SendGrid writes it, which RFC 5322 parsers
 * reject: "2019-07-30 03:14:32.389062136 +0000 UTC m=+1000.118355963". */
static bool
iso_date(struct str s, struct date *d)
{
	size_t i = 0;
	unsigned y, mo, da, h, mi, se, zh, zm;
	if (!num(s, &i, 4, &y) || i >= s.n || s.p[i++] != '-' ||
	    !num(s, &i, 2, &mo) || i >= s.n || s.p[i++] != '-' ||
	    !num(s, &i, 2, &da) || i >= s.n || (s.p[i] != ' ' && s.p[i] != 'T'))
		return false;
	i++;
	if (!num(s, &i, 2, &h) || i >= s.n || s.p[i++] != ':' ||
	    !num(s, &i, 2, &mi) || i >= s.n || s.p[i++] != ':' ||
	    !num(s, &i, 2, &se))
		return false;
	if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return false;
	if (i < s.n && s.p[i] == '.')
		for (i++; i < s.n && is_digit(s.p[i]); i++)
			;
	while (i < s.n && s.p[i] == ' ')
		i++;
	memset(d, 0, sizeof(*d));
	int sign = 0;
	if (i < s.n && (s.p[i] == '+' || s.p[i] == '-'))
		sign = s.p[i++] == '-' ? -1 : 1;
	if (sign && num(s, &i, 2, &zh) && num(s, &i, 2, &zm)) {
		if (zh > 23 || zm > 59)
			return false;
		d->tz_offset = sign * (int)(zh * 60 + zm);
	} else {
		d->tz_missing = true;
	}
	d->utc = message_days_from_civil(y, mo, da) * 86400 + h * 3600 +
	         mi * 60 + se - (int64_t)d->tz_offset * 60;
	d->ok = true;
	return true;
}

/* SendGrid writes 10:00:00.123, which GMime misreads as midnight: copy
 * the date without the fraction of a second (s fits: at most DATE_MAX). */
static struct str
drop_fraction(struct str s, char *buf)
{
	if (!has_char(s, '.')) /* most dates: nothing to copy */
		return s;
	size_t o = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] == '.' && i >= 3 && s.p[i - 3] == ':' &&
		    is_digit(s.p[i - 1]) && i + 1 < s.n &&
		    is_digit(s.p[i + 1])) {
			while (i + 1 < s.n && is_digit(s.p[i + 1]))
				i++;
			continue;
		}
		buf[o++] = s.p[i];
	}
	return str_make(buf, o);
}

static bool
try_date(struct str s, struct date *d)
{
	char buf[DATE_MAX + 1];
	s = str_trim(s);
	if (!s.n || s.n > DATE_MAX)
		return false;
	if (s.n >= 10 && is_digit(s.p[0]) && s.p[4] == '-')
		return iso_date(s, d);
	*d = message_date_parse(drop_fraction(s, buf));
	return d->ok;
}

/* Does a date start at token k (when no ';' was written)? A day name, a
 * day number before a month name, or an ISO date. */
static bool
date_start(const struct toks *t, size_t k)
{
	static const char *const mon[] = {"jan", "feb", "mar", "apr",
	                                  "may", "jun", "jul", "aug",
	                                  "sep", "oct", "nov", "dec"};
	static const char *const day[] = {"mon", "tue", "wed", "thu",
	                                  "fri", "sat", "sun"};
	struct str w = strip_punct(tok_str(&t->v[k]));
	/* the names all have 3 letters: other lengths skip the loops */
	for (size_t i = 0; i < 7 && w.n == 3; i++)
		if (str_ieq(w, day[i]))
			return true;
	if (w.n >= 10 && is_digit(w.p[0]) && w.p[4] == '-' && w.p[7] == '-')
		return true;
	if (!all_digits(w) || w.n > 2 || k + 1 >= t->n)
		return false;
	for (size_t i = 0; i < 12 && t->v[k + 1].n == 3; i++)
		if (str_ieq(tok_str(&t->v[k + 1]), mon[i]))
			return true;
	return false;
}

/* ---- the `with` protocol ---- */

static const struct proto {
	const char *name;
	size_t len; /* of name: proto_find compares it first */
	unsigned flags;
} protos[] = {
/* clang-format off */
#define P(name, flags) {name, sizeof(name) - 1, flags}
/* clang-format on */
#define S RCV_F_SMTP
#define E (RCV_F_SMTP | RCV_F_ESMTP)
    P("smtp", S),
    P("esmtp", E),
    P("esmtps", E | RCV_F_TLS),
    P("esmtpa", E | RCV_F_AUTH),
    P("esmtpsa", E | RCV_F_TLS | RCV_F_AUTH),
    P("smtps", S | RCV_F_TLS),
    P("smtpsa", S | RCV_F_TLS | RCV_F_AUTH),
    P("asmtp", S | RCV_F_AUTH),    /* Earthlink, Exim 4.34 */
    P("esmtp-tls", E | RCV_F_TLS), /* CommuniGate Pro */
    P("smtp-tls", S | RCV_F_TLS),
    P("esmtpa-tls", E | RCV_F_TLS | RCV_F_AUTH),
    P("lmtp", RCV_F_LMTP),
    P("lmtps", RCV_F_LMTP | RCV_F_TLS),
    P("lmtpa", RCV_F_LMTP | RCV_F_AUTH),
    P("lmtpsa", RCV_F_LMTP | RCV_F_TLS | RCV_F_AUTH),
    P("utf8smtp", S | RCV_F_UTF8),
    P("utf8smtpa", S | RCV_F_UTF8 | RCV_F_AUTH),
    P("utf8smtps", S | RCV_F_UTF8 | RCV_F_TLS),
    P("utf8smtpsa", S | RCV_F_UTF8 | RCV_F_TLS | RCV_F_AUTH),
    P("utf8esmtp", E | RCV_F_UTF8),
    P("utf8esmtpa", E | RCV_F_UTF8 | RCV_F_AUTH),
    P("utf8esmtps", E | RCV_F_UTF8 | RCV_F_TLS),
    P("utf8esmtpsa", E | RCV_F_UTF8 | RCV_F_TLS | RCV_F_AUTH),
    P("utf8lmtp", RCV_F_LMTP | RCV_F_UTF8),
    P("utf8lmtpa", RCV_F_LMTP | RCV_F_UTF8 | RCV_F_AUTH),
    P("utf8lmtps", RCV_F_LMTP | RCV_F_UTF8 | RCV_F_TLS),
    P("utf8lmtpsa", RCV_F_LMTP | RCV_F_UTF8 | RCV_F_TLS | RCV_F_AUTH),
    P("http", RCV_F_HTTP),
    P("https", RCV_F_HTTP | RCV_F_TLS),
    P("httpu", RCV_F_HTTP), /* CommuniGate XIMSS */
    P("imap", RCV_F_IMAP),
    P("imaps", RCV_F_IMAP | RCV_F_TLS),
    P("pop", RCV_F_POP),
    P("pop3", RCV_F_POP),
    P("pop3s", RCV_F_POP | RCV_F_TLS),
    P("local", RCV_F_LOCAL),
    P("local-smtp", RCV_F_LOCAL | S), /* Exim -bs */
    P("local-esmtp", RCV_F_LOCAL | E),
    P("local-bsmtp", RCV_F_LOCAL),
    P("bsmtp", RCV_F_LOCAL), /* batched SMTP: no TCP handover */
    P("spool", RCV_F_LOCAL),
    P("uucp", RCV_F_LOCAL),
    P("mapi", RCV_F_MAPI),
    P("qmqp", S),
    P("ecstream", RCV_F_LOCAL), /* ecelerity's internal injection */
    P("microsoft smtp server", E),
    P("microsoft smtpsvc", E),
    P("microsoft exchange", RCV_F_MAPI),
#undef S
#undef E
#undef P
};

/* By letter c - 'a': bit i set when protos[i].name starts with c (the
 * names are lower case; received_init checks this against the table).
 * proto_find compares a word with the few names of its first letter. */
static const uint64_t protos_by_letter[26] = {
    ['a' - 'a'] = 1ULL << 7,
    ['b' - 'a'] = 1ULL << 39,
    ['e' - 'a'] = 1ULL << 1 | 1ULL << 2 | 1ULL << 3 | 1ULL << 4 | 1ULL << 8 |
                  1ULL << 10 | 1ULL << 44,
    ['h' - 'a'] = 1ULL << 27 | 1ULL << 28 | 1ULL << 29,
    ['i' - 'a'] = 1ULL << 30 | 1ULL << 31,
    ['l' - 'a'] = 1ULL << 11 | 1ULL << 12 | 1ULL << 13 | 1ULL << 14 |
                  1ULL << 35 | 1ULL << 36 | 1ULL << 37 | 1ULL << 38,
    ['m' - 'a'] = 1ULL << 42 | 1ULL << 45 | 1ULL << 46 | 1ULL << 47,
    ['p' - 'a'] = 1ULL << 32 | 1ULL << 33 | 1ULL << 34,
    ['q' - 'a'] = 1ULL << 43,
    ['s' - 'a'] = 1ULL << 0 | 1ULL << 5 | 1ULL << 6 | 1ULL << 9 | 1ULL << 40,
    ['u' - 'a'] = 1ULL << 15 | 1ULL << 16 | 1ULL << 17 | 1ULL << 18 |
                  1ULL << 19 | 1ULL << 20 | 1ULL << 21 | 1ULL << 22 |
                  1ULL << 23 | 1ULL << 24 | 1ULL << 25 | 1ULL << 26 |
                  1ULL << 41,
};

/* By length n < PROTO_LEN_MAX: bit i set when protos[i].name has n bytes
 * (received_init checks it too). With the letter's, most words compare
 * with one name at most, not the seven of 'e'. */
#define PROTO_LEN_MAX 24
static const uint64_t protos_by_len[PROTO_LEN_MAX] = {
    [3] = 1ULL << 32,
    [4] = 1ULL << 0 | 1ULL << 11 | 1ULL << 27 | 1ULL << 30 | 1ULL << 33 |
          1ULL << 41 | 1ULL << 42 | 1ULL << 43,
    [5] = 1ULL << 1 | 1ULL << 5 | 1ULL << 7 | 1ULL << 12 | 1ULL << 13 |
          1ULL << 28 | 1ULL << 29 | 1ULL << 31 | 1ULL << 34 | 1ULL << 35 |
          1ULL << 39 | 1ULL << 40,
    [6] = 1ULL << 2 | 1ULL << 3 | 1ULL << 6 | 1ULL << 14,
    [7] = 1ULL << 4,
    [8] = 1ULL << 9 | 1ULL << 15 | 1ULL << 23 | 1ULL << 44,
    [9] = 1ULL << 8 | 1ULL << 16 | 1ULL << 17 | 1ULL << 19 | 1ULL << 24 |
          1ULL << 25,
    [10] = 1ULL << 10 | 1ULL << 18 | 1ULL << 20 | 1ULL << 21 | 1ULL << 26 |
           1ULL << 36,
    [11] = 1ULL << 22 | 1ULL << 37 | 1ULL << 38,
    [17] = 1ULL << 46,
    [18] = 1ULL << 47,
    [21] = 1ULL << 45,
};

/* Has s no upper-case letter (lower_eq's names)? */
static bool
no_upper(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return false;
	return true;
}

static bool
protos_letters_ok(void)
{
	uint64_t m[26] = {0}, bylen[PROTO_LEN_MAX] = {0};
	size_t n = sizeof(protos) / sizeof(protos[0]);
	if (n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned l = (unsigned char)protos[i].name[0] - (unsigned)'a';
		if (l >= 26 || !no_upper(protos[i].name, protos[i].len) ||
		    protos[i].len >= PROTO_LEN_MAX)
			return false;
		m[l] |= 1ULL << i;
		bylen[protos[i].len] |= 1ULL << i;
	}
	return !memcmp(m, protos_by_letter, sizeof(m)) &&
	       !memcmp(bylen, protos_by_len, sizeof(bylen));
}

/* Inline: the with word of every field is looked up, and the call with
 * its saved registers was a good part of it (measured: 104.17 M ->
 * 104.00 M instructions on c8). */
static inline const struct proto *
proto_find(struct str w)
{
	w = strip(w, CC_LBRACKET, CC_RBRACKET | CC_PUNCT);
	if (w.n == 0)
		return NULL;
	/* the names are lower case letters first: a word's first byte in
	 * either case picks the names to compare (| 0x20 gives a letter's
	 * lower case, and a letter only from a letter) */
	unsigned l = ((unsigned char)w.p[0] | 0x20) - (unsigned)'a';
	if (l >= 26 || w.n >= PROTO_LEN_MAX)
		return NULL;
	for (uint64_t m = protos_by_letter[l] & protos_by_len[w.n]; m;
	     m &= m - 1) {
		const struct proto *p = &protos[__builtin_ctzll(m)];
		if (lower_eq(w.p, p->name, w.n))
			return p;
	}
	return NULL;
}

/* The with words as one string with single spaces, lower case kept as is;
 * only short spans can be a multi-word protocol name. */
static const struct proto *
proto_span(struct pstate *ps)
{
	char buf[48];
	size_t o = 0;
	/* most protocols are one word: it is its own span, no copy
	 * (a word too long for buf names no protocol either) */
	if (ps->with_e - ps->with_b == 1)
		return proto_find(tok_str(&ps->t.v[ps->with_b]));
	for (size_t k = ps->with_b; k < ps->with_e; k++) {
		struct str w = tok_str(&ps->t.v[k]);
		if (o + w.n + 1 >= sizeof(buf))
			return NULL;
		if (o)
			buf[o++] = ' ';
		memcpy(buf + o, w.p, w.n);
		o += w.n;
	}
	return proto_find(str_make(buf, o));
}

/* Map `with` (then `via` when there is no `with`) to flags. A protocol
 * word inside a longer phrase counts: "MailEnable ESMTP", "[XMail 1.20
 * ESMTP Server]", "(DHE-RSA-AES256-SHA encrypted) SMTP". */
static void
map_with(struct pstate *ps)
{
	struct received *r = ps->r;
	const struct proto *p = NULL;
	if (ps->with_e > ps->with_b) {
		struct tok *b = &ps->t.v[ps->with_b],
		           *e = &ps->t.v[ps->with_e - 1];
		r->with = str_make(b->p, (size_t)(e->p + e->n - b->p));
		p = proto_span(ps);
		for (size_t k = ps->with_b; !p && k < ps->with_e; k++)
			p = proto_find(tok_str(&ps->t.v[k]));
		if (str_istarts(r->with, "qmail-scanner"))
			ps->local = true;
		else if (!p) {
			r->flags |= RCV_F_UNKNOWN_WITH;
			findings_add(
			    ps->f, "rcvd.unknown-with", SEV_INFO, ps->hop,
			    ps->header, "unknown protocol `with %.*s`",
			    (int)(r->with.n > 64 ? 64 : r->with.n), r->with.p);
		}
	} else if (r->via.n) {
		p = proto_find(r->via);
	}
	if (p)
		r->flags |= p->flags;
}

/* ---- clause walk ---- */

struct walk {
	enum kw cur;
	bool want;      /* the next word is the clause's value */
	bool with_done; /* the protocol words are complete */
	bool by2;       /* a second `by` (qmail-scanner's `by uid N`) */
};

static void
clause_start(struct pstate *ps, struct walk *w, enum kw kw, size_t k)
{
	enum kw prev = w->cur;
	w->cur = kw;
	w->want = true;
	if (kw == KW_FROM && ps->has_from && prev == KW_FROM) {
		/* Smail: from mx6.airmail.net from [209.196.77.103] by ... */
		ps->from_e = k + 1;
		w->want = false;
	} else if (kw == KW_FROM && !ps->has_from) {
		ps->has_from = true;
		ps->from_b = ps->from_e = k + 1;
		w->want = false;
	} else if (kw == KW_BY) {
		w->by2 = ps->has_by;
		ps->has_by = true;
	} else if (kw == KW_WITH && ps->with_e == 0) {
		ps->with_b = ps->with_e = k + 1;
		w->with_done = false;
		w->want = false;
	}
}

/* A word inside the `with` clause: the protocol words, then Exim 4.9x's
 * `(TLS1.3) tls TLS_AES_256_GCM_SHA384`. */
static void
with_word(struct pstate *ps, struct walk *w, size_t k)
{
	struct str s = tok_str(&ps->t.v[k]);
	if (str_ieq(s, "tls") && k + 1 < ps->t.n &&
	    ps->t.v[k + 1].k == TK_WORD) {
		ps->r->tls_cipher = tok_str(&ps->t.v[k + 1]);
		ps->r->flags |= RCV_F_TLS;
		w->with_done = true;
		return;
	}
	if (!w->with_done && ps->with_e == k)
		ps->with_e = k + 1;
}

static void
clause_value(struct pstate *ps, struct walk *w, size_t k)
{
	struct received *r = ps->r;
	struct str s = tok_str(&ps->t.v[k]);
	switch (w->cur) {
	case KW_BY:
		if (w->by2)
			ps->local |= str_ieq(s, "uid"); /* by uid 502 */
		else
			r->by = strip_punct(s);
		break;
	case KW_ID:
		r->id = strip_addr(s);
		break;
	case KW_FOR:
		r->for_ = strip_addr(s);
		break;
	case KW_VIA:
		r->via = strip_punct(s);
		break;
	case KW_FROM: /* a second from: XMail's `from <envelope sender>` */
		if (!r->envelope_from.n)
			r->envelope_from = strip_addr(s);
		break;
	default:
		break;
	}
	w->want = false;
}

/* A date without a ';' before it, at word k: taken as the date. Seldom
 * asked (most dates follow a ';'): out of line, so that walk's frame
 * holds no struct date (nor the stack canary that comes with it). */
__attribute__((noinline)) static bool
walk_date(struct pstate *ps, size_t k, struct str rest)
{
	struct date d;
	if (!date_start(&ps->t, k) || !try_date(rest, &d))
		return false;
	ps->date = rest;
	ps->date_found = true;
	return true;
}

/* A word that is no keyword: a clause value, a from-part word, or the
 * start of a date written without ';' (`id X Mon, 11 Sep 2006 ...`). */
static bool
walk_word(struct pstate *ps, struct walk *w, size_t k, struct str clauses)
{
	if (w->cur == KW_FROM && ps->from_e == k) {
		ps->from_e = k + 1;
		return false;
	}
	if (w->want) {
		clause_value(ps, w, k);
		return false;
	}
	/* Haraka writes it outside comments: id X envelope-from <a@b> */
	if (str_ieq(tok_str(&ps->t.v[k]), "envelope-from") && k + 1 < ps->t.n &&
	    ps->t.v[k + 1].k == TK_WORD && !ps->r->envelope_from.n) {
		ps->r->envelope_from = strip_addr(tok_str(&ps->t.v[k + 1]));
		return false;
	}
	/* the clauses from word k on are made here, when a date is still
	 * looked for (walk made them for every word: with the locals of
	 * walk, 105.88 M -> 105.70 M instructions on c8) */
	if (!ps->date_found) {
		struct str rest =
		    sub(clauses, (size_t)(ps->t.v[k].p - clauses.p), clauses.n);
		if (rest.n <= DATE_MAX && walk_date(ps, k, rest))
			return true;
	}
	if (w->cur == KW_WITH)
		with_word(ps, w, k);
	return false;
}

static void
walk(struct pstate *ps, struct str clauses)
{
	struct walk w = {KW_NONE, false, false, false};
	/* the array in locals: ps escapes to the calls below, and ps->t was
	 * loaded again for every token (nothing here adds tokens) */
	const struct tok *v = ps->t.v;
	for (size_t k = 0, n = ps->t.n; k < n; k++) {
		const struct tok *x = &v[k];
		if (x->k != TK_WORD) {
			if (w.cur == KW_FROM && ps->from_e == k)
				ps->from_e = k + 1;
			if (w.cur == KW_WITH && ps->with_e > ps->with_b)
				w.with_done = true;
			continue;
		}
		enum kw kw = keyword(tok_str(x));
		if (kw != KW_NONE) {
			clause_start(ps, &w, kw, k);
			continue;
		}
		if (walk_word(ps, &w, k, clauses))
			break;
	}
}

/* ---- comments: vendor evidence ---- */

static const struct {
	struct str prefix;
	enum received_mta mta;
} mta_comments[] = {
/* clang-format off */
#define PFX(s) {s, sizeof(s) - 1}
    /* clang-format on */
    {PFX("Postfix"), RCV_MTA_POSTFIX},
    {PFX("Exim"), RCV_MTA_EXIM},
    {PFX("qmail"), RCV_MTA_QMAIL},
    {PFX("qp "), RCV_MTA_QMAIL},
    {PFX("CommuniGate"), RCV_MTA_COMMUNIGATE},
    {PFX("ecelerity"), RCV_MTA_ECELERITY},
    {PFX("Haraka"), RCV_MTA_HARAKA},
    {PFX("Courier"), RCV_MTA_COURIER},
    {PFX("MDaemon"), RCV_MTA_MDAEMON},
    {PFX("InterMail"), RCV_MTA_INTERMAIL},
    {PFX("qpsmtpd"), RCV_MTA_QPSMTPD},
    {PFX("Sun Java System Messaging"), RCV_MTA_SUN_MESSAGING},
    {PFX("iPlanet Messaging"), RCV_MTA_SUN_MESSAGING},
    {PFX("Mercury"), RCV_MTA_MERCURY},
    {PFX("Google Transport Security"), RCV_MTA_GMAIL},
    {PFX("Zimbra"), RCV_MTA_ZIMBRA},
    {PFX("Dovecot"), RCV_MTA_DOVECOT},
    {PFX("Cyrus"), RCV_MTA_CYRUS},
    {PFX("MailEnable"), RCV_MTA_MAILENABLE},
    {PFX("XMail"), RCV_MTA_XMAIL},
#undef PFX
};

/* received_parse starts every mta at unknown; the first shape that
 * names one keeps it. */
static void
set_mta(struct received *r, enum received_mta m)
{
	if (r->mta == RCV_MTA_UNKNOWN)
		r->mta = m;
}

/* Sendmail's version comment: (8.12.10/8.12.10), (8.13.8/8.13.8/Submit). */
static bool
sendmail_version(struct str s)
{
	return s.n > 4 && is_digit(s.p[0]) && s.p[1] == '.' && has_char(s, '/');
}

/* By letter c - 'a': bit i set when the prefix of mta_comments[i] starts
 * with c in either case (received_init checks it against the table).
 * Most comments start with a letter of no prefix (a bracket, a digit,
 * "using", "envelope-from") and look at no entry; the others at the one
 * to three of their letter, in the table's order. */
static const uint32_t mta_by_letter[26] = {
    ['c' - 'a'] = 1u << 4 | 1u << 7 | 1u << 17,
    ['d' - 'a'] = 1u << 16,
    ['e' - 'a'] = 1u << 1 | 1u << 5,
    ['g' - 'a'] = 1u << 14,
    ['h' - 'a'] = 1u << 6,
    ['i' - 'a'] = 1u << 9 | 1u << 12,
    ['m' - 'a'] = 1u << 8 | 1u << 13 | 1u << 18,
    ['p' - 'a'] = 1u << 0,
    ['q' - 'a'] = 1u << 2 | 1u << 3 | 1u << 10,
    ['s' - 'a'] = 1u << 11,
    ['x' - 'a'] = 1u << 19,
    ['z' - 'a'] = 1u << 15,
};

static bool
mta_letters_ok(void)
{
	uint32_t m[26] = {0};
	for (size_t i = 0; i < sizeof(mta_comments) / sizeof(mta_comments[0]);
	     i++) {
		unsigned l =
		    ((unsigned char)mta_comments[i].prefix.p[0] | 0x20) - 'a';
		if (l >= 26)
			return false;
		m[l] |= 1u << i;
	}
	return !memcmp(m, mta_by_letter, sizeof(m));
}

static inline void
comment_mta(struct pstate *ps, struct str c)
{
	unsigned c0 = c.n ? ((unsigned char)c.p[0] | 0x20) - 'a' : 26;
	for (uint32_t m = c0 < 26 ? mta_by_letter[c0] : 0; m; m &= m - 1) {
		unsigned i = (unsigned)__builtin_ctz(m);
		struct str p = mta_comments[i].prefix;
		if (c.n >= p.n && str_ieq_bytes(c.p, p.p, p.n)) {
			set_mta(ps->r, mta_comments[i].mta);
			return;
		}
	}
	if (sendmail_version(c))
		set_mta(ps->r, RCV_MTA_SENDMAIL);
	else if (str_ieq(c, "SG"))
		set_mta(ps->r, RCV_MTA_SENDGRID);
}

static void
set_auth(struct received *r, struct str who)
{
	r->flags |= RCV_F_AUTH;
	if (!r->auth.n)
		r->auth = strip_punct(who);
}

/* TLS as the MTAs state it:
 *   Postfix   (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))
 *   sendmail  (version=TLSv1/SSLv3 cipher=RC4-MD5 bits=128 verify=NO)
 *   Microsoft (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)
 *   Gmail     (version=TLS1_3 cipher=TLS_AES_128_GCM_SHA256 bits=128/128)
 *   Exim      (TLS1.2:ECDHE-RSA-AES128-GCM-SHA256:128), (TLSv1:RC4-SHA:128),
 *             (Cipher TLSv1:DES-CBC3-SHA:168), (TLS1.3) tls CIPHER
 *   qmail     (DHE-RSA-AES256-SHA encrypted) SMTP
 *   Courier   (TLS: TLSv1/SSLv3, 168bits,DES-CBC3-SHA), (SSL: ...) */
static void
tls_colon_triple(struct received *r, struct str w)
{
	/* the prefix first: most first words have none (no memchr) */
	if (!(str_istarts(w, "TLS") || str_istarts(w, "SSL")))
		return;
	const char *c1 = memchr(w.p, ':', w.n);
	if (!c1)
		return;
	struct str rest = str_make(c1 + 1, w.n - (size_t)(c1 - w.p) - 1);
	const char *c2 = rest.n ? memchr(rest.p, ':', rest.n) : NULL;
	if (!c2)
		return;
	r->flags |= RCV_F_TLS;
	r->tls_version = str_make(w.p, (size_t)(c1 - w.p));
	r->tls_cipher = str_make(rest.p, (size_t)(c2 - rest.p));
}

static void
tls_courier(struct received *r, const struct cw *cw, size_t i)
{
	r->flags |= RCV_F_TLS;
	if (i + 1 >= cw->n)
		return;
	struct str v = cw->w[i + 1];
	const char *comma = memchr(v.p, ',', v.n);
	r->tls_version = comma ? str_make(v.p, (size_t)(comma - v.p)) : v;
	struct str last = cw->w[cw->n - 1];
	for (size_t k = last.n; k > 0; k--)
		if (last.p[k - 1] == ',') {
			last = sub(last, k, last.n);
			break;
		}
	r->tls_cipher = strip_punct(last);
}

static void
comment_tls(struct pstate *ps, const struct cw *cw)
{
	struct received *r = ps->r;
	if (!cw->n)
		return;
	if (str_ieq(cw->w[0], "using") && cw->n > 1) {
		r->flags |= RCV_F_TLS;
		r->tls_version = cw->w[1];
		for (size_t i = 2; i + 1 < cw->n; i++)
			if (str_ieq(cw->w[i], "cipher"))
				r->tls_cipher = cw->w[i + 1];
	}
	/* version=, cipher=, TLS:, SSL: */
	bool any = cw->first & (LB('v') | LB('c') | LB('t') | LB('s'));
	for (size_t i = 0; any && i < cw->n; i++) {
		struct str w = strip_punct(cw->w[i]);
		if (str_istarts(w, "version=") && w.n > 8) {
			r->flags |= RCV_F_TLS;
			r->tls_version = sub(w, 8, w.n);
		} else if (str_istarts(w, "cipher=") && w.n > 7) {
			r->flags |= RCV_F_TLS;
			r->tls_cipher = sub(w, 7, w.n);
		} else if (str_ieq(w, "TLS:") || str_ieq(w, "SSL:")) {
			tls_courier(r, cw, i);
		}
	}
	/* the shapes below need a word of 'c' (Cipher, Client), 't' or 's'
	 * (TLS..., SSL...), 'e' (encrypted) or 'n' (No) */
	if (!(cw->first & (LB('c') | LB('t') | LB('s') | LB('e') | LB('n'))))
		return;
	struct str w0 = cw->w[0];
	if (str_ieq(w0, "Cipher") && cw->n > 1)
		w0 = cw->w[1];
	tls_colon_triple(r, w0);
	if (cw->n == 1 && (cw->first & LB('t')) &&
	    (str_ieq(w0, "TLS") || str_istarts(w0, "TLSv") ||
	     str_istarts(w0, "TLS1"))) {
		r->flags |= RCV_F_TLS; /* Exchange (TLS), Exim 4.9x (TLS1.3) */
		if (!str_ieq(w0, "TLS") && !has_char(w0, ':'))
			r->tls_version = w0;
	}
	if (cw->n == 2 && str_ieq(cw->w[1], "encrypted")) {
		r->flags |= RCV_F_TLS;
		r->tls_cipher = w0;
	}
	if ((cw->n >= 3 && str_ieq(cw->w[0], "No") &&
	     str_ieq(cw->w[1], "client") && str_istarts(cw->w[2], "cert")) ||
	    (cw->n >= 3 && str_ieq(cw->w[0], "Client") &&
	     (str_ieq(cw->w[1], "did") || str_ieq(cw->w[1], "CN"))))
		r->flags |= RCV_F_TLS; /* Postfix writes these only under TLS */
}

/* The word "authenticated" with what follows it:
 *   sendmail     (authenticated bits=0), (authenticated (0 bits))
 *   CriticalPath, Exim (authenticated as user)
 *   SquirrelMail, NaSMail (SquirrelMail authenticated user x)
 *   Microsoft    (authenticated)
 * "not authenticated" is no evidence. */
static void
auth_word(struct pstate *ps, const struct cw *cw, size_t i)
{
	if (i > 0 &&
	    (str_ieq(cw->w[i - 1], "not") || str_ieq(cw->w[i - 1], "un")))
		return;
	struct str who = cw->w[i];
	if (i + 2 < cw->n &&
	    (str_ieq(cw->w[i + 1], "as") || str_ieq(cw->w[i + 1], "user")))
		who = cw->w[i + 2];
	set_auth(ps->r, who);
}

/* Authentication as the MTAs state it (besides ESMTPA and friends):
 *   Postfix      (Authenticated sender: user)
 *   Courier      (AUTH: LOGIN user, SSL: ...)
 *   CommuniGate  (account user HELO x)
 *   Exim         A=plain:user with a custom received_header_text
 *   Gmail        (Google Transport Security): Google's own submission */
static void
comment_auth(struct pstate *ps, const struct cw *cw, struct str c)
{
	struct received *r = ps->r;
	/* every shape below has a word of 'a' (Authenticated, AUTH:,
	 * account, authenticated, A=) or starts with 'G' (the first word
	 * starts where c does then) */
	if (!cw->n || !(cw->first & (LB('a') | LB('g'))))
		return;
	struct str w0 = cw->w[0];
	if (str_ieq(w0, "Authenticated") && cw->n > 2 &&
	    str_ieq(cw->w[1], "sender:")) {
		set_auth(r, cw->w[2]);
		return;
	}
	if (str_ieq(w0, "AUTH:")) {
		set_auth(r, cw->n > 2 ? cw->w[2] : w0);
		set_mta(r, RCV_MTA_COURIER);
		return;
	}
	if (str_ieq(w0, "account") && cw->n > 1) {
		set_auth(r, cw->w[1]);
		set_mta(r, RCV_MTA_COMMUNIGATE);
		return;
	}
	if (str_istarts(c, "Google Transport Security")) {
		set_auth(r, c);
		r->flags |= RCV_F_TLS;
		return;
	}
	for (size_t i = 0; (cw->first & LB('a')) && i < cw->n; i++) {
		if (str_ieq(cw->w[i], "authenticated"))
			auth_word(ps, cw, i);
		else if (str_istarts(cw->w[i], "A=") && cw->w[i].n > 2)
			set_auth(r, sub(cw->w[i], 2, cw->w[i].n));
	}
}

/* qmail's own line: (qmail 123 invoked by uid 404) is a local injection,
 * (qmail 123 invoked from network[1.2.3.4/rdns]) a handover. */
static void
comment_qmail(struct pstate *ps, const struct cw *cw)
{
	if (!(cw->first & LB('i'))) /* invoked */
		return;
	for (size_t i = 0; i + 1 < cw->n; i++) {
		if (!str_ieq(cw->w[i], "invoked"))
			continue;
		set_mta(ps->r, RCV_MTA_QMAIL);
		struct str nx = cw->w[i + 1];
		if (!str_ieq(nx, "from")) {
			ps->local = true;
			return;
		}
		ps->net_handover = true;
		if (i + 2 < cw->n && str_istarts(cw->w[i + 2], "network[")) {
			struct str in =
			    strip(sub(cw->w[i + 2], 8, cw->w[i + 2].n), 0,
			          CC_RBRACKET);
			const char *sl = memchr(in.p, '/', in.n);
			struct str ip =
			    sl ? str_make(in.p, (size_t)(sl - in.p)) : in;
			bool port;
			if (ip_bare(ip, &ps->r->ip, false, &port) && sl)
				ps->r->rdns = str_make(sl + 1, in.n - ip.n - 1);
		}
		return;
	}
}

/* Markers of a step that is no handover: Postfix's (Postfix, from userid
 * 1000), qmail-scanner's (envelope-from <x>, uid 502), (uid 500),
 * fetchmail's (fetchmail-6.2.4). */
static void
comment_local(struct pstate *ps, const struct cw *cw)
{
	if (!(cw->first &
	      (LB('u') | LB('f') | LB('v')))) /* uid, fetchmail, via */
		return;
	for (size_t i = 0; i < cw->n; i++) {
		struct str w = cw->w[i];
		if ((str_ieq(w, "userid") && i > 0 &&
		     str_ieq(cw->w[i - 1], "from")) ||
		    (str_ieq(w, "uid") && i + 1 < cw->n &&
		     all_digits(strip_punct(cw->w[i + 1]))))
			ps->local = true;
		if (str_istarts(w, "fetchmail"))
			ps->fetch = true;
		if (str_ieq(w, "via") && i + 1 < cw->n &&
		    str_ieq(cw->w[i + 1], "HTTP"))
			ps->r->flags |= RCV_F_HTTP; /* web.de: (via HTTP) */
	}
}

static void
comment_envfrom(struct pstate *ps, const struct cw *cw)
{
	if (cw->n < 2 || ps->r->envelope_from.n || !(cw->first & LB('e')))
		return;
	if (str_ieq(cw->w[0], "envelope-from") ||
	    str_ieq(cw->w[0], "envelope-sender"))
		ps->r->envelope_from = strip_addr(cw->w[1]);
}

/* The readers of the words of comment c (*cw): out of line, so that
 * scan_comments saves their registers only for the comments they read
 * (measured: 112.61 M -> 112.52 M instructions on c8). */
static __attribute__((noinline)) void
comment_words(struct pstate *ps, struct str c, const struct cw *cw)
{
	comment_tls(ps, cw);
	comment_auth(ps, cw, c);
	comment_qmail(ps, cw);
	comment_local(ps, cw);
	comment_envfrom(ps, cw);
}

/* Read comment c whose words are *cw. */
static inline void
scan_comment(struct pstate *ps, struct str c, const struct cw *cw)
{
	comment_mta(ps, c);
	/* the readers look for words of these first letters (each checks
	 * its own): most comments, (Postfix) or (host [ip]), have none of
	 * them */
	if (cw->first &
	    (LB('a') | LB('c') | LB('e') | LB('f') | LB('g') | LB('i') |
	     LB('n') | LB('s') | LB('t') | LB('u') | LB('v')))
		comment_words(ps, c, cw);
}

/* ---- the from-part: HELO, reverse DNS, IP, ident ---- */

/* What one comment of the from-part says about the client. */
struct tcpinfo {
	struct str ip, rdns, helo_kw, helo_eq, ident, name;
	bool found, bracket, bare, port, has_helo_kw, has_helo_eq, verified,
	    lead_space;
};

/* An address word of a TCP-info comment: [ip], [ip]:port, rdns[ip]
 * (pobox), ident@ip and ip (qmail), ip:port (XMail). */
static bool
addr_word(struct str w, struct tcpinfo *ti, struct str *glued_name)
{
	/* most address words start with their '[' (no memchr then) */
	const char *lb =
	    w.n && w.p[0] == '[' ? w.p : (const char *)memchr(w.p, '[', w.n);
	*glued_name = STR_NULL;
	if (lb) {
		*glued_name = str_make(w.p, (size_t)(lb - w.p));
		ti->bracket = true;
		return ip_bracket(str_make(lb, w.n - glued_name->n), &ti->ip,
		                  &ti->port);
	}
	struct str a = w;
	/* the last '@' (memrchr, not a byte loop: every address word) */
	const char *at = w.n ? memrchr(w.p, '@', w.n) : NULL;
	if (at) {
		size_t k = (size_t)(at - w.p) + 1;
		ti->ident = str_make(w.p, k - 1);
		a = sub(w, k, w.n);
	}
	ti->bare = true;
	if (ip_bare(a, &ti->ip, false, &ti->port))
		return true;
	ti->bare = false;
	ti->ident = STR_NULL;
	return false;
}

/* IDENT:user@host and user@host before [ip] (sendmail). */
static void
rdns_word(struct tcpinfo *ti, struct str w)
{
	if (str_istarts(w, "IDENT:"))
		w = sub(w, 6, w.n);
	const char *at = w.n ? memrchr(w.p, '@', w.n) : NULL;
	if (at) { /* the last '@' */
		size_t k = (size_t)(at - w.p) + 1;
		ti->ident = str_make(w.p, k - 1);
		w = sub(w, k, w.n);
	}
	ti->rdns = w;
}

static void
tcpinfo_read(const struct cw *cw, struct tcpinfo *ti)
{
	memset(ti, 0, sizeof(*ti));
	ti->lead_space = cw->lead_space;
	size_t plain = (size_t)-1; /* index of the last unconsumed word */
	for (size_t i = 0; i < cw->n; i++) {
		struct str w = strip_punct(cw->w[i]), gn;
		/* the keywords start with h, e, l, i, v, a or p: other
		 * words (addresses, names) skip their compares */
		bool kw = w.n && (letter_bit(w.p[0]) &
		                  (LB('h') | LB('e') | LB('l') | LB('i') |
		                   LB('v') | LB('a') | LB('p')));
		if (kw && (str_ieq(w, "HELO") || str_ieq(w, "EHLO") ||
		           str_ieq(w, "LHLO"))) {
			ti->has_helo_kw = true;
			ti->helo_kw =
			    i + 1 < cw->n ? strip_punct(cw->w[++i]) : STR_NULL;
		} else if (kw && str_istarts(w, "helo=")) {
			ti->has_helo_eq = true;
			ti->helo_eq = sub(w, 5, w.n);
		} else if (kw && str_istarts(w, "ident=")) {
			ti->ident = sub(w, 6, w.n);
		} else if (kw && str_ieq(w, "verified")) {
			ti->verified = true;
		} else if (kw && str_ieq(w, "account")) {
			i++;
		} else if (kw && str_ieq(w, "proxying") && i == 0) {
			/* SquirrelMail: (proxying for 1.2.3.4) names the
			 * proxy's client, not the connecting address */
			return;
		} else if (!ti->found && addr_word(w, ti, &gn)) {
			ti->found = true;
			if (gn.n)
				rdns_word(ti, gn);
			else if (i > 0 && plain == i - 1)
				rdns_word(ti, cw->w[i - 1]);
		} else {
			plain = i;
			if (cw->n == 1)
				ti->name = w;
		}
	}
}

/* Everything the from-part says, comments merged. */
struct frominfo {
	struct str name, outside_ip, paren_name, helo_kw, helo_eq, claimed;
	bool has_helo_kw, has_helo_eq, glued;
	struct tcpinfo ti;
};

/* Was comment token x written with no white space before it (a ';' token
 * between counts as white space)? The byte before its '(' tells, which
 * lies in the string cut when a token came before the comment. Asked of
 * the from-part's first comment only, rather than a flag tokenize kept
 * and wrote with every token (measured: 105.15 M -> 104.91 M instructions on
 * c8). */
static bool
cmt_glued(const struct tok *x)
{
	char c = x->p[-2];
	return !is_sp(c) && c != ';';
}

static void
from_comment(struct pstate *ps, struct frominfo *fi, size_t k, size_t b)
{
	struct cw local;
	const struct cw *cw = &local;
	struct tcpinfo ti;
	size_t slot = k - ps->from_b;
	if (slot < FROM_CW && ps->from_cw_tok[slot] == k + 1)
		cw = ps->from_cw[slot]; /* cut by tokenize */
	else
		cwords(tok_str(&ps->t.v[k]), ps->end, &local);
	tcpinfo_read(cw, &ti);
	if (ti.has_helo_kw && !fi->has_helo_kw) {
		fi->has_helo_kw = true;
		fi->helo_kw = ti.helo_kw;
	}
	if (ti.has_helo_eq && !fi->has_helo_eq) {
		fi->has_helo_eq = true;
		fi->helo_eq = ti.helo_eq;
	}
	if (ti.found && !fi->ti.found) {
		fi->ti = ti;
		/* cmt_glued last: the name's word at b comes before it */
		fi->glued = fi->name.n && k == b + 1 && cmt_glued(&ps->t.v[k]);
	} else if (!ti.found && ti.name.n && !fi->paren_name.n) {
		fi->paren_name = ti.name;
	}
	if (ti.ident.n && !fi->ti.ident.n)
		fi->ti.ident = ti.ident;
}

/* Words of the from-part after the name: [ip] outside any comment (Exim 3,
 * fetchmail, GMX) and obtuse smtpd's `, claiming to be "helo"`. */
static void
from_word(struct pstate *ps, struct frominfo *fi, size_t k, size_t e)
{
	struct str w = tok_str(&ps->t.v[k]), ip;
	bool port;
	if (!fi->outside_ip.n && w.n && w.p[0] == '[' &&
	    ip_bracket(w, &ip, &port))
		fi->outside_ip = ip;
	if (str_ieq(w, "claiming") && k + 3 < e &&
	    str_ieq(tok_str(&ps->t.v[k + 2]), "be"))
		fi->claimed = strip(tok_str(&ps->t.v[k + 3]), CC_QUOTE,
		                    CC_QUOTE | CC_COMMA);
}

static bool
is_literal(struct str s, struct str *ip)
{
	bool port;
	return s.n > 2 && s.p[0] == '[' && ip_bracket(s, ip, &port);
}

static bool
is_bare_ip(struct str s, struct str *ip)
{
	bool port;
	return s.n && ip_bare(s, ip, false, &port) && !port;
}

static void
from_collect(struct pstate *ps, size_t b, size_t e, struct frominfo *fi)
{
	memset(fi, 0, sizeof(*fi));
	size_t k = b;
	if (k < e && ps->t.v[k].k == TK_WORD)
		fi->name = strip_punct(tok_str(&ps->t.v[k++]));
	for (; k < e; k++) {
		if (ps->t.v[k].k == TK_COMMENT)
			from_comment(ps, fi, k, b);
		else if (ps->t.v[k].k == TK_WORD)
			from_word(ps, fi, k, e);
	}
}

/* rdns values that say there is none. Inline, as ip_bracket: each is
 * asked once or twice per from-part, and the calls were a good part of
 * them (measured together: 103.82 M -> 103.64 M instructions on c8). */
static inline struct str
clean_rdns(struct str s)
{
	if (s.n > 1 && s.p[s.n - 1] == '.') /* Gmail writes the root dot */
		s.n--;
	if (str_ieq(s, "unknown") || str_ieq(s, "softdnserr") ||
	    (s.n && s.p[0] == '<'))
		return STR_NULL;
	return s;
}

/*
 * Who is who in the from-part. The MTAs disagree on the order:
 *   Postfix, sendmail  from HELO (RDNS [IP])          rdns "unknown" if none
 *   sendmail, MS       from HELO ([IP])               no rdns known
 *   Exim, ecelerity    from RDNS ([IP]:port helo=HELO) helo omitted if same
 *                      from [IP] (helo=HELO)           no rdns
 *   Exim 3             from RDNS (HELO) [IP.port] (ident)
 *   qmail              from RDNS (HELO x) (ident@IP)   HELO omitted if same
 *   CommuniGate        from RDNS ([IP] verified)
 *   obtuse, smap       from RDNS(IP), claiming to be "HELO"
 *   webmail (HTTP)     from IP, from NAME ([IP])       no SMTP, no HELO
 */
/* The from-name as a reverse DNS name: none when it is an address. */
static struct str
name_rdns(const struct frominfo *fi)
{
	struct str lit;
	return is_literal(fi->name, &lit) || is_bare_ip(fi->name, &lit)
	           ? STR_NULL
	           : fi->name;
}

static void
from_decide(struct pstate *ps, const struct frominfo *fi, struct str *helo,
            struct str *rdns)
{
	/* whether the name is an address, and the MTA, are asked in the
	 * branches that need them (most lines take the second, which
	 * needs neither) */
	struct str lit;
	const struct tcpinfo *ti = &fi->ti;
	enum received_mta m = ps->r->mta;
	*helo = fi->name;
	*rdns = STR_NULL;
	if (fi->has_helo_kw) {
		set_mta(ps->r, RCV_MTA_QMAIL);
		*helo = fi->helo_kw;
		*rdns = is_literal(fi->name, &lit) ? STR_NULL : fi->name;
	} else if (ti->found && ti->rdns.n) {
		*rdns = ti->rdns;
	} else if (fi->has_helo_eq) {
		*helo = fi->helo_eq;
		*rdns = name_rdns(fi);
	} else if (ti->found && ti->bare && fi->glued) {
		*rdns = fi->name;
		*helo = STR_NULL;
	} else if (ti->found && ti->bare && !ti->port && !ti->lead_space &&
	           m != RCV_MTA_EXCHANGE && m != RCV_MTA_MICROSOFT) {
		set_mta(ps->r, RCV_MTA_QMAIL);
		*rdns = name_rdns(fi);
	} else if (ti->found && ti->bracket &&
	           (m == RCV_MTA_EXIM || m == RCV_MTA_ECELERITY ||
	            ti->verified)) {
		bool exim = m == RCV_MTA_EXIM || m == RCV_MTA_ECELERITY;
		*rdns = name_rdns(fi);
		*helo = exim ? *rdns : fi->name;
	} else if (!ti->found && fi->outside_ip.n && fi->paren_name.n) {
		*rdns = fi->name;
		*helo = fi->paren_name;
	} else if (!ti->found && !fi->outside_ip.n &&
	           is_bare_ip(fi->name, &lit)) {
		*helo = STR_NULL;
	}
	if (fi->claimed.n)
		*helo = fi->claimed;
	*rdns = clean_rdns(*rdns);
}

static void
from_interpret(struct pstate *ps, size_t b, size_t e)
{
	struct received *r = ps->r;
	struct frominfo fi;
	struct str lit, helo, rdns;
	from_collect(ps, b, e, &fi);
	from_decide(ps, &fi, &helo, &rdns);
	if (fi.ti.found)
		r->ip = fi.ti.ip;
	else if (fi.outside_ip.n)
		r->ip = fi.outside_ip;
	else if (is_literal(fi.name, &lit) || is_bare_ip(fi.name, &lit))
		r->ip = lit;
	if (r->flags & RCV_F_HTTP) { /* webmail: no SMTP greeting */
		helo = STR_NULL;
		rdns = clean_rdns(fi.ti.rdns);
	}
	r->helo = helo;
	if (!r->rdns.n)
		r->rdns = rdns;
	if (!r->ident.n)
		r->ident = fi.ti.ident;
	if (has_char(r->ip, ':'))
		r->flags |= RCV_F_IPV6;
}

/* (from KRYPTIK [70.20.57.51]) by host: the from-part written as a
 * comment (NAVGW). Its words are tokenized on their own. */
static bool
from_in_comment(struct pstate *ps, size_t k)
{
	struct str c = tok_str(&ps->t.v[k]);
	if (!str_istarts(c, "from ") && !str_istarts(c, "from\t"))
		return false;
	size_t n0 = ps->t.n;
	tokenize(ps, c, &ps->t, false);
	if (ps->t.n <= n0 + 1) {
		ps->t.n = n0;
		return false;
	}
	ps->has_from = true;
	from_interpret(ps, n0 + 1, ps->t.n);
	ps->t.n = n0;
	return true;
}

/* ---- the whole value ---- */

/* By-host suffixes and the MTA each names. */
/* clang-format off */
#define SFX(s) {s, sizeof(s) - 1}
/* clang-format on */
static const struct {
	struct str suffix;
	enum received_mta mta;
} host_sfx[] = {
    {SFX(".google.com"), RCV_MTA_GMAIL},
    {SFX("gmail.com"), RCV_MTA_GMAIL},
    {SFX(".outlook.com"), RCV_MTA_MICROSOFT},
    {SFX(".office365.com"), RCV_MTA_MICROSOFT},
    {SFX(".yahoo.com"), RCV_MTA_YAHOO},
    {SFX(".yahoodns.net"), RCV_MTA_YAHOO},
    {SFX(".sendgrid.net"), RCV_MTA_SENDGRID},
    {SFX(".amazonses.com"), RCV_MTA_AMAZONSES},
    {SFX(".hotmail.com"), RCV_MTA_MICROSOFT},
    {SFX(".hotmail.msn.com"), RCV_MTA_MICROSOFT},
};
#undef SFX
/* The shortest suffix. */
#define HOST_SFX_MIN 9

/* The entries of host_sfx whose byte before ".com" or ".net" is k (all
 * lower case or a digit; received_init checks this against the table):
 * bit i for host_sfx[i]. */
static uint32_t
host_sfx_by_key(unsigned char k)
{
	switch (k) {
	case 'e':
		return 1u << 0;
	case 'l':
		return 1u << 1 | 1u << 8;
	case 'k':
		return 1u << 2;
	case '5':
		return 1u << 3;
	case 'o':
		return 1u << 4;
	case 's':
		return 1u << 5 | 1u << 7;
	case 'd':
		return 1u << 6;
	case 'n':
		return 1u << 9;
	}
	return 0;
}

static bool
host_sfx_ok(void)
{
	size_t n = sizeof(host_sfx) / sizeof(host_sfx[0]);
	for (size_t i = 0; i < n; i++)
		if (!no_upper(host_sfx[i].suffix.p, host_sfx[i].suffix.n))
			return false;
	for (unsigned k = 0; k < 256; k++) {
		uint32_t m = 0;
		for (size_t i = 0; i < n; i++) {
			struct str x = host_sfx[i].suffix;
			if (x.n < HOST_SFX_MIN)
				return false;
			unsigned char c = (unsigned char)x.p[x.n - 5];
			if ((c | 0x20) != c) /* lower case or a digit */
				return false;
			if (c == k)
				m |= 1u << i;
		}
		if (host_sfx_by_key((unsigned char)k) != m)
			return false;
	}
	return true;
}

/* mta names from the by host where the comments say nothing. */
static void
host_mta(struct received *r)
{
	struct str by = r->by;
	while (by.n && by.p[by.n - 1] == '.')
		by.n--;
	/* every suffix ends in "com" or "net": other names skip the table.
	 * The last three bytes as one number, | 0x20 folding the case of
	 * the letters asked (a strip_set of the time and two str_ieq took 20
	 * instructions a field: measured with parse_clauses' "mail" check,
	 * 106.01 M -> 105.88 M instructions on c8) */
	uint32_t tld = by.n >= HOST_SFX_MIN
	                   ? ((unsigned char)by.p[by.n - 3] | 0x20u) << 16 |
	                         ((unsigned char)by.p[by.n - 2] | 0x20u) << 8 |
	                         ((unsigned char)by.p[by.n - 1] | 0x20u)
	                   : 0;
	bool maybe = tld == ('c' << 16 | 'o' << 8 | 'm') ||
	             tld == ('n' << 16 | 'e' << 8 | 't');
	/* the byte before ".com" or ".net" picks the suffixes to compare
	 * (| 0x20: they differ there in lower case letters or a digit) */
	uint32_t m = maybe ? host_sfx_by_key(by.p[by.n - 5] | 0x20) : 0;
	for (; m; m &= m - 1) {
		unsigned i = (unsigned)__builtin_ctz(m);
		size_t l = host_sfx[i].suffix.n;
		if (by.n >= l &&
		    lower_eq(by.p + by.n - l, host_sfx[i].suffix.p, l)) {
			set_mta(r, host_sfx[i].mta);
			return;
		}
	}
	if (str_istarts(r->with, "Microsoft"))
		set_mta(r, RCV_MTA_EXCHANGE);
}

/* GMX's submission servers: by mail.gmx.net (mp033) with SMTP. */
static void
vendor_auth(struct pstate *ps)
{
	struct received *r = ps->r;
	/* the by host first: it is the same for every token, and seldom
	 * GMX's (the loop ran over the tokens of every field) */
	if (!str_ieq(r->by, "mail.gmx.net") && !str_ieq(r->by, "mail.gmx.com"))
		return;
	for (size_t k = 0; k < ps->t.n; k++) {
		struct str c = tok_str(&ps->t.v[k]);
		if (ps->t.v[k].k == TK_COMMENT && c.n >= 3 && c.n <= 6 &&
		    str_istarts(c, "mp") && all_digits(sub(c, 2, c.n))) {
			set_auth(r, r->by);
			set_mta(r, RCV_MTA_GMX);
			return;
		}
	}
}

/* More than CMT_MAX comments: every token is looked at, each comment's
 * words cut here. */
static void
scan_all_comments(struct pstate *ps)
{
	for (size_t k = 0; k < ps->t.n; k++) {
		if (ps->t.v[k].k != TK_COMMENT)
			continue;
		struct cw local;
		cwords(tok_str(&ps->t.v[k]), ps->end, &local);
		scan_comment(ps, tok_str(&ps->t.v[k]), &local);
	}
}

static void
scan_comments(struct pstate *ps)
{
	ps->rec = NULL;
	if (ps->ncmt > CMT_MAX) {
		scan_all_comments(ps);
		return;
	}
	/* cmt holds them all, each the index of a comment token (tokenize
	 * records it as it pushes one), their words cut: one loop for
	 * these, which asks neither the kind of the token nor which of the
	 * two cases this is per comment (105.70 M -> 105.60 M instructions on
	 * c8) */
	const struct tok *v = ps->t.v;
	for (size_t j = 0, n = ps->ncmt; j < n; j++) {
		size_t k = ps->cmt[j];
		const struct cw *cw = &ps->cmt_cw[j];
		size_t slot = k - ps->from_b; /* huge when k < from_b */
		if (ps->has_from && slot < FROM_CW && k < ps->from_e) {
			ps->from_cw[slot] = cw; /* kept for from_comment */
			ps->from_cw_tok[slot] = k + 1;
		}
		scan_comment(ps, tok_str(&v[k]), cw);
	}
}

/* The local injection shapes that carry no client address. */
static bool
local_name(struct str n)
{
	return str_ieq(n, "localhost") || str_ieq(n, "mail") ||
	       has_char(n, '@') || str_ieq(n, "Spooler") ||
	       (n.n > 7 && str_ieq(sub(n, n.n - 7, n.n), "-daemon"));
}

static void
decide_handover(struct pstate *ps, struct str from_name)
{
	struct received *r = ps->r;
	bool h = r->parsed && (ps->has_from || ps->net_handover);
	if (ps->local || ps->fetch)
		h = false;
	/* `with local` naming a client address is a contradiction worth
	 * showing as a hop (spam forges such lines); Exim's genuine local
	 * lines carry no address: from user by host with local */
	if ((r->flags & RCV_F_LOCAL) && !r->ip.n)
		h = false;
	if (!r->ip.n && (local_name(from_name) ||
	                 str_ieq(from_name, "mail pickup service")))
		h = false;
	r->handover = h;
}

/* The index of the first '(' of date d, or d.n, and whether d holds a
 * ';': one scan for the two memchr calls parse_date made of every date
 * (measured: 112.38 M -> 112.26 M instructions on c8). */
static size_t
date_scan(struct str d, bool *semi)
{
	size_t lp = d.n, i = 0;
	unsigned sc = 0;
#if defined(__SSE2__)
	const __m128i paren = _mm_set1_epi8('('), sm = _mm_set1_epi8(';');
	for (; i + 16 <= d.n; i += 16) {
		__m128i v =
		    _mm_loadu_si128((const __m128i *)(const void *)(d.p + i));
		unsigned m =
		    (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, paren));
		sc |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, sm));
		if (m && lp == d.n)
			lp = i + (unsigned)__builtin_ctz(m);
	}
	if (i < d.n && d.n >= 16) { /* the last sixteen, those before i off */
		size_t b = d.n - 16;
		unsigned keep = 0xffffu << (i - b);
		__m128i v =
		    _mm_loadu_si128((const __m128i *)(const void *)(d.p + b));
		unsigned m =
		    (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, paren)) &
		    keep;
		sc |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, sm)) & keep;
		if (m && lp == d.n)
			lp = b + (unsigned)__builtin_ctz(m);
		i = d.n;
	}
#endif
	for (; i < d.n; i++) {
		if (d.p[i] == '(' && lp == d.n)
			lp = i;
		sc |= d.p[i] == ';';
	}
	*semi = sc != 0;
	return lp;
}

/* Envelope sender written after the date: Postfix on some systems, e.g.
 * `; Sat, 16 Oct 2004 21:30:02 +0000 (UTC) (envelope-from x@y)`. The first
 * '(' of d is at lp (d.n: none). */
static void
date_tail(struct pstate *ps, struct str d, size_t lp, struct str *body)
{
	*body = sub(d, 0, lp);
	if (lp == d.n)
		return;
	struct str tail = sub(d, lp, d.n);
	/* most tails are one plain comment, "(PDT)": what tokenize and
	 * cwords would make of it is known (a comment of depth 1, whose
	 * first word names no envelope sender unless it starts with 'e') */
	if (tail.n >= 2 && tail.p[tail.n - 1] == ')' &&
	    comment_special(d, lp + 1) == d.n - 1) { /* d's, not tail's */
		if (ps->depth < 1)
			ps->depth = 1;
		struct str c = sub(tail, 1, tail.n - 1);
		size_t i = 0;
		while (i < c.n && (is_sp(c.p[i]) || c.p[i] == ';'))
			i++;
		if (i < c.n && (c.p[i] | 0x20) == 'e') {
			struct cw cw;
			cwords(c, ps->end, &cw);
			comment_envfrom(ps, &cw);
		}
		return;
	}
	struct tok buf[TOKS_STACK];
	struct toks t = {buf, 0, TOKS_STACK};
	size_t save = ps->depth;
	tokenize(ps, tail, &t, false);
	ps->depth = save > ps->depth ? save : ps->depth;
	for (size_t k = 0; k < t.n; k++)
		if (t.v[k].k == TK_COMMENT) {
			struct cw cw;
			cwords(tok_str(&t.v[k]), ps->end, &cw);
			comment_envfrom(ps, &cw);
		}
}

/* `; Thu, 10 Nov 2005 08:24:21 -0600 id 000000DB.43735815.00001E11`. */
static bool
date_with_id(struct pstate *ps, struct str body, struct date *d)
{
	long at = str_ifind(body, " id ");
	if (at < 0)
		return false;
	struct str rest = str_trim(sub(body, (size_t)at + 4, body.n));
	size_t e = 0;
	while (e < rest.n && is_word(rest.p[e]))
		e++;
	if (!ps->r->id.n)
		ps->r->id = strip_addr(sub(rest, 0, e));
	return try_date(sub(body, 0, (size_t)at), d);
}

static void
parse_date(struct pstate *ps)
{
	struct received *r = ps->r;
	struct str d = str_trim(ps->date), body;
	struct date dt;
	if (!d.n) {
		findings_add(ps->f, "rcvd.no-date", SEV_WARNING, ps->hop,
		             ps->header, "the Received field has no date");
		return;
	}
	bool semi;
	size_t lp = date_scan(d, &semi);
	if (semi)
		ps->stray_semi = true;
	date_tail(ps, d, lp, &body);
	r->date_raw = d;
	/* message_date_common first: what it reads has no " id " (so
	 * date_with_id would give way to try_date) and try_date reads it the
	 * same */
	if (message_date_common(body, &dt) || date_with_id(ps, body, &dt) ||
	    try_date(body, &dt)) {
		r->has_date = true;
		r->time = dt.utc;
		r->tz_offset = dt.tz_offset;
		r->tz_missing = dt.tz_missing;
		return;
	}
	findings_add(ps->f, "rcvd.bad-date", SEV_WARNING, ps->hop, ps->header,
	             "the Received date could not be parsed: %.*s",
	             (int)(d.n > 64 ? 64 : d.n), d.p);
}

static void
report(struct pstate *ps)
{
	if (ps->depth > RECEIVED_MAX_COMMENT_DEPTH)
		findings_add(ps->f, "rcvd.comment-depth", SEV_WARNING, ps->hop,
		             ps->header,
		             "comments nest %zu deep (more than %d); the "
		             "inner levels were not interpreted",
		             ps->depth, RECEIVED_MAX_COMMENT_DEPTH);
	if (ps->unclosed)
		findings_add(ps->f, "rcvd.unclosed-comment", SEV_INFO, ps->hop,
		             ps->header, "a comment is not closed");
	if (ps->stray_semi)
		findings_add(ps->f, "rcvd.stray-semicolon", SEV_INFO, ps->hop,
		             ps->header,
		             "a ';' appears outside its place "
		             "before the date");
	if (!ps->r->parsed)
		findings_add(ps->f, "rcvd.unparsed", SEV_WARNING, ps->hop,
		             ps->header,
		             "the Received field was not understood");
}

static void
parse_clauses(struct pstate *ps, struct str clauses)
{
	struct received *r = ps->r;
	walk(ps, clauses);
	map_with(ps);
	scan_comments(ps);
	vendor_auth(ps);
	host_mta(r);
	bool lead_from = false;
	if (ps->t.n && ps->t.v[0].k == TK_COMMENT)
		lead_from = from_in_comment(ps, 0);
	if (ps->has_from && !lead_from)
		from_interpret(ps, ps->from_b, ps->from_e);
	r->parsed = ps->has_from || ps->has_by || ps->net_handover || ps->local;
	struct str name = STR_NULL;
	if (ps->from_e > ps->from_b && ps->t.v[ps->from_b].k == TK_WORD)
		name = tok_str(&ps->t.v[ps->from_b]);
	/* clauses starting so have the from-name "mail": most names are not
	 * four bytes long, which skips the compare of 24 bytes */
	if (name.n == 4 && str_istarts(clauses, "from mail pickup service"))
		name = STR_LIT("mail pickup service");
	decide_handover(ps, name);
}

void
received_parse(struct str v, struct arena *a, struct received *out,
               struct findings *f, int hop, int header)
{
	memset(out, 0, sizeof(*out));
	out->raw = v;
	out->mta = RCV_MTA_UNKNOWN;
	struct pstate ps = {0};
	struct cw cmt_cw[CMT_MAX]; /* filled before read, not zeroed */
	struct tok toks[TOKS_STACK];
	ps.cmt_cw = cmt_cw;
	ps.t = (struct toks){toks, 0, TOKS_STACK};
	ps.rec = &ps.t;
	ps.r = out;
	ps.a = a;
	ps.f = f;
	ps.hop = hop;
	ps.header = header;
	if (v.n > RECEIVED_MAX_BYTES) {
		findings_add(f, "rcvd.too-long", SEV_WARNING, hop, header,
		             "the Received field is %zu bytes long; only the "
		             "first %d were parsed",
		             v.n, RECEIVED_MAX_BYTES);
		v.n = RECEIVED_MAX_BYTES;
	}
	ps.end = v.p + v.n;
	/* the date, when tokenize finds it, follows the clauses' ';' with
	 * its white space stepped over (parse_date's str_trim then takes its
	 * fast path) */
	struct str clauses = sub(v, 0, tokenize(&ps, v, &ps.t, true));
	parse_clauses(&ps, clauses);
	parse_date(&ps);
	report(&ps);
}

void
received_init(void)
{
	/* the table and the letters that skip it must agree (a check that
	 * NDEBUG does not remove: a wrong mask would lose MTA names) */
	if (!mta_letters_ok() || !protos_letters_ok() || !host_sfx_ok())
		abort();
}

void
received_fini(void)
{
}
