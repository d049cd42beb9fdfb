/*
 * fuzzcheck.h: output properties the fuzz targets assert, written
 * independently of report/ so that a bug there cannot hide itself:
 *   fz_utf8_ok    the bytes are valid UTF-8 (no surrogates, no overlongs)
 *   fz_json_ok    one or more complete RFC 8259 documents, strings valid
 *                 UTF-8 without raw control characters
 *   fz_text_inert nothing a terminal would act on: no C0 control but LF,
 *                 no DEL, no C1, no bidi or invisible formatting
 * A failed property aborts (libFuzzer and the replay both report it).
 */
#ifndef TESTDATA_FUZZ_FUZZCHECK_H
#define TESTDATA_FUZZ_FUZZCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

/* Decode one UTF-8 sequence at p[0..n): its length, 0 if invalid. */
static inline size_t
fz_utf8_seq(const unsigned char *p, size_t n, unsigned long *cp)
{
	unsigned char c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	unsigned long v, min;
	if ((c & 0xE0) == 0xC0)
		len = 2, v = c & 0x1F, min = 0x80;
	else if ((c & 0xF0) == 0xE0)
		len = 3, v = c & 0x0F, min = 0x800;
	else if ((c & 0xF8) == 0xF0)
		len = 4, v = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

static inline bool
fz_utf8_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	for (size_t i = 0; i < n;) {
		size_t l = fz_utf8_seq(p + i, n - i, &cp);
		if (!l)
			return false;
		i += l;
	}
	return true;
}

/* Code points a terminal or a bidi-aware viewer acts on. */
static inline bool
fz_cp_active(unsigned long c)
{
	return (c < 0x20 && c != '\n') || c == 0x7F ||
	       (c >= 0x80 && c <= 0x9F) || c == 0x61C ||
	       (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
	       (c >= 0x2060 && c <= 0x2069) || c == 0xFEFF ||
	       (c >= 0xFFF9 && c <= 0xFFFB) || (c >= 0xE0000 && c <= 0xE007F);
}

/* Offset of the first byte that is not inert, or -1. */
static inline long
fz_text_active_at(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	for (size_t i = 0; i < n;) {
		size_t l = fz_utf8_seq(p + i, n - i, &cp);
		if (!l || fz_cp_active(cp))
			return (long)i;
		i += l;
	}
	return -1;
}

static inline bool
fz_text_inert(const char *s, size_t n)
{
	return fz_text_active_at(s, n) < 0;
}

struct fz_json {
	const unsigned char *p;
	size_t n, i;
	int depth;
};

static inline void
fz_json_ws(struct fz_json *j)
{
	while (j->i < j->n && (j->p[j->i] == ' ' || j->p[j->i] == '\t' ||
	                       j->p[j->i] == '\n' || j->p[j->i] == '\r'))
		j->i++;
}

static inline bool
fz_json_lit(struct fz_json *j, const char *lit)
{
	size_t k = 0;
	for (; lit[k]; k++)
		if (j->i + k >= j->n || j->p[j->i + k] != (unsigned char)lit[k])
			return false;
	j->i += k;
	return true;
}

static inline bool
fz_json_string(struct fz_json *j)
{
	if (j->i >= j->n || j->p[j->i] != '"')
		return false;
	j->i++;
	while (j->i < j->n) {
		unsigned char c = j->p[j->i];
		if (c == '"') {
			j->i++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			if (++j->i >= j->n)
				return false;
			c = j->p[j->i++];
			if (c == 'u') {
				for (int k = 0; k < 4; k++, j->i++) {
					if (j->i >= j->n)
						return false;
					unsigned char h = j->p[j->i];
					if (!((h >= '0' && h <= '9') ||
					      (h >= 'a' && h <= 'f') ||
					      (h >= 'A' && h <= 'F')))
						return false;
				}
			} else if (!(c == '"' || c == '\\' || c == '/' ||
			             c == 'b' || c == 'f' || c == 'n' ||
			             c == 'r' || c == 't'))
				return false;
			continue;
		}
		unsigned long cp;
		size_t l = fz_utf8_seq(j->p + j->i, j->n - j->i, &cp);
		if (!l)
			return false;
		j->i += l;
	}
	return false;
}

static inline bool
fz_json_number(struct fz_json *j)
{
	size_t s = j->i;
	if (j->i < j->n && j->p[j->i] == '-')
		j->i++;
	if (j->i >= j->n)
		return false;
	if (j->p[j->i] == '0')
		j->i++;
	else if (j->p[j->i] >= '1' && j->p[j->i] <= '9')
		while (j->i < j->n && j->p[j->i] >= '0' && j->p[j->i] <= '9')
			j->i++;
	else
		return false;
	if (j->i < j->n && j->p[j->i] == '.') {
		j->i++;
		size_t d = j->i;
		while (j->i < j->n && j->p[j->i] >= '0' && j->p[j->i] <= '9')
			j->i++;
		if (j->i == d)
			return false;
	}
	if (j->i < j->n && (j->p[j->i] == 'e' || j->p[j->i] == 'E')) {
		j->i++;
		if (j->i < j->n && (j->p[j->i] == '+' || j->p[j->i] == '-'))
			j->i++;
		size_t d = j->i;
		while (j->i < j->n && j->p[j->i] >= '0' && j->p[j->i] <= '9')
			j->i++;
		if (j->i == d)
			return false;
	}
	return j->i > s;
}

static inline bool fz_json_value(struct fz_json *j);

static inline bool
fz_json_container(struct fz_json *j, char close, bool object)
{
	if (++j->depth > 256)
		return false;
	j->i++;
	fz_json_ws(j);
	if (j->i < j->n && j->p[j->i] == (unsigned char)close) {
		j->i++;
		j->depth--;
		return true;
	}
	for (;;) {
		fz_json_ws(j);
		if (object) {
			if (!fz_json_string(j))
				return false;
			fz_json_ws(j);
			if (j->i >= j->n || j->p[j->i] != ':')
				return false;
			j->i++;
		}
		if (!fz_json_value(j))
			return false;
		fz_json_ws(j);
		if (j->i >= j->n)
			return false;
		if (j->p[j->i] == ',') {
			j->i++;
			continue;
		}
		if (j->p[j->i] != (unsigned char)close)
			return false;
		j->i++;
		j->depth--;
		return true;
	}
}

static inline bool
fz_json_value(struct fz_json *j)
{
	fz_json_ws(j);
	if (j->i >= j->n)
		return false;
	switch (j->p[j->i]) {
	case '{':
		return fz_json_container(j, '}', true);
	case '[':
		return fz_json_container(j, ']', false);
	case '"':
		return fz_json_string(j);
	case 't':
		return fz_json_lit(j, "true");
	case 'f':
		return fz_json_lit(j, "false");
	case 'n':
		return fz_json_lit(j, "null");
	default:
		return fz_json_number(j);
	}
}

/* One or more documents separated by white space. */
static inline bool
fz_json_ok(const char *s, size_t n)
{
	struct fz_json j = {(const unsigned char *)s, n, 0, 0};
	size_t docs = 0;
	for (;;) {
		fz_json_ws(&j);
		if (j.i >= j.n)
			return docs > 0;
		if (!fz_json_value(&j))
			return false;
		docs++;
	}
}

/* Abort with a hex dump around the offending offset. */
static inline void
fz_fail(const char *what, const char *s, size_t n, long at)
{
	fprintf(stderr, "fuzzcheck: %s (output of %zu bytes, at %ld)\n", what,
	        n, at);
	size_t from = at > 40 ? (size_t)at - 40 : 0;
	for (size_t i = from; i < n && i < from + 80; i++)
		fprintf(stderr, "%02x%c", (unsigned char)s[i],
		        (long)i == at ? '<' : ' ');
	fputc('\n', stderr);
	abort();
}

#endif
