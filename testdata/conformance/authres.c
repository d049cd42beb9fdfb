/*
 * authres.c: Authentication-Results conformance driver.
 *
 * Usage: authres SHARED_DIR. Reads every SHARED_DIR/conformance/authres/
 * *.json (python-authres doctests, lieser/dkim_verifier parser spec; see
 * SOURCES.md there), runs auth/authres.h on each case and prints the
 * failing cases, then "authres: P/T passed (R%)". Exits 1 below the
 * floor of 97%, 2 when the data cannot be read.
 *
 * Per case:
 *  - dkim_verifier ("path"/"equals" expectations): flags from the case
 *    (relaxed -> AUTHRES_F_RELAXED, internationalized -> AUTHRES_F_INTL);
 *    expect_error=true means the parse must return AUTHRES_ESYNTAX.
 *  - python authres ("attr"/"value"): a non-empty expect_error is a
 *    rejection and is checked in strict mode. Other cases are parsed in
 *    relaxed mode, because the python parser is itself lenient (it takes
 *    header.b=Qgi/FoC0 and ptype-less "version=TLSv1.2" pairs, which it
 *    drops from str(result)). An empty expect_error is an extraction
 *    artefact (an AttributeError doctest) and the attributes are checked.
 *    Attributes that only exist in python's object model (the values
 *    "'X' object has no attribute 'y'") are not applicable and skipped.
 *
 * Names and keywords (method, ptype, property, result) compare ignoring
 * ASCII case (RFC 8601 §2.2); values compare byte for byte.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "auth/authres.h"

#define FLOOR 97.0

static struct arena *A;

/* python's str(result): method=result [reason="..."] ptype.prop=value */
static const char *
result_string(const struct authres_result *r)
{
	char buf[4096];
	size_t k = 0;
	k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%.*s=%.*s",
	                      (int)r->method.n, r->method.p, (int)r->result.n,
	                      r->result.p);
	if (r->has_reason && k < sizeof(buf))
		k += (size_t)snprintf(buf + k, sizeof(buf) - k,
		                      " reason=\"%.*s\"", (int)r->reason.n,
		                      r->reason.p);
	for (size_t j = 0; j < r->nprops && k < sizeof(buf); j++) {
		const struct authres_prop *p = &r->props[j];
		if (p->ptype.n == 0)
			continue;
		bool q = false;
		for (size_t m = 0; m < p->value.n; m++)
			if (strchr("()<>,;:\\\"[]?= \t", p->value.p[m]))
				q = true;
		k += (size_t)snprintf(
		    buf + k, sizeof(buf) - k, " %.*s.%.*s=%s%.*s%s",
		    (int)p->ptype.n, p->ptype.p, (int)p->property.n,
		    p->property.p, q ? "\"" : "", (int)p->value.n, p->value.p,
		    q ? "\"" : "");
	}
	if (k >= sizeof(buf))
		k = sizeof(buf) - 1;
	for (size_t m = 0; m < k; m++) /* python lowercases the names */
		if (buf[m] == ' ' || m == 0) {
			size_t e = m + (buf[m] == ' ');
			while (e < k && buf[e] != '=')
				e++;
			for (size_t z = m; z < e; z++)
				if (buf[z] >= 'A' && buf[z] <= 'Z')
					buf[z] += 32;
		}
	return arena_strndup(A, buf, k);
}

static const char *
s2c(struct str s)
{
	return arena_strndup(A, s.p ? s.p : "", s.n);
}

/* Last property ptype.prop (later ones win in both upstream models). */
static const struct authres_prop *
find_prop(const struct authres_result *r, const char *ptype, const char *prop)
{
	const struct authres_prop *hit = NULL;
	for (size_t j = 0; j < r->nprops; j++)
		if (r->props[j].ptype.n && str_ieq(r->props[j].ptype, ptype) &&
		    str_ieq(r->props[j].property, prop))
			hit = &r->props[j];
	return hit;
}

enum { ABSENT, VALUE, UNSUPPORTED };

/* Evaluate an attribute path; *out is the value as text. */
static int
eval(const char *path0, const struct authres *ar, const char **out, bool *icase)
{
	char path[512];
	size_t k = 0;
	*icase = false;
	for (const char *s = path0; *s && k + 1 < sizeof(path); s++) {
		if (s[0] == '[' && s[1] == '"') {
			path[k++] = '.';
			s++;
		} else if (s[0] == '"' && s[1] == ']') {
			s++;
		} else {
			path[k++] = *s;
		}
	}
	path[k] = 0;
	char *save, *seg = strtok_r(path, ".", &save);
	if (!seg)
		return UNSUPPORTED;
	if (!strcmp(seg, "authserv_id")) {
		*out = s2c(ar->authserv_id);
		return VALUE;
	}
	if (!strcmp(seg, "authres_version")) {
		*out = arena_printf(A, "%u", ar->version);
		return VALUE;
	}
	unsigned long idx;
	if (!strcmp(seg, "resinfo") || !strcmp(seg, "results")) {
		seg = strtok_r(NULL, ".", &save);
		if (seg && !strcmp(seg, "length")) {
			*out = arena_printf(A, "%zu", ar->n);
			return VALUE;
		}
		return UNSUPPORTED;
	}
	if (sscanf(seg, "resinfo[%lu]", &idx) != 1 &&
	    sscanf(seg, "results[%lu]", &idx) != 1)
		return UNSUPPORTED;
	if (idx >= ar->n)
		return ABSENT;
	const struct authres_result *r = &ar->v[idx];
	seg = strtok_r(NULL, ".", &save);
	if (!seg) {
		*out = result_string(r);
		return VALUE;
	}
	*icase = true;
	if (!strcmp(seg, "method")) {
		*out = s2c(r->method);
		return VALUE;
	}
	if (!strcmp(seg, "result")) {
		*out = s2c(r->result);
		return VALUE;
	}
	if (!strcmp(seg, "method_version")) {
		*out = arena_printf(A, "%u", r->method_version);
		return VALUE;
	}
	*icase = false;
	if (!strcmp(seg, "reason")) {
		if (!r->has_reason)
			return ABSENT;
		*out = s2c(r->reason);
		return VALUE;
	}
	if (sscanf(seg, "properties[%lu]", &idx) == 1) {
		/* python's list holds only real ptype.property pairs */
		const struct authres_prop *p = NULL;
		for (size_t j = 0, m = 0; j < r->nprops; j++)
			if (r->props[j].ptype.n && m++ == idx)
				p = &r->props[j];
		if (!p)
			return ABSENT;
		seg = strtok_r(NULL, ".", &save);
		if (!seg)
			return UNSUPPORTED;
		*icase = strcmp(seg, "value") != 0;
		*out = s2c(!strcmp(seg, "type")   ? p->ptype
		           : !strcmp(seg, "name") ? p->property
		                                  : p->value);
		return VALUE;
	}
	if (!strcmp(seg, "properties")) {
		char *pt = strtok_r(NULL, ".", &save);
		char *pr = pt ? strtok_r(NULL, "", &save) : NULL;
		if (!pr)
			return UNSUPPORTED;
		const struct authres_prop *p = find_prop(r, pt, pr);
		if (!p)
			return ABSENT;
		*out = s2c(p->value);
		return VALUE;
	}
	char *us = strchr(seg, '_'); /* python convenience: smtp_mailfrom */
	if (us) {
		*us = 0;
		const struct authres_prop *p = find_prop(r, seg, us + 1);
		if (!p)
			return ABSENT;
		*out = s2c(p->value);
		return VALUE;
	}
	return UNSUPPORTED;
}

static bool
same(const char *a, const char *b, bool icase)
{
	return icase ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

/* Check one case; on failure print why. Returns true on pass. */
static bool
run_case(json_t *c, bool python)
{
	const char *id = json_string_value(json_object_get(c, "id"));
	const char *in = json_string_value(json_object_get(c, "input"));
	json_t *ee = json_object_get(c, "expect_error");
	bool want_err = python
	                    ? (json_is_string(ee) && json_string_length(ee) > 0)
	                    : json_is_true(ee);
	unsigned flags = 0;
	if (python)
		flags = want_err ? 0 : AUTHRES_F_RELAXED;
	else {
		if (json_is_true(json_object_get(c, "relaxed")))
			flags |= AUTHRES_F_RELAXED;
		if (json_is_true(json_object_get(c, "internationalized")))
			flags |= AUTHRES_F_INTL;
	}
	if (!id || !in) {
		printf("FAIL %s: malformed case\n", id ? id : "?");
		return false;
	}
	size_t len = strlen(in);
	const char *colon = memchr(in, ':', len);
	if (!colon) {
		printf("FAIL %s: no field name in input\n", id);
		return false;
	}
	struct str name = str_make(in, (size_t)(colon - in));
	struct str val = str_make(colon + 1, len - (size_t)(colon - in) - 1);
	arena_reset(A);
	struct authres ar;
	int st = authres_parse_field(name, val, flags, A, NULL, -1, &ar);
	if (want_err) {
		if (st == AUTHRES_ESYNTAX)
			return true;
		printf("FAIL %s: accepted, expected a syntax error\n", id);
		return false;
	}
	if (st == AUTHRES_ESYNTAX) {
		printf("FAIL %s: rejected at %zu: %s\n", id, ar.err_off,
		       ar.err);
		return false;
	}
	bool ok = true;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(c, "expect"), i, e)
	{
		const char *path = json_string_value(
		    json_object_get(e, python ? "attr" : "path"));
		json_t *jv = json_object_get(e, python ? "value" : "equals");
		char num[32];
		const char *want = json_string_value(jv);
		if (json_is_integer(jv)) {
			snprintf(num, sizeof(num), "%lld",
			         (long long)json_integer_value(jv));
			want = num;
		}
		if (!path || !want)
			continue;
		if (python && strstr(want, "object has no attribute"))
			continue; /* python object model only */
		const char *got = NULL;
		bool icase;
		int r = eval(path, &ar, &got, &icase);
		if (r == UNSUPPORTED) {
			printf("FAIL %s: unsupported path %s\n", id, path);
			ok = false;
		} else if (r == ABSENT) {
			if (!(python && !strcmp(want, "None"))) {
				printf("FAIL %s: %s absent, want \"%s\"\n", id,
				       path, want);
				ok = false;
			}
		} else if (!same(got, want, icase)) {
			printf("FAIL %s: %s = \"%s\", want \"%s\"\n", id, path,
			       got, want);
			ok = false;
		}
	}
	return ok;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s SHARED_DIR\n", argv[0]);
		return 2;
	}
	char pat[4096];
	snprintf(pat, sizeof(pat), "%s/conformance/authres/*.json", argv[1]);
	glob_t g;
	if (glob(pat, 0, NULL, &g) != 0 || g.gl_pathc == 0) {
		fprintf(stderr, "authres: no cases at %s\n", pat);
		return 2;
	}
	A = arena_new();
	size_t total = 0, pass = 0;
	for (size_t f = 0; f < g.gl_pathc; f++) {
		json_error_t jerr;
		json_t *root = json_load_file(g.gl_pathv[f], 0, &jerr);
		if (!root) {
			fprintf(stderr, "authres: %s: %s\n", g.gl_pathv[f],
			        jerr.text);
			return 2;
		}
		size_t i;
		json_t *c;
		json_array_foreach(json_object_get(root, "cases"), i, c)
		{
			json_t *ex =
			    json_array_get(json_object_get(c, "expect"), 0);
			bool python = json_object_get(c, "parser") != NULL ||
			              (ex && json_object_get(ex, "attr"));
			total++;
			pass += run_case(c, python);
		}
		json_decref(root);
	}
	globfree(&g);
	arena_free(A);
	double rate = total ? 100.0 * (double)pass / (double)total : 0;
	printf("authres: %zu/%zu passed (%.1f%%), floor %.0f%%\n", pass, total,
	       rate, FLOOR);
	return rate >= FLOOR ? 0 : 1;
}
