/*
 * report.h: render an analysis as text, JSON or the notation alone.
 * Output goes into an obuf; cmd/ writes it out.
 */
#ifndef REPORT_REPORT_H
#define REPORT_REPORT_H

#include <limits.h>
#include <stdbool.h>

#include "analysis.h"
#include "obuf.h"

/* Version of the JSON document shape. Keys are only ever added. */
#define REPORT_SCHEMA 1

enum report_format {
	REPORT_TEXT,
	REPORT_JSON,     /* one document, pretty printed */
	REPORT_JSONL,    /* one compact line per message */
	REPORT_NOTATION, /* the two notation lines */
};

struct report_opts {
	enum report_format format;
	bool color;
};

void report_render(struct obuf *o, const struct analysis *an,
                   const struct report_opts *ro);

/* The document written in JSON modes for an input that is not a message
 * (so that scripts keep one line per input message). */
void report_error_json(struct obuf *o, const char *file, size_t index,
                       const char *error, bool pretty);

/* JSON and text parts (json.c, text.c). */
void report_json(struct obuf *o, const struct analysis *an, bool pretty);
void report_text(struct obuf *o, const struct analysis *an, bool color);

/* "2024-01-31T12:00:00Z" into buf (at least 21 bytes; other forms for
 * years outside 1000-9999 need up to REPORT_ISO8601_MAX), NUL-terminated;
 * returns the end (the NUL). */
#define REPORT_ISO8601_MAX 32
char *report_iso8601(char *buf, size_t n, long long utc);

/* The time last written by report_iso8601_day, which is report_iso8601
 * that computes the date only when the day changes and nothing when the
 * time is the same: the times of one message's hops mostly share their
 * day, a quarter of them the second before (the arrival, a local hop),
 * and the calendar arithmetic is most of the cost. Start from
 * REPORT_DAY_INIT. */
struct report_day {
	unsigned days; /* from 1000-01-01; UINT_MAX: none yet */
	long long utc; /* the time of s; LLONG_MIN: none yet */
	char s[20];    /* "YYYY-MM-DDTHH:MM:SSZ", its date that of days */
	long long tz;  /* json.c's zone last written: its offset (an int),
	                  LLONG_MIN none yet */
	char zone[8];  /* "+hhmm\"" of tz, and 2 NULs for a copy of 8 */
};
#define REPORT_DAY_INIT                                                        \
	{                                                                      \
		.days = UINT_MAX, .utc = LLONG_MIN, .tz = LLONG_MIN            \
	}
char *report_iso8601_day(char *buf, size_t n, long long utc,
                         struct report_day *c);

#endif
