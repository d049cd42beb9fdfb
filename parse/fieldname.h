/*
 * fieldname.h: header field names compared with a lower-case literal a
 * word at a time, not a byte at a time: headers_split (parse/header.c)
 * classifies every field of every message by its name.
 */
#ifndef PARSE_FIELDNAME_H
#define PARSE_FIELDNAME_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Header field names, compared a word at a time. lit is in lower case:
 * at a letter of lit, a byte b of the name matches when b | 0x20 is that
 * letter (only the letter's two cases are), elsewhere it must be equal.
 * Inline with a literal, the masks below fold into constants. */
static inline uint64_t
name_letters8(uint64_t lit)
{
	const uint64_t ones = 0x0101010101010101u;
	uint64_t low7 = lit & 0x7f * ones;
	uint64_t ge_a = low7 + (0x80 - 'a') * ones;      /* bit 7: >= 'a' */
	uint64_t gt_z = low7 + (0x80 - 'z' - 1) * ones;  /* bit 7: > 'z' */
	return (ge_a & ~gt_z & ~lit & 0x80 * ones) >> 2; /* 0x20: a letter */
}

static inline bool
name_eq8(const char *p, const char *lit)
{
	uint64_t a, b;
	memcpy(&a, p, 8);
	memcpy(&b, lit, 8);
	return (a | name_letters8(b)) == b;
}

static inline bool
name_eq4(const char *p, const char *lit)
{
	uint32_t a, b;
	memcpy(&a, p, 4);
	memcpy(&b, lit, 4);
	return (a | (uint32_t)name_letters8(b)) == b;
}

/* p[0..n) against lit[0..n), n >= 4 (overlapping words at the end). */
static inline bool
name_eq_n(const char *p, const char *lit, size_t n)
{
	if (n < 8)
		return name_eq4(p, lit) && name_eq4(p + n - 4, lit + n - 4);
	for (size_t i = 0; i + 8 < n; i += 8)
		if (!name_eq8(p + i, lit + i))
			return false;
	return name_eq8(p + n - 8, lit + n - 8);
}

/* Is name lit (a lower-case literal of 4 bytes or more), in any case? */
#define NAME_IS(name, lit)                                                     \
	((name).n == sizeof(lit) - 1 &&                                        \
	 name_eq_n((name).p, lit, sizeof(lit) - 1))
/* Does name start with lit (likewise)? */
#define NAME_STARTS(name, lit)                                                 \
	((name).n >= sizeof(lit) - 1 &&                                        \
	 name_eq_n((name).p, lit, sizeof(lit) - 1))

#endif
