/*
 * str.h: a borrowed byte string that carries its length.
 *
 * Every string taken from the input is a struct str: it may hold NUL bytes,
 * invalid UTF-8 and control characters, and it is never NUL-terminated by
 * contract. The bytes are borrowed: from the message buffer (valid while the
 * message lives) or from the message's arena (valid until arena_free()).
 */
#ifndef PARSE_STR_H
#define PARSE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct str {
	const char *p;
	size_t n;
};

#define STR_NULL ((struct str){NULL, 0})
#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})

static inline struct str
str_make(const char *p, size_t n)
{
	struct str s = {p, n};
	return s;
}

static inline bool
str_empty(struct str s)
{
	return s.n == 0;
}

static inline bool
str_eq(struct str a, struct str b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

/* ASCII case-insensitive equality of two strings. */
bool str_ieq_str(struct str a, struct str b);

/* a[0..n) and b[0..n) equal ignoring ASCII case. */
static inline bool
str_ieq_bytes(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		/* equal bytes (most are), or the two cases of one letter,
		 * which differ in bit 0x20 only */
		if (x != y && ((x | 0x20) != (y | 0x20) ||
		               (unsigned)((x | 0x20) - 'a') > 'z' - 'a'))
			return false;
	}
	return true;
}

/* Does s start with the C string lit, ignoring ASCII case? Inline: the
 * parsers call it a few hundred times per Received field, nearly always
 * with a literal whose length is then known at compile time, and most
 * calls end at the length check or the first byte. */
static inline bool
str_istarts(struct str s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n >= n && str_ieq_bytes(s.p, lit, n);
}

/* ASCII case-insensitive comparison of s against the C string lit. */
static inline bool
str_ieq(struct str s, const char *lit)
{
	return s.n == strlen(lit) && str_istarts(s, lit);
}

/* Strip leading and trailing space, tab, CR and LF. Inline: it runs on
 * most values the parsers look at, and most have nothing to strip, which
 * two byte compares tell (the four are all <= ' '). */
struct str str_trim_slow(struct str s);

static inline struct str
str_trim(struct str s)
{
	if (s.n == 0 ||
	    ((unsigned char)s.p[0] > ' ' && (unsigned char)s.p[s.n - 1] > ' '))
		return s;
	return str_trim_slow(s);
}

/* Find the C string lit in s ignoring ASCII case; -1 when absent. */
long str_ifind(struct str s, const char *lit);

/* u in decimal at d (at most 20 bytes, no NUL); returns the end: its
 * length first, then the digits from the end, in place. The one integer
 * writer of the texts built without printf (findings, evidence, break
 * reasons) and of arena_printf and obuf. */
static inline char *
str_put_udec(char *d, unsigned long long u)
{
	size_t n = 1;
	for (unsigned long long t = u; t >= 10; t /= 10)
		n++;
	char *e = d + n;
	do
		*--e = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	return d + n;
}

/* v in decimal at d, as %lld writes it (at most 20 bytes, no NUL). */
static inline char *
str_put_dec(char *d, long long v)
{
	if (v >= 0)
		return str_put_udec(d, (unsigned long long)v);
	*d = '-'; /* unsigned arithmetic: -LLONG_MIN overflows */
	return str_put_udec(d + 1, 0 - (unsigned long long)v);
}

/* A hash of p[0..n) for memos (not for anything an attacker could
 * steer into collisions that matter: a collision costs a miss), eight
 * bytes at a time (a byte at a time was most of a memo hit); the last 1
 * to 7 bytes in a load or two that may overlap those hashed already. */
static inline size_t
str_hash(const char *p, size_t n)
{
	uint64_t h = n, w;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15u;
	}
	if (i == n) {
		w = 0;
	} else if (n >= 8) {
		memcpy(&w, p + n - 8, 8);
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		w = (uint64_t)a << 32 | b;
	} else {
		for (w = 0; i < n; i++)
			w = w << 8 | (unsigned char)p[i];
	}
	h = (h ^ w) * 0x9e3779b97f4a7c15u;
	return (size_t)(h ^ h >> 32);
}

#endif
