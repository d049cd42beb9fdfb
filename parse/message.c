/* message.c: GMime's share of the work, see message.h. */
#include "message.h"

#include <gmime/gmime.h>
#include <string.h>

void
message_lib_init(void)
{
	g_mime_init();
}

void
message_lib_fini(void)
{
	g_mime_shutdown();
}

/* GMime rejects some forms it could read after a small clean-up; strip
 * what follows the zone: Go's "m=+0.123" monotonic clock reading, and a
 * "UTC"/"GMT" word after a numeric zone. */
static size_t
clean_date(const char *p, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < cap; i++) {
		char c = p[i];
		if (c == '\r' || c == '\n' || c == '\0')
			c = ' ';
		out[o++] = c;
	}
	out[o] = '\0';
	char *m = strstr(out, " m=");
	if (m) {
		*m = '\0';
		o = (size_t)(m - out);
	}
	return o;
}

struct date
message_date_parse(struct str s)
{
	struct date d = {0};
	char buf[256];
	s = str_trim(s);
	if (s.n == 0 || s.n >= sizeof(buf))
		return d;
	clean_date(s.p, s.n, buf, sizeof(buf));
	GDateTime *dt = g_mime_utils_header_decode_date(buf);
	if (!dt)
		return d;
	d.ok = true;
	d.utc = g_date_time_to_unix(dt);
	d.tz_offset = (int)(g_date_time_get_utc_offset(dt) / G_TIME_SPAN_MINUTE);
	g_date_time_unref(dt);
	/* GMime takes a missing zone as UTC silently; detect it: a zone is a
	 * sign followed by 4 digits, or an alphabetic zone name at the end. */
	const char *z = buf + strlen(buf);
	while (z > buf && (z[-1] == ' ' || z[-1] == ')'))
		z--;
	if (z > buf && z[-1] >= '0' && z[-1] <= '9') {
		const char *q = z;
		while (q > buf && q[-1] >= '0' && q[-1] <= '9')
			q--;
		if (!(q > buf && (q[-1] == '+' || q[-1] == '-')) ||
		    z - q != 4)
			d.tz_missing = !(strchr(buf, '+') || strstr(buf, " -"));
	}
	return d;
}

struct str
message_decode_text(struct arena *a, struct str raw)
{
	raw = str_trim(raw);
	if (raw.n == 0)
		return raw;
	char *tmp = arena_strndup(a, raw.p, raw.n);
	/* NULs would cut the C string GMime takes: make them visible */
	for (size_t i = 0; i < raw.n; i++)
		if (tmp[i] == '\0')
			tmp[i] = ' ';
	char *dec = g_mime_utils_header_decode_text(NULL, tmp);
	char *unf = g_mime_utils_header_unfold(dec ? dec : tmp);
	g_free(dec);
	/* GMime passes some invalid 8-bit runs through (found by
	 * parse/date_fuzz.c: F8 BC BD BD BD); keep the promise of valid
	 * UTF-8, with U+FFFD for what is not */
	if (!g_utf8_validate(unf, -1, NULL)) {
		char *valid = g_utf8_make_valid(unf, -1);
		g_free(unf);
		unf = valid;
	}
	struct str out = arena_str(a, unf, strlen(unf));
	g_free(unf);
	return out;
}

struct str
message_first_address(struct arena *a, struct str raw)
{
	raw = str_trim(raw);
	if (raw.n == 0)
		return raw;
	char *tmp = arena_strndup(a, raw.p, raw.n);
	for (size_t i = 0; i < raw.n; i++)
		if (tmp[i] == '\0')
			tmp[i] = ' ';
	InternetAddressList *l = internet_address_list_parse(NULL, tmp);
	struct str out = STR_NULL;
	if (l) {
		for (int i = 0; i < internet_address_list_length(l); i++) {
			InternetAddress *ia =
				internet_address_list_get_address(l, i);
			if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
				const char *addr = internet_address_mailbox_get_addr(
					INTERNET_ADDRESS_MAILBOX(ia));
				if (addr && *addr) {
					out = arena_str(a, addr, strlen(addr));
					break;
				}
			}
		}
		g_object_unref(l);
	}
	if (out.n == 0) {
		/* Return-Path: <> and broken lists: take what is between
		 * angle brackets, else the trimmed value */
		const char *lt = memchr(raw.p, '<', raw.n);
		if (lt) {
			const char *gt = memchr(lt, '>', raw.n - (size_t)(lt - raw.p));
			if (gt)
				return str_make(lt + 1, (size_t)(gt - lt - 1));
		}
		if (!memchr(raw.p, ' ', raw.n) && memchr(raw.p, '@', raw.n))
			return raw;
	}
	return out;
}

struct str
message_addr_domain(struct str addr)
{
	for (size_t i = addr.n; i > 0; i--)
		if (addr.p[i - 1] == '@')
			return str_make(addr.p + i, addr.n - i);
	return STR_NULL;
}

static struct str
lower_copy(struct arena *a, struct str s)
{
	char *p = arena_strndup(a, s.p, s.n);
	for (size_t i = 0; i < s.n; i++)
		if (p[i] >= 'A' && p[i] <= 'Z')
			p[i] += 32;
	return str_make(p, s.n);
}

static struct str
field(const struct header_block *hb, const char *name)
{
	long i = headers_find(hb, name, 0);
	return i < 0 ? STR_NULL : hb->v[i].value;
}

void
message_info_fill(struct arena *a, const struct header_block *hb,
		  struct message_info *mi, struct findings *f)
{
	memset(mi, 0, sizeof(*mi));
	struct str from = field(hb, "From");
	mi->from = message_decode_text(a, from);
	mi->to = message_decode_text(a, field(hb, "To"));
	mi->subject = message_decode_text(a, field(hb, "Subject"));
	mi->message_id = str_trim(header_unfold(a, field(hb, "Message-ID")));
	mi->return_path = message_first_address(a, field(hb, "Return-Path"));
	struct str date = header_unfold(a, field(hb, "Date"));
	mi->date = date;
	if (date.n) {
		mi->date_parsed = message_date_parse(date);
		if (!mi->date_parsed.ok)
			findings_add(f, "hdr.bad-date", SEV_WARNING, -1,
				     (int)headers_find(hb, "Date", 0),
				     "the Date field could not be parsed");
	}
	mi->from_addr = message_first_address(a, from);
	mi->from_domain = lower_copy(a, message_addr_domain(mi->from_addr));
	if (hb->n && from.n == 0)
		findings_add(f, "hdr.no-from", SEV_WARNING, -1, -1,
			     "the message has no From field (RFC 5322 "
			     "§3.6 requires one)");
}
