/* jsonw_test.c: the JSON writer's escaping, UTF-8 repair and layout, and
 * the text sanitiser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "report/jsonw.h"
#include "report/sections.h"

static void
test_escape(void **state)
{
	(void)state;
	struct obuf o;
	obuf_init(&o);
	struct jsonw w;
	jsonw_init(&w, &o, false);
	jsonw_obj(&w);
	static const char in[] = "a\"b\\c\n\t\x01\x1b[31m\0z";
	jsonw_kstr(&w, "k", str_make(in, sizeof(in) - 1));
	jsonw_kint(&w, "n", -5);
	jsonw_key(&w, "a");
	jsonw_arr(&w);
	jsonw_bool(&w, true);
	jsonw_null(&w);
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	assert_string_equal(o.p, "{\"k\":\"a\\\"b\\\\c\\n\\t\\u0001\\u001b[31m"
				 "\xEF\xBF\xBDz\",\"n\":-5,\"a\":[true,null]}");
	obuf_free(&o);
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	struct obuf o;
	obuf_init(&o);
	struct jsonw w;
	jsonw_init(&w, &o, false);
	/* valid 2-, 3-, 4-byte sequences pass; overlong, surrogate, lone
	 * continuation and truncated sequences are replaced */
	static const char in[] = "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
				 "\xc0\xaf\xed\xa0\x80\x80\xe2\x82";
	jsonw_str(&w, str_make(in, sizeof(in) - 1));
	assert_string_equal(o.p, "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
				 "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf"
				 "\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef"
				 "\xbf\xbd\"");
	assert_int_equal(w.replaced, 8);
	obuf_free(&o);
}

static void
test_pretty_empty(void **state)
{
	(void)state;
	struct obuf o;
	obuf_init(&o);
	struct jsonw w;
	jsonw_init(&w, &o, true);
	jsonw_obj(&w);
	jsonw_key(&w, "e");
	jsonw_arr(&w);
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	assert_string_equal(o.p, "{\n  \"e\": []\n}");
	obuf_free(&o);
}

static void
test_sanitize(void **state)
{
	(void)state;
	struct obuf o;
	obuf_init(&o);
	static const char in[] = "ok\x1b]8;;http://x\x07"
				 "\xe2\x80\xae"
				 "\xc2\x9b\r\n\tfold\xff\0";
	text_safe(&o, str_make(in, sizeof(in) - 1));
	assert_string_equal(o.p, "ok\\x1b]8;;http://x\\x07\\u{202e}"
				 "\\u{009b} fold\\xff\\0");
	assert_int_equal(text_safe_width(str_make(in, sizeof(in) - 1)),
			 strlen(o.p));
	obuf_free(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_pretty_empty),
		cmocka_unit_test(test_sanitize),
	};
	return cmocka_run_group_tests_name("jsonw", tests, NULL, NULL);
}
