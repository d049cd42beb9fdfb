/*
 * run.c: the batch loop. Reads each input message by message, runs the
 * analysis (parse -> path -> trace -> auth) in one arena per message,
 * renders and writes the report. Errors in one input are reported on
 * stderr with the file and message number, and the batch goes on.
 */
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "cmd/input.h"
#include "parse/header.h"
#include "parse/message.h"
#include "parse/received.h"
#include "report/report.h"

struct batch {
	const struct options *o;
	struct report_opts ro;
	struct arena *arena;
	struct obuf out;
	int status;
	size_t documents; /* JSON documents written (for -f json) */
	char *held;       /* -f json: the first document, held back */
	size_t held_n;
};

static void
worse(struct batch *b, int status)
{
	/* 4 > 3 > 1 > 0; 2 (usage) never comes from here */
	static const int rank[] = {0, 1, 0, 2, 3};
	if (rank[status] > rank[b->status])
		b->status = status;
}

static void
write_out(struct batch *b, const char *p, size_t n)
{
	if (n && fwrite(p, 1, n, stdout) != n) {
		fprintf(stderr, "relaytrace: write error: %s\n",
		        strerror(errno));
		exit(EXIT_SYSTEM);
	}
	(void)b;
}

/* -f jsonl: lines gather in b->out and go out in blocks of this size,
 * with stdout unbuffered: stdio would copy each line into its buffer
 * first (3% of the run). */
#define JSONL_BLOCK (64 * 1024)

/* Start a message's output: -f jsonl appends to the lines not yet
 * written (every line is whole), the other formats start afresh. */
static void
begin(struct batch *b)
{
	if (b->ro.format != REPORT_JSONL)
		obuf_reset(&b->out);
}

/* -f json: one document stays a document; several become an array. The
 * first is held until we know whether a second follows. */
static void
emit(struct batch *b)
{
	if (b->ro.format == REPORT_JSONL) {
		if (b->out.n >= JSONL_BLOCK) {
			write_out(b, b->out.p, b->out.n);
			obuf_reset(&b->out);
		}
		return;
	}
	if (b->ro.format != REPORT_JSON) {
		write_out(b, b->out.p, b->out.n);
		return;
	}
	if (b->documents == 0) {
		b->held = xmalloc(b->out.n + 1);
		memcpy(b->held, b->out.p, b->out.n);
		b->held_n = b->out.n;
	} else {
		if (b->documents == 1) {
			write_out(b, "[\n", 2);
			write_out(b, b->held, b->held_n - 1);
			free(b->held);
			b->held = NULL;
		}
		write_out(b, ",\n", 2);
		write_out(b, b->out.p, b->out.n - 1);
	}
	b->documents++;
}

static void
finish(struct batch *b)
{
	if (b->ro.format == REPORT_JSONL)
		write_out(b, b->out.p, b->out.n);
	if (b->held)
		write_out(b, b->held, b->held_n);
	else if (b->documents > 1)
		write_out(b, "\n]\n", 3);
	free(b->held);
	b->held = NULL;
	if (fflush(stdout) != 0) {
		fprintf(stderr, "relaytrace: write error: %s\n",
		        strerror(errno));
		b->status = EXIT_SYSTEM;
	}
}

static bool
json_format(const struct batch *b)
{
	return b->ro.format == REPORT_JSON || b->ro.format == REPORT_JSONL;
}

/* An input that is not a message: stderr, exit 3, and in JSON modes an
 * error document so that output lines still match input messages. */
static void
not_message(struct batch *b, const char *file, size_t index, const char *why)
{
	fprintf(stderr, "relaytrace: %s: message %zu: %s\n", file, index, why);
	worse(b, EXIT_INPUT);
	if (!json_format(b))
		return;
	begin(b);
	report_error_json(&b->out, file, index, why,
	                  b->ro.format == REPORT_JSON);
	emit(b);
}

static void
analyse(struct batch *b, const char *file, size_t index, char *msg, size_t len,
        bool truncated)
{
	struct analysis an = {.file = file,
	                      .index = index,
	                      .buf = msg,
	                      .len = len,
	                      .arena = b->arena};
	arena_reset(b->arena);
	findings_init(&an.findings, b->arena);
	if (truncated)
		findings_add(&an.findings, "msg.truncated", SEV_ERROR, -1, -1,
		             "message larger than INPUT_MAX_MESSAGE (%zu "
		             "bytes): only its first bytes were analysed",
		             INPUT_MAX_MESSAGE);
	headers_split(msg, len, b->arena, &an.hb, &an.findings);
	if (an.hb.n == 0) {
		not_message(b, file, index,
		            len ? "not a mail message (no header fields)"
		                : "empty message");
		return;
	}
	message_info_fill(b->arena, &an.hb, &an.info, &an.findings);
	path_build(&an.hb, b->arena, &an.path, &an.findings);
	an.trace = trace_build(b->o->tc, &an.hb, &an.info, &an.path, b->arena,
	                       &an.findings);
	an.auth = auth_analyze(b->o->tc, &an.hb, &an.info,
	                       str_make(msg + an.hb.body, len - an.hb.body),
	                       &an.path, an.trace, b->arena, &an.findings);
	begin(b);
	report_render(&b->out, &an, &b->ro);
	emit(b);
	if (b->o->fail_on >= 0 && an.findings.any &&
	    (int)an.findings.worst >= b->o->fail_on)
		worse(b, EXIT_FINDINGS);
}

static void
one_input(struct batch *b, const char *path)
{
	struct input in;
	int e = input_open(&in, path);
	if (e) {
		fprintf(stderr, "relaytrace: %s: %s\n", path, strerror(e));
		worse(b, EXIT_INPUT);
		return;
	}
	char *msg;
	size_t len;
	bool truncated;
	int r;
	while ((r = input_next(&in, &msg, &len, &truncated)) > 0)
		analyse(b, path, in.index, msg, len, truncated);
	if (r < 0) {
		fprintf(stderr, "relaytrace: %s: message %zu: read error: %s\n",
		        path, in.index + 1, strerror(errno));
		worse(b, EXIT_INPUT);
	} else if (in.index == 0) {
		fprintf(stderr, "relaytrace: %s: empty input, no message\n",
		        path);
		worse(b, EXIT_INPUT);
	}
	input_close(&in);
}

static bool
want_color(const struct options *o)
{
	if (o->color == COLOR_ALWAYS)
		return true;
	if (o->color == COLOR_NEVER || o->format != REPORT_TEXT)
		return false;
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return false;
	const char *term = getenv("TERM");
	return isatty(1) && !(term && strcmp(term, "dumb") == 0);
}

int
run(const struct options *o)
{
	struct batch b = {.o = o, .status = EXIT_OK};
	b.ro.format = o->format;
	b.ro.color = want_color(o);
	b.arena = arena_new();
	obuf_init(&b.out);
	static char outbuf[1 << 16];
	if (o->format == REPORT_JSONL)
		setvbuf(stdout, NULL, _IONBF, 0); /* b.out is the buffer */
	else
		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	if (o->nfiles == 0)
		one_input(&b, "-");
	for (int i = 0; i < o->nfiles; i++)
		one_input(&b, o->files[i]);
	finish(&b);
	obuf_free(&b.out);
	arena_free(b.arena);
	return b.status;
}
