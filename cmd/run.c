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
#include "cmd/pool.h"
#include "parse/bulk.h"
#include "parse/header.h"
#include "parse/message.h"
#include "parse/received.h"
#include "report/report.h"
#include "trace/orgdomain.h"
#include "trace/tls.h"

/* -j default: one thread per online processor, but no more than this:
 * past it the main thread, which reads, copies and writes every byte,
 * is the bottleneck. */
#define JOBS_AUTO_MAX 16

struct batch {
	const struct options *o;
	struct report_opts ro;
	struct arena **arenas; /* [0]: the main thread, [1 + i]: worker i */
	int narenas;
	int threads;       /* threads that analyse, the main one counted;
	                      0: not yet known (-j's default asks the
	                      system) */
	struct pool *pool; /* NULL: the main thread analyses */
	size_t seen;       /* messages so far, every input */
	struct obuf out;   /* the main thread's output */
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

/* -f json: one document stays a document; several become an array. The
 * first is held until we know whether a second follows. */
static void
emit_json(struct batch *b, const char *p, size_t n)
{
	if (b->documents == 0) {
		b->held = xmalloc(n + 1);
		memcpy(b->held, p, n);
		b->held_n = n;
	} else {
		if (b->documents == 1) {
			write_out(b, "[\n", 2);
			write_out(b, b->held, b->held_n - 1);
			free(b->held);
			b->held = NULL;
		}
		write_out(b, ",\n", 2);
		write_out(b, p, n - 1);
	}
	b->documents++;
}

/* What the main thread writes of b->out: jsonl lines in blocks, a JSON
 * document through emit_json, text and notation at once. */
static void
flush_out(struct batch *b, bool all)
{
	if (b->ro.format == REPORT_JSONL) {
		if (b->out.n >= JSONL_BLOCK || all)
			write_out(b, b->out.p, b->out.n);
		else
			return;
	} else if (b->ro.format == REPORT_JSON) {
		if (b->out.n)
			emit_json(b, b->out.p, b->out.n);
	} else {
		write_out(b, b->out.p, b->out.n);
	}
	obuf_reset(&b->out);
}

static void
finish(struct batch *b)
{
	flush_out(b, true);
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

/* One message, in any thread: the report is appended to out, what the
 * main thread must do about it goes to res. Reads b, never writes it. */
static void
analyse(const struct batch *b, struct arena *arena, const char *file,
        size_t index, char *msg, size_t len, bool truncated, struct obuf *out,
        struct outcome *res)
{
	struct analysis an = {.file = file,
	                      .index = index,
	                      .buf = msg,
	                      .len = len,
	                      .arena = arena};
	arena_reset(arena);
	findings_init(&an.findings, arena);
	if (truncated)
		findings_add(&an.findings, "msg.truncated", SEV_ERROR, -1, -1,
		             "message larger than INPUT_MAX_MESSAGE (%zu "
		             "bytes): only its first bytes were analysed",
		             INPUT_MAX_MESSAGE);
	headers_split(msg, len, arena, &an.hb, &an.findings);
	if (an.hb.n == 0) {
		/* not a message: stderr and exit 3, and in JSON modes an
		 * error document so that output lines still match input
		 * messages */
		res->error = len ? "not a mail message (no header fields)"
		                 : "empty message";
		if (json_format(b))
			report_error_json(out, file, index, res->error,
			                  b->ro.format == REPORT_JSON);
		return;
	}
	message_info_fill(arena, &an.hb, &an.info, &an.findings);
	path_build(&an.hb, arena, &an.path, &an.findings);
	an.trace = trace_build(b->o->tc, &an.hb, &an.info, &an.path, arena,
	                       &an.findings);
	an.auth = auth_analyze(b->o->tc, &an.hb, &an.info,
	                       str_make(msg + an.hb.body, len - an.hb.body),
	                       &an.path, an.trace, arena, &an.findings);
	report_render(out, &an, &b->ro);
	res->failed = b->o->fail_on >= 0 && an.findings.any &&
	              (int)an.findings.worst >= b->o->fail_on;
}

/* The main thread's part of a message's outcome, in input order. */
static void
settle(struct batch *b, const char *file, size_t index, const struct outcome *r)
{
	if (r->error) {
		fprintf(stderr, "relaytrace: %s: message %zu: %s\n", file,
		        index, r->error);
		worse(b, EXIT_INPUT);
	}
	if (r->failed)
		worse(b, EXIT_FINDINGS);
}

/* pool_work_fn: a thread analyses a job. */
static void
work(void *ctx, int thread, struct job *j)
{
	const struct batch *b = ctx;
	for (size_t i = 0; i < j->n; i++) {
		struct job_msg *m = &j->msg[i];
		m->res = (struct outcome){0};
		analyse(b, b->arenas[thread], m->file, m->index,
		        j->data + m->off, m->len, m->truncated, &j->out,
		        &m->res);
		m->res.end = j->out.n;
	}
}

/* pool_deliver_fn: the main thread writes a job out, in order. */
static void
deliver(void *ctx, struct job *j)
{
	struct batch *b = ctx;
	flush_out(b, true); /* what the main thread analysed comes first */
	size_t start = 0;
	for (size_t i = 0; i < j->n; i++) {
		const struct job_msg *m = &j->msg[i];
		settle(b, m->file, m->index, &m->res);
		if (b->ro.format == REPORT_JSON && m->res.end > start)
			emit_json(b, j->out.p + start, m->res.end - start);
		start = m->res.end;
	}
	if (b->ro.format != REPORT_JSON)
		write_out(b, j->out.p, j->out.n);
}

/* -j, or one thread per processor the process may run on (taskset,
 * cpusets), asked only when a second message comes: a single one never
 * needs to know. */
static int
threads(const struct options *o)
{
	if (o->jobs > 0)
		return o->jobs;
	long n = pool_processors();
	return n < 1 ? 1 : n > JOBS_AUTO_MAX ? JOBS_AUTO_MAX : (int)n;
}

/* Threads start with the second message: one message (a mail filter's
 * case) never pays for them. False when the main thread goes on alone. */
static bool
use_pool(struct batch *b)
{
	if (b->pool || b->seen == 0)
		return b->pool != NULL;
	if (b->threads == 0)
		b->threads = threads(b->o);
	if (b->threads <= 1)
		return false;
	b->arenas =
	    xrealloc(b->arenas, (size_t)b->threads * sizeof(*b->arenas));
	for (; b->narenas < b->threads; b->narenas++)
		b->arenas[b->narenas] = arena_new();
	/* the first message loaded the list: the workers share it */
	orgdomain_threads();
	message_lib_threads();
	tls_prefault();
	b->pool = pool_new(b->threads - 1, work, deliver, b);
	if (!b->pool)
		b->threads = 1; /* do not try again */
	return b->pool != NULL;
}

static void
one_message(struct batch *b, const char *file, size_t index, char *msg,
            size_t len, bool truncated)
{
	if (b->seen == 1) /* a batch: its buffers take huge pages */
		bulk_huge_pages();
	if (use_pool(b)) {
		struct job *j = pool_job(b->pool);
		job_add(j, file, index, msg, len, truncated);
		if (job_full(j))
			pool_submit(b->pool);
	} else {
		struct outcome r = {0};
		if (b->ro.format != REPORT_JSONL)
			obuf_reset(&b->out);
		analyse(b, b->arenas[0], file, index, msg, len, truncated,
		        &b->out, &r);
		settle(b, file, index, &r);
		flush_out(b, false);
	}
	b->seen++;
}

/* Messages still with the workers are written before a new complaint on
 * stderr, so that complaints come in input order. */
static void
sync_pool(struct batch *b)
{
	if (b->pool) {
		pool_submit(b->pool);
		pool_drain(b->pool);
	}
}

static void
one_input(struct batch *b, const char *path)
{
	struct input in;
	int e = input_open(&in, path);
	if (e) {
		sync_pool(b);
		fprintf(stderr, "relaytrace: %s: %s\n", path, strerror(e));
		worse(b, EXIT_INPUT);
		return;
	}
	char *msg;
	size_t len;
	bool truncated;
	int r;
	while ((r = input_next(&in, &msg, &len, &truncated)) > 0)
		one_message(b, path, in.index, msg, len, truncated);
	if (r < 0) {
		int err = errno;
		sync_pool(b);
		fprintf(stderr, "relaytrace: %s: message %zu: read error: %s\n",
		        path, in.index + 1, strerror(err));
		worse(b, EXIT_INPUT);
	} else if (in.index == 0) {
		sync_pool(b);
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
	input_batch_hint(o->files, o->nfiles);
	struct batch b = {.o = o, .status = EXIT_OK};
	b.ro.format = o->format;
	b.ro.color = want_color(o);
	b.arenas = xmalloc(sizeof(*b.arenas));
	b.arenas[0] = arena_new();
	b.narenas = 1;
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
	sync_pool(&b);
	pool_free(b.pool);
	finish(&b);
	obuf_free(&b.out);
	for (int i = 0; i < b.narenas; i++)
		arena_free(b.arenas[i]);
	free(b.arenas);
	return b.status;
}
