/* received_spf.c: Received-SPF (RFC 7208 §9.1), one left-to-right pass. */
#include "received_spf.h"

#include <string.h>

struct cur {
	const char *p;
	size_t n, i;
	bool depth_hit;
	struct arena *a;
};

static bool
is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool
is_keyc(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

/* At '(': skip the comment, return its inside (unterminated: to the
 * end). Nesting is a counter. */
static struct str
comment(struct cur *c)
{
	size_t s = ++c->i, depth = 1;
	while (c->i < c->n) {
		char ch = c->p[c->i++];
		if (ch == '\\' && c->i < c->n)
			c->i++;
		else if (ch == '(' && ++depth > RECEIVED_SPF_MAX_COMMENT_DEPTH)
			c->depth_hit = true;
		else if (ch == ')' && --depth == 0)
			return str_make(c->p + s, c->i - 1 - s);
	}
	return str_make(c->p + s, c->i - s);
}

static void
skip_cfws(struct cur *c, struct str *first_comment)
{
	while (c->i < c->n) {
		if (is_ws((unsigned char)c->p[c->i])) {
			c->i++;
		} else if (c->p[c->i] == '(') {
			struct str cm = comment(c);
			if (first_comment && !first_comment->p)
				*first_comment = cm;
		} else {
			break;
		}
	}
}

static struct str
quoted(struct cur *c)
{
	size_t s = ++c->i;
	bool copy = false;
	while (c->i < c->n && c->p[c->i] != '"') {
		if (c->p[c->i] == '\\' && c->i + 1 < c->n) {
			copy = true;
			c->i++;
		}
		c->i++;
	}
	size_t e = c->i;
	if (c->i < c->n)
		c->i++;
	if (!copy)
		return str_make(c->p + s, e - s);
	char *d = arena_alloc(c->a, e - s + 1);
	size_t k = 0;
	for (size_t j = s; j < e; j++) {
		if (c->p[j] == '\\' && j + 1 < e)
			j++;
		d[k++] = c->p[j];
	}
	return str_make(d, k);
}

static void
name_pair(struct received_spf *out, const struct received_spf_pair *kv)
{
	static const char *const keys[] = {
	    "client-ip", "envelope-from", "helo",   "receiver",
	    "identity",  "mechanism",     "problem"};
	struct str *slots[] = {
	    &out->client_ip, &out->envelope_from, &out->helo,   &out->receiver,
	    &out->identity,  &out->mechanism,     &out->problem};
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (str_ieq(kv->key, keys[k]) && !slots[k]->p)
			*slots[k] = kv->value;
}

/* One key=value pair; false when it cannot be read. */
static bool
pair(struct cur *c, struct received_spf *out)
{
	size_t s = c->i;
	while (c->i < c->n && is_keyc((unsigned char)c->p[c->i]))
		c->i++;
	struct received_spf_pair kv = {str_make(c->p + s, c->i - s), STR_NULL,
	                               false};
	skip_cfws(c, NULL);
	if (kv.key.n == 0 || c->i >= c->n || c->p[c->i] != '=')
		return false;
	c->i++;
	skip_cfws(c, NULL);
	if (c->i < c->n && c->p[c->i] == '"') {
		kv.quoted = true;
		kv.value = quoted(c);
	} else {
		size_t vs = c->i;
		while (c->i < c->n && !is_ws((unsigned char)c->p[c->i]) &&
		       c->p[c->i] != ';' && c->p[c->i] != '(')
			c->i++;
		kv.value = str_make(c->p + vs, c->i - vs);
	}
	if (out->n >= RECEIVED_SPF_MAX_PAIRS) {
		out->truncated = true;
		return true;
	}
	if (out->n == 0 || (out->n >= 4 && (out->n & (out->n - 1)) == 0))
		out->v =
		    arena_grow_raw(c->a, out->v, out->n,
		                   out->n ? out->n * 2 : 4, sizeof(*out->v));
	out->v[out->n++] = kv;
	name_pair(out, &kv);
	return true;
}

static const char *const results[] = {
    "none",    "pass",   "fail",      "softfail",
    "neutral", "policy", "temperror", "permerror",
};

int
received_spf_parse(struct str value, struct arena *a, struct findings *f,
                   int header, struct received_spf *out)
{
	memset(out, 0, sizeof(*out));
	struct cur c = {value.p, value.n, 0, false, a};
	if (c.n > RECEIVED_SPF_MAX_BYTES) {
		c.n = RECEIVED_SPF_MAX_BYTES;
		out->truncated = true;
	}
	int st = RECEIVED_SPF_OK;
	skip_cfws(&c, NULL);
	size_t s = c.i;
	while (c.i < c.n && is_keyc((unsigned char)c.p[c.i]))
		c.i++;
	out->result = str_make(c.p + s, c.i - s);
	for (size_t k = 0; k < sizeof(results) / sizeof(results[0]); k++)
		if (str_ieq(out->result, results[k]))
			out->code = (enum authres_code)(k + 1);
	if (out->result.n == 0) {
		out->err_off = c.i;
		st = RECEIVED_SPF_ESYNTAX;
	} else {
		if (out->code == AUTHRES_R_OTHER) {
			out->err_off = s;
			st = RECEIVED_SPF_PARTIAL;
		}
		skip_cfws(&c, &out->comment);
		while (c.i < c.n) {
			if (!pair(&c, out)) {
				if (st == RECEIVED_SPF_OK)
					out->err_off = c.i;
				st = RECEIVED_SPF_PARTIAL;
				while (c.i < c.n && c.p[c.i] != ';')
					c.i++;
			}
			skip_cfws(&c, NULL);
			if (c.i < c.n && c.p[c.i] == ';')
				c.i++;
			skip_cfws(&c, NULL);
		}
	}
	if (c.depth_hit)
		out->truncated = true;
	if (f && out->truncated)
		findings_add(f, "auth.rspf-truncated", SEV_WARNING, -1, header,
		             "Received-SPF past a bound (length, pairs or "
		             "comment depth); the excess was not kept");
	if (f && st != RECEIVED_SPF_OK)
		findings_add(f, "auth.rspf-syntax", SEV_WARNING, -1, header,
		             "Received-SPF %s at offset %zu",
		             st == RECEIVED_SPF_ESYNTAX ? "has no result"
		                                        : "partly unreadable",
		             out->err_off);
	return st;
}
