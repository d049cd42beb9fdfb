/* mbox.c: mbox framing, see mbox.h. */
#include "mbox.h"

#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "parse/cpu.h"
#if defined(RT_HAVE_AVX2_PATH)
#include <immintrin.h>
#endif

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool
mbox_is_envelope(const char *p, size_t n)
{
	if (n < 5 || memcmp(p, "From ", 5) != 0)
		return false;
	/* "From addr Www Mmm dd hh:mm:ss yyyy": look for hh:mm and a
	 * four-digit year after the address */
	size_t i = 5;
	while (i < n && p[i] != ' ')
		i++;
	bool time = false, year = false;
	for (; i < n; i++) {
		if (i + 4 < n && is_digit(p[i]) && is_digit(p[i + 1]) &&
		    p[i + 2] == ':' && is_digit(p[i + 3]) && is_digit(p[i + 4]))
			time = true;
		if (i + 4 <= n && is_digit(p[i]) && is_digit(p[i + 1]) &&
		    is_digit(p[i + 2]) && is_digit(p[i + 3]) &&
		    (i == 0 || p[i - 1] == ' ') &&
		    (i + 4 == n || p[i + 4] == ' ' || p[i + 4] == '\r'))
			year = true;
	}
	return time && year;
}

/* Does "From " start at buf[k], before len? */
static inline bool
from_at(const char *buf, size_t k, size_t len)
{
	return len - k >= 5 && memcmp(buf + k, "From ", 5) == 0;
}

#if defined(RT_HAVE_AVX2_PATH)
/* The pairs of the 32 bytes at q, one byte of 0xff each. */
#define PAIRS32(q, f, b)                                                       \
	_mm256_and_si256(                                                      \
	    _mm256_cmpeq_epi8(                                                 \
	        _mm256_loadu_si256((const __m256i *)(const void *)(q)), f),    \
	    _mm256_cmpeq_epi8(                                                 \
	        _mm256_loadu_si256((const __m256i *)(const void *)((q)-1)),    \
	        b))

/* The pairs of the 64 bytes at q, bit k for byte k. */
__attribute__((target("avx2"), always_inline)) static inline uint64_t
pairs64(const char *q, __m256i f, __m256i b)
{
	return (uint32_t)_mm256_movemask_epi8(PAIRS32(q, f, b)) |
	       (uint64_t)(uint32_t)_mm256_movemask_epi8(PAIRS32(q + 32, f, b))
	           << 32;
}

/* The first pair of m (bit k for buf[at + k]) that starts "From ", or
 * len. */
static inline size_t
first_from(const char *buf, size_t at, uint64_t m, size_t len)
{
	for (; m; m &= m - 1) {
		size_t k = at + (size_t)__builtin_ctzll(m);
		if (from_at(buf, k, len))
			return k;
	}
	return len;
}

/* next_from_after for processors with AVX2 (chosen at run time), for
 * len > 64: 256 bytes a turn while there is no pair (pairs are rare),
 * then 64 at a time through that block: 10 instructions for 64 bytes,
 * where 64 a turn took 13 and the SSE2 loop takes 26 (105.29 M ->
 * 104.61 M instructions on c8). A pair that starts no "From " (a From:
 * field, a line starting "For") is passed over here, not by a new call
 * (103.29 M -> 103.25 M). The last bytes, fewer than 64, are read with
 * the 64 before them (len > 64: the byte before those is in buf too),
 * their pairs masked: the SSE2 loops and memchr after them took about
 * 0.1 M on c8. */
__attribute__((target("avx2"))) static size_t
next_from_avx2(const char *buf, size_t pos, size_t len, char before)
{
	const __m256i f = _mm256_set1_epi8('F'), b = _mm256_set1_epi8(before);
	while (len - pos >= 64) {
		/* counted, and the mask tested with a movemask: GCC kept
		 * pos + 256 in a register too, and set a flag from vptest
		 * to test it */
		for (size_t k = (len - pos) / 256; k; k--, pos += 256) {
			__m256i any = _mm256_setzero_si256();
			for (int i = 0; i < 256; i += 32)
				any = _mm256_or_si256(
				    any, PAIRS32(buf + pos + i, f, b));
			if (_mm256_movemask_epi8(any))
				break;
		}
		/* the block with a pair, or the last 64s */
		size_t end = len - pos > 256 ? pos + 256 : len;
		for (; pos + 64 <= end; pos += 64) {
			size_t k =
			    first_from(buf, pos, pairs64(buf + pos, f, b), len);
			if (k != len)
				return k;
		}
	}
	if (pos == len)
		return len;
	size_t q = len - 64; /* q < pos: the bits of pos - q >= 1 on */
	return first_from(buf, pos, pairs64(buf + q, f, b) >> (pos - q), len);
}
#undef PAIRS32
#endif

/* The first 'F' in buf[pos..len) whose previous byte is `before` (pos >=
 * 1), or len. Both framing and unquoting look only at lines starting
 * "From " (after '>'s): 'F' alone is too common (one byte in 250 of the
 * corpus, each a memchr restart), the pair is rare, and SSE2 tests
 * sixteen pairs at once. */
static size_t
next_f_after(const char *buf, size_t pos, size_t len, char before)
{
#if defined(__SSE2__)
	const __m128i f = _mm_set1_epi8('F'), b = _mm_set1_epi8(before);
#define PAIRS(q)                                                               \
	_mm_and_si128(                                                         \
	    _mm_cmpeq_epi8(                                                    \
	        _mm_loadu_si128((const __m128i *)(const void *)(q)), f),       \
	    _mm_cmpeq_epi8(                                                    \
	        _mm_loadu_si128((const __m128i *)(const void *)((q)-1)), b))
	/* 32 bytes a turn, one branch: pairs are rare */
	for (; pos + 32 <= len; pos += 32) {
		__m128i lo = PAIRS(buf + pos), hi = PAIRS(buf + pos + 16);
		if (_mm_movemask_epi8(_mm_or_si128(lo, hi))) {
			unsigned m = (unsigned)_mm_movemask_epi8(lo) |
			             (unsigned)_mm_movemask_epi8(hi) << 16;
			return pos + (size_t)__builtin_ctz(m);
		}
	}
	for (; pos + 16 <= len; pos += 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(PAIRS(buf + pos));
		if (m)
			return pos + (size_t)__builtin_ctz(m);
	}
#undef PAIRS
#endif
	while (pos < len) {
		const char *p = memchr(buf + pos, 'F', len - pos);
		if (!p)
			return len;
		pos = (size_t)(p - buf);
		if (buf[pos - 1] == before)
			return pos;
		pos++;
	}
	return len;
}

/* The first "From " in buf[pos..len) whose previous byte is `before`
 * (pos >= 1), or len. */
static size_t
next_from_after(const char *buf, size_t pos, size_t len, char before)
{
#if defined(RT_HAVE_AVX2_PATH)
	if (len > 64 && cpu_avx2())
		return next_from_avx2(buf, pos, len, before);
#endif
	for (;;) {
		size_t k = next_f_after(buf, pos, len, before);
		if (k == len || from_at(buf, k, len))
			return k;
		pos = k + 1;
	}
}

/* Is the line before the one at next (after an LF, next > from) blank,
 * the lines from `from` on: "\n\n" or "\n\r\n", or that line starts
 * at from? A few bytes where a memrchr looked for the line's start
 * (103.25 M -> 103.20 M instructions on c8). */
static bool
blank_before(const char *buf, size_t from, size_t next)
{
	size_t lf = next - 1; /* the LF ending that line */
	if (lf == from || buf[lf - 1] == '\n')
		return true;
	return buf[lf - 1] == '\r' && (lf - 1 == from || buf[lf - 2] == '\n');
}

long
mbox_next(const char *buf, size_t len, size_t from, bool at_eof)
{
	/* A separator starts a line after the first: look for the rarer 'F'
	 * of "From " after a line end, not at every line end. (A last line
	 * that might still become "From " needs more input, and gets -1
	 * like no separator at all.) */
	size_t pos = from + 1;
	while (pos < len) {
		size_t next = next_from_after(buf, pos, len, '\n');
		if (next == len)
			break;
		pos = next + 1;
		const char *e = memchr(buf + next, '\n', len - next);
		if (!e && !at_eof)
			return -1; /* incomplete line: read more */
		size_t l = e ? (size_t)(e - buf) - next : len - next;
		if (blank_before(buf, from, next) ||
		    mbox_is_envelope(buf + next, l))
			return (long)next;
	}
	return -1;
}

size_t
mbox_unquote(char *buf, size_t len)
{
	/* Find each "From " after one or more '>' at a line start (by the
	 * rarer 'F', not line by line) and drop the first '>': bytes in
	 * [in, len) are still to be moved down to out. */
	size_t in = 0, out = 0, pos = 1;
	while (pos < len) {
		size_t k = next_from_after(buf, pos, len, '>');
		if (k == len)
			break;
		pos = k + 1;
		size_t q = k - 1; /* the first '>' of the run */
		while (q > in && buf[q - 1] == '>')
			q--;
		if (q > 0 && buf[q - 1] != '\n')
			continue;
		if (out != in)
			memmove(buf + out, buf + in, q - in);
		out += q - in;
		in = q + 1;
	}
	if (out != in)
		memmove(buf + out, buf + in, len - in);
	return out + (len - in);
}
