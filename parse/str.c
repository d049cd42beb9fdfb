/* str.c: helpers for length-carrying strings. */
#include "str.h"

#include <stdint.h>

static unsigned char
lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

#define ONES 0x0101010101010101ULL

/* x with its ASCII capitals (bytes 'A'..'Z') made small, eight bytes at
 * once: the high bit of a byte's 7-bit part plus (0x80 - 'A') says >= 'A',
 * plus (0x80 - 'Z' - 1) says > 'Z'; bytes >= 0x80 are left alone. */
static uint64_t
lower8(uint64_t x)
{
	uint64_t low7 = x & (0x7f * ONES);
	uint64_t ge_a = low7 + (0x80 - 'A') * ONES;
	uint64_t gt_z = low7 + (0x80 - 'Z' - 1) * ONES;
	uint64_t upper = (ge_a ^ gt_z) & ~x & (0x80 * ONES);
	return x | (upper >> 2);
}

static uint64_t
load8(const char *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
	return x;
}

static bool
ieq8(const char *a, const char *b)
{
	uint64_t x = load8(a), y = load8(b);
	return x == y || lower8(x) == lower8(y);
}

bool
str_ieq_str(struct str a, struct str b)
{
	if (a.n != b.n)
		return false;
	size_t n = a.n;
	if (n < 8) {
		for (size_t i = 0; i < n; i++)
			if (lower((unsigned char)a.p[i]) !=
			    lower((unsigned char)b.p[i]))
				return false;
		return true;
	}
	/* eight bytes at a time; the last eight overlap what was compared
	 * instead of a byte loop over the rest */
	for (size_t i = 0; i + 8 < n; i += 8)
		if (!ieq8(a.p + i, b.p + i))
			return false;
	return ieq8(a.p + n - 8, b.p + n - 8);
}

/* Space, tab, CR or LF: one bit of a mask each (bits 32, 9, 13, 10). */
static bool
is_trim(char c)
{
	const uint64_t blanks =
	    1ULL << ' ' | 1ULL << '\t' | 1ULL << '\r' | 1ULL << '\n';
	return (unsigned char)c <= ' ' && (blanks >> (unsigned char)c & 1);
}

struct str
str_trim_slow(struct str s)
{
	while (s.n > 0 && is_trim(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && is_trim(s.p[s.n - 1]))
		s.n--;
	return s;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* High bit set in each zero byte of x (and maybe in a byte above one:
 * the borrow; the candidates are checked anyway). */
static uint64_t
zero_bytes(uint64_t x)
{
	return (x - ONES) & ~x & (0x80 * ONES);
}
#endif

long
str_ifind(struct str s, const char *lit)
{
	size_t n = strlen(lit);
	if (n == 0)
		return 0;
	if (s.n < n)
		return -1;
	/* The anchor: the first byte of lit that is not a space (the 'i'
	 * of " id "): spaces are common in the text searched, and each
	 * candidate costs a compare. */
	size_t j = 0;
	while (j + 1 < n && lit[j] == ' ')
		j++;
	/* candidates are the starts whose anchor byte is lit's, in either
	 * case for a letter (| 0x20 maps exactly its two cases), eight at a
	 * time; at[i] is the anchor byte of start i */
	const char *at = s.p + j;
	unsigned char first = lower((unsigned char)lit[j]);
	unsigned char fold = first >= 'a' && first <= 'z' ? 0x20 : 0;
	size_t last = s.n - n, i = 0; /* last start */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* the lowest flagged byte is the first in memory: little-endian;
	 * at[i + 7] is s.p[j + i + 7], before s.p[last + j] < s.p[s.n] */
	for (; i + 8 <= last + 1; i += 8) {
		uint64_t m =
		    zero_bytes((load8(at + i) | fold * ONES) ^ first * ONES);
		for (; m; m &= m - 1) {
			size_t k = i + (size_t)__builtin_ctzll(m) / 8;
			if (str_ieq_bytes(s.p + k, lit, n))
				return (long)k;
		}
	}
	/* the starts left (fewer than eight): one more block, ending at
	 * the last start and overlapping the one before, the starts it
	 * already tried masked off, rather than a byte loop */
	if (i <= last && last + 1 >= 8) {
		size_t b = last + 1 - 8; /* i - b is 1 to 7 */
		uint64_t m =
		    zero_bytes((load8(at + b) | fold * ONES) ^ first * ONES) &
		    ~0ULL << 8 * (i - b);
		for (; m; m &= m - 1) {
			size_t k = b + (size_t)__builtin_ctzll(m) / 8;
			if (str_ieq_bytes(s.p + k, lit, n))
				return (long)k;
		}
		return -1;
	}
#endif
	for (; i <= last; i++)
		if (((unsigned char)at[i] | fold) == first &&
		    str_ieq_bytes(s.p + i, lit, n))
			return (long)i;
	return -1;
}
