/*
 * obuf.h: a growing output buffer. report/ renders into it; cmd/ writes
 * it out (report/ does no I/O).
 */
#ifndef REPORT_OBUF_H
#define REPORT_OBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "parse/str.h"

struct obuf {
	char *p;
	size_t n, cap;
};

void obuf_init(struct obuf *o);
void obuf_free(struct obuf *o);
void obuf_reset(struct obuf *o);
void obuf_put(struct obuf *o, const char *p, size_t n);
void obuf_puts(struct obuf *o, const char *s);
void obuf_putc(struct obuf *o, char c);
void obuf_printf(struct obuf *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* n spaces */
void obuf_pad(struct obuf *o, size_t n);

#endif
