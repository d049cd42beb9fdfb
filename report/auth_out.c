/* auth_out.c: placeholder until the break analysis lands. */
#include "sections.h"

void
report_auth_json(struct jsonw *w, const struct analysis *an)
{
	(void)w;
	(void)an;
}

void
report_auth_text(struct obuf *o, const struct analysis *an,
		 const struct text_style *st)
{
	(void)o;
	(void)an;
	(void)st;
}
