/* config.c: the user's trust configuration and the Actor equivalence
 * table (trace.h). Lives in xmalloc'd memory for the whole run. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Names in the equivalence table are host names: longer than this is a
 * typo (a whole line pasted), refused. */
#define EQUIV_NAME_MAX 253
/* A user's list of trusted names stays small; this many is a mistake. */
#define CONFIG_HOSTS_MAX 4096

struct trace_config *
trace_config_new(void)
{
	return xcalloc(1, sizeof(struct trace_config));
}

static void
free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
trace_config_free(struct trace_config *c)
{
	if (!c)
		return;
	net_list_free(&c->trusted);
	net_list_free(&c->internal);
	net_list_free(&c->msa);
	free_strv(c->hosts, c->nhosts);
	free_strv(c->authserv, c->nauthserv);
	for (size_t i = 0; i < c->neq; i++)
		free(c->eq[i].dom);
	free(c->eq);
	free(c);
}

static char *
lower_dup(const char *p, size_t n)
{
	char *s = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		s[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
	s[n] = '\0';
	return s;
}

static int
push_str(char ***v, size_t *n, const char *s)
{
	if (*n >= CONFIG_HOSTS_MAX)
		return -1;
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = lower_dup(s, strlen(s));
	return 0;
}

static int
add_cidr(struct net_list *l, const char *s)
{
	struct net_cidr c;
	if (!s || !net_parse_cidr(s, &c))
		return -1;
	return net_list_add(l, &c);
}

int
trace_config_add_trusted(struct trace_config *c, const char *s)
{
	if (!s || !*s)
		return -1;
	struct net_cidr cidr;
	if (net_parse_cidr(s, &cidr))
		return net_list_add(&c->trusted, &cidr);
	if (!dom_is_qualified(str_make(s, strlen(s))))
		return -1;
	return push_str(&c->hosts, &c->nhosts, s);
}

int
trace_config_add_authserv(struct trace_config *c, const char *s)
{
	if (!s || !*s || strlen(s) > EQUIV_NAME_MAX)
		return -1;
	if (push_str(&c->authserv, &c->nauthserv, s) < 0)
		return -1;
	/* an authserv-id is usually the host name of our border MTA */
	if (dom_is_qualified(str_make(s, strlen(s))))
		return push_str(&c->hosts, &c->nhosts, s);
	return 0;
}

int
trace_config_add_internal(struct trace_config *c, const char *s)
{
	return add_cidr(&c->internal, s);
}

int
trace_config_add_msa(struct trace_config *c, const char *s)
{
	return add_cidr(&c->msa, s);
}

bool
trace_config_is_authserv(const struct trace_config *c, struct str id)
{
	for (size_t i = 0; c && i < c->nauthserv; i++)
		if (str_ieq(id, c->authserv[i]))
			return true;
	return false;
}

/* Put name into group g (or a new group when g < 0); the group it
 * ends in. A name already known merges its group into g. */
static int
equiv_put(struct trace_config *c, const char *p, size_t n, int g)
{
	char *d = lower_dup(p, n);
	int old = dom_group(c, d);
	if (old >= 0) {
		free(d);
		if (g < 0)
			return old;
		for (size_t i = 0; i < c->neq; i++)
			if (c->eq[i].group == old) {
				c->eq[i].group = g;
				c->eq[i].first = false;
			}
		return g;
	}
	bool first = g < 0;
	if (g < 0)
		g = c->ngroups++;
	if (c->neq == c->ceq) {
		c->ceq = c->ceq ? c->ceq * 2 : 16;
		c->eq = xrealloc(c->eq, c->ceq * sizeof(*c->eq));
	}
	unsigned char b = (unsigned char)d[0];
	c->eq[c->neq] = (struct equiv){d, g, first, c->eq_head[b]};
	c->eq_head[b] = ++c->neq;
	return g;
}

/* One "a = b = c" group; 0, or -1 when a name is malformed. */
static int
equiv_line(struct trace_config *c, const char *p, size_t n)
{
	int g = -1, names = 0;
	size_t i = 0;
	while (i < n) {
		while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '='))
			i++;
		size_t s = i;
		while (i < n && p[i] != ' ' && p[i] != '\t' && p[i] != '=')
			i++;
		if (i == s)
			break;
		if (i - s > EQUIV_NAME_MAX ||
		    !dom_is_qualified(str_make(p + s, i - s)))
			return -1;
		g = equiv_put(c, p + s, i - s, g);
		names++;
	}
	return names == 1 ? -1 : 0;
}

int
trace_config_load_equivalences(struct trace_config *c, const char *t,
                               size_t len)
{
	int bad = 0;
	size_t i = 0;
	while (i < len) {
		size_t e = i;
		while (e < len && t[e] != '\n')
			e++;
		size_t end = e;
		const char *hash = memchr(t + i, '#', e - i);
		if (hash)
			end = (size_t)(hash - t);
		struct str line = str_trim(str_make(t + i, end - i));
		if (line.n && equiv_line(c, line.p, line.n) < 0)
			bad = -1;
		i = e + 1;
	}
	return bad;
}

int
trace_config_add_same_actor(struct trace_config *c, const char *s)
{
	if (!s || !strchr(s, '='))
		return -1;
	return equiv_line(c, s, strlen(s));
}
