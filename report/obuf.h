/*
 * obuf.h: a growing output buffer. report/ renders into it; cmd/ writes
 * it out (report/ does no I/O).
 */
#ifndef REPORT_OBUF_H
#define REPORT_OBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "parse/str.h"

struct obuf {
	char *p;
	size_t n, cap;
};

void obuf_init(struct obuf *o);
void obuf_free(struct obuf *o);
void obuf_reset(struct obuf *o);
void obuf_puts(struct obuf *o, const char *s); /* NULL: "(null)", as %s */
void obuf_grow(struct obuf *o, size_t more);   /* the slow path of reserve */

/* Room for `more` bytes plus the terminating NUL kept after p[n]. The
 * writers below are inline: JSON output calls them once per token. */
static inline void
obuf_reserve(struct obuf *o, size_t more)
{
	if (o->cap - o->n <= more)
		obuf_grow(o, more);
}

static inline void
obuf_put(struct obuf *o, const char *p, size_t n)
{
	if (n == 0)
		return;
	obuf_reserve(o, n);
	memcpy(o->p + o->n, p, n);
	o->n += n;
	o->p[o->n] = '\0';
}

static inline void
obuf_putc(struct obuf *o, char c)
{
	obuf_reserve(o, 1);
	/* d taken once: a char store may alias o, so o->p[o->n] after the
	 * first store would load both again */
	char *d = o->p + o->n++;
	d[0] = c;
	d[1] = '\0';
}
void obuf_printf(struct obuf *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* n spaces */
void obuf_pad(struct obuf *o, size_t n);
/* Without printf (whose every call costs about 1000 instructions), for
 * the text report's most frequent pieces: v in decimal as %lld, and s
 * padded with spaces to width as %-*s. */
void obuf_putint(struct obuf *o, long long v);
void obuf_puts_pad(struct obuf *o, const char *s, size_t width);

#endif
