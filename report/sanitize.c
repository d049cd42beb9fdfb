/*
 * sanitize.c: make header bytes inert on an analyst's terminal.
 *
 * Everything from the input passes through text_safe() before it reaches
 * text output. Printable ASCII and printable UTF-8 pass; folding becomes a
 * space; every other byte is written as a visible escape:
 *   C0 controls, DEL, ESC (so no CSI, OSC 8 links, OSC 52 clipboard
 *   writes)                       -> \xNN  (NUL -> \0)
 *   C1 controls U+0080..U+009F    -> \u{0085}
 *   bidi and invisible formatting (U+061C, U+200B..U+200F, U+202A..U+202E,
 *   U+2060..U+2069, U+FEFF, U+FFF9..U+FFFB, U+E0000 tags)
 *                                 -> \u{202e}
 *   invalid UTF-8                 -> \xNN
 */
#include "sections.h"

#include "jsonw.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static unsigned long
decode(const unsigned char *p, size_t l)
{
	if (l == 2)
		return ((p[0] & 0x1Ful) << 6) | (p[1] & 0x3F);
	if (l == 3)
		return ((p[0] & 0x0Ful) << 12) | ((p[1] & 0x3Ful) << 6) |
		       (p[2] & 0x3F);
	return ((p[0] & 0x07ul) << 18) | ((p[1] & 0x3Ful) << 12) |
	       ((p[2] & 0x3Ful) << 6) | (p[3] & 0x3F);
}

static bool
dangerous_cp(unsigned long c)
{
	return (c >= 0x80 && c <= 0x9F) || c == 0x61C ||
	       (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
	       (c >= 0x2060 && c <= 0x2069) || c == 0xFEFF ||
	       (c >= 0xFFF9 && c <= 0xFFFB) || (c >= 0xE0000 && c <= 0xE007F);
}

/* How many bytes at p[0..n) are printable ASCII (0x20..0x7E) before the
 * first that is not: sixteen at a time where SSE2 is there. */
static size_t
printable_run(const unsigned char *p, size_t n)
{
	size_t i = 0;
#if defined(__SSE2__)
	for (; i + 16 <= n; i += 16) {
		__m128i v =
		    _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		/* sign bit set: below 0x20 or from 0x80 (a saturating
		 * subtract keeps them negative), or DEL */
		__m128i bad =
		    _mm_or_si128(_mm_subs_epi8(v, _mm_set1_epi8(0x20)),
		                 _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
		unsigned m = (unsigned)_mm_movemask_epi8(bad);
		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	while (i < n && p[i] >= 0x20 && p[i] < 0x7F)
		i++;
	return i;
}

/* Render (o != NULL) or measure s; returns the display width. */
static size_t
render(struct obuf *o, struct str s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s.p;
	size_t w = 0;
	for (size_t i = 0; i < s.n;) {
		/* most bytes: a run of printable ASCII, copied in one go */
		size_t j = i + printable_run(p + i, s.n - i);
		if (j > i) {
			if (o)
				obuf_put(o, (const char *)p + i, j - i);
			w += j - i, i = j;
			continue;
		}
		unsigned char c = p[i];
		if (c == '\t' || c == '\r' || c == '\n') {
			/* folding: CRLF + WSP shows as one space */
			if (c == '\t' || (i + 1 < s.n && p[i + 1] != ' ' &&
			                  p[i + 1] != '\t' && c == '\n')) {
				if (o)
					obuf_putc(o, ' ');
				w++;
			}
			i++;
		} else if (c == 0) {
			if (o)
				obuf_put(o, "\\0", 2);
			w += 2, i++;
		} else {
			size_t l =
			    c >= 0x80 ? utf8_valid_len(p + i, s.n - i) : 0;
			if (l > 1 && !dangerous_cp(decode(p + i, l))) {
				if (o)
					obuf_put(o, (const char *)p + i, l);
				w++, i += l;
			} else if (l > 1) {
				if (o)
					obuf_printf(o, "\\u{%04lx}",
					            decode(p + i, l));
				w += 8, i += l;
			} else {
				char e[4] = {'\\', 'x', hex[c >> 4],
				             hex[c & 15]};
				if (o)
					obuf_put(o, e, 4);
				w += 4, i++;
			}
		}
	}
	return w;
}

size_t
text_safe(struct obuf *o, struct str s)
{
	return render(o, s);
}

size_t
text_safe_width(struct str s)
{
	return render(NULL, s);
}
