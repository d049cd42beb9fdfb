/* message.c: GMime's share of the work, see message.h. */
#include "message.h"

#include <gmime/gmime.h>
#include <iconv.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#if !defined(RT_GMIME_STATIC)
#include "parse/dynlib.h"
#endif

/*
 * GMime, with GLib under it, is asked only for what the fast paths below
 * do not read: an encoded word, an address or a date. How it comes into
 * the process is the build's choice (GMIME_LINK in the Makefile):
 *  - static (RT_GMIME_STATIC, the default): linked into the binary from
 *    Debian's static archives. Loading the system's copies costs every
 *    batch 4 to 5 ms before its threads start (16 libraries, about 130
 *    page faults, their relocations; with a thread running beside it
 *    twice that): a tenth of the shared corpus's run. The constructors
 *    of GLib, GObject and libgpg-error are set aside by the Makefile and
 *    run here when GMime is first needed, so that a message that needs
 *    none of it does not pay for them (0.5 ms) either.
 *  - dlopen: the system's shared copies, loaded when a message first
 *    needs them, so that their security updates apply without a rebuild;
 *    a single message that needs none (a mail filter's usual case) never
 *    pays for them.
 * Every call goes through gm(), whose pthread_once makes the loading (if
 * any) and g_mime_init happen once, before any thread's first call.
 */
#if !defined(RT_GMIME_STATIC)
#define GMIME_SONAME "libgmime-3.0.so.0"
#endif

static struct gmime_fns {
	void (*init)(void);
	void (*shutdown)(void);
	InternetAddressList *(*list_parse)(GMimeParserOptions *, const char *);
	int (*list_length)(InternetAddressList *);
	InternetAddress *(*list_get)(InternetAddressList *, int);
	const char *(*mailbox_addr)(InternetAddressMailbox *);
	GType (*mailbox_type)(void);
	gboolean (*is_a)(GTypeInstance *, GType);
	void (*unref)(gpointer);
	GDateTime *(*decode_date)(const char *);
	gint64 (*to_unix)(GDateTime *);
	GTimeSpan (*utc_offset)(GDateTime *);
	void (*date_unref)(GDateTime *);
	char *(*decode_text)(GMimeParserOptions *, const char *);
	char *(*unfold)(const char *);
	void (*free)(gpointer);
	gboolean (*utf8_validate)(const char *, gssize, const char **);
	char *(*utf8_make_valid)(const char *, gssize);
	const char *(*iconv_name)(const char *);
} gmime;
static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;
static atomic_bool gmime_loaded; /* set at the end of the once */
static void (*on_error)(const char *why);

#if defined(RT_GMIME_STATIC)
/* The constructors of GLib, GObject and libgpg-error, which the Makefile
 * sets aside from the loader's list (a section each): run here, once and
 * in that order, before GMime is first used, rather than at every start.
 * Weak: a section the archives did not have is empty. */
#define CTOR_SECTION(name)                                                     \
	extern void (*const __start_##name[])(void) __attribute__((weak));     \
	extern void (*const __stop_##name[])(void) __attribute__((weak));
CTOR_SECTION(rt_ctor_glib)
CTOR_SECTION(rt_ctor_gobject)
CTOR_SECTION(rt_ctor_gpgerror)
#undef CTOR_SECTION

static void
run_ctors(void (*const *c)(void), void (*const *end)(void))
{
	for (; c && c < end; c++)
		(*c)();
}

static void
deferred_ctors(void)
{
	run_ctors(__start_rt_ctor_glib, __stop_rt_ctor_glib);
	run_ctors(__start_rt_ctor_gobject, __stop_rt_ctor_gobject);
	run_ctors(__start_rt_ctor_gpgerror, __stop_rt_ctor_gpgerror);
}

/* GMime's functions, linked in, and GLib set up. */
static void
gmime_resolve(void)
{
	deferred_ctors();
	gmime = (struct gmime_fns){
	    .init = g_mime_init,
	    .shutdown = g_mime_shutdown,
	    .list_parse = internet_address_list_parse,
	    .list_length = internet_address_list_length,
	    .list_get = internet_address_list_get_address,
	    .mailbox_addr = internet_address_mailbox_get_addr,
	    .mailbox_type = internet_address_mailbox_get_type,
	    .is_a = g_type_check_instance_is_a,
	    .unref = g_object_unref,
	    .decode_date = g_mime_utils_header_decode_date,
	    .to_unix = g_date_time_to_unix,
	    .utc_offset = g_date_time_get_utc_offset,
	    .date_unref = g_date_time_unref,
	    .decode_text = g_mime_utils_header_decode_text,
	    .unfold = g_mime_utils_header_unfold,
	    .free = g_free,
	    .utf8_validate = g_utf8_validate,
	    .utf8_make_valid = g_utf8_make_valid,
	    .iconv_name = g_mime_charset_iconv_name,
	};
}
#else
/* GMime's functions, from the system's shared copy. */
static void
gmime_resolve(void)
{
	const struct dynlib_sym syms[] = {
	    {"g_mime_init", &gmime.init},
	    {"g_mime_shutdown", &gmime.shutdown},
	    {"internet_address_list_parse", &gmime.list_parse},
	    {"internet_address_list_length", &gmime.list_length},
	    {"internet_address_list_get_address", &gmime.list_get},
	    {"internet_address_mailbox_get_addr", &gmime.mailbox_addr},
	    {"internet_address_mailbox_get_type", &gmime.mailbox_type},
	    {"g_type_check_instance_is_a", &gmime.is_a},
	    {"g_object_unref", &gmime.unref},
	    {"g_mime_utils_header_decode_date", &gmime.decode_date},
	    {"g_date_time_to_unix", &gmime.to_unix},
	    {"g_date_time_get_utc_offset", &gmime.utc_offset},
	    {"g_date_time_unref", &gmime.date_unref},
	    {"g_mime_utils_header_decode_text", &gmime.decode_text},
	    {"g_mime_utils_header_unfold", &gmime.unfold},
	    {"g_free", &gmime.free},
	    {"g_utf8_validate", &gmime.utf8_validate},
	    {"g_utf8_make_valid", &gmime.utf8_make_valid},
	    {"g_mime_charset_iconv_name", &gmime.iconv_name},
	};
	dynlib_load(GMIME_SONAME, syms, sizeof(syms) / sizeof(syms[0]),
	            on_error);
}
#endif

static void
load_gmime(void)
{
	/* GLib 2.74's slice allocator gives each thread a page per size of
	 * block it asks for; GMime's text decoder asks for many sizes, and
	 * every new page is a page fault (about 12 us on a virtual machine
	 * with shadow page tables): with malloc the blocks share pages (GLib
	 * 2.76 made malloc its only way). Not when the user chose. GLib
	 * reads G_SLICE when it first allocates a slice, in its set-up
	 * (gmime_resolve's constructors, or the loading): so before that. */
	setenv("G_SLICE", "always-malloc", 0);
	gmime_resolve();
	gmime.init();
	atomic_store(&gmime_loaded, true);
}

/* GMime's functions, loaded on the first call. */
static inline const struct gmime_fns *
gm(void)
{
	pthread_once(&gmime_once, load_gmime);
	return &gmime;
}

/* INTERNET_ADDRESS_IS_MAILBOX without GLib's inline check, which names
 * GObject's functions (only what dlsym gave may be called). */
static bool
is_mailbox(InternetAddress *ia)
{
	GTypeInstance *in = (GTypeInstance *)ia;
	GType t = gmime.mailbox_type();
	return in &&
	       ((in->g_class && in->g_class->g_type == t) || gmime.is_a(in, t));
}

/* The first mailbox's address in a list GMime parsed from s, or NULL (a
 * string of the list, valid until *l is unreferenced). GMime is loaded:
 * the callers call gm() first. */
static const char *
first_mailbox(const char *s, InternetAddressList **l)
{
	*l = gmime.list_parse(NULL, s);
	if (!*l)
		return NULL;
	for (int i = 0; i < gmime.list_length(*l); i++) {
		InternetAddress *ia = gmime.list_get(*l, i);
		if (is_mailbox(ia)) {
			const char *addr = gmime.mailbox_addr(
			    (InternetAddressMailbox *)(void *)ia);
			if (addr && *addr)
				return addr;
		}
	}
	return NULL;
}

/*
 * Charset converters stay loaded once used. glibc loads a charset's
 * converter (a gconv module: dlopen, and for some a dozen failed openat
 * looking for its helper libraries) when a descriptor is opened, and
 * unloads it (munmap) soon after the last descriptor that uses it is
 * closed. GMime closes its descriptors after each decoded text, so over
 * an mbox the same few modules were loaded and unloaded again and again:
 * 36 times in the 6,046 messages of the shared corpus, about 5% of the
 * run, and under threads every munmap interrupts the other processors to
 * flush their TLBs. One descriptor kept open per charset label that an
 * encoded word named (and ISO-8859-1, GMime's guess for raw 8-bit text)
 * keeps its module loaded. At most MESSAGE_PINNED_CHARSETS labels: mail
 * names a handful; past the bound, labels are decoded as before, only
 * not kept (nothing in the output depends on it).
 */
#define MESSAGE_PINNED_CHARSETS 32
/* Longer labels are not charset names GMime knows (the longest IANA
 * name has 45 bytes): not kept. */
#define PIN_LABEL_MAX 48

static struct {
	pthread_mutex_t mu;
	int n;
	char label[MESSAGE_PINNED_CHARSETS][PIN_LABEL_MAX];
	iconv_t cd[MESSAGE_PINNED_CHARSETS];
} pins = {.mu = PTHREAD_MUTEX_INITIALIZER};

/* Keep the converter of charset label p[0..n) loaded. GMime is loaded. */
static void
pin_charset(const char *p, size_t n)
{
	if (n == 0 || n >= PIN_LABEL_MAX)
		return;
	char lab[PIN_LABEL_MAX];
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		lab[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	lab[n] = '\0';
	/* built into glibc: no module to keep */
	if (strcmp(lab, "utf-8") == 0 || strcmp(lab, "us-ascii") == 0)
		return;
	pthread_mutex_lock(&pins.mu);
	int i = 0;
	while (i < pins.n && strcmp(pins.label[i], lab) != 0)
		i++;
	if (i == pins.n && pins.n < MESSAGE_PINNED_CHARSETS) {
		memcpy(pins.label[i], lab, n + 1);
		/* GMime's name for iconv, as its decoder asks: the same
		 * module (the label may be unknown: -1, not kept) */
		pins.cd[i] = iconv_open("UTF-8", gmime.iconv_name(lab));
		pins.n++;
	}
	pthread_mutex_unlock(&pins.mu);
}

/* Keep loaded the converters GMime will need to decode s: the charset of
 * each encoded word ("=?label?" or "=?label*lang?"), and ISO-8859-1 when
 * s has 8-bit bytes. */
static void
pin_charsets(const char *s)
{
	for (const char *p = s; *p; p++) {
		if ((unsigned char)*p >= 0x80) {
			pin_charset("iso-8859-1", 10);
			break;
		}
	}
	for (const char *p = strstr(s, "=?"); p; p = strstr(p, "=?")) {
		p += 2;
		size_t n = strcspn(p, "?* \t\r\n");
		if (p[n] == '?' || p[n] == '*')
			pin_charset(p, n);
		p += n;
	}
}

static void
unpin_charsets(void)
{
	pthread_mutex_lock(&pins.mu);
	for (int i = 0; i < pins.n; i++)
		if (pins.cd[i] != (iconv_t)-1)
			iconv_close(pins.cd[i]);
	pins.n = 0;
	pthread_mutex_unlock(&pins.mu);
}

/*
 * Before worker threads start, the main thread sets GMime up (loading it
 * first in a dlopen build) and runs once each GMime call our parsers
 * make, so that what GMime and GLib set up lazily on first use (the
 * GObject classes of InternetAddress, its mailbox and group subclasses
 * and InternetAddressList; the time zones of the date parser; the charset
 * converters of the text decoder) is set up before any worker's call.
 * GLib guards that set-up itself, but with futexes ThreadSanitizer does
 * not see. Loading also costs less before threads than after: a batch
 * nearly always needs GMime, and loaded by a worker it held up both
 * workers for about 3 ms (the other waiting in the once, every mmap and
 * mprotect of the loading interrupting it to flush its TLB); loaded
 * alone, 2 ms. A single message (a mail filter) starts no threads, and
 * sets GMime up only if it needs it.
 */
static void
warm_up(void)
{
	InternetAddressList *l;
	(void)first_mailbox("a <a@example.com>, g: b@example.com;", &l);
	if (l)
		gmime.unref(l);
	GDateTime *dt = gmime.decode_date("Mon, 30 Nov 2026 20:17:00 +0100");
	if (dt) {
		(void)gmime.utc_offset(dt);
		gmime.date_unref(dt);
	}
	static const char text[] =
	    "=?UTF-8?Q?caf=C3=A9?= =?ISO-8859-1?B?Y2Fm6Q==?=";
	pin_charsets(text);
	char *dec = gmime.decode_text(NULL, text);
	char *unf = gmime.unfold(dec ? dec : "a\r\n b");
	gmime.free(dec);
	if (!gmime.utf8_validate(unf, -1, NULL))
		gmime.free(gmime.utf8_make_valid(unf, -1));
	gmime.free(unf);
}

void
message_lib_threads(void)
{
	gm();
	warm_up();
}

const char *
message_lib_linkage(void)
{
	static char s[96];
#if defined(RT_GMIME_STATIC)
	const char *how = "linked in";
#else
	const char *how = GMIME_SONAME ", loaded when a message first needs it";
#endif
	snprintf(s, sizeof(s), "GMime %u.%u.%u, %s", GMIME_MAJOR_VERSION,
	         GMIME_MINOR_VERSION, GMIME_MICRO_VERSION, how);
	return s;
}

void
message_lib_init(void (*error)(const char *why))
{
	on_error = error;
}

void
message_lib_fini(void)
{
	if (atomic_load(&gmime_loaded)) {
		unpin_charsets();
		gmime.shutdown();
	}
}

/* GMime rejects some forms it could read after a small clean-up; strip
 * what follows the zone: Go's "m=+0.123" monotonic clock reading, and a
 * "UTC"/"GMT" word after a numeric zone. */
/* Does p[0..n) hold a byte below 0x0e (CR, LF and NUL are)? Eight bytes
 * at a time (x - 0x0e.. borrows into the high bit of such a byte): most
 * dates have none and are then copied whole. */
static bool
has_low_byte(const char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, p + i, 8);
		if ((x - 0x0e * ones) & ~x & 0x80 * ones)
			return true;
	}
	for (; i < n; i++)
		if ((unsigned char)p[i] < 0x0e)
			return true;
	return false;
}

/* Might one of the 8 bytes at p be 8-bit, NUL, CR, LF or '='? (A byte
 * below 0x0e stands for the three controls: false positives only send
 * the caller to its byte loop.) */
static bool
special8(const char *p)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t x;
	memcpy(&x, p, 8);
	uint64_t eq = x ^ ('=' * ones); /* zero where a byte is '=' */
	uint64_t low = (x - 0x0e * ones) & ~x, is_eq = (eq - ones) & ~eq;
	return (x | low | is_eq) & 0x80 * ones;
}

/* Might one of p[0..n) (n >= 8) be 8-bit, NUL, CR, LF or '='? Eight
 * bytes at a time, the last eight overlapping the others. */
static bool
special(const char *p, size_t n)
{
	for (size_t i = 0; i + 8 < n; i += 8)
		if (special8(p + i))
			return true;
	return special8(p + n - 8);
}

static size_t
clean_date(const char *p, size_t n, char *out, size_t cap)
{
	size_t o = n < cap ? n : cap - 1;
	/* most dates have nothing to blank out and no '=' (nor 8-bit
	 * bytes, which only send them down the longer way): copied whole */
	if (o >= 8 && !special(p, o)) {
		memcpy(out, p, o);
		out[o] = '\0';
		return o;
	}
	if (!has_low_byte(p, o)) {
		memcpy(out, p, o);
	} else {
		for (size_t i = 0; i < o; i++) {
			char c = p[i];
			if (c == '\r' || c == '\n' || c == '\0')
				c = ' ';
			out[i] = c;
		}
	}
	out[o] = '\0';
	/* the first " m=", found by its '=' (dates seldom have one): a
	 * memchr is cheaper than strstr here */
	for (char *q = out; (q = memchr(q, '=', o - (size_t)(q - out))); q++)
		if (q - out >= 2 && q[-1] == 'm' && q[-2] == ' ') {
			q[-2] = '\0';
			return (size_t)(q - 2 - out);
		}
	return o;
}

/* ---- the common date form without GMime ----
 *
 * Most dates are "[Www, ]D Mmm YYYY HH:MM[:SS] +hhmm [(comment)]". Asking
 * GMime costs a GDateTime, a GTimeZone and a tokenizer per date, which is
 * most of the cost of a Received line; this path reads exactly that form
 * (the canonical spelling of names, valid calendar values, a zone of at
 * most +-14:59, years from 1971: GMime refuses times before the epoch)
 * and gives GMime everything else. The answers are the same: checked
 * against GMime over the 31,000 dates of the shared corpora and 500,000
 * generated ones (2026-11-30), zero differences. */

static inline bool
two_digits(const char *p, int *v)
{
	/* unsigned: a byte below '0' wraps above 9, one test per digit;
	 * p[1] read only after a digit at p[0] (p[0] may be the NUL that
	 * ends buf, the last byte of message_date_parse's buffer) */
	unsigned a = (unsigned char)p[0] - (unsigned)'0';
	if (a > 9)
		return false;
	unsigned b = (unsigned char)p[1] - (unsigned)'0';
	if (b > 9)
		return false;
	*v = (int)(a * 10 + b);
	return true;
}

int64_t
message_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* Skip a run of blanks (space, tab: folding became spaces in
 * clean_date); how many there were. GMime splits the date at any such
 * run, so "Thu, 22 Aug 2002     07:35:02 -0400" is its common form too. */
static size_t
skip_blanks(const char **p)
{
	const char *q = *p;
	while (*q == ' ' || *q == '\t')
		q++;
	size_t n = (size_t)(q - *p);
	*p = q;
	return n;
}

/* The optional "Www," before the day; false when it is there but not
 * in the form GMime reads the same way. */
static bool
day_name(const char **pp)
{
	static const char days[] = "MonTueWedThuFriSatSun";
	const char *p = *pp;
	if (p[0] < 'A' || p[0] > 'Z')
		return true;
	const char *k = days;
	/* byte by byte: p may end (NUL) before three bytes, memcmp would
	 * read past it (found by parse/date_fuzz.c) */
	while (*k && !(k[0] == p[0] && k[1] == p[1] && k[2] == p[2]))
		k += 3;
	if (!*k)
		return false;
	p += 3;
	size_t before = skip_blanks(&p);
	if (*p++ != ',')
		return false;
	/* "Wed ,1 Jan": GMime reads ",1" as one word and gives up */
	if (skip_blanks(&p) == 0 && before)
		return false;
	*pp = p;
	return true;
}

/* 1 to 12 for the month name at p ("Jan".."Dec", that spelling), 0 for
 * none. By the first letter, then the others against at most three
 * names: a loop of memcmp over the twelve cost more than the rest of
 * the date (most of them are in the second half of the year). */
static int
month_name(const char *p)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int m[3] = {0, 0, 0}; /* the months that start with p[0] */
	switch (p[0]) {
	case 'J':
		m[0] = 1, m[1] = 6, m[2] = 7;
		break;
	case 'F':
		m[0] = 2;
		break;
	case 'M':
		m[0] = 3, m[1] = 5;
		break;
	case 'A':
		m[0] = 4, m[1] = 8;
		break;
	case 'S':
		m[0] = 9;
		break;
	case 'O':
		m[0] = 10;
		break;
	case 'N':
		m[0] = 11;
		break;
	case 'D':
		m[0] = 12;
		break;
	default:
		return 0;
	}
	for (int i = 0; i < 3 && m[i]; i++) {
		const char *n = names + 3 * (m[i] - 1);
		if (p[1] == n[1] && p[2] == n[2])
			return m[i];
	}
	return 0;
}

/* The day of the month: 1 or 2 digits, a leading zero allowed ("02"). */
static bool
day_number(const char **pp, int *day)
{
	const char *p = *pp;
	if (p[0] < '0' || p[0] > '9')
		return false;
	*day = *p++ - '0';
	if (*p >= '0' && *p <= '9')
		*day = *day * 10 + (*p++ - '0');
	*pp = p;
	return *day >= 1;
}

static bool
fast_date(const char *p, struct date *d)
{
	static const unsigned char mdays[] = {31, 28, 31, 30, 31, 30,
	                                      31, 31, 30, 31, 30, 31};
	skip_blanks(&p);
	int day, mon, year, hh, mm, ss = 0, zh, zm;
	if (!day_name(&p) || !day_number(&p, &day) || !skip_blanks(&p))
		return false;
	if ((mon = month_name(p)) == 0)
		return false;
	p += 3;
	int y2;
	if (!skip_blanks(&p) || !two_digits(p, &year) ||
	    !two_digits(p + 2, &y2))
		return false;
	year = year * 100 + y2;
	p += 4;
	if (!skip_blanks(&p) || !two_digits(p, &hh) || p[2] != ':' ||
	    !two_digits(p + 3, &mm))
		return false;
	p += 5;
	if (*p == ':') {
		if (!two_digits(p + 1, &ss))
			return false;
		p += 3;
	}
	if (!skip_blanks(&p))
		return false;
	char sign = *p++;
	if ((sign != '+' && sign != '-') || !two_digits(p, &zh) ||
	    !two_digits(p + 2, &zm))
		return false;
	p += 4;
	if (*p && *p != ' ')
		return false; /* "+0900(KST)": GMime reads no zone there */
	while (*p == ' ')
		p++;
	if (*p == '(') {
		p += strcspn(p + 1, "()") + 1;
		if (*p != ')')
			return false; /* nested or unclosed: GMime decides */
		p++;
		while (*p == ' ')
			p++;
	}
	if (*p)
		return false;
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (year < 1971 || day > mdays[mon - 1] + (mon == 2 && leap) ||
	    hh > 23 || mm > 59 || ss > 59 || zh > 14 || zm > 59)
		return false;
	int off = (zh * 60 + zm) * (sign == '-' ? -1 : 1);
	d->ok = true;
	d->utc = message_days_from_civil(year, (unsigned)mon, (unsigned)day) *
	             86400 +
	         hh * 3600 + mm * 60 + ss - off * 60;
	d->tz_offset = off;
	return true;
}

/* ---- the common date without a copy ----
 *
 * Most dates are "[Www, ]D Mmm YYYY HH:MM[:SS] +hhmm" and nothing else.
 * message_date_common reads that form in place and accepts exactly what
 * fast_date below accepts on such a text (the same names, blanks, ranges
 * and result, tz_missing false), so its answer is message_date_parse's;
 * anything else (ISO dates, zone names, fractions, a comment after the
 * zone) returns false and takes the long way, which copies the text
 * first. The Received parser asks it before anything else. */

/* Space, tab, CR, LF: the blanks of a date once clean_date has made CR
 * and LF spaces. A NUL (a space too there) is no blank here: a date
 * with one takes the long way. */
static inline bool
dblank(unsigned char c)
{
	return c <= ' ' &&
	       (1ULL << ' ' | 1ULL << '\t' | 1ULL << '\r' | 1ULL << '\n') >> c &
	           1;
}

/* Skip blanks from *p; how many. No bound: message_date_common's text is
 * trimmed, its last byte is no blank, and *p is before it. */
static inline size_t
dblanks(const unsigned char **p)
{
	const unsigned char *b = *p;
	while (dblank(**p))
		(*p)++;
	return (size_t)(*p - b);
}

static inline bool
ddigit(unsigned char c)
{
	return (unsigned)(c - '0') <= 9;
}

/* The two digits at p (read by the caller's bound) as a number, or -1. */
static inline int
d2(const unsigned char *p)
{
	return ddigit(p[0]) && ddigit(p[1]) ? (p[0] - '0') * 10 + (p[1] - '0')
	                                    : -1;
}

/* The three bytes at p as one number, and its slot in the name tables
 * below: a multiplicative hash without collision among the twelve month
 * and the seven day names (the names are then compared whole). */
#define D3(a, b, c)                                                            \
	((uint32_t)(unsigned char)(a) | (uint32_t)(unsigned char)(b) << 8 |    \
	 (uint32_t)(unsigned char)(c) << 16)
static inline uint32_t
d3(const unsigned char *p)
{
	return D3(p[0], p[1], p[2]);
}

/* d3 where p[3] may be read too (the callers' bounds say so): one load
 * where d3 takes three bytes and shifts them into place (103.46 M ->
 * 103.37 M instructions on c8). */
static inline uint32_t
d3_of4(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint32_t w;
	memcpy(&w, p, 4);
	return w & 0xffffff;
#else
	return d3(p);
#endif
}
#define MON_HASH(w) ((uint32_t)((w)*26596u) >> 28)
#define DAY_HASH(w) ((uint32_t)((w)*1261u) >> 28)

/* Days from 1970-01-01 to y-m-d for 1971 <= y <= 9999, as
 * message_days_from_civil counts them (received_test checks every year):
 * the days of the years before, the leap days among them (477 of them
 * fall before 1970), the days of the months before. */
static int64_t
date_days(int y, int m, int d)
{
	static const short before[12] = {0,   31,  59,  90,  120, 151,
	                                 181, 212, 243, 273, 304, 334};
	int p = y - 1;
	/* the years a century skips, less those of 400: 15 for every p
	 * of 1970 to 2099, the dates of mail (no divisions for them) */
	int skipped = p < 2100 ? 15 : p / 100 - p / 400;
	/* y % 4 first: the rest is asked of one year in four */
	bool leap_day = m > 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
	return (int64_t)(y - 1970) * 365 + (p / 4 - skipped - 477) +
	       before[m - 1] + leap_day + d - 1;
}

/* Four digits in *v (read from memory, little-endian): each byte made
 * its value, else false. Taking '0' from every byte leaves 0 to 9 in
 * each for digits; a byte below '0' borrows and leaves its lane 0xc6 or
 * more, so a lane of 16 or more (a high nibble) refuses the whole, and
 * adding 6 carries into bit 4 exactly for the lanes of 10 to 15. */
static inline bool
digits4(uint32_t *v)
{
	uint32_t d = *v - 0x30303030u;
	if ((d & 0xf0f0f0f0u) || ((d + 0x06060606u) & 0x10101010u))
		return false;
	*v = d;
	return true;
}

/* "HH:MM:SS" in *v (eight bytes, little-endian) the same way; the two
 * colons must leave 0. */
static inline bool
hms8(uint64_t *v)
{
	uint64_t d = *v - 0x30303a30303a3030u;
	if ((d & 0xf0f0fff0f0fff0f0u) ||
	    ((d + 0x0606000606000606u) & 0x1010001010001010u))
		return false;
	*v = d;
	return true;
}

/* The two-digit numbers of v's digits (byte k of the text in byte k, as
 * digits4 and hms8 leave them): in byte k, that of bytes k and k + 1.
 * No byte carries: 10 * 9 + 9 < 256. */
static inline uint64_t
digit_pairs(uint64_t v)
{
	return v * 10 + (v >> 8);
}

/* The day names by hash slot. */
static const uint32_t dayw[16] = {
    [1] = D3('M', 'o', 'n'), [15] = D3('T', 'u', 'e'), [14] = D3('W', 'e', 'd'),
    [4] = D3('T', 'h', 'u'), [0] = D3('F', 'r', 'i'),  [3] = D3('S', 'a', 't'),
    [2] = D3('S', 'u', 'n')};

/* The day of the month of a date's head p[0..q) laid out "D", "DD",
 * "Www, D", "Www, DD" or with more spaces after the comma, or -1 for
 * any other head (message_date_common's longer reading decides). */
static int
head_day(const unsigned char *p, const unsigned char *q)
{
	int day;
	if (q - p >= 2 && ddigit(q[-2])) {
		day = d2(q - 2);
		q -= 2;
	} else if (ddigit(q[-1])) {
		day = q[-1] - '0';
		q--;
	} else {
		return -1;
	}
	if (q == p)
		return day;
	/* p[3] is read below: q - p >= 5 */
	if (q - p < 5 || dayw[DAY_HASH(d3_of4(p))] != d3_of4(p) || p[3] != ',')
		return -1;
	for (p += 4; p < q; p++)
		if (*p != ' ')
			return -1;
	return day;
}

/* s trimmed as str_trim trims it, the Received parser's dates inline:
 * they end with the blank before the comment after them ("... +0000
 * (UTC)"), which str_trim's own fast test sent to str_trim_slow
 * (103.37 M -> 103.29 M instructions on c8). */
static inline struct str
date_trim(struct str s)
{
	if (s.n >= 2 && (unsigned char)s.p[0] > ' ' && s.p[s.n - 1] == ' ' &&
	    (unsigned char)s.p[s.n - 2] > ' ')
		return str_make(s.p, s.n - 1);
	return str_trim(s);
}

bool
message_date_common(struct str s, struct date *d)
{
	/* by hash slot: the month name and number */
	static const struct {
		uint32_t w;
		int m;
	} monw[16] = {
	    [12] = {D3('J', 'a', 'n'), 1}, [14] = {D3('F', 'e', 'b'), 2},
	    [6] = {D3('M', 'a', 'r'), 3},  [7] = {D3('A', 'p', 'r'), 4},
	    [4] = {D3('M', 'a', 'y'), 5},  [13] = {D3('J', 'u', 'n'), 6},
	    [0] = {D3('J', 'u', 'l'), 7},  [15] = {D3('A', 'u', 'g'), 8},
	    [9] = {D3('S', 'e', 'p'), 9},  [3] = {D3('O', 'c', 't'), 10},
	    [1] = {D3('N', 'o', 'v'), 11}, [5] = {D3('D', 'e', 'c'), 12}};
	static const unsigned char mdays[] = {31, 28, 31, 30, 31, 30,
	                                      31, 31, 30, 31, 30, 31};
	s = date_trim(s);
	/* message_date_parse's limit, and the Received parser's test for an
	 * ISO date */
	if (!s.n || s.n > 255 || (s.n >= 10 && ddigit(s.p[0]) && s.p[4] == '-'))
		return false;
	const unsigned char *p = (const unsigned char *)s.p, *e = p + s.n;
	int day, mon, year, hh, mm, ss = 0, zh, zm;
	unsigned char sign;
	bool leap; /* set after the label check: (C11 wants a statement) */
	/* Nearly every date is laid out "Www, DD Mmm YYYY HH:MM:SS +hhmm",
	 * the day perhaps of one digit, its name perhaps left out: after
	 * the head the fields are at their places from the end, and read
	 * there. The reading below gives the same fields for such a text
	 * (single blanks, a day of as many digits as written, a zone ending
	 * it); any other text is read by it. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (s.n >= 25) {
		/* q: the blank before Mmm */
		const unsigned char *q = e - 24;
		uint32_t mw = d3_of4(q + 1), yv, zv; /* q[4] is read below */
		uint64_t tv;
		mon = monw[MON_HASH(mw)].m;
		sign = q[19];
		/* YYYY, HH:MM:SS and hhmm each read at once: byte k of the
		 * number is the text's byte k (little-endian) */
		memcpy(&yv, q + 5, 4);
		memcpy(&tv, q + 10, 8);
		memcpy(&zv, q + 20, 4);
		if (monw[MON_HASH(mw)].w == mw && q[0] == ' ' && q[4] == ' ' &&
		    q[9] == ' ' && q[18] == ' ' &&
		    (sign == '+' || sign == '-') && digits4(&yv) &&
		    digits4(&zv) && hms8(&tv) && (day = head_day(p, q)) >= 1) {
			uint64_t y = digit_pairs(yv), z = digit_pairs(zv),
			         t = digit_pairs(tv);
			/* the ranges of the time and the zone at once: each
			 * byte is below 100, and the sum reaches 128 in the
			 * byte of hh, mm, ss, zh, zm exactly when it is over
			 * 23, 59, 59, 14, 59 (104.10 M -> 104.05 M
			 * instructions on c8) */
			if (((t + 0x0044000044000068u) & 0x0080000080000080u) |
			    ((z + 0x00440071u) & 0x00800080u))
				return false;
			year = (int)((y & 0xff) * 100 + (y >> 16 & 0xff));
			zh = (int)(z & 0xff);
			zm = (int)(z >> 16 & 0xff);
			hh = (int)(t & 0xff);
			mm = (int)(t >> 24 & 0xff);
			ss = (int)(t >> 48 & 0xff);
			goto days;
		}
	}
#endif
	/* enough bytes left for k fixed ones (the blank runs between need
	 * no bound, see dblanks) */
#define NEED(k)                                                                \
	do {                                                                   \
		if (e - p < (k))                                               \
			return false;                                          \
	} while (0)
	/* the reading below ends with a numeric zone, and the text with it:
	 * a text that does not (a comment after the zone, a zone name) is
	 * refused before all of it is read (104.05 M -> 103.97 M
	 * instructions on c8) */
	if (s.n < 5 || (e[-5] != '+' && e[-5] != '-') || d2(e - 4) < 0 ||
	    d2(e - 2) < 0)
		return false;
	if (*p >= 'A' && *p <= 'Z') { /* the day name, then a comma */
		NEED(5);
		uint32_t w = d3_of4(p);
		if (dayw[DAY_HASH(w)] != w)
			return false;
		p += 3;
		size_t before = dblanks(&p);
		if (*p++ != ',')
			return false;
		/* "Wed ,1 Jan": GMime gives up, message_date_parse too */
		NEED(1);
		if (dblanks(&p) == 0 && before)
			return false;
	}
	NEED(2);
	if (!ddigit(*p))
		return false;
	day = *p++ - '0';
	if (ddigit(*p))
		day = day * 10 + (*p++ - '0');
	NEED(1);
	if (day < 1 || !dblanks(&p))
		return false;
	NEED(4); /* the month and a blank */
	uint32_t w = d3_of4(p);
	mon = monw[MON_HASH(w)].m;
	if (monw[MON_HASH(w)].w != w)
		return false;
	p += 3;
	if (!dblanks(&p))
		return false;
	NEED(5); /* the year and a blank */
	int y1 = d2(p), y2 = d2(p + 2);
	if (y1 < 0 || y2 < 0)
		return false;
	year = y1 * 100 + y2;
	p += 4;
	if (!dblanks(&p))
		return false;
	NEED(6); /* HH:MM and a byte */
	hh = d2(p), mm = d2(p + 3);
	if (hh < 0 || p[2] != ':' || mm < 0)
		return false;
	p += 5;
	if (*p == ':') {
		NEED(4); /* :SS and a byte */
		if ((ss = d2(p + 1)) < 0)
			return false;
		p += 3;
	}
	if (!dblanks(&p))
		return false;
	/* the zone ends the text (trailing blanks were trimmed; a comment
	 * or anything else takes the long way) */
	if (e - p != 5)
		return false;
	sign = *p;
	zh = d2(p + 1), zm = d2(p + 3);
	if ((sign != '+' && sign != '-') || zh < 0 || zm < 0)
		return false;
#undef NEED
	if (hh > 23 || mm > 59 || ss > 59 || zh > 14 || zm > 59)
		return false;
days:
	/* leap years matter for a 29 February only (the divisions are
	 * asked for no other date) */
	leap = mon == 2 && day == 29 &&
	       ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0);
	if (year < 1971 || day > mdays[mon - 1] + leap)
		return false;
	int off = (zh * 60 + zm) * (sign == '-' ? -1 : 1);
	/* member by member: a struct literal was zeroed whole first */
	d->ok = true;
	d->utc = date_days(year, mon, day) * 86400 + hh * 3600 + mm * 60 + ss -
	         off * 60;
	d->tz_offset = off;
	d->tz_missing = false;
	return true;
}
#undef D3
#undef MON_HASH
#undef DAY_HASH

struct date
message_date_parse(struct str s)
{
	struct date d = {0};
	char buf[256];
	if (message_date_common(s, &d))
		return d;
	s = str_trim(s);
	if (s.n == 0 || s.n >= sizeof(buf))
		return d;
	size_t n = clean_date(s.p, s.n, buf, sizeof(buf));
	if (fast_date(buf, &d)) {
		/* what fast_date reads ends with its numeric zone, which
		 * the zone test below finds (tz_missing stays false),
		 * unless a comment follows: then let the test decide */
		const char *e = buf + n;
		while (e > buf && e[-1] == ' ')
			e--;
		if (e > buf && e[-1] != ')')
			return d;
	} else {
		GDateTime *dt = gm()->decode_date(buf);
		if (!dt)
			return d;
		d.ok = true;
		d.utc = gmime.to_unix(dt);
		d.tz_offset = (int)(gmime.utc_offset(dt) / G_TIME_SPAN_MINUTE);
		gmime.date_unref(dt);
	}
	/* GMime takes a missing zone as UTC silently; detect it: a zone is a
	 * sign followed by 4 digits, or an alphabetic zone name at the end. */
	const char *z = buf + n; /* no NUL in buf before n */
	while (z > buf && (z[-1] == ' ' || z[-1] == ')'))
		z--;
	if (z > buf && z[-1] >= '0' && z[-1] <= '9') {
		const char *q = z;
		while (q > buf && q[-1] >= '0' && q[-1] <= '9')
			q--;
		if (!(q > buf && (q[-1] == '+' || q[-1] == '-')) || z - q != 4)
			d.tz_missing = !(strchr(buf, '+') || strstr(buf, " -"));
	}
	return d;
}

/* What GMime's text decoder makes of a value: the value itself, the
 * value unfolded, or a decoding (an 8-bit byte, a NUL or "=?"). */
enum text_kind { TEXT_PLAIN, TEXT_FOLDED, TEXT_CODED };

/* Is byte k of p[0..n) one that sends the text to GMime? */
static bool
codes(const char *p, size_t n, size_t k)
{
	unsigned char c = (unsigned char)p[k];
	return c >= 0x80 || c == 0 ||
	       (c == '=' && k + 1 < n && p[k + 1] == '?');
}

/* The kind of p[0..n). Sixteen bytes at a time with SSE2, the last
 * sixteen overlapping the others (a byte looked at twice gives the same
 * answer), where eight-byte steps, then a byte loop from the first CR,
 * LF or '=' to the end, cost about 100 instructions more a value
 * (message_decode_text: 1.85 M -> 1.39 M instructions on c8). */
static enum text_kind
text_kind(const char *p, size_t n)
{
	unsigned eols = 0;
	size_t i = 0;
#if defined(__SSE2__)
	const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n'),
	              eq = _mm_set1_epi8('='), zero = _mm_setzero_si128();
	for (; n >= 16; i += 16) {
		size_t at = i + 16 <= n ? i : n - 16;
		__m128i v =
		    _mm_loadu_si128((const __m128i *)(const void *)(p + at));
		eols |= (unsigned)_mm_movemask_epi8(
		    _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
		/* the high bit of an 8-bit byte, a NUL or '=' */
		unsigned odd = (unsigned)_mm_movemask_epi8(
		    _mm_or_si128(_mm_or_si128(v, _mm_cmpeq_epi8(v, zero)),
		                 _mm_cmpeq_epi8(v, eq)));
		for (; odd; odd &= odd - 1)
			if (codes(p, n, at + (unsigned)__builtin_ctz(odd)))
				return TEXT_CODED;
		if (at + 16 == n)
			return eols ? TEXT_FOLDED : TEXT_PLAIN;
	}
#endif
	for (; i < n; i++) {
		if (codes(p, n, i))
			return TEXT_CODED;
		eols |= p[i] == '\r' || p[i] == '\n';
	}
	return eols ? TEXT_FOLDED : TEXT_PLAIN;
}

struct str
message_decode_text(struct arena *a, struct str raw)
{
	raw = header_trim(raw);
	if (raw.n == 0)
		return raw;
	/* Plain ASCII with no encoded word (most values): GMime's answer is
	 * the value unfolded, CR and LF dropped (checked against GMime over
	 * every From/To/Subject of the shared corpora, 2026-11-30), which
	 * header_unfold gives. */
	switch (text_kind(raw.p, raw.n)) {
	case TEXT_PLAIN:
		return raw;
	case TEXT_FOLDED:
		return header_unfold(a, raw);
	case TEXT_CODED:
		break;
	}
	char *tmp = arena_strndup(a, raw.p, raw.n);
	/* NULs would cut the C string GMime takes: make them visible */
	for (size_t i = 0; i < raw.n; i++)
		if (tmp[i] == '\0')
			tmp[i] = ' ';
	gm();
	pin_charsets(tmp);
	char *dec = gmime.decode_text(NULL, tmp);
	char *unf = gmime.unfold(dec ? dec : tmp);
	gmime.free(dec);
	/* GMime passes some invalid 8-bit runs through (found by
	 * parse/date_fuzz.c: F8 BC BD BD BD); keep the promise of valid
	 * UTF-8, with U+FFFD for what is not */
	if (!gmime.utf8_validate(unf, -1, NULL)) {
		char *valid = gmime.utf8_make_valid(unf, -1);
		gmime.free(unf);
		unf = valid;
	}
	struct str out = arena_str(a, unf, strlen(unf));
	gmime.free(unf);
	return out;
}

/* atext (RFC 5322 §3.2.3): letters, digits and !#$%&'*+-/=?^_`{|}~. A
 * table: the address fast path asks about every byte of every address. */
#define AT1(c) [c] = 1
#define AT2(c) AT1(c), AT1((c) + 1)
#define AT5(c) AT2(c), AT2((c) + 2), AT1((c) + 4)
#define AT10(c) AT5(c), AT5((c) + 5)
#define AT26(c) AT10(c), AT10((c) + 10), AT5((c) + 20), AT1((c) + 25)
static const unsigned char atext[256] = {
    AT26('a'), AT26('A'), AT10('0'), AT1('!'), AT1('#'), AT1('$'),
    AT1('%'),  AT1('&'),  AT1('\''), AT1('*'), AT1('+'), AT1('-'),
    AT1('/'),  AT1('='),  AT1('?'),  AT1('^'), AT1('_'), AT1('`'),
    AT1('{'),  AT1('|'),  AT1('}'),  AT1('~'),
};
#undef AT26
#undef AT10
#undef AT5
#undef AT2
#undef AT1

static bool
is_atext(unsigned char c)
{
	return atext[c];
}

/* dot-atom: atext runs joined by single dots */
static bool
dot_atom(const char *p, size_t n)
{
	if (n == 0 || p[0] == '.' || p[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (p[i] == '.' ? p[i + 1] == '.'
		                : !is_atext((unsigned char)p[i]))
			return false;
	return true;
}

#if defined(__SSE2__)
/* Of the 16 bytes at p: those neither atext nor a dot nor '@' (the
 * mask returned), the dots and '@'s in *seps, the '@'s in *ats. Not
 * atext in printable ASCII: the specials of RFC 5322 §3.2.3. */
static inline unsigned
addr16(const char *p, unsigned *seps, unsigned *ats)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
#define IS(c) _mm_cmpeq_epi8(v, _mm_set1_epi8(c))
	/* below '!' or from 0x7f (signed: 8-bit bytes are negative) */
	__m128i bad =
	    _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8('!')), IS(0x7f));
	bad = _mm_or_si128(bad, _mm_or_si128(IS('"'), IS('(')));
	bad = _mm_or_si128(bad, _mm_or_si128(IS(')'), IS(',')));
	bad = _mm_or_si128(bad, _mm_or_si128(IS(':'), IS(';')));
	bad = _mm_or_si128(bad, _mm_or_si128(IS('<'), IS('>')));
	bad = _mm_or_si128(bad, _mm_or_si128(IS('['), IS('\\')));
	bad = _mm_or_si128(bad, IS(']'));
	__m128i at = IS('@');
	*ats = (unsigned)_mm_movemask_epi8(at);
	*seps = (unsigned)_mm_movemask_epi8(_mm_or_si128(at, IS('.')));
#undef IS
	return (unsigned)_mm_movemask_epi8(bad);
}

/* addr_spec for n >= 16, the ends tested: bytes of atext, dots and the
 * '@' at p + at, no two of the dots and '@' in a row. 16 bytes a step,
 * neighbouring steps sharing a byte so that every two bytes in a row are
 * in one, the last step ending at the end. */
static bool
addr_spec16(const char *p, size_t n, size_t at)
{
	for (size_t i = 0;; i += 15) {
		if (i + 16 > n)
			i = n - 16;
		unsigned seps, ats;
		unsigned own = at - i < 16 ? 1u << (at - i) : 0;
		if (addr16(p + i, &seps, &ats) || (ats & ~own) ||
		    (seps & seps >> 1))
			return false;
		if (i + 16 == n)
			return true;
	}
}
#endif

/* dot-atom "@" dot-atom, the '@' at p + at its first. Most addresses
 * are long enough to be read 16 bytes at a time (bounce addresses are
 * long), both dot-atoms in one pass. */
static bool
addr_spec(const char *p, size_t n, size_t at)
{
#if defined(__SSE2__)
	if (n >= 16)
		return at > 0 && at + 1 < n && p[0] != '.' && p[n - 1] != '.' &&
		       addr_spec16(p, n, at);
#endif
	return dot_atom(p, at) && dot_atom(p + at + 1, n - at - 1);
}

/* A plain addr-spec: dot-atom "@" dot-atom, and no IDN (GMime decodes
 * "xn--" labels). */
static bool
plain_addr(const char *p, size_t n)
{
	const char *at = memchr(p, '@', n);
	if (!at || !addr_spec(p, n, (size_t)(at - p)))
		return false;
	size_t dn = n - (size_t)(at - p) - 1;
	/* most domains have no '-', so no "xn--": one memchr tells */
	return !memchr(at + 1, '-', dn) ||
	       str_ifind(str_make(at + 1, dn), "xn--") < 0;
}

/* The common shapes without GMime's address parser: "a@b", "<a@b>" and
 * "Word Word <a@b>" (words of atext and dots); anything else (quotes,
 * comments, lists, groups, encoded words, 8-bit, folding) goes to GMime.
 * Checked against GMime over every address field of the shared corpora
 * (2026-11-30), zero differences. */
static bool
fast_address(struct str v, struct str *out)
{
	if (v.n == 0 || v.p[v.n - 1] != '>') {
		if (!plain_addr(v.p, v.n))
			return false;
		*out = v;
		return true;
	}
	const char *lt = memchr(v.p, '<', v.n);
	if (!lt || v.p[0] == '.')
		return false;
	for (const char *q = v.p; q < lt; q++)
		if (*q != ' ' && *q != '.' && !is_atext((unsigned char)*q))
			return false;
	const char *a = lt + 1;
	size_t n = (size_t)(v.p + v.n - 1 - a);
	if (!plain_addr(a, n))
		return false;
	*out = str_make(a, n);
	return true;
}

/* Printable ASCII but a backslash, and in a comment parentheses (what
 * would escape or end the quoted string or comment). Compared, not
 * looked up with strchr for each byte (114.69 M -> 114.53 M
 * instructions on c8). */
static bool
plain_text(const char *p, const char *end, bool comment)
{
	for (; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c > 0x7e || c == '\\' ||
		    (comment && (c == '(' || c == ')')))
			return false;
	}
	return true;
}

/* "Display Name" <a@b>, the quoted name without backslash: the most
 * common shape GMime was asked about (a third of From fields). */
static bool
quoted_name_address(struct str v, struct str *out)
{
	const char *end = v.p + v.n;
	if (v.n < 2 || v.p[0] != '"' || end[-1] != '>')
		return false;
	const char *q = memchr(v.p + 1, '"', v.n - 1);
	if (!q || !plain_text(v.p + 1, q, false))
		return false;
	const char *lt = q + 1;
	while (lt < end && *lt == ' ')
		lt++;
	if (lt == end || *lt != '<')
		return false;
	size_t n = (size_t)(end - 1 - (lt + 1));
	if (!plain_addr(lt + 1, n))
		return false;
	*out = str_make(lt + 1, n);
	return true;
}

/* a@b (Display Name), the old form: one comment without nesting or
 * backslash, after a space. */
static bool
address_comment(struct str v, struct str *out)
{
	const char *end = v.p + v.n;
	if (v.n < 2 || end[-1] != ')')
		return false;
	const char *lp = memchr(v.p, '(', v.n);
	if (!lp || !plain_text(lp + 1, end - 1, true))
		return false;
	const char *e = lp;
	while (e > v.p && e[-1] == ' ')
		e--;
	if (e == lp || !plain_addr(v.p, (size_t)(e - v.p)))
		return false;
	*out = str_make(v.p, (size_t)(e - v.p));
	return true;
}

struct str
message_first_address(struct arena *a, struct str raw)
{
	raw = header_trim(raw);
	if (raw.n == 0)
		return raw;
	struct str fast;
	if (fast_address(raw, &fast) || quoted_name_address(raw, &fast) ||
	    address_comment(raw, &fast))
		return fast;
	char *tmp = arena_strndup(a, raw.p, raw.n);
	for (size_t i = 0; i < raw.n; i++)
		if (tmp[i] == '\0')
			tmp[i] = ' ';
	InternetAddressList *l;
	(void)gm();
	const char *addr = first_mailbox(tmp, &l);
	struct str out = STR_NULL;
	if (addr)
		out = arena_str(a, addr, strlen(addr));
	if (l)
		gmime.unref(l);
	if (out.n == 0) {
		/* Return-Path: <> and broken lists: take what is between
		 * angle brackets, else the trimmed value */
		const char *lt = memchr(raw.p, '<', raw.n);
		if (lt) {
			const char *gt =
			    memchr(lt, '>', raw.n - (size_t)(lt - raw.p));
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
	/* memrchr: the byte loop from the end cost some 80 instructions an
	 * address (115.29 M -> 115.14 M instructions on c8) */
	const char *at = addr.n ? memrchr(addr.p, '@', addr.n) : NULL;
	if (!at)
		return STR_NULL;
	size_t i = (size_t)(at - addr.p) + 1;
	return str_make(addr.p + i, addr.n - i);
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

/* The first field of kind k, which message_info_fill shows
 * (headers_split found the first of each kind: a pass over the names
 * here cost about 12 instructions a field). */
static struct str
field(const struct header_block *hb, enum header_kind k)
{
	return hb->first[k] < 0 ? STR_NULL : hb->v[hb->first[k]].value;
}

void
message_info_fill(struct arena *a, const struct header_block *hb,
                  struct message_info *mi, struct findings *f)
{
	memset(mi, 0, sizeof(*mi));
	struct str from = field(hb, HK_FROM);
	mi->from = message_decode_text(a, from);
	mi->to = message_decode_text(a, field(hb, HK_TO));
	mi->subject = message_decode_text(a, field(hb, HK_SUBJECT));
	mi->message_id = str_trim(header_unfold(a, field(hb, HK_MESSAGE_ID)));
	mi->return_path = message_first_address(a, field(hb, HK_RETURN_PATH));
	struct str date = header_unfold(a, field(hb, HK_DATE));
	mi->date = date;
	if (date.n) {
		mi->date_parsed = message_date_parse(date);
		if (!mi->date_parsed.ok)
			findings_add(f, "hdr.bad-date", SEV_WARNING, -1,
			             hb->first[HK_DATE],
			             "the Date field could not be parsed");
	}
	mi->from_addr = message_first_address(a, from);
	mi->from_domain = lower_copy(a, message_addr_domain(mi->from_addr));
	if (hb->n && from.n == 0)
		findings_add(f, "hdr.no-from", SEV_WARNING, -1, -1,
		             "the message has no From field (RFC 5322 "
		             "§3.6 requires one)");
}
