/* tags.c: RFC 6376 §3.2 tag=value lists. One pass, no backtracking. */
#include "tags.h"

static bool
is_fws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool
is_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool
is_alnumpunc(unsigned char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

/* VALCHAR = %x21-3A / %x3C-7E; 8-bit bytes are taken as UTF-8 (RFC 8616)
 * and flagged lenient by the caller. */
static bool
is_valchar(unsigned char c)
{
	return (c >= 0x21 && c <= 0x7e && c != ';') || c >= 0x80;
}

static size_t
skip_fws(const char *p, size_t i, size_t n)
{
	while (i < n && is_fws((unsigned char)p[i]))
		i++;
	return i;
}

static int
fail(struct tag_list *out, int status, size_t off)
{
	out->err_off = off;
	return status;
}

/* Duplicates are checked against the tags seen so far: at most TAGS_MAX
 * of them, so the check is bounded by TAGS_MAX * n, still linear in n. */
static bool
seen(const struct tag_list *l, struct str name)
{
	for (size_t i = 0; i < l->n; i++)
		if (str_eq(l->v[i].name, name))
			return true;
	return false;
}

int
tags_parse(struct str v, struct arena *a, struct tag_list *out)
{
	out->v = NULL;
	out->n = 0;
	out->lenient = out->empty_spec = false;
	out->err_off = 0;
	if (v.n > TAGS_MAX_BYTES)
		return fail(out, TAGS_ETOOLONG, TAGS_MAX_BYTES);
	/* not zeroed: tags are written whole as they are added, and only
	 * out->v[0..n) is ever read (zeroing all TAGS_MAX cost 2 KiB a list) */
	out->v = arena_array_raw(a, TAGS_MAX, sizeof(*out->v));
	const char *p = v.p;
	size_t n = v.n, i = 0;
	for (;;) {
		i = skip_fws(p, i, n);
		if (i == n)
			break;
		if (p[i] == ';') { /* empty tag-spec */
			out->lenient = out->empty_spec = true;
			i++;
			continue;
		}
		size_t ns = i;
		if (!is_alpha((unsigned char)p[i]))
			return fail(out, TAGS_ENAME, i);
		while (i < n && is_alnumpunc((unsigned char)p[i]))
			i++;
		struct str name = str_make(p + ns, i - ns);
		i = skip_fws(p, i, n);
		if (i == n || p[i] != '=')
			return fail(out,
			            i < n && p[i] != ';' ? TAGS_ENAME
			                                 : TAGS_ESYNTAX,
			            i);
		i = skip_fws(p, i + 1, n);
		size_t vs = i, ve = i;
		while (i < n && p[i] != ';') {
			unsigned char c = (unsigned char)p[i];
			if (is_fws(c)) {
				i++;
				continue;
			}
			if (!is_valchar(c))
				return fail(out, TAGS_ESYNTAX, i);
			if (c >= 0x80)
				out->lenient = true;
			ve = ++i;
		}
		if (seen(out, name))
			return fail(out, TAGS_EDUP, ns);
		if (out->n == TAGS_MAX)
			return fail(out, TAGS_ETOOMANY, ns);
		out->v[out->n].name = name;
		out->v[out->n].value = str_make(p + vs, ve - vs);
		out->n++;
		if (i == n)
			break;
		i++; /* the ';' */
	}
	return TAGS_OK;
}

struct str
tags_get(const struct tag_list *l, const char *name, bool *present)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < l->n; i++) {
		struct str t = l->v[i].name;
		if (t.n == len && memcmp(t.p, name, len) == 0) {
			if (present)
				*present = true;
			return l->v[i].value;
		}
	}
	if (present)
		*present = false;
	return STR_NULL;
}

struct str
tags_value_nows(struct arena *a, struct str value)
{
	size_t k = 0;
	for (size_t i = 0; i < value.n; i++)
		if (is_fws((unsigned char)value.p[i]))
			k++;
	if (k == 0)
		return value;
	char *d = arena_alloc(a, value.n - k + 1);
	size_t j = 0;
	for (size_t i = 0; i < value.n; i++)
		if (!is_fws((unsigned char)value.p[i]))
			d[j++] = value.p[i];
	return str_make(d, j);
}

const char *
tags_strerror(int status)
{
	switch (status) {
	case TAGS_OK:
		return "ok";
	case TAGS_ESYNTAX:
		return "tag-list syntax error";
	case TAGS_ENAME:
		return "invalid tag name";
	case TAGS_EDUP:
		return "duplicate tag";
	case TAGS_ETOOMANY:
		return "too many tags";
	case TAGS_ETOOLONG:
		return "tag list too long";
	}
	return "unknown tag-list error";
}
