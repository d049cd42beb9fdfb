/* finding.c: the per-message list of findings. */
#include "finding.h"

#include <string.h>

void
findings_init(struct findings *f, struct arena *a)
{
	memset(f, 0, sizeof(*f));
	f->arena = a;
}

static void
push(struct findings *f, const char *id, enum severity sev, int hop, int header,
     const char *msg)
{
	if (f->n == f->cap) {
		size_t nc = f->cap ? f->cap * 2 : 16;
		/* not zeroed: each element is written whole */
		f->v = arena_grow_raw(f->arena, f->v, f->n, nc, sizeof(*f->v));
		f->cap = nc;
	}
	f->v[f->n++] = (struct finding){id, sev, hop, header, msg};
}

/* Note a finding of severity sev; false when the list is full (it is
 * counted, not stored). */
static int
admit(struct findings *f, enum severity sev)
{
	if (!f->any || sev > f->worst)
		f->worst = sev;
	f->any = 1;
	if (f->n >= FINDINGS_MAX) {
		if (f->dropped++ == 0)
			push(f, "msg.findings-truncated", SEV_WARNING, -1, -1,
			     "more findings than FINDINGS_MAX (500); the "
			     "rest are counted, not listed");
		return 0;
	}
	return 1;
}

void
findings_add_text(struct findings *f, const char *id, enum severity sev,
                  int hop, int header, const char *msg)
{
	if (admit(f, sev))
		push(f, id, sev, hop, header, msg);
}

void
findings_add(struct findings *f, const char *id, enum severity sev, int hop,
             int header, const char *fmt, ...)
{
	if (!admit(f, sev))
		return;
	va_list ap;
	va_start(ap, fmt);
	const char *msg = arena_vprintf(f->arena, fmt, ap);
	va_end(ap);
	push(f, id, sev, hop, header, msg);
}

int
findings_has(const struct findings *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].id, id) == 0)
			return 1;
	return 0;
}

#define NAME(name) name,
static const char *const names[] = {SEVERITY_NAMES(NAME)};
#undef NAME

const char *
severity_name(enum severity s)
{
	return (unsigned)s < 3 ? names[s] : "info";
}

int
severity_parse(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	if (strcmp(s, "warn") == 0)
		return SEV_WARNING;
	return -1;
}
