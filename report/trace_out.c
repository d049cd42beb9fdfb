/* trace_out.c: the model in JSON and text, and the notation lines
 * (sections.h). Key names "actors", "notation", "origin" are a
 * contract; keys are only ever added. */
#include "sections.h"

#include <string.h>

#include "trace/trace.h"

static void
evidence_json(struct jsonw *w, const struct trace_evlist *l)
{
	jsonw_karr(w, "evidence");
	for (size_t i = 0; i < l->n; i++) {
		const struct trace_evidence *e = &l->v[i];
		jsonw_obj(w);
		if (e->hop >= 0)
			jsonw_kint(w, "hop", e->hop);
		else
			jsonw_knull(w, "hop");
		if (e->header >= 0)
			jsonw_kint(w, "header_index", e->header);
		else
			jsonw_knull(w, "header_index");
		jsonw_kcstr(w, "text", e->text);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
}

static void
roles_json(struct jsonw *w, unsigned roles)
{
	const char *names[TRACE_NROLES];
	size_t n = trace_roles_ordered(roles, names);
	jsonw_karr(w, "roles");
	for (size_t k = 0; k < n; k++)
		jsonw_cstr(w, names[k]);
	jsonw_arr_end(w);
}

static void
actor_json(struct jsonw *w, const struct analysis *an,
           const struct trace_actor *ac)
{
	jsonw_obj(w);
	jsonw_kint(w, "id", ac->id);
	jsonw_kcstr(w, "name", ac->name);
	jsonw_karr(w, "domains");
	for (size_t i = 0; i < ac->ndomains; i++)
		jsonw_cstr(w, ac->domains[i]);
	jsonw_arr_end(w);
	roles_json(w, ac->roles);
	jsonw_karr(w, "hops");
	for (size_t i = 0; i < an->path.n; i++)
		if (an->path.v[i].actor == ac->id)
			jsonw_int(w, (int64_t)i);
	jsonw_arr_end(w);
	jsonw_kint(w, "network", ac->network);
	evidence_json(w, &ac->ev);
	jsonw_obj_end(w);
}

/* with their lengths: no strlen per network (a plain initializer, as
 * STR_LIT's compound literal is not a constant in C11) */
#define KIND(s)                                                                \
	{                                                                      \
		(s), sizeof(s) - 1                                             \
	}
static const struct str net_kinds[] = {KIND("sender"), KIND("mediator"),
                                       KIND("recipient"), KIND("shared")};
#undef KIND

static void
notation_json(struct jsonw *w, const struct trace *t)
{
	jsonw_kobj(w, "notation");
	jsonw_karr(w, "networks");
	for (size_t i = 0; i < t->nnets; i++) {
		const struct trace_network *nw = &t->nets[i];
		jsonw_obj(w);
		jsonw_kcstr(w, "name", nw->name);
		jsonw_kstr(w, "kind", net_kinds[nw->kind]);
		jsonw_karr(w, "actors");
		for (int a = nw->first_actor; a >= 0 && a <= nw->last_actor;
		     a++)
			jsonw_int(w, a);
		jsonw_arr_end(w);
		jsonw_kint(w, "column", (int64_t)nw->col);
		jsonw_kint(w, "width", (int64_t)nw->width);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
	jsonw_kstr(w, "network_line", t->net_line);
	jsonw_kstr(w, "line", t->line);
	jsonw_obj_end(w);
}

/* the value, after its key */
static void
client_json(struct jsonw *w, const struct trace_client *c)
{
	if (!c->set) {
		jsonw_null(w);
		return;
	}
	jsonw_obj(w);
	jsonw_kstr_or_null(w, "ip", c->ip);
	jsonw_kstr_or_null(w, "helo", c->helo);
	jsonw_kstr_or_null(w, "rdns", c->rdns);
	jsonw_kint(w, "hop", c->hop);
	evidence_json(w, &c->ev);
	jsonw_obj_end(w);
}

/* the value, after its key */
static void
agent_json(struct jsonw *w, int actor, const struct trace_evlist *ev)
{
	if (actor < 0) {
		jsonw_null(w);
		return;
	}
	jsonw_obj(w);
	jsonw_kint(w, "actor", actor);
	evidence_json(w, ev);
	jsonw_obj_end(w);
}

void
report_trace_json(struct jsonw *w, const struct analysis *an)
{
	const struct trace *t = an->trace;
	if (!t)
		return;
	jsonw_karr(w, "actors");
	for (size_t i = 0; i < t->nactors; i++)
		actor_json(w, an, &t->actors[i]);
	jsonw_arr_end(w);
	notation_json(w, t);
	jsonw_key(w, "origin");
	client_json(w, &t->origin);
	jsonw_key(w, "upstream_origin");
	client_json(w, &t->upstream);
	jsonw_key(w, "author");
	client_json(w, &t->author);
	jsonw_key(w, "forwarder");
	agent_json(w, t->forwarder, &t->forward_ev);
	jsonw_key(w, "mediator");
	agent_json(w, t->mediator, &t->mediator_ev);
	jsonw_kbool(w, "border_crossed", t->border_crossed);
	jsonw_kobj(w, "trust");
	jsonw_kcstr(w, "mode", t->trust_configured ? "configured" : "inferred");
	if (t->border_hop >= 0)
		jsonw_kint(w, "border_hop", t->border_hop);
	else
		jsonw_knull(w, "border_hop");
	jsonw_kint(w, "believed_from_hop", t->believed_from);
	evidence_json(w, &t->trust_ev);
	jsonw_obj_end(w);
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
