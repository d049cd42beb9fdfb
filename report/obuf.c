/* obuf.c: growing output buffer. */
#include "obuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/arena.h"
#include "parse/bulk.h"

void
obuf_init(struct obuf *o)
{
	o->p = NULL;
	o->n = o->cap = 0;
}

void
obuf_free(struct obuf *o)
{
	bulk_free(o->p, o->cap);
	obuf_init(o);
}

void
obuf_reset(struct obuf *o)
{
	o->n = 0;
}

void
obuf_grow(struct obuf *o, size_t more)
{
	if (o->cap - o->n > more)
		return;
	if (more > SIZE_MAX - o->n - 1)
		arena_oom(SIZE_MAX);
	/* the NUL after p[n] kept */
	o->p = bulk_grow(o->p, &o->cap, o->n + (o->p != NULL), o->n + more + 1);
}

/* NULL as printf's %s shows it (the callers that replaced a printf) */
void
obuf_puts(struct obuf *o, const char *s)
{
	if (!s)
		s = "(null)";
	obuf_put(o, s, strlen(s));
}

void
obuf_pad(struct obuf *o, size_t n)
{
	obuf_reserve(o, n);
	memset(o->p + o->n, ' ', n);
	o->n += n;
	o->p[o->n] = '\0';
}

void
obuf_putint(struct obuf *o, long long v)
{
	obuf_reserve(o, 20);
	char *e = str_put_dec(o->p + o->n, v);
	*e = '\0';
	o->n = (size_t)(e - o->p);
}

void
obuf_puts_pad(struct obuf *o, const char *s, size_t width)
{
	if (!s)
		s = "(null)";
	size_t n = strlen(s);
	obuf_put(o, s, n);
	if (n < width)
		obuf_pad(o, width - n);
}

void
obuf_printf(struct obuf *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char tmp[256];
	int k = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (k < 0)
		return;
	if ((size_t)k < sizeof(tmp)) {
		obuf_put(o, tmp, (size_t)k);
		return;
	}
	obuf_grow(o, (size_t)k + 1);
	va_start(ap, fmt);
	vsnprintf(o->p + o->n, (size_t)k + 1, fmt, ap);
	va_end(ap);
	o->n += (size_t)k;
}
