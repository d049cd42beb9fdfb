/*
 * jsonw_fuzz.c: libFuzzer target for the streaming JSON writer and the
 * terminal sanitiser. The input is a little program: each byte is an
 * operation (open an object or array, close, a key, a string, a number,
 * a literal) and strings take their bytes from the input, so every byte
 * value reaches the escaper. Only well-formed call sequences are made (a
 * key before each member, values in arrays), as report/ makes them;
 * some strings are written in spans (jsonw_put_str, jsonw_put_cstr).
 * Asserted: the output is valid JSON and valid UTF-8 in compact and
 * pretty form; text_safe() output of the same strings is inert.
 */
#include <stdint.h>
#include <string.h>

#include "report/jsonw.h"
#include "report/sections.h"
#include "testdata/fuzz/fuzzcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Leave room below JSONW_MAX_DEPTH (an assert there is a report/ bug). */
#define DEPTH_MAX (JSONW_MAX_DEPTH - 2)

struct prog {
	const uint8_t *p;
	size_t n, i;
};

/* A string of the next byte's value in length (or the rest). */
static struct str
take(struct prog *g)
{
	if (g->i >= g->n)
		return STR_NULL;
	size_t l = g->p[g->i++];
	if (l > g->n - g->i)
		l = g->n - g->i;
	struct str s = str_make((const char *)g->p + g->i, l);
	g->i += l;
	return s;
}

static void
run(struct obuf *o, const uint8_t *data, size_t size, bool pretty)
{
	struct prog g = {data, size, 0};
	struct jsonw w;
	bool obj[DEPTH_MAX + 1]; /* is the container at depth d an object */
	int d = 0;
	char key[64];
	jsonw_init(&w, o, pretty);
	jsonw_obj(&w);
	obj[0] = true;
	while (g.i < g.n) {
		uint8_t op = g.p[g.i++] % 9;
		if (op == 8) { /* close */
			if (d == 0)
				continue;
			if (obj[d])
				jsonw_obj_end(&w);
			else
				jsonw_arr_end(&w);
			d--;
			continue;
		}
		if (obj[d]) {
			struct str k = take(&g);
			size_t kl =
			    k.n < sizeof(key) - 1 ? k.n : sizeof(key) - 1;
			if (kl)
				memcpy(key, k.p, kl);
			key[kl] = '\0'; /* NULs inside shorten it: fine */
			jsonw_key(&w, key);
		}
		switch (op) {
		case 0:
		case 1:
			if (d < DEPTH_MAX) {
				obj[++d] = op == 0;
				if (op == 0)
					jsonw_obj(&w);
				else
					jsonw_arr(&w);
			} else
				jsonw_null(&w);
			break;
		case 2:
		case 3: {
			struct str s = take(&g);
			if (op == 2) {
				jsonw_str(&w, s);
			} else { /* as the renderers write it */
				char *sd = jsonw_span(&w);
				sd = jsonw_put_str(&w, sd, s);
				jsonw_span_end(&w, sd);
			}
			struct obuf t;
			obuf_init(&t);
			text_safe(&t, s);
			long at = fz_text_active_at(t.p, t.n);
			if (at >= 0)
				fz_fail("text_safe output not inert", t.p, t.n,
				        at);
			if (text_safe_width(s) < t.n / 8)
				fz_fail("text_safe_width too small", t.p, t.n,
				        0);
			obuf_free(&t);
			break;
		}
		case 4: {
			int64_t v = 0;
			for (int k = 0; k < 8 && g.i < g.n; k++)
				v = (int64_t)((uint64_t)v << 8 | g.p[g.i++]);
			jsonw_int(&w, v);
			break;
		}
		case 5:
			jsonw_bool(&w, g.i < g.n && (g.p[g.i++] & 1));
			break;
		case 6:
			jsonw_null(&w);
			break;
		default: {
			struct str s = take(&g);
			char *c = strndup(s.p ? s.p : "", s.n);
			const char *cs = s.n && c[0] == 'N' ? NULL : c;
			if (s.n % 2) {
				jsonw_cstr(&w, cs);
			} else { /* in a span: the aligned-block scan */
				char *sd = jsonw_span(&w);
				sd = jsonw_put_cstr(&w, sd, cs);
				jsonw_span_end(&w, sd);
			}
			free(c);
		}
		}
	}
	for (; d > 0; d--) {
		if (obj[d])
			jsonw_obj_end(&w);
		else
			jsonw_arr_end(&w);
	}
	jsonw_obj_end(&w);
	obuf_putc(o, '\n');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct obuf o;
	for (int pretty = 0; pretty < 2; pretty++) {
		obuf_init(&o);
		run(&o, data, size, pretty);
		if (!fz_utf8_ok(o.p, o.n))
			fz_fail("JSON output is not valid UTF-8", o.p, o.n, -1);
		if (!fz_json_ok(o.p, o.n))
			fz_fail("JSON output does not parse", o.p, o.n, -1);
		if (!pretty && memchr(o.p, '\n', o.n) != o.p + o.n - 1)
			fz_fail("compact JSON is not one line", o.p, o.n, -1);
		obuf_free(&o);
	}
	return 0;
}
