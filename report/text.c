/*
 * text.c: the report for people. The notation first, then the message's
 * identity, the hop table (oldest first), the model's sections and the
 * findings. Every byte from the input goes through text_safe().
 */
#include "report.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "sections.h"

/* A column wider than this pushes the rest of its row right instead of
 * widening every row (nothing is cut). */
#define COL_MAX 40

/* Cells are separated by at least this many spaces. */
#define COL_GAP 2

enum col { C_HOP, C_TIME, C_DELAY, C_FROM, C_BY, C_PROTO, C_ID, C_ROLE, NCOL };

static const char *const col_title[NCOL] = {
    "hop", "time (UTC)",        "delay", "from (helo / rdns [ip])",
    "by",  "with / tls / auth", "id",    "actor: role"};

struct cell {
	struct str s; /* text, sanitised at output */
	bool input;   /* from the message: sanitise */
};

static const char *
sgr(bool color, const char *code)
{
	return color ? code : "";
}

static void
heading(struct obuf *o, bool color, const char *title)
{
	obuf_puts(o, sgr(color, "\033[1m"));
	obuf_puts(o, title);
	obuf_puts(o, sgr(color, "\033[0m"));
	obuf_putc(o, '\n');
}

static void
field(struct obuf *o, const char *name, struct str v)
{
	if (!v.n)
		return;
	obuf_puts_pad(o, name, 13);
	text_safe(o, v);
	obuf_putc(o, '\n');
}

/* The parts one after another in the arena, each cut at its first NUL
 * as printf's "%.*s" cuts it (a NUL from the input ends a part). */
static struct str
concat(struct arena *a, const struct str *part, size_t n)
{
	size_t len[8], total = 0;
	assert(n <= sizeof(len) / sizeof(*len));
	for (size_t i = 0; i < n; i++) {
		len[i] = part[i].p ? strnlen(part[i].p, part[i].n) : 0;
		total += len[i];
	}
	char *s = arena_alloc_raw(a, total + 1), *d = s;
	for (size_t i = 0; i < n; i++)
		if (len[i]) {
			memcpy(d, part[i].p, len[i]);
			d += len[i];
		}
	*d = '\0';
	return str_make(s, total);
}

static struct str
cstr(const char *s)
{
	return str_make(s, strlen(s));
}

/* "helo / rdns [ip]" */
static struct str
from_part(struct arena *a, const struct received *r)
{
	const char *sep = r->helo.n && (r->rdns.n || r->ip.n) ? " / " : "";
	struct str part[] = {
	    r->helo, cstr(sep),
	    r->rdns, cstr(r->ip.n ? (r->rdns.n ? " [" : "[") : ""),
	    r->ip,   cstr(r->ip.n ? "]" : "")};
	return concat(a, part, sizeof(part) / sizeof(*part));
}

/* "with tls auth=..." */
static struct str
proto(struct arena *a, const struct received *r)
{
	struct str part[] = {r->with, cstr(r->tls_version.n ? " " : ""),
	                     r->tls_version, cstr(r->auth.n ? " auth=" : ""),
	                     r->auth};
	return concat(a, part, sizeof(part) / sizeof(*part));
}

static void
hop_cells(struct arena *a, const struct hop *h, bool marks_trust,
          struct cell c[NCOL])
{
	char buf[32];
	const struct received *r = &h->r;
	/* hops below the trust boundary are marked when there is a model
	 * (marks_trust); a legend follows the table */
	char *e = jsonw_int_at(buf, h->index);
	if (marks_trust && !h->trusted)
		*e++ = '!';
	c[C_HOP].s = arena_str(a, buf, (size_t)(e - buf));
	if (h->actor >= 0 || h->role) { /* as "%s%d: %s" */
		e = buf;
		if (h->actor >= 0)
			*e++ = 'A';
		e = jsonw_int_at(e, h->actor >= 0 ? h->actor : 0);
		memcpy(e, ": ", 2);
		struct str part[] = {
		    str_make(buf, (size_t)(e + 2 - buf)),
		    cstr(h->role ? hop_role_name(h->role) : "-")};
		c[C_ROLE].s = concat(a, part, 2);
	}
	if (r->has_date) {
		/* "YYYY-MM-DD HH:MM:SS"; years outside 1000-9999 are
		 * longer or shorter, so look for the T and the Z */
		e = report_iso8601(buf, sizeof(buf), (long long)r->time);
		char *t = memchr(buf, 'T', (size_t)(e - buf));
		if (t)
			*t = ' ';
		if (e > buf && e[-1] == 'Z')
			e--;
		c[C_TIME].s = arena_str(a, buf, (size_t)(e - buf));
	} else
		c[C_TIME].s = STR_LIT("-");
	if (h->has_delay) { /* as "%+llds" */
		e = buf;
		if (h->delay_s >= 0)
			*e++ = '+';
		e = jsonw_int_at(e, h->delay_s);
		*e++ = 's';
		c[C_DELAY].s = arena_str(a, buf, (size_t)(e - buf));
	} else
		c[C_DELAY].s = STR_LIT("-");
	if (!r->parsed) {
		c[C_FROM].s = str_trim(r->raw);
		c[C_FROM].input = true;
		return;
	}
	c[C_FROM].s = from_part(a, r);
	c[C_BY].s = r->by;
	c[C_PROTO].s = proto(a, r);
	c[C_ID].s = r->id;
	c[C_ROLE].input = false;
	c[C_FROM].input = c[C_BY].input = c[C_PROTO].input = c[C_ID].input =
	    true;
}

static size_t
width(struct str s)
{
	return text_safe_width(s);
}

static void
hop_table(struct obuf *o, const struct analysis *an, bool color,
          bool marks_trust)
{
	const struct path *p = &an->path;
	struct cell(*rows)[NCOL] =
	    arena_array(an->arena, p->n + 1, sizeof(*rows));
	size_t wd[NCOL];
	for (int c = 0; c < NCOL; c++)
		wd[c] = strlen(col_title[c]);
	for (size_t i = 0; i < p->n; i++) {
		hop_cells(an->arena, &p->v[i], marks_trust, rows[i]);
		for (int c = 0; c < NCOL; c++) {
			size_t x = width(rows[i][c].s);
			if (x > wd[c] && x <= COL_MAX)
				wd[c] = x;
		}
	}
	obuf_puts(o, sgr(color, "\033[1m"));
	for (int c = 0; c < NCOL; c++) {
		obuf_puts(o, col_title[c]);
		if (c + 1 < NCOL)
			obuf_pad(o, wd[c] - strlen(col_title[c]) + COL_GAP);
	}
	obuf_printf(o, "%s\n", sgr(color, "\033[0m"));
	for (size_t i = 0; i < p->n; i++) {
		size_t used = 0, target = 0;
		for (int c = 0; c < NCOL; c++) {
			if (c > 0) {
				size_t gap = used + COL_GAP > target
				                 ? COL_GAP
				                 : target - used;
				obuf_pad(o, gap);
				used += gap;
			}
			used += text_safe(o, rows[i][c].s);
			target += wd[c] + COL_GAP;
			if (!p->v[i].r.parsed && c == C_FROM)
				break;
		}
		while (o->n && o->p[o->n - 1] == ' ')
			o->n--;
		obuf_putc(o, '\n');
	}
}

static void
findings(struct obuf *o, const struct findings *f, bool color)
{
	if (!f->n)
		return;
	obuf_putc(o, '\n');
	heading(o, color, "Findings");
	for (int sev = SEV_ERROR; sev >= SEV_INFO; sev--)
		for (size_t i = 0; i < f->n; i++) {
			const struct finding *x = &f->v[i];
			if ((int)x->sev != sev)
				continue;
			const char *c = sev == SEV_ERROR     ? "\033[31m"
			                : sev == SEV_WARNING ? "\033[33m"
			                                     : "";
			/* as "  %s%-7s%s %s" */
			obuf_puts(o, "  ");
			obuf_puts(o, sgr(color, c));
			obuf_puts_pad(o, severity_name(x->sev), 7);
			obuf_puts(o, sgr(color && *c, "\033[0m"));
			obuf_putc(o, ' ');
			obuf_puts(o, x->id);
			if (x->hop >= 0) {
				obuf_puts(o, " (hop ");
				obuf_putint(o, x->hop);
				obuf_putc(o, ')');
			}
			obuf_puts(o, ": ");
			text_safe(o, str_make(x->message, strlen(x->message)));
			obuf_putc(o, '\n');
		}
}

void
report_text(struct obuf *o, const struct analysis *an, bool color)
{
	struct text_style st = {color};
	if (an->index > 1 || an->file)
		obuf_printf(o, "%s== %s, message %zu ==%s\n",
		            sgr(color, "\033[1m"), an->file ? an->file : "-",
		            an->index, sgr(color, "\033[0m"));
	report_notation(o, an);
	report_auth_text(o, an, &st);
	obuf_putc(o, '\n');
	field(o, "From:", an->info.from);
	field(o, "To:", an->info.to);
	field(o, "Subject:", an->info.subject);
	field(o, "Date:", an->info.date);
	field(o, "Message-ID:", an->info.message_id);
	field(o, "Return-Path:", an->info.return_path);
	obuf_putc(o, '\n');
	char total[64] = "";
	if (an->path.has_total)
		snprintf(total, sizeof(total), ", transit %llds",
		         (long long)an->path.total_s);
	char title[128];
	snprintf(title, sizeof(title), "Path: %zu hop%s, oldest first%s",
	         an->path.n, an->path.n == 1 ? "" : "s", total);
	heading(o, color, title);
	bool marks_trust = an->trace != NULL;
	if (an->path.n)
		hop_table(o, an, color, marks_trust);
	bool any_untrusted = false;
	for (size_t i = 0; i < an->path.n; i++)
		any_untrusted |= marks_trust && !an->path.v[i].trusted;
	if (any_untrusted)
		obuf_puts(
		    o, "(! = the hop's client is not a trusted recipient-side "
		       "host: what it says about itself is its claim)\n");
	report_trace_text(o, an, &st);
	findings(o, &an->findings, color);
}
