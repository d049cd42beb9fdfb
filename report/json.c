/*
 * json.c: the JSON document (schema 1). Key order is fixed and documented
 * in the man page (OUTPUT); keys are added, never renamed.
 */
#include "report.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "jsonw.h"
#include "sections.h"

/* Seconds from 1970 to 1000-01-01T00:00:00Z, and to the end of 9999:
 * the years done by arithmetic. */
#define ISO8601_FIRST (-30610224000LL)
#define ISO8601_LAST 253402300799LL

/* "YYYY-MM-DD" at p for day `days` counted from 1000-01-01 (years 1000 to
 * 9999), by civil_from_days (H. Hinnant): gmtime and strftime cost more
 * than the rest of a hop's JSON. All is unsigned counted from there. */
static void
civil_date(char *p, unsigned days)
{
	unsigned z = days + 365183; /* days from 0000-03-01 */
	unsigned era = z / 146097;
	unsigned doe = z - era * 146097;
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	unsigned y = yoe + era * 400 + (m <= 2);
	p = jsonw_two_digits(p, y / 100);
	p = jsonw_two_digits(p, y % 100);
	*p++ = '-';
	p = jsonw_two_digits(p, m);
	*p++ = '-';
	jsonw_two_digits(p, d);
}

/* Other years by the C library; out of line, so that the usual case has
 * no stack frame (struct tm) to set up and check. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static char *
iso8601_libc(char *buf, size_t n, long long utc)
{
	time_t t = (time_t)utc;
	struct tm tm;
	if (!gmtime_r(&t, &tm) ||
	    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, n, "%lld", utc);
	return buf + strlen(buf);
}

char *
report_iso8601_day(char *buf, size_t n, long long utc, struct report_day *c)
{
	if (n < 21 || utc < ISO8601_FIRST || utc > ISO8601_LAST)
		return iso8601_libc(buf, n, utc);
	/* 32-bit after the first division */
	unsigned long long t = (unsigned long long)(utc - ISO8601_FIRST);
	unsigned days = (unsigned)(t / 86400), sec = (unsigned)(t % 86400);
	if (days != c->days) {
		civil_date(c->ymd, days);
		c->days = days;
	}
	memcpy(buf, c->ymd, 10);
	char *p = buf + 10;
	*p++ = 'T';
	p = jsonw_two_digits(p, sec / 3600);
	*p++ = ':';
	p = jsonw_two_digits(p, sec / 60 % 60);
	*p++ = ':';
	p = jsonw_two_digits(p, sec % 60);
	*p++ = 'Z';
	*p = '\0';
	return p;
}

char *
report_iso8601(char *buf, size_t n, long long utc)
{
	struct report_day c = REPORT_DAY_INIT;
	return report_iso8601_day(buf, n, utc, &c);
}

static void
source(struct jsonw *w, const char *file, size_t index)
{
	jsonw_kobj(w, "source");
	jsonw_kcstr(w, "file", file);
	jsonw_kint(w, "index", (int64_t)index);
	jsonw_obj_end(w);
}

static void
message(struct jsonw *w, const struct message_info *mi)
{
	jsonw_kobj(w, "message");
	jsonw_kstr_or_null(w, "from", mi->from);
	jsonw_kstr_or_null(w, "to", mi->to);
	jsonw_kstr_or_null(w, "subject", mi->subject);
	jsonw_kstr_or_null(w, "date", mi->date);
	jsonw_kstr_or_null(w, "message_id", mi->message_id);
	jsonw_kstr_or_null(w, "return_path", mi->return_path);
	jsonw_obj_end(w);
}

static void
flags(struct jsonw *w, unsigned fl)
{
	jsonw_karr(w, "flags");
	/* the set bits only, lowest first */
	for (unsigned m = fl & ((1u << RECEIVED_NFLAGS) - 1); m; m &= m - 1)
		jsonw_cstr(w, received_flag_names[__builtin_ctz(m)]);
	jsonw_arr_end(w);
}

/* "date" and "zone", written in place: only digits and punctuation */
static void
date(struct jsonw *w, const struct received *r, struct report_day *day)
{
	if (!r->has_date) {
		jsonw_knull(w, "date");
		jsonw_knull(w, "zone");
		return;
	}
	char *d = jsonw_kplain(w, "date", REPORT_ISO8601_MAX);
	jsonw_kplain_end(w, report_iso8601_day(d, REPORT_ISO8601_MAX,
	                                       (long long)r->time, day));
	if (r->tz_missing) {
		jsonw_knull(w, "zone");
		return;
	}
	int z = r->tz_offset < 0 ? -r->tz_offset : r->tz_offset;
	char sign = r->tz_offset < 0 ? '-' : '+';
	d = jsonw_kplain(w, "zone", 16); /* "-3579139407" at most */
	if (z < 100 * 60) {
		*d++ = sign;
		d = jsonw_two_digits(jsonw_two_digits(d, (unsigned)(z / 60)),
		                     (unsigned)(z % 60));
	} else
		d += snprintf(d, 16, "%c%02d%02d", sign, z / 60, z % 60);
	jsonw_kplain_end(w, d);
}

static void
hop(struct jsonw *w, const struct hop *h, struct report_day *day)
{
	const struct received *r = &h->r;
	jsonw_obj(w);
	jsonw_kint(w, "index", h->index);
	if (h->is_virtual)
		jsonw_knull(w, "header_index");
	else
		jsonw_kint(w, "header_index", h->header_index);
	jsonw_kobj(w, "from");
	jsonw_kstr_or_null(w, "helo", r->helo);
	jsonw_kstr_or_null(w, "rdns", r->rdns);
	jsonw_kstr_or_null(w, "ip", r->ip);
	jsonw_kstr_or_null(w, "ident", r->ident);
	jsonw_obj_end(w);
	jsonw_kstr_or_null(w, "by", r->by);
	jsonw_kstr_or_null(w, "via", r->via);
	jsonw_kstr_or_null(w, "with", r->with);
	flags(w, r->flags);
	if (r->flags & RCV_F_TLS || r->tls_version.n || r->tls_cipher.n) {
		jsonw_kobj(w, "tls");
		jsonw_kstr_or_null(w, "version", r->tls_version);
		jsonw_kstr_or_null(w, "cipher", r->tls_cipher);
		jsonw_obj_end(w);
	} else
		jsonw_knull(w, "tls");
	jsonw_kstr_or_null(w, "auth", r->auth);
	jsonw_kstr_or_null(w, "id", r->id);
	jsonw_kstr_or_null(w, "for", r->for_);
	jsonw_kstr_or_null(w, "envelope_from", r->envelope_from);
	date(w, r, day);
	if (h->has_delay)
		jsonw_kint(w, "delay_s", h->delay_s);
	else
		jsonw_knull(w, "delay_s");
	jsonw_kcstr(w, "mta", r->mta ? r->mta : "unknown");
	jsonw_kbool(w, "parsed", r->parsed);
	jsonw_kbool(w, "handover", r->handover);
	if (h->actor >= 0)
		jsonw_kint(w, "actor", h->actor);
	else
		jsonw_knull(w, "actor");
	jsonw_kcstr(w, "role", h->role);
	jsonw_kbool(w, "trusted", h->trusted);
	jsonw_kstr(w, "raw", r->raw);
	jsonw_obj_end(w);
}

/* the array, after its key; day: the date last written */
static void
hops(struct jsonw *w, const struct hop *v, size_t n, struct report_day *day)
{
	jsonw_arr(w);
	for (size_t i = 0; i < n; i++)
		hop(w, &v[i], day);
	jsonw_arr_end(w);
}

static void
findings(struct jsonw *w, const struct findings *f)
{
	jsonw_karr(w, "findings");
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		jsonw_obj(w);
		jsonw_kcstr(w, "id", x->id);
		jsonw_kcstr(w, "severity", severity_name(x->sev));
		if (x->hop >= 0)
			jsonw_kint(w, "hop", x->hop);
		else
			jsonw_knull(w, "hop");
		jsonw_kcstr(w, "message", x->message);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
}

void
report_json(struct obuf *o, const struct analysis *an, bool pretty)
{
	struct jsonw w;
	/* a message's hops mostly share their day */
	struct report_day day = REPORT_DAY_INIT;
	jsonw_init(&w, o, pretty);
	jsonw_obj(&w);
	jsonw_kint(&w, "schema", REPORT_SCHEMA);
	source(&w, an->file, an->index);
	message(&w, &an->info);
	jsonw_key(&w, "hops");
	hops(&w, an->path.v, an->path.n, &day);
	jsonw_key(&w, "non_handover");
	hops(&w, an->path.local, an->path.nlocal, &day);
	if (an->path.has_total)
		jsonw_kint(&w, "transit_s", an->path.total_s);
	else
		jsonw_knull(&w, "transit_s");
	report_trace_json(&w, an);
	report_auth_json(&w, an);
	findings(&w, &an->findings);
	/* Bytes of the input that were not valid UTF-8 were replaced with
	 * U+FFFD above; say so, so that nobody mistakes the text for the
	 * evidence. */
	jsonw_kint(&w, "replaced_bytes", (int64_t)w.replaced);
	jsonw_obj_end(&w);
	obuf_putc(o, '\n');
}

void
report_error_json(struct obuf *o, const char *file, size_t index,
                  const char *error, bool pretty)
{
	struct jsonw w;
	jsonw_init(&w, o, pretty);
	jsonw_obj(&w);
	jsonw_kint(&w, "schema", REPORT_SCHEMA);
	source(&w, file, index);
	jsonw_kcstr(&w, "error", error);
	jsonw_obj_end(&w);
	obuf_putc(o, '\n');
}

void
report_render(struct obuf *o, const struct analysis *an,
              const struct report_opts *ro)
{
	switch (ro->format) {
	case REPORT_JSON:
		report_json(o, an, true);
		break;
	case REPORT_JSONL:
		report_json(o, an, false);
		break;
	case REPORT_NOTATION:
		report_notation(o, an);
		break;
	case REPORT_TEXT:
		report_text(o, an, ro->color);
		break;
	}
}
