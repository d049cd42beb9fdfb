/* trace.c: placeholder until the role model lands. */
#include "trace.h"

#include <stdlib.h>

struct trace_config {
	int unused;
};

struct trace_config *
trace_config_new(void)
{
	return xcalloc(1, sizeof(struct trace_config));
}

void
trace_config_free(struct trace_config *c)
{
	free(c);
}

int
trace_config_add_trusted(struct trace_config *c, const char *s)
{
	(void)c;
	(void)s;
	return 0;
}

int
trace_config_add_authserv(struct trace_config *c, const char *s)
{
	(void)c;
	(void)s;
	return 0;
}

int
trace_config_add_same_actor(struct trace_config *c, const char *s)
{
	(void)c;
	(void)s;
	return 0;
}

int
trace_config_load_equivalences(struct trace_config *c, const char *t, size_t n)
{
	(void)c;
	(void)t;
	(void)n;
	return 0;
}

struct trace *
trace_build(const struct trace_config *c, const struct header_block *hb,
	    const struct message_info *mi, struct path *p, struct arena *a,
	    struct findings *f)
{
	(void)c;
	(void)hb;
	(void)mi;
	(void)p;
	(void)a;
	(void)f;
	return NULL;
}
