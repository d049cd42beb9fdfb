/* notation.c: the shorthand line and the network line drawn above it
 * (roles-and-notation.md, "The notation"). Pure ASCII: Actor names are
 * not drawn, only roles, arrows and the networks' names. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* The line is built in a fixed buffer: an Actor's label is at most the
 * nine role names (about 70 bytes) and a path has at most PATH_MAX_HOPS
 * + 1 Actors; past this the line is cut and ends in "...". */
#define NOTATION_MAX 4096

struct line {
	char buf[NOTATION_MAX + 16]; /* 16 bytes over for put_roles' copy */
	size_t n;
	bool cut;
};

/* Append s[0..k) (the start of it in the line), or "..." once when the
 * line is full. */
static size_t
put_n(struct line *l, const char *s, size_t k)
{
	size_t start = l->n;
	if (l->n + k + 3 >= NOTATION_MAX) {
		if (!l->cut)
			memcpy(l->buf + l->n, "...", 3), l->n += 3;
		l->cut = true;
		return start;
	}
	memcpy(l->buf + l->n, s, k);
	l->n += k;
	return start;
}
#define PUT(l, lit) put_n((l), (lit), sizeof(lit) - 1)

static size_t
put(struct line *l, const char *s)
{
	return put_n(l, s, strlen(s));
}

/* Lengths of trace_role_names, from the same list. */
#define ROLE_LEN(name) sizeof(name) - 1,
static const unsigned char role_len[TRACE_NROLES] = {
    TRACE_ROLE_NAMES(ROLE_LEN)};
#undef ROLE_LEN

/* trace_role_names padded to 16 bytes, each copied with one copy of
 * constant size, not memcpy's loop of its length (with the arrows' and
 * labels' lengths known, not measured: 116.85 M -> 116.66 M
 * instructions on c8) */
#define ROLE16(name) name,
static const char role16[TRACE_NROLES][16] = {TRACE_ROLE_NAMES(ROLE16)};
#undef ROLE16

/* The Actor's roles as "MSA/Transmitter", written into the line as
 * put_n would write it whole (the label, at most the nine names, always
 * fits the 256 bytes it was once built in). */
static size_t
put_roles(struct line *l, const struct trace_actor *ac)
{
	int idx[TRACE_NROLES];
	unsigned drawn =
	    ac->roles & ~(TRACE_ROLE_AUTHOR | TRACE_ROLE_RECIPIENT);
	size_t nn = trace_roles_order(drawn, idx), k = nn ? nn - 1 : 0;
	for (size_t i = 0; i < nn; i++)
		k += role_len[idx[i]];
	size_t start = l->n;
	if (l->n + k + 3 >= NOTATION_MAX)
		return put_n(l, "", k); /* cut: as put_n does it */
	char *o = l->buf + l->n;
	for (size_t i = 0; i < nn; i++) {
		if (i)
			*o++ = '/';
		/* within the label's k bytes and the buffer's 16 over */
		memcpy(o, role16[idx[i]], 16);
		o += role_len[idx[i]];
	}
	l->n += k;
	return start;
}

/* The arrow from Actor a to the next, written with its known length */
static void
put_arrow(struct line *l, const struct trace *t, int a)
{
	if (t->actors[a].network != t->actors[a + 1].network)
		PUT(l, " --> / --> ");
	else if (a == t->forwarder)
		PUT(l, " ~~> ");
	else
		PUT(l, " ==> ");
}

/* Place one network bracket of width w, naming it as fully as fits. */
static void
bracket(struct tctx *x, char *row, const struct trace_network *nw)
{
	size_t w = nw->width;
	if (w < 2)
		return;
	const char *first_dom = x->t->actors && nw->first_actor >= 0
	                            ? x->t->actors[nw->first_actor].name
	                            : nw->name;
	static const char *const kind[] = {"sender", "list", "recipient",
	                                   "sender and recipient"};
	const char *cands[] = {nw->name, first_dom, kind[nw->kind], ""};
	const char *label = "";
	size_t ln = 0; /* measured once */
	for (size_t i = 0; i < sizeof(cands) / sizeof(*cands); i++) {
		size_t k = strlen(cands[i]);
		if (k + 6 <= w) {
			label = cands[i];
			ln = k;
			break;
		}
	}
	char *p = row + nw->col;
	memset(p, '-', w);
	p[0] = p[w - 1] = '|';
	if (!ln)
		return;
	size_t rem = w - 2 - ln - 2, left = (rem + 1) / 2;
	p[1 + left] = ' ';
	memcpy(p + 2 + left, label, ln);
	p[2 + left + ln] = ' ';
}

/* p[0..n) without its trailing blanks, NUL-terminated in place (p has
 * room for n + 1 bytes). */
static struct str
keep(char *p, size_t n)
{
	while (n && p[n - 1] == ' ')
		n--;
	p[n] = '\0';
	return str_make(p, n);
}

/* Both lines stay where they were drawn, in the arena: not copied. */
static void
draw_networks(struct tctx *x, struct line *l)
{
	char *row = arena_alloc_raw(x->a, l->n + 1); /* all set below */
	memset(row, ' ', l->n);
	for (size_t i = 0; i < x->t->nnets; i++)
		if (x->t->nets[i].col + x->t->nets[i].width <= l->n)
			bracket(x, row, &x->t->nets[i]);
	x->t->net_line = keep(row, l->n);
	l->buf[l->n] = '\0'; /* l->n < NOTATION_MAX (put_n) */
	x->t->line = str_make(l->buf, l->n);
}

/* No Received field: the path is unknown. */
static void
no_path(struct tctx *x, struct line *l)
{
	struct trace *t = x->t;
	put(l, " Author ==> ");
	size_t c = put(l, "MDA");
	put(l, " ==> Recipient");
	t->nets = arena_alloc(x->a, sizeof(*t->nets));
	struct str to = x->mi->to;
	const char *dom =
	    to.n ? dom_org(x->a,
	                   message_addr_domain(message_first_address(x->a, to)))
	         : NULL;
	t->nets[0] = (struct trace_network){
	    dom ? dom : "unknown", TRACE_NET_RECIPIENT, -1, -1, c, l->n - c};
	t->nnets = 1;
}

void
notation_render(struct tctx *x)
{
	struct trace *t = x->t;
	/* buf (4 KB) is written before it is read: not zeroed */
	struct line *l = arena_alloc_raw(x->a, sizeof(*l));
	l->n = 0;
	l->cut = false;
	if (t->nactors == 0) {
		no_path(x, l);
		draw_networks(x, l);
		return;
	}
	/* each Actor's first and last column, written below before read */
	size_t *start = arena_array_raw(x->a, 2 * t->nactors, sizeof(size_t));
	size_t *end = start + t->nactors;
	PUT(l, " ");
	size_t author = PUT(l, "Author");
	PUT(l, " ==> ");
	for (size_t a = 0; a < t->nactors; a++) {
		start[a] = put_roles(l, &t->actors[a]);
		end[a] = l->n;
		if (a + 1 < t->nactors)
			put_arrow(l, t, (int)a);
	}
	PUT(l, " ==> Recipient");
	for (size_t i = 0; i < t->nnets; i++) {
		struct trace_network *nw = &t->nets[i];
		size_t s = i == 0 ? author : start[nw->first_actor];
		size_t e = i + 1 == t->nnets ? l->n : end[nw->last_actor];
		nw->col = s;
		nw->width = e > s ? e - s : 0;
	}
	draw_networks(x, l);
}
