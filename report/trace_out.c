/* trace_out.c: placeholder until the role model lands. */
#include "sections.h"

void
report_trace_json(struct jsonw *w, const struct analysis *an)
{
	(void)w;
	(void)an;
}

void
report_notation(struct obuf *o, const struct analysis *an)
{
	(void)o;
	(void)an;
}

void
report_trace_text(struct obuf *o, const struct analysis *an,
		  const struct text_style *st)
{
	(void)o;
	(void)an;
	(void)st;
}
