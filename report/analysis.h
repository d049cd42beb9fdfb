/*
 * analysis.h: everything known about one message, as cmd/ builds it and
 * report/ renders it. Arena-owned; valid until the arena is reset.
 */
#ifndef REPORT_ANALYSIS_H
#define REPORT_ANALYSIS_H

#include <stddef.h>

#include "parse/arena.h"
#include "parse/finding.h"
#include "parse/header.h"
#include "parse/message.h"
#include "trace/path.h"

struct trace; /* trace/trace.h */
struct auth;  /* auth/auth.h */
struct config;

struct analysis {
	const char *file; /* as named on the command line; "-" for stdin */
	size_t index;     /* 1-based message number within the file */
	const char *buf;  /* the message bytes (mbox quoting undone) */
	size_t len;
	struct arena *arena;
	struct header_block hb;
	struct message_info info;
	struct path path;
	struct trace *trace;
	struct auth *auth;
	struct findings findings;
};

#endif
