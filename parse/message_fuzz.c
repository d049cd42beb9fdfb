/*
 * message_fuzz.c: libFuzzer target for the whole pipeline in offline
 * mode, as cmd/run.c's analyse() runs it: header split, message info,
 * path (every Received parser), trace (roles), auth (DKIM,
 * Authentication-Results, ARC) and every renderer. An input starting
 * "From " is split as an mbox first, as cmd/input.c does.
 * Asserted: both JSON forms are valid JSON and valid UTF-8; the text
 * report and the notation are inert on a terminal (no control
 * character but LF, no C1, no bidi or invisible formatting).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "parse/header.h"
#include "parse/mbox.h"
#include "parse/message.h"
#include "parse/received.h"
#include "report/report.h"
#include "testdata/fuzz/fuzzcheck.h"
#include "trace/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* trace/equivalences.conf, compiled in */
extern const char trace_equiv_default[];
extern const size_t trace_equiv_default_len;

static struct arena *arena;
static struct trace_config *tc;
static struct obuf out;

static void
check(const char *what, bool json)
{
	if (json) {
		if (!fz_utf8_ok(out.p, out.n))
			fz_fail(what, out.p, out.n, -1);
		if (!fz_json_ok(out.p, out.n))
			fz_fail(what, out.p, out.n, -1);
		return;
	}
	long at = fz_text_active_at(out.p, out.n);
	if (at >= 0)
		fz_fail(what, out.p, out.n, at);
}

static void
analyse(char *msg, size_t len, size_t index)
{
	struct analysis an = {.file = "fuzz",
	                      .index = index,
	                      .buf = msg,
	                      .len = len,
	                      .arena = arena};
	arena_reset(arena);
	findings_init(&an.findings, arena);
	headers_split(msg, len, arena, &an.hb, &an.findings);
	if (an.hb.n == 0) {
		obuf_reset(&out);
		report_error_json(&out, "fuzz", index, "not a message", false);
		check("error document is not valid JSON", true);
		return;
	}
	message_info_fill(arena, &an.hb, &an.info, &an.findings);
	path_build(&an.hb, arena, &an.path, &an.findings);
	an.trace =
	    trace_build(tc, &an.hb, &an.info, &an.path, arena, &an.findings);
	an.auth = auth_analyze(tc, &an.hb, &an.info,
	                       str_make(msg + an.hb.body, len - an.hb.body),
	                       &an.path, an.trace, arena, &an.findings);
	obuf_reset(&out);
	report_json(&out, &an, false);
	check("compact JSON is not valid", true);
	if (memchr(out.p, '\n', out.n) != out.p + out.n - 1)
		fz_fail("compact JSON is not one line", out.p, out.n, -1);
	obuf_reset(&out);
	report_json(&out, &an, true);
	check("pretty JSON is not valid", true);
	obuf_reset(&out);
	report_text(&out, &an, false);
	check("text report is not inert", false);
	obuf_reset(&out);
	struct report_opts ro = {.format = REPORT_NOTATION};
	report_render(&out, &an, &ro);
	check("notation is not inert", false);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!arena) {
		message_lib_init(NULL);
		received_init();
		arena = arena_new();
		tc = trace_config_new();
		trace_config_load_equivalences(tc, trace_equiv_default,
		                               trace_equiv_default_len);
		obuf_init(&out);
	}
	/* a private, writable copy: mbox_unquote works in place */
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	bool mbox = size >= 5 && memcmp(buf, "From ", 5) == 0;
	size_t start = 0, index = 0;
	while (start < size) {
		long sep = mbox ? mbox_next(buf, size, start, true) : -1;
		size_t end = sep > (long)start ? (size_t)sep : size;
		size_t len = end - start;
		if (mbox)
			len = mbox_unquote(buf + start, len);
		analyse(buf + start, len, ++index);
		start = end;
	}
	free(buf);
	return 0;
}
