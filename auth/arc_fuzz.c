/* arc_fuzz.c: libFuzzer target for the tag-list parser (ARC and DKIM
 * share it) and for ARC chain grouping over a whole header block. */
#include <stddef.h>
#include <stdint.h>

#include "auth/arc.h"
#include "auth/tags.h"
#include "parse/header.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	if (!a)
		a = arena_new();
	struct str v = str_make((const char *)data, size);
	struct findings f;
	arena_reset(a);
	findings_init(&f, a);
	struct tag_list l;
	tags_parse(v, a, &l);
	for (size_t i = 0; i < l.n; i++)
		tags_value_nows(a, l.v[i].value);
	struct arc_sig s;
	arc_parse_seal(v, a, &s);
	arc_parse_ams(v, a, &s);
	struct header_block hb;
	headers_split((const char *)data, size, a, &hb, &f);
	struct arc_chain ch;
	arc_collect(&hb, a, &f, &ch);
	return 0;
}
