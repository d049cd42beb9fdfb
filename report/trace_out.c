/* trace_out.c: the model in JSON and text, and the notation lines
 * (sections.h). Key names "actors", "notation", "origin" are a
 * contract; keys are only ever added. */
#include "sections.h"

#include <string.h>

#include "trace/trace.h"

/* ,"evidence":[...] */
static char *
put_evidence(struct jsonw *w, char *d, const struct trace_evlist *l)
{
	d = JSONW_LIT(d, ",\"evidence\":[");
	/* the list in locals: the stores at d might change it for all GCC
	 * knows, and it loaded it again every item (with the other lists
	 * so read, measured: 105.89 M -> 105.78 M instructions on c8) */
	const struct trace_evidence *v = l->v;
	size_t n = l->n;
	for (size_t i = 0; i < n; i++) {
		const struct trace_evidence *e = &v[i];
		if (i)
			*d++ = ',';
		d = JSONW_LIT(d, "{\"hop\":");
		d = jsonw_put_index(d, e->hop);
		d = JSONW_LIT(d, ",\"header_index\":");
		d = jsonw_put_index(d, e->header);
		d = JSONW_LIT(d, ",\"text\":");
		d = jsonw_put_cstr(w, d, e->text);
		*d++ = '}';
	}
	*d++ = ']';
	return d;
}

/* a list of strings' elements */
static char *
put_cstrs(struct jsonw *w, char *d, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			*d++ = ',';
		d = jsonw_put_cstr(w, d, v[i]);
	}
	return d;
}

/* trace_role_names quoted (jsonw_put_name) */
static const struct jsonw_name role_json[] = {
    TRACE_ROLE_NAMES(JSONW_NAME_ITEM)};
_Static_assert(sizeof(role_json) / sizeof(*role_json) == TRACE_NROLES,
               "a name for each role");

/* an Actor's roles' elements, in flow order (trace_roles_ordered) */
static char *
put_roles(char *d, unsigned roles)
{
	int idx[TRACE_NROLES];
	size_t n = trace_roles_order(roles, idx);
	for (size_t i = 0; i < n; i++) {
		if (i)
			*d++ = ',';
		d = jsonw_put_name(d, &role_json[idx[i]]);
	}
	return d;
}

static char *
put_actor(struct jsonw *w, char *d, const struct analysis *an,
          const struct trace_actor *ac)
{
	d = JSONW_LIT(d, "{\"id\":");
	d = jsonw_put_int(d, ac->id);
	d = JSONW_LIT(d, ",\"name\":");
	d = jsonw_put_cstr(w, d, ac->name);
	d = JSONW_LIT(d, ",\"domains\":[");
	d = put_cstrs(w, d, (const char *const *)ac->domains, ac->ndomains);
	d = JSONW_LIT(d, "],\"roles\":[");
	d = put_roles(d, ac->roles);
	d = JSONW_LIT(d, "],\"hops\":[");
	bool first = true;
	for (size_t i = 0; i < an->path.n; i++)
		if (an->path.v[i].actor == ac->id) {
			d = jsonw_span_room(w, d, JSONW_SPAN_SLACK);
			if (!first)
				*d++ = ',';
			first = false;
			d = jsonw_put_int(d, (int64_t)i);
		}
	d = JSONW_LIT(d, "],\"network\":");
	d = jsonw_put_int(d, ac->network);
	d = put_evidence(w, d, &ac->ev);
	*d++ = '}';
	return d;
}

/* quoted (jsonw_put_name): no scan per network */
static const struct jsonw_name net_kinds[] = {
    JSONW_NAME("sender"), JSONW_NAME("mediator"), JSONW_NAME("recipient"),
    JSONW_NAME("shared")};

static char *
put_notation(struct jsonw *w, char *d, const struct trace *t)
{
	d = JSONW_LIT(d, ",\"notation\":{\"networks\":[");
	/* the list in locals, as in put_evidence */
	const struct trace_network *v = t->nets;
	size_t n = t->nnets;
	for (size_t i = 0; i < n; i++) {
		const struct trace_network *nw = &v[i];
		if (i)
			*d++ = ',';
		d = JSONW_LIT(d, "{\"name\":");
		d = jsonw_put_cstr(w, d, nw->name);
		d = JSONW_LIT(d, ",\"kind\":");
		d = jsonw_put_name(d, &net_kinds[nw->kind]);
		d = JSONW_LIT(d, ",\"actors\":[");
		for (int a = nw->first_actor; a >= 0 && a <= nw->last_actor;
		     a++) {
			d = jsonw_span_room(w, d, JSONW_SPAN_SLACK);
			if (a != nw->first_actor)
				*d++ = ',';
			d = jsonw_put_int(d, a);
		}
		d = JSONW_LIT(d, "],\"column\":");
		d = jsonw_put_int(d, (int64_t)nw->col);
		d = JSONW_LIT(d, ",\"width\":");
		d = jsonw_put_int(d, (int64_t)nw->width);
		*d++ = '}';
	}
	d = JSONW_LIT(d, "],\"network_line\":");
	d = jsonw_put_str(w, d, t->net_line);
	d = JSONW_LIT(d, ",\"line\":");
	d = jsonw_put_str(w, d, t->line);
	*d++ = '}';
	return d;
}

/* the value, after its key */
static char *
put_client(struct jsonw *w, char *d, const struct trace_client *c)
{
	if (!c->set)
		return JSONW_LIT(d, "null");
	d = JSONW_LIT(d, "{\"ip\":");
	d = jsonw_put_str_or_null(w, d, c->ip);
	d = JSONW_LIT(d, ",\"helo\":");
	d = jsonw_put_str_or_null(w, d, c->helo);
	d = JSONW_LIT(d, ",\"rdns\":");
	d = jsonw_put_str_or_null(w, d, c->rdns);
	d = JSONW_LIT(d, ",\"hop\":");
	d = jsonw_put_int(d, c->hop);
	d = put_evidence(w, d, &c->ev);
	*d++ = '}';
	return d;
}

/* the value, after its key */
static char *
put_agent(struct jsonw *w, char *d, int actor, const struct trace_evlist *ev)
{
	if (actor < 0)
		return JSONW_LIT(d, "null");
	d = JSONW_LIT(d, "{\"actor\":");
	d = jsonw_put_int(d, actor);
	d = put_evidence(w, d, ev);
	*d++ = '}';
	return d;
}

char *
report_trace_json(struct jsonw *w, char *d, const struct analysis *an)
{
	const struct trace *t = an->trace;
	if (!t)
		return d;
	/* a section starts with the slack whole (jsonw.h) */
	d = jsonw_span_room(w, d, JSONW_SPAN_SLACK);
	d = JSONW_LIT(d, ",\"actors\":[");
	/* the list in locals, as in put_evidence */
	const struct trace_actor *v = t->actors;
	size_t n = t->nactors;
	for (size_t i = 0; i < n; i++) {
		if (i)
			*d++ = ',';
		d = put_actor(w, d, an, &v[i]);
	}
	*d++ = ']';
	d = put_notation(w, d, t);
	d = JSONW_LIT(d, ",\"origin\":");
	d = put_client(w, d, &t->origin);
	d = JSONW_LIT(d, ",\"upstream_origin\":");
	d = put_client(w, d, &t->upstream);
	d = JSONW_LIT(d, ",\"author\":");
	d = put_client(w, d, &t->author);
	d = JSONW_LIT(d, ",\"forwarder\":");
	d = put_agent(w, d, t->forwarder, &t->forward_ev);
	d = JSONW_LIT(d, ",\"mediator\":");
	d = put_agent(w, d, t->mediator, &t->mediator_ev);
	d = JSONW_LIT(d, ",\"border_crossed\":");
	d = jsonw_put_bool(d, t->border_crossed);
	if (t->trust_configured)
		d = JSONW_LIT(
		    d, ",\"trust\":{\"mode\":\"configured\",\"border_hop\":");
	else
		d = JSONW_LIT(
		    d, ",\"trust\":{\"mode\":\"inferred\",\"border_hop\":");
	d = jsonw_put_index(d, t->border_hop);
	d = JSONW_LIT(d, ",\"believed_from_hop\":");
	d = jsonw_put_int(d, t->believed_from);
	d = put_evidence(w, d, &t->trust_ev);
	*d++ = '}';
	return d;
}

void
report_notation(struct obuf *o, const struct analysis *an)
{
	const struct trace *t = an->trace;
	if (!t)
		return;
	obuf_put(o, t->net_line.p, t->net_line.n);
	obuf_putc(o, '\n');
	obuf_put(o, t->line.p, t->line.n);
	obuf_putc(o, '\n');
}

static void
evidence_text(struct obuf *o, const struct trace_evlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		obuf_puts(o, "      - ");
		text_safe(o, str_make(l->v[i].text, strlen(l->v[i].text)));
		obuf_putc(o, '\n');
	}
}

static void
client_text(struct obuf *o, const char *title, const struct trace_client *c)
{
	if (!c->set)
		return;
	obuf_puts(o, title);
	obuf_puts(o, ": ");
	text_safe(o, c->ip.n ? c->ip : STR_LIT("(no address)"));
	if (c->rdns.n) {
		obuf_puts(o, " rdns ");
		text_safe(o, c->rdns);
	}
	if (c->helo.n) {
		obuf_puts(o, " helo ");
		text_safe(o, c->helo);
	}
	obuf_puts(o, " (hop ");
	obuf_putint(o, c->hop);
	obuf_puts(o, ")\n");
	evidence_text(o, &c->ev);
}

static void
actor_text(struct obuf *o, const struct trace *t, const struct trace_actor *ac)
{
	obuf_puts(o, "  ");
	obuf_putint(o, ac->id);
	obuf_putc(o, ' ');
	obuf_puts(o, ac->name);
	obuf_puts(o, " [");
	const char *names[TRACE_NROLES];
	size_t n = trace_roles_ordered(ac->roles, names);
	for (size_t k = 0; k < n; k++) {
		if (k)
			obuf_putc(o, '/');
		obuf_puts(o, names[k]);
	}
	obuf_puts(o, "]");
	if (ac->network >= 0) {
		obuf_puts(o, " network ");
		obuf_puts(o, t->nets[ac->network].name);
	}
	obuf_puts(o, ", nodes ");
	obuf_putint(o, ac->first_node);
	obuf_putc(o, '-');
	obuf_putint(o, ac->last_node);
	obuf_putc(o, '\n');
	evidence_text(o, &ac->ev);
}

void
report_trace_text(struct obuf *o, const struct analysis *an,
                  const struct text_style *st)
{
	const struct trace *t = an->trace;
	(void)st;
	if (!t)
		return;
	obuf_putc(o, '\n');
	client_text(o, "Origin", &t->origin);
	client_text(o, "Upstream origin", &t->upstream);
	client_text(o, "Author's client", &t->author);
	obuf_printf(o, "Trust: %s; %s\n",
	            t->trust_configured ? "configured" : "inferred",
	            t->border_crossed ? "the Border is crossed"
	                              : "no Border crossed");
	evidence_text(o, &t->trust_ev);
	if (!t->nactors)
		return;
	obuf_puts(o, "Actors:\n");
	for (size_t i = 0; i < t->nactors; i++)
		actor_text(o, t, &t->actors[i]);
}
