/*
 * sections.h: the report sections owned by the model's modules. json.c
 * and text.c call them in a fixed order; each writes nothing when its
 * part of the analysis is absent.
 */
#ifndef REPORT_SECTIONS_H
#define REPORT_SECTIONS_H

#include <stdbool.h>

#include "analysis.h"
#include "jsonw.h"
#include "obuf.h"

struct report_day; /* report.h */

struct text_style {
	bool color;
};

/* JSON keys "actors", "notation", "origin" (trace_out.c), each with its
 * leading comma, in a span at d (jsonw.h); returns the span's end. */
char *report_trace_json(struct jsonw *w, char *d, const struct analysis *an);
/* the two notation lines, each ending in '\n' (trace_out.c) */
void report_notation(struct obuf *o, const struct analysis *an);
/* text: the origin and actors, after the hop table (trace_out.c) */
void report_trace_text(struct obuf *o, const struct analysis *an,
                       const struct text_style *st);
/* A hop role quoted, null for none (json.c), at d in a span */
char *report_put_hop_role(char *d, enum hop_role r);
/* JSON key "auth" (auth_out.c), as report_trace_json; day: the date the
 * report last wrote (the arrival is most often the last hop's day) */
char *report_auth_json(struct jsonw *w, char *d, const struct analysis *an,
                       struct report_day *day);
/* text: the break lines shown under the notation (auth_out.c) */
void report_auth_text(struct obuf *o, const struct analysis *an,
                      const struct text_style *st);

/* Render untrusted bytes safely for a terminal: see sanitize.c. Returns
 * the display width (as text_safe_width). */
size_t text_safe(struct obuf *o, struct str s);
/* Display width text_safe would give s (for column alignment). */
size_t text_safe_width(struct str s);

#endif
