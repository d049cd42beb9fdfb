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

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "obuf.h"
#include "parse/str.h"

/* Nesting deeper than this is a bug in report/, not input-driven. */
#define JSONW_MAX_DEPTH 32

/*
 * The writer keeps its own cursor into the obuf: d is where the next byte
 * goes and end is o->p + o->cap, so a member checks its room and finds
 * its place with two loads instead of the obuf's three. o->n (and the NUL
 * after the contents) is brought up to date when the document ends: its
 * outermost container closes, or a value is written outside any. While a
 * document is being written, use the obuf only through the writer (and
 * while a span is open, only through the span's cursor: see below).
 *
 * The writer itself only writes compact JSON. Pretty output (-f json) is
 * the compact document re-laid out when it ends (jsonw_pretty_doc), so
 * that no writer, inline or not, tests `pretty`, and a renderer may write
 * compact fragments of its own (the spans below) in either format.
 */
struct jsonw {
	struct obuf *o;
	char *d, *end;
	bool pretty;
	int depth;
	bool comma;      /* an element was written at this depth: the next
	                    one needs a comma (false after a key: its value
	                    needs none) */
	bool after_key;  /* a key was written, its value comes next */
	size_t replaced; /* invalid UTF-8 sequences replaced */
	size_t start;    /* where the document began in o (pretty output) */
	bool avx2;       /* the processor has AVX2: the string writers' pass */
	/* jsonw_put_cstr's pass for the processor, so that the choice costs
	 * no test per string (jsonw_init) */
	char *(*put_cstr)(struct jsonw *w, char *d, const char *s);
	/* jsonw_put_cstr's: a block of the string shifted through memory */
	unsigned char scratch[64];
};

void jsonw_init(struct jsonw *w, struct obuf *o, bool pretty);
void jsonw_grow(struct jsonw *w, size_t more); /* jsonw_reserve's slow path */
/* jsonw_obj, jsonw_arr and their ends are inline below */
void jsonw_keyn(struct jsonw *w, const char *key, size_t n);
void jsonw_str_slow(struct jsonw *w, struct str s); /* jsonw_str's */
/* jsonw_kstr's, for a literal key of n bytes */
void jsonw_kstr_slow(struct jsonw *w, const char *key, size_t n, struct str s);
void jsonw_int_slow(struct jsonw *w, int64_t v); /* jsonw_int's */
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null_slow(struct jsonw *w); /* jsonw_null's */
/* The document that just ended, compact from w->start to o->n, re-laid
 * out with newlines and indents (pretty output). */
void jsonw_pretty_doc(struct jsonw *w);

/*
 * Members (key + value) are written in one go: a report writes about 400
 * keys per message, and a separate call for the key and for the value,
 * each with its separator logic, buffer check and NUL, cost a third of
 * the whole analysis. A member reserves room once, writes `,"key":` (the
 * key a literal, so its copy has a constant length) and the value after
 * it. The NUL after the buffer's contents and o->n are not kept up to
 * date here (jsonw_flush).
 */
#define JSONW_INT_MAX 20 /* "-9223372036854775808" */
/* Input bytes escaped per round: the output room reserved for a round is
 * 6 bytes per input byte (\u00XX) plus a UTF-8 sequence running over the
 * end, so a long value never reserves more than ~24 kB at once. */
#define JSONW_ESCAPE_ROUND 4096
#define JSONW_ESCAPE_ROOM(n) ((n)*6 + 18)

char *jsonw_member_slow(struct jsonw *w, const char *key, size_t n,
                        size_t more);
/* May a string of n bytes be escaped in one go when there is room for it
 * (JSONW_ESCAPE_ROOM)? Then the room test alone keeps a long string to
 * the general path, which escapes it in rounds. With a 64-bit size_t
 * 6 * n cannot wrap, so any n; else only up to a round. */
#if SIZE_MAX > 0xFFFFFFFFu
#define JSONW_ONE_GO(n) 1
#else
#define JSONW_ONE_GO(n) ((n) <= JSONW_ESCAPE_ROUND)
#endif
/* "s" escaped at d, for JSONW_ONE_GO(s.n), with
 * JSONW_ESCAPE_ROOM(s.n) bytes of room; returns the end. */
char *jsonw_escape_short(struct jsonw *w, char *d, struct str s);
/* v in decimal at d (JSONW_INT_MAX bytes of room); returns the end. */
char *jsonw_int_at(char *d, int64_t v);

/* "00" to "99": decimal output two digits per lookup, no division. */
extern const char jsonw_digit_pairs[200];

/* v < 100 as two digits at d; returns the end. */
static inline char *
jsonw_two_digits(char *d, unsigned v)
{
	memcpy(d, jsonw_digit_pairs + 2 * v, 2);
	return d + 2;
}

/* The member writers below must be inlined where they are called for
 * JSONW_LITERAL_KEY to see the literal: GCC's inliner gives up on them
 * in long functions such as json.c's hop() otherwise. */
#if defined(__GNUC__)
#define JSONW_INLINE static inline __attribute__((always_inline))
#else
#define JSONW_INLINE static inline
#endif

#if defined(__GNUC__) && defined(__OPTIMIZE__)
/* A string literal: the report's own key names, plain ASCII with no '"',
 * '\\' or control byte, written without the check. */
#define JSONW_LITERAL_KEY(key) __builtin_constant_p(strlen(key))
#else
#define JSONW_LITERAL_KEY(key) 0
#endif

/* Is there room for `more` bytes at w->d, and for the NUL after them? */
JSONW_INLINE bool
jsonw_room(const struct jsonw *w, size_t more)
{
	return w->end - w->d > (ptrdiff_t)more;
}

/* Room for `more` bytes at w->d, and for the NUL after them. */
JSONW_INLINE void
jsonw_reserve(struct jsonw *w, size_t more)
{
	if (!jsonw_room(w, more))
		jsonw_grow(w, more);
}

/* After a value or a close: at depth 0 the document may end here, so
 * o->n and the NUL after the contents are brought up to date (and
 * pretty output laid out). */
JSONW_INLINE void
jsonw_flush(struct jsonw *w)
{
	if (w->depth > 0)
		return;
	*w->d = '\0';
	w->o->n = (size_t)(w->d - w->o->p);
	if (w->pretty)
		jsonw_pretty_doc(w);
}

/* The compact separator and "key": at w->d, where there is room. */
JSONW_INLINE char *
jsonw_member_at(struct jsonw *w, const char *key, size_t n)
{
	char *d = w->d;
	*d = ',';
	d += w->comma; /* branch-free: the comma stays only when needed */
	*d++ = '"';
	memcpy(d, key, n);
	d += n;
	*d++ = '"';
	*d++ = ':';
	return d;
}

/* The separator and "key": of a member with a literal key, and room for
 * `more` bytes of value; returns where the value goes. */
JSONW_INLINE char *
jsonw_member(struct jsonw *w, const char *key, size_t n, size_t more)
{
	if (!jsonw_room(w, n + 4 + more))
		return jsonw_member_slow(w, key, n, more);
	return jsonw_member_at(w, key, n);
}

JSONW_INLINE void
jsonw_member_end(struct jsonw *w, char *d)
{
	w->d = d;
	w->comma = true;
}

/*
 * Containers are opened and closed inline (a report has about 90 per
 * message); jsonw_open_slow and jsonw_close_slow when out of room.
 */
void jsonw_open_slow(struct jsonw *w, char c);
void jsonw_close_slow(struct jsonw *w, char c);

/* After the bracket at d[-1]: one level deeper, nothing in it yet. */
JSONW_INLINE void
jsonw_push(struct jsonw *w, char *d)
{
	w->d = d;
	assert(w->depth + 1 < JSONW_MAX_DEPTH);
	w->depth++;
	w->comma = false;
}

/* The separator before a value that is not a member's (an array element,
 * or the value after jsonw_key), where there is room; returns where the
 * value goes. */
JSONW_INLINE char *
jsonw_elem_at(struct jsonw *w)
{
	char *d = w->d;
	*d = ',';
	d += w->comma; /* a key cleared it: no test of after_key */
	w->after_key = false;
	return d;
}

/* The end of a value at d (it may be the whole document). */
JSONW_INLINE void
jsonw_value_end(struct jsonw *w, char *d)
{
	w->d = d;
	w->comma = true;
	jsonw_flush(w);
}

/* A string as a value (an array element, or after jsonw_key). Inline
 * when there is room: a report has about 20 such per message (roles,
 * domains, flags). */
JSONW_INLINE void
jsonw_str(struct jsonw *w, struct str s)
{
	if (!JSONW_ONE_GO(s.n) || !jsonw_room(w, JSONW_ESCAPE_ROOM(s.n) + 1)) {
		jsonw_str_slow(w, s);
		return;
	}
	char *d = jsonw_elem_at(w);
	jsonw_value_end(w, jsonw_escape_short(w, d, s));
}

/* An integer as a value (the hop numbers of actors and networks): inline
 * as jsonw_str. */
JSONW_INLINE void
jsonw_int(struct jsonw *w, int64_t v)
{
	if (!jsonw_room(w, JSONW_INT_MAX + 1)) {
		jsonw_int_slow(w, v);
		return;
	}
	char *d = jsonw_elem_at(w);
	if ((uint64_t)v < 10) /* most: indexes; no call */
		*d++ = (char)('0' + v);
	else
		d = jsonw_int_at(d, v);
	jsonw_value_end(w, d);
}

JSONW_INLINE void
jsonw_null(struct jsonw *w)
{
	if (!jsonw_room(w, 5)) {
		jsonw_null_slow(w);
		return;
	}
	char *d = jsonw_elem_at(w);
	memcpy(d, "null", 4);
	jsonw_value_end(w, d + 4);
}

/* '{' or '[' as a value */
JSONW_INLINE void
jsonw_open(struct jsonw *w, char c)
{
	if (!jsonw_room(w, 2)) {
		jsonw_open_slow(w, c);
		return;
	}
	char *d = jsonw_elem_at(w);
	*d++ = c;
	jsonw_push(w, d);
}

JSONW_INLINE void
jsonw_close(struct jsonw *w, char c)
{
	if (!jsonw_room(w, 1)) {
		jsonw_close_slow(w, c);
		return;
	}
	*w->d++ = c;
	w->depth--;
	w->comma = true;
	jsonw_flush(w);
}

JSONW_INLINE void
jsonw_obj(struct jsonw *w)
{
	jsonw_open(w, '{');
}

JSONW_INLINE void
jsonw_obj_end(struct jsonw *w)
{
	jsonw_close(w, '}');
}

JSONW_INLINE void
jsonw_arr(struct jsonw *w)
{
	jsonw_open(w, '[');
}

JSONW_INLINE void
jsonw_arr_end(struct jsonw *w)
{
	jsonw_close(w, ']');
}

/* A key (escaped like any string) whose value follows in another call. */
JSONW_INLINE void
jsonw_key(struct jsonw *w, const char *key)
{
	if (!JSONW_LITERAL_KEY(key)) {
		jsonw_keyn(w, key, strlen(key));
		return;
	}
	/* `,"key":` as a member writes it, inline: no call, no strlen */
	w->d = jsonw_member(w, key, strlen(key), 0);
	w->after_key = true;
	w->comma = false; /* the value needs none (jsonw_elem_at) */
}

/* A member whose value is an object or array: `,"key":{` in one go. */
JSONW_INLINE void
jsonw_kopen(struct jsonw *w, const char *key, size_t n, char c)
{
	char *d = jsonw_member(w, key, n, 1);
	*d++ = c;
	jsonw_push(w, d);
}

JSONW_INLINE void
jsonw_kobj(struct jsonw *w, const char *key)
{
	if (!JSONW_LITERAL_KEY(key)) {
		jsonw_key(w, key);
		jsonw_obj(w);
		return;
	}
	jsonw_kopen(w, key, strlen(key), '{');
}

JSONW_INLINE void
jsonw_karr(struct jsonw *w, const char *key)
{
	if (!JSONW_LITERAL_KEY(key)) {
		jsonw_key(w, key);
		jsonw_arr(w);
		return;
	}
	jsonw_kopen(w, key, strlen(key), '[');
}

/*
 * A member whose string value the caller writes in place, of bytes that
 * need no escaping (digits, ASCII punctuation: a time, a zone): returns
 * where up to `more` bytes go; jsonw_kplain_end closes the string at d.
 */
JSONW_INLINE char *
jsonw_kplain(struct jsonw *w, const char *key, size_t more)
{
	char *d;
	if (JSONW_LITERAL_KEY(key)) {
		d = jsonw_member(w, key, strlen(key), more + 2);
	} else {
		jsonw_key(w, key);
		w->after_key = false; /* the value follows here */
		jsonw_reserve(w, more + 2);
		d = w->d;
	}
	*d = '"';
	return d + 1;
}

JSONW_INLINE void
jsonw_kplain_end(struct jsonw *w, char *d)
{
	*d++ = '"';
	jsonw_member_end(w, d);
}

/* NULL writes null */
JSONW_INLINE void
jsonw_cstr(struct jsonw *w, const char *s)
{
	if (s)
		jsonw_str(w, str_make(s, strlen(s)));
	else
		jsonw_null(w);
}

/* A member whose value is a string literal of report/'s own (plain ASCII:
 * no '"', '\\' or control byte, as for keys): copied with its quotes, no
 * strlen or escaping. The "" around lit refuse anything but a literal. */
#define jsonw_klit(w, key, lit)                                                \
	jsonw_klit_n((w), (key), "" lit "", sizeof(lit) - 1)

JSONW_INLINE void
jsonw_klit_n(struct jsonw *w, const char *key, const char *s, size_t n)
{
	if (!JSONW_LITERAL_KEY(key)) {
		jsonw_key(w, key);
		jsonw_str(w, str_make(s, n));
		return;
	}
	char *d = jsonw_member(w, key, strlen(key), n + 2);
	*d = '"';
	memcpy(d + 1, s, n);
	d[n + 1] = '"';
	jsonw_member_end(w, d + n + 2);
}

/* key + value shorthands; the _or_null forms write null for empty */
JSONW_INLINE void
jsonw_knull(struct jsonw *w, const char *key)
{
	if (!JSONW_LITERAL_KEY(key)) {
		jsonw_key(w, key);
		jsonw_null(w);
		return;
	}
	char *d = jsonw_member(w, key, strlen(key), 4);
	memcpy(d, "null", 4);
	jsonw_member_end(w, d + 4);
}

JSONW_INLINE void
jsonw_kstr(struct jsonw *w, const char *key, struct str s)
{
	if (!JSONW_LITERAL_KEY(key)) {
		jsonw_key(w, key);
		jsonw_str(w, s);
		return;
	}
	size_t n = strlen(key);
	if (!JSONW_ONE_GO(s.n) ||
	    !jsonw_room(w, n + 4 + JSONW_ESCAPE_ROOM(s.n))) {
		jsonw_kstr_slow(w, key, n, s); /* or long */
		return;
	}
	char *d = jsonw_member_at(w, key, n);
	jsonw_member_end(w, jsonw_escape_short(w, d, s));
}

JSONW_INLINE void
jsonw_kstr_or_null(struct jsonw *w, const char *key, struct str s)
{
	if (s.n)
		jsonw_kstr(w, key, s);
	else
		jsonw_knull(w, key);
}

JSONW_INLINE void
jsonw_kcstr(struct jsonw *w, const char *key, const char *s)
{
	if (s)
		jsonw_kstr(w, key, str_make(s, strlen(s)));
	else
		jsonw_knull(w, key);
}

JSONW_INLINE void
jsonw_kint(struct jsonw *w, const char *key, int64_t v)
{
	if (!JSONW_LITERAL_KEY(key)) {
		jsonw_key(w, key);
		jsonw_int(w, v);
		return;
	}
	char *d = jsonw_member(w, key, strlen(key), JSONW_INT_MAX);
	if ((uint64_t)v < 10) /* most: indexes; no call */
		*d++ = (char)('0' + v);
	else
		d = jsonw_int_at(d, v);
	jsonw_member_end(w, d);
}

JSONW_INLINE void
jsonw_kbool(struct jsonw *w, const char *key, bool v)
{
	if (!JSONW_LITERAL_KEY(key)) {
		jsonw_key(w, key);
		jsonw_bool(w, v);
		return;
	}
	char *d = jsonw_member(w, key, strlen(key), 5);
	/* both literals have 5 bytes with the NUL of "true" */
	memcpy(d, v ? "true" : "false", 5);
	jsonw_member_end(w, d + 5 - v);
}

/*
 * Spans: a renderer writes a run of compact JSON at a local cursor d,
 * the constant keys and punctuation between values as one literal each
 * (JSONW_LIT: `,"by":` or `},"tls":null,"auth":` in one copy of constant
 * length), with no separator logic, no depth or comma bookkeeping and no
 * store of the writer's cursor per member. jsonw_span writes the
 * separator and returns d; the span is complete JSON values, handed back
 * with jsonw_span_end. While a span is open d is the cursor (w->d is
 * stale): write only at d, and through the jsonw_put_* below, which may
 * move the buffer and return the new d.
 *
 * Room: jsonw_span leaves JSONW_SPAN_SLACK bytes, and so do jsonw_put_str
 * and jsonw_put_cstr after what they write (the null of
 * jsonw_put_str_or_null counts as a literal). Between two of those a
 * span may write at most JSONW_SPAN_SLACK bytes of literals, numbers (at
 * most JSONW_INT_MAX each), booleans and nulls; jsonw_span_room when it
 * needs more (a loop of numbers). The report's longest such run (the end
 * of the trace, all its clients present but empty, into an empty auth
 * section) is under 1 kB: the slack is four times that, and costs only
 * buffer. jsonw_span_end asserts the room held.
 *
 * Pretty output is the same: jsonw_pretty_doc lays it out at the end.
 */
#define JSONW_SPAN_SLACK 4096

/* Room for more bytes at d, d moving if the buffer does. */
char *jsonw_span_grow(struct jsonw *w, char *d, size_t more);

JSONW_INLINE char *
jsonw_span_room(struct jsonw *w, char *d, size_t more)
{
	if (w->end - d > (ptrdiff_t)more)
		return d;
	return jsonw_span_grow(w, d, more);
}

/* Starts a span of values: the separator, then d for the first. */
JSONW_INLINE char *
jsonw_span(struct jsonw *w)
{
	jsonw_reserve(w, JSONW_SPAN_SLACK + 1);
	return jsonw_elem_at(w);
}

/* The span wrote complete values up to d. */
JSONW_INLINE void
jsonw_span_end(struct jsonw *w, char *d)
{
	assert(d < w->end); /* the span kept to its room */
	jsonw_value_end(w, d);
}

/* A literal (string constant) at d */
#define JSONW_LIT(d, lit) jsonw_put_lit((d), "" lit "", sizeof(lit) - 1)

JSONW_INLINE char *
jsonw_put_lit(char *d, const char *s, size_t n)
{
	memcpy(d, s, n);
	return d + n;
}

/* s escaped, with its quotes; then JSONW_SPAN_SLACK bytes of room. */
char *jsonw_put_strn(char *d, const char *p, size_t n, struct jsonw *w);

/* jsonw_put_strn of s. Its arguments in that order, as the callers have
 * them: d computed into the first argument's register, the string
 * loaded straight into the next two; with (w, d, s) they loaded it into
 * other registers and moved all four at each call (measured: 105.52 M
 * -> 105.27 M instructions on c8) */
JSONW_INLINE char *
jsonw_put_str(struct jsonw *w, char *d, struct str s)
{
	return jsonw_put_strn(d, s.p, s.n, w);
}

/* null, then JSONW_SPAN_SLACK bytes of room (jsonw_put_cstr's NULL) */
char *jsonw_put_null_room(struct jsonw *w, char *d);

JSONW_INLINE char *
jsonw_put_str_or_null(struct jsonw *w, char *d, struct str s)
{
	if (s.n)
		return jsonw_put_str(w, d, s);
	return JSONW_LIT(d, "null");
}

/* s escaped, or null for NULL; then JSONW_SPAN_SLACK bytes of room
 * either way. */
JSONW_INLINE char *
jsonw_put_cstr(struct jsonw *w, char *d, const char *s)
{
	return w->put_cstr(w, d, s);
}

JSONW_INLINE char *
jsonw_put_int(char *d, int64_t v)
{
	if ((uint64_t)v < 10) { /* most: indexes; no call */
		*d = (char)('0' + v);
		return d + 1;
	}
	if ((uint64_t)v < 100) /* header indexes, delays: no call either */
		return jsonw_two_digits(d, (unsigned)v);
	return jsonw_int_at(d, v);
}

/* The value, null for a negative one (no hop, no header). */
JSONW_INLINE char *
jsonw_put_index(char *d, int64_t v)
{
	if (v < 0)
		return JSONW_LIT(d, "null");
	return jsonw_put_int(d, v);
}

JSONW_INLINE char *
jsonw_put_bool(char *d, bool v)
{
	/* both literals have 5 bytes with the NUL of "true" */
	memcpy(d, v ? "true" : "false", 5);
	return d + 5 - v;
}

/*
 * A name of report/'s own (a flag, a severity: plain ASCII, as keys) as
 * a JSON string with its length, in 16 bytes: written with one copy of
 * constant size, not measured and scanned for escapes. JSONW_NAME makes
 * one from a literal of at most 13 bytes (longer ones do not compile);
 * JSONW_NAME_ITEM is the same as an X(name) of a list of names.
 */
struct jsonw_name {
	char s[15];
	unsigned char n;
};
#define JSONW_NAME(lit)                                                        \
	{                                                                      \
		"\"" lit "\"",                                                 \
		    sizeof(lit) + 1 +                                          \
		        0 * sizeof(char[sizeof(lit) <= 14 ? 1 : -1])           \
	}
#define JSONW_NAME_ITEM(lit) JSONW_NAME(lit),

/* The copy's 16 bytes are within the span's slack. */
JSONW_INLINE char *
jsonw_put_name(char *d, const struct jsonw_name *name)
{
	memcpy(d, name, sizeof(*name));
	return d + name->n;
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
size_t utf8_valid_len(const unsigned char *p, size_t n);

#endif
