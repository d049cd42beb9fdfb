/*
 * jsoncheck.c: read JSON from stdin with jansson and exit 0 only if it is
 * one or more complete, valid JSON documents (JSON Lines, a document, or
 * several). Prints the number of documents. Used by the golden and CLI
 * tests: every output of relaytrace must parse.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(void)
{
	size_t cap = 1 << 16, len = 0, r;
	char *buf = malloc(cap);
	while (buf && (r = fread(buf + len, 1, cap - len, stdin)) > 0) {
		len += r;
		if (len == cap)
			buf = realloc(buf, cap *= 2);
	}
	if (!buf)
		return 2;
	size_t pos = 0, docs = 0;
	for (;;) {
		while (pos < len && strchr(" \t\r\n", buf[pos]))
			pos++;
		if (pos >= len)
			break;
		json_error_t err;
		json_t *j = json_loadb(buf + pos, len - pos,
				       JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY,
				       &err);
		if (!j) {
			fprintf(stderr, "jsoncheck: document %zu: %s (line %d)\n",
				docs + 1, err.text, err.line);
			return 1;
		}
		json_decref(j);
		pos += err.position;
		docs++;
	}
	printf("%zu\n", docs);
	free(buf);
	return docs ? 0 : 1;
}
