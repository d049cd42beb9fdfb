/*
 * jsonw.h: a small streaming JSON writer.
 *
 * A jansson tree per message costs about ten times as much as writing the
 * document straight out (guide/dependencies.md), so output streams. The
 * writer always produces valid JSON: strings are escaped (", \, control
 * bytes as \u00XX), NUL bytes and invalid UTF-8 are replaced with U+FFFD
 * and counted in `replaced` so the report can flag it. Commas are placed
 * automatically.
 */
#ifndef REPORT_JSONW_H
#define REPORT_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "obuf.h"
#include "parse/str.h"

/* Nesting deeper than this is a bug in report/, not input-driven. */
#define JSONW_MAX_DEPTH 32

struct jsonw {
	struct obuf *o;
	bool pretty;
	int depth;
	bool first[JSONW_MAX_DEPTH]; /* no element written yet at depth */
	bool after_key;
	size_t replaced; /* invalid UTF-8 sequences replaced */
};

void jsonw_init(struct jsonw *w, struct obuf *o, bool pretty);
void jsonw_obj(struct jsonw *w);
void jsonw_obj_end(struct jsonw *w);
void jsonw_arr(struct jsonw *w);
void jsonw_arr_end(struct jsonw *w);
void jsonw_keyn(struct jsonw *w, const char *key, size_t n);
void jsonw_str(struct jsonw *w, struct str s);
void jsonw_cstr(struct jsonw *w, const char *s); /* NULL writes null */
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);

/* A key (escaped like any string). Inline, with the key + value shorthands
 * below, so that the length of a literal key is known at compile time: a
 * report writes about 300 keys per message. */
void jsonw_key_plain(struct jsonw *w, const char *key, size_t n);

static inline void
jsonw_key(struct jsonw *w, const char *key)
{
#if defined(__GNUC__) && defined(__OPTIMIZE__)
	/* A string literal: the report's own key names, plain ASCII with no
	 * '"', '\\' or control byte, written without the check. */
	if (__builtin_constant_p(strlen(key))) {
		jsonw_key_plain(w, key, strlen(key));
		return;
	}
#endif
	jsonw_keyn(w, key, strlen(key));
}

/* key + value shorthands; the _or_null forms write null for empty */
static inline void
jsonw_kstr(struct jsonw *w, const char *key, struct str s)
{
	jsonw_key(w, key);
	jsonw_str(w, s);
}

static inline void
jsonw_kstr_or_null(struct jsonw *w, const char *key, struct str s)
{
	jsonw_key(w, key);
	if (s.n)
		jsonw_str(w, s);
	else
		jsonw_null(w);
}

static inline void
jsonw_kcstr(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_cstr(w, s);
}

static inline void
jsonw_kint(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}

static inline void
jsonw_kbool(struct jsonw *w, const char *key, bool v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

static inline void
jsonw_knull(struct jsonw *w, const char *key)
{
	jsonw_key(w, key);
	jsonw_null(w);
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
size_t utf8_valid_len(const unsigned char *p, size_t n);

#endif
