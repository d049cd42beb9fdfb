/* arena.c: chunked bump allocator, see arena.h. */
#include "arena.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bulk.h"

static arena_oom_fn oom_handler;

void
arena_set_oom_handler(arena_oom_fn fn)
{
	oom_handler = fn;
}

void
arena_oom(size_t n)
{
	if (oom_handler)
		oom_handler(n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		arena_oom(n);
	return p;
}

void *
xrealloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);
	if (!p)
		arena_oom(n);
	return p;
}

void *
xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		arena_oom(count * size);
	return p;
}

/* A chunk for at least `want` bytes, in a block of bulk.h (its whole
 * size used), at least ARENA_CHUNK_MIN in all. */
static struct arena_chunk *
chunk_new(size_t want)
{
	size_t head = sizeof(struct arena_chunk);
	if (want > SIZE_MAX - head)
		arena_oom(want);
	size_t n =
	    want + head < ARENA_CHUNK_MIN ? ARENA_CHUNK_MIN : want + head;
	struct arena_chunk *c = bulk_alloc(&n);
	c->next = NULL;
	c->size = n - head; /* n a multiple of a page, head of the alignment */
	c->used = 0;
	return c;
}

struct arena *
arena_new(void)
{
	struct arena *a = xcalloc(1, sizeof(*a));
	a->first = a->head = chunk_new(ARENA_CHUNK_MIN);
	return a;
}

static void
free_chain(struct arena_chunk *c, struct arena_chunk *stop)
{
	while (c && c != stop) {
		struct arena_chunk *n = c->next;
		bulk_free(c, sizeof(*c) + c->size);
		c = n;
	}
}

void
arena_reset(struct arena *a)
{
	/* chunks are linked newest first; the first chunk is the tail */
	free_chain(a->head, a->first);
	a->head = a->first;
	a->first->used = 0;
	a->first->next = NULL;
	a->total = 0;
}

void
arena_free(struct arena *a)
{
	if (!a)
		return;
	free_chain(a->head, NULL);
	free(a);
}

size_t
arena_used(const struct arena *a)
{
	return a->total;
}

/* Start a chunk for n (rounded) bytes: twice the current size, or n. */
static void *
alloc_new_chunk(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t want = n;
	if (want < c->size * 2 && c->size <= SIZE_MAX / 4)
		want = c->size * 2;
	struct arena_chunk *nc = chunk_new(want);
	nc->next = c;
	a->head = nc;
	nc->used = n;
	a->total += n;
	return nc->data;
}

/* The bump itself, inline in every allocation function below: they are
 * called a few hundred thousand times per corpus. */
static inline void *
bump(struct arena *a, size_t n)
{
	const size_t al = sizeof(max_align_t);
	if (n > SIZE_MAX - al)
		arena_oom(n);
	n = (n + al - 1) & ~(al - 1);
	if (n == 0)
		n = al;
	struct arena_chunk *c = a->head;
	if (c->size - c->used < n)
		return alloc_new_chunk(a, n);
	void *p = (char *)c->data + c->used;
	c->used += n;
	a->total += n;
	return p;
}

void *
arena_alloc_slow(struct arena *a, size_t n)
{
	return bump(a, n);
}

void *
arena_overflow(void)
{
	arena_oom(SIZE_MAX);
	return NULL; /* not reached: oom does not return */
}

void *
arena_grow(struct arena *a, void *old, size_t oldcount, size_t newcount,
           size_t size)
{
	/* zero only the new part: the old one is copied over */
	char *p = arena_grow_raw(a, old, oldcount, newcount, size);
	size_t kept = !old ? 0 : oldcount < newcount ? oldcount : newcount;
	memset(p + kept * size, 0, (newcount - kept) * size);
	return p;
}

struct str
arena_str(struct arena *a, const char *p, size_t n)
{
	return str_make(arena_strndup(a, p, n), n);
}

/* Append s[0..n) at *d if it fits before e. */
static bool
fmt_put(char **d, const char *e, const char *s, size_t n)
{
	if ((size_t)(e - *d) < n)
		return false;
	memcpy(*d, s, n);
	*d += n;
	return true;
}

static bool
fmt_unsigned(char **d, const char *e, bool neg, unsigned long long u)
{
	if (u < 10 && !neg) { /* hop and header indices, mostly */
		if (*d == e)
			return false;
		*(*d)++ = (char)('0' + u);
		return true;
	}
	char buf[24], *q = buf;
	if (neg)
		*q++ = '-';
	q = str_put_udec(q, u);
	return fmt_put(d, e, buf, (size_t)(q - buf));
}

static bool
fmt_signed(char **d, const char *e, long long v)
{
	/* unsigned arithmetic: -LLONG_MIN overflows */
	return fmt_unsigned(d, e, v < 0,
	                    v < 0 ? 0 - (unsigned long long)v
	                          : (unsigned long long)v);
}

/*
 * vsnprintf for the formats findings and evidence use (%s, %.*s, %d,
 * %ld, %zu, %lld, %llu, %%, no flags or widths): glibc's costs about a
 * thousand instructions per call, and there are some twenty calls per
 * message. Returns the length written at dst (NUL-terminated), or -1 when
 * the format has another conversion, a string is NULL or the result does
 * not fit in room: the caller then asks vsnprintf with a fresh copy of
 * the arguments (ap here is a copy, partly consumed).
 */
static int
simple_format(char *dst, size_t room, const char *fmt, va_list ap)
{
	char *d = dst;
	const char *e = dst + room - 1; /* room for the NUL */
	for (const char *p = fmt;;) {
		/* strchrnul: the '%' or the end in one scan (strchr then
		 * strlen for the last run scanned it twice) */
		const char *pc = strchrnul(p, '%');
		if (!fmt_put(&d, e, p, (size_t)(pc - p)))
			return -1;
		if (!*pc)
			break;
		p = pc + 1;
		bool ok;
		if (*p == '%') {
			ok = fmt_put(&d, e, "%", 1);
			p++;
		} else if (*p == 's' ||
		           (p[0] == '.' && p[1] == '*' && p[2] == 's')) {
			int prec = -1;
			if (*p == '.') {
				prec = va_arg(ap, int);
				p += 2;
			}
			p++;
			const char *s = va_arg(ap, const char *);
			if (!s)
				return -1; /* "(null)" and its precision rule */
			size_t n =
			    prec < 0 ? strlen(s) : strnlen(s, (size_t)prec);
			ok = fmt_put(&d, e, s, n);
		} else if (*p == 'd') {
			ok = fmt_signed(&d, e, va_arg(ap, int));
			p++;
		} else if (p[0] == 'z' && p[1] == 'u') {
			ok = fmt_unsigned(&d, e, false, va_arg(ap, size_t));
			p += 2;
		} else if (p[0] == 'l' && p[1] == 'd') {
			ok = fmt_signed(&d, e, va_arg(ap, long));
			p += 2;
		} else if (p[0] == 'l' && p[1] == 'l' && p[2] == 'd') {
			ok = fmt_signed(&d, e, va_arg(ap, long long));
			p += 3;
		} else if (p[0] == 'l' && p[1] == 'l' && p[2] == 'u') {
			ok = fmt_unsigned(&d, e, false,
			                  va_arg(ap, unsigned long long));
			p += 3;
		} else {
			/* another conversion (flags, widths, %x...): the
			 * caller asks vsnprintf, with its own copy of ap */
			return -1;
		}
		if (!ok)
			return -1;
	}
	*d = '\0';
	return d - dst > INT_MAX ? -1 : (int)(d - dst);
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	/* one pass when it fits in what is left of the current chunk */
	struct arena_chunk *c = a->head;
	size_t room = c->size - c->used;
	if (room > 1) {
		va_list ap1;
		va_copy(ap1, ap);
		char *dst = (char *)c->data + c->used;
		int k = simple_format(dst, room, fmt, ap1);
		va_end(ap1);
		if (k < 0) {
			va_copy(ap1, ap);
			k = vsnprintf(dst, room, fmt, ap1);
			va_end(ap1);
		}
		if (k >= 0 && (size_t)k < room) {
			const size_t al = sizeof(max_align_t);
			size_t used = ((size_t)k + 1 + al - 1) & ~(al - 1);
			c->used += used;
			a->total += used;
			return dst;
		}
	}
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return arena_strndup(a, "", 0);
	char *s = bump(a, (size_t)n + 1); /* vsnprintf writes it all */
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return s;
}
