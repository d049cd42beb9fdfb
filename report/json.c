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

/* c->s's time of day, sec seconds into it, for utc; then c->s at buf */
static inline char *
iso8601_time(char *buf, struct report_day *c, long long utc, unsigned sec)
{
	c->utc = utc;
	char *p = c->s + 10;
	*p++ = 'T';
	unsigned min = sec / 60; /* of the day: hours and minutes from it */
	p = jsonw_two_digits(p, min / 60);
	*p++ = ':';
	p = jsonw_two_digits(p, min % 60);
	*p++ = ':';
	p = jsonw_two_digits(p, sec - min * 60);
	*p = 'Z';
	memcpy(buf, c->s, 20);
	buf[20] = '\0';
	return buf + 20;
}

/* report_iso8601_day's on a new day: out of line, so that the usual
 * time, on the day before, saves no registers */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static char *
iso8601_new_day(char *buf, struct report_day *c, long long utc, unsigned days,
                unsigned sec)
{
	civil_date(c->s, days);
	c->days = days;
	return iso8601_time(buf, c, utc, sec);
}

char *
report_iso8601_day(char *buf, size_t n, long long utc, struct report_day *c)
{
	if (n < 21 || utc < ISO8601_FIRST || utc > ISO8601_LAST)
		return iso8601_libc(buf, n, utc);
	if (utc == c->utc) {
		memcpy(buf, c->s, 20);
		buf[20] = '\0';
		return buf + 20;
	}
	/* 32-bit after the first division */
	unsigned long long t = (unsigned long long)(utc - ISO8601_FIRST);
	unsigned days = (unsigned)(t / 86400), sec = (unsigned)(t % 86400);
	if (days != c->days)
		return iso8601_new_day(buf, c, utc, days, sec);
	return iso8601_time(buf, c, utc, sec);
}

char *
report_iso8601(char *buf, size_t n, long long utc)
{
	struct report_day c = REPORT_DAY_INIT;
	return report_iso8601_day(buf, n, utc, &c);
}

static char *
put_source(struct jsonw *w, char *d, const char *file, size_t index)
{
	d = JSONW_LIT(d, "\"source\":{\"file\":");
	d = jsonw_put_cstr(w, d, file);
	d = JSONW_LIT(d, ",\"index\":");
	d = jsonw_put_int(d, (int64_t)index);
	*d++ = '}';
	return d;
}

static char *
put_message(struct jsonw *w, char *d, const struct message_info *mi)
{
	d = JSONW_LIT(d, ",\"message\":{\"from\":");
	d = jsonw_put_str_or_null(w, d, mi->from);
	d = JSONW_LIT(d, ",\"to\":");
	d = jsonw_put_str_or_null(w, d, mi->to);
	d = JSONW_LIT(d, ",\"subject\":");
	d = jsonw_put_str_or_null(w, d, mi->subject);
	d = JSONW_LIT(d, ",\"date\":");
	d = jsonw_put_str_or_null(w, d, mi->date);
	d = JSONW_LIT(d, ",\"message_id\":");
	d = jsonw_put_str_or_null(w, d, mi->message_id);
	d = JSONW_LIT(d, ",\"return_path\":");
	d = jsonw_put_str_or_null(w, d, mi->return_path);
	*d++ = '}';
	return d;
}

/* The flags' names quoted (jsonw_put_name): about 1.5 per hop. */
static const struct jsonw_name flag_json[] = {
    RECEIVED_FLAG_NAMES(JSONW_NAME_ITEM)};
_Static_assert(sizeof(flag_json) / sizeof(*flag_json) == RECEIVED_NFLAGS,
               "a name for each flag");

/* The MTA names quoted (jsonw_put_name): one per hop. */
#define MTA_JSON(id, name) JSONW_NAME(name),
static const struct jsonw_name mta_json[] = {RECEIVED_MTAS(MTA_JSON)};
#undef MTA_JSON
_Static_assert(sizeof(mta_json) / sizeof(*mta_json) == RECEIVED_NMTAS,
               "a name for each MTA");

/* The hop role labels quoted (jsonw_put_name): a hop's, a trace
 * header's, an SPF checkpoint's, a break's. */
#define HOP_ROLE_JSON(id, name) JSONW_NAME(name),
static const struct jsonw_name hop_role_json[] = {JSONW_NAME(""),
                                                  HOP_ROLES(HOP_ROLE_JSON)};
#undef HOP_ROLE_JSON
_Static_assert(sizeof(hop_role_json) / sizeof(*hop_role_json) == HOP_NROLES,
               "a name for each hop role");

char *
report_put_hop_role(char *d, enum hop_role r)
{
	if (r > HOP_ROLE_NONE && r < HOP_NROLES)
		return jsonw_put_name(d, &hop_role_json[r]);
	return JSONW_LIT(d, "null");
}

/* the "flags" array's elements: the set bits only, lowest first */
static char *
put_flags(char *d, unsigned fl)
{
	unsigned m = fl & ((1u << RECEIVED_NFLAGS) - 1);
	if (!m)
		return d;
	d = jsonw_put_name(d, &flag_json[__builtin_ctz(m)]);
	for (m &= m - 1; m; m &= m - 1) {
		*d++ = ',';
		d = jsonw_put_name(d, &flag_json[__builtin_ctz(m)]);
	}
	return d;
}

/* The values of "date" and "zone", with the key of "zone" between,
 * written in place: only digits and punctuation. */
static char *
put_date(char *d, const struct received *r, struct report_day *day)
{
	if (!r->has_date)
		return JSONW_LIT(d, "null,\"zone\":null");
	*d++ = '"';
	d = report_iso8601_day(d, REPORT_ISO8601_MAX, (long long)r->time, day);
	if (r->tz_missing)
		return JSONW_LIT(d, "\",\"zone\":null");
	d = JSONW_LIT(d, "\",\"zone\":\"");
	if (r->tz_offset != day->tz) {
		int z = r->tz_offset < 0 ? -r->tz_offset : r->tz_offset;
		char sign = r->tz_offset < 0 ? '-' : '+';
		if (z >= 100 * 60) { /* "-3579139407" at most */
			d +=
			    snprintf(d, 16, "%c%02d%02d", sign, z / 60, z % 60);
			*d++ = '"';
			return d;
		}
		char *e = day->zone;
		*e++ = sign;
		e = jsonw_two_digits(jsonw_two_digits(e, (unsigned)(z / 60)),
		                     (unsigned)(z % 60));
		*e = '"';
		day->tz = r->tz_offset;
	}
	/* most hops have the zone of the one before: its "+hhmm\"" again
	 * (with the date's cache, measured: 117.00 M -> 116.85 M
	 * instructions on c8) */
	memcpy(d, day->zone, 8);
	return d + 6;
}

/* One hop's object, in a span: between its strings at most a few
 * hundred bytes of keys, nulls and numbers (JSONW_SPAN_SLACK). */
static char *
put_hop(struct jsonw *w, char *d, const struct hop *h, struct report_day *day)
{
	const struct received *r = &h->r;
	d = JSONW_LIT(d, "{\"index\":");
	d = jsonw_put_int(d, h->index);
	d = JSONW_LIT(d, ",\"header_index\":");
	if (h->is_virtual)
		d = JSONW_LIT(d, "null");
	else
		d = jsonw_put_int(d, h->header_index);
	d = JSONW_LIT(d, ",\"from\":{\"helo\":");
	d = jsonw_put_str_or_null(w, d, r->helo);
	d = JSONW_LIT(d, ",\"rdns\":");
	d = jsonw_put_str_or_null(w, d, r->rdns);
	d = JSONW_LIT(d, ",\"ip\":");
	d = jsonw_put_str_or_null(w, d, r->ip);
	d = JSONW_LIT(d, ",\"ident\":");
	d = jsonw_put_str_or_null(w, d, r->ident);
	d = JSONW_LIT(d, "},\"by\":");
	d = jsonw_put_str_or_null(w, d, r->by);
	d = JSONW_LIT(d, ",\"via\":");
	d = jsonw_put_str_or_null(w, d, r->via);
	d = JSONW_LIT(d, ",\"with\":");
	d = jsonw_put_str_or_null(w, d, r->with);
	d = JSONW_LIT(d, ",\"flags\":[");
	d = put_flags(d, r->flags);
	if (r->flags & RCV_F_TLS || r->tls_version.n || r->tls_cipher.n) {
		d = JSONW_LIT(d, "],\"tls\":{\"version\":");
		d = jsonw_put_str_or_null(w, d, r->tls_version);
		d = JSONW_LIT(d, ",\"cipher\":");
		d = jsonw_put_str_or_null(w, d, r->tls_cipher);
		d = JSONW_LIT(d, "},\"auth\":");
	} else
		d = JSONW_LIT(d, "],\"tls\":null,\"auth\":");
	d = jsonw_put_str_or_null(w, d, r->auth);
	d = JSONW_LIT(d, ",\"id\":");
	d = jsonw_put_str_or_null(w, d, r->id);
	d = JSONW_LIT(d, ",\"for\":");
	d = jsonw_put_str_or_null(w, d, r->for_);
	d = JSONW_LIT(d, ",\"envelope_from\":");
	d = jsonw_put_str_or_null(w, d, r->envelope_from);
	d = JSONW_LIT(d, ",\"date\":");
	d = put_date(d, r, day);
	d = JSONW_LIT(d, ",\"delay_s\":");
	if (h->has_delay)
		d = jsonw_put_int(d, h->delay_s);
	else
		d = JSONW_LIT(d, "null");
	d = JSONW_LIT(d, ",\"mta\":");
	d = jsonw_put_name(d, &mta_json[r->mta]);
	d = JSONW_LIT(d, ",\"parsed\":");
	d = jsonw_put_bool(d, r->parsed);
	d = JSONW_LIT(d, ",\"handover\":");
	d = jsonw_put_bool(d, r->handover);
	d = JSONW_LIT(d, ",\"actor\":");
	d = jsonw_put_index(d, h->actor);
	d = JSONW_LIT(d, ",\"role\":");
	d = report_put_hop_role(d, h->role);
	d = JSONW_LIT(d, ",\"trusted\":");
	d = jsonw_put_bool(d, h->trusted);
	d = JSONW_LIT(d, ",\"raw\":");
	d = jsonw_put_str(w, d, r->raw);
	*d++ = '}';
	return d;
}

/* the array's elements; day: the date last written */
static char *
put_hops(struct jsonw *w, char *d, const struct hop *v, size_t n,
         struct report_day *day)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			*d++ = ',';
		d = put_hop(w, d, &v[i], day);
	}
	return d;
}

/* severity_name(s) quoted (jsonw_put_name) */
static const struct jsonw_name *
severity_json(enum severity s)
{
	static const struct jsonw_name v[] = {SEVERITY_NAMES(JSONW_NAME_ITEM)};
	return &v[(unsigned)s < sizeof(v) / sizeof(*v) ? s : SEV_INFO];
}

static char *
put_findings(struct jsonw *w, char *d, const struct findings *f)
{
	d = JSONW_LIT(d, ",\"findings\":[");
	/* the list in locals, as in put_evidence (trace_out.c) */
	const struct finding *v = f->v;
	size_t n = f->n;
	for (size_t i = 0; i < n; i++) {
		const struct finding *x = &v[i];
		if (i)
			*d++ = ',';
		d = JSONW_LIT(d, "{\"id\":");
		d = jsonw_put_cstr(w, d, x->id);
		d = JSONW_LIT(d, ",\"severity\":");
		d = jsonw_put_name(d, severity_json(x->sev));
		d = JSONW_LIT(d, ",\"hop\":");
		d = jsonw_put_index(d, x->hop);
		d = JSONW_LIT(d, ",\"message\":");
		d = jsonw_put_cstr(w, d, x->message);
		*d++ = '}';
	}
	*d++ = ']';
	return d;
}

/* The whole document is one span (jsonw.h): its parts write at d and
 * return where they end. */
void
report_json(struct obuf *o, const struct analysis *an, bool pretty)
{
	struct jsonw w;
	/* a message's hops mostly share their day, and often with the
	 * message before: the cache lives on in the thread (measured:
	 * 116.15 M -> 116.04 M instructions on c8) */
	static _Thread_local struct report_day day = REPORT_DAY_INIT;
	jsonw_init(&w, o, pretty);
	char *d = jsonw_span(&w);
	d = JSONW_LIT(d, "{\"schema\":");
	d = jsonw_put_int(d, REPORT_SCHEMA);
	*d++ = ',';
	d = put_source(&w, d, an->file, an->index);
	d = put_message(&w, d, &an->info);
	d = JSONW_LIT(d, ",\"hops\":[");
	d = put_hops(&w, d, an->path.v, an->path.n, &day);
	d = JSONW_LIT(d, "],\"non_handover\":[");
	d = put_hops(&w, d, an->path.local, an->path.nlocal, &day);
	d = JSONW_LIT(d, "],\"transit_s\":");
	if (an->path.has_total)
		d = jsonw_put_int(d, an->path.total_s);
	else
		d = JSONW_LIT(d, "null");
	d = report_trace_json(&w, d, an);
	d = report_auth_json(&w, d, an, &day);
	d = put_findings(&w, d, &an->findings);
	/* Bytes of the input that were not valid UTF-8 were replaced with
	 * U+FFFD above; say so, so that nobody mistakes the text for the
	 * evidence. */
	d = JSONW_LIT(d, ",\"replaced_bytes\":");
	d = jsonw_put_int(d, (int64_t)w.replaced);
	*d++ = '}';
	jsonw_span_end(&w, d);
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
	jsonw_kobj(&w, "source");
	jsonw_kcstr(&w, "file", file);
	jsonw_kint(&w, "index", (int64_t)index);
	jsonw_obj_end(&w);
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
