/* auth.c: placeholder until the break analysis lands. */
#include "auth.h"

struct auth *
auth_analyze(const struct trace_config *c, const struct header_block *hb,
	     const struct message_info *mi, struct str body,
	     const struct path *p, const struct trace *t, struct arena *a,
	     struct findings *f)
{
	(void)c;
	(void)hb;
	(void)mi;
	(void)body;
	(void)p;
	(void)t;
	(void)a;
	(void)f;
	return NULL;
}
