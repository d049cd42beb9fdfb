/* net.c: IP parsing and classification for the trust model (net.h). */
#include "net.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "parse/arena.h"

/* An address longer than this is not an address (the longest IPv6
 * text form, with an embedded IPv4, is 45 bytes). */
#define NET_TEXT_MAX 64

static void
map_v4(struct net_addr *out, const uint8_t v4[4])
{
	memset(out, 0, sizeof(*out));
	out->b[10] = out->b[11] = 0xff;
	memcpy(out->b + 12, v4, 4);
	out->v4 = true;
}

/* Could s be an IPv6 address for inet_pton: hex digits, colons and dots,
 * with a colon? Most strings asked about are host names, and this turns
 * them down at their first letter past 'f', without the copy and the
 * inet_pton call. */
static bool
v6_chars(struct str s)
{
	bool colon = false;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		if ((c >= '0' && c <= '9') || c == '.' ||
		    (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
			continue;
		if (c != ':')
			return false;
		colon = true;
	}
	return colon;
}

/* inet_pton(AF_INET) without the copy and the call, rule for rule (as
 * glibc's inet_pton4): four decimal octets of at most 255, no leading
 * zero, nothing else. Most addresses asked about are IPv4: an octet at a
 * time, its one to three digits read without a loop state per byte. */
static bool
parse_v4(struct str s, uint32_t *out)
{
	/* the octets gather in a scalar (the first in the top byte): an
	 * array would cost net_parse a stack guard */
	const char *p = s.p, *e = s.p + s.n;
	uint32_t ip = 0;
	for (int k = 0; k < 4; k++) {
		if (k > 0 && (p == e || *p++ != '.'))
			return false;
		if (p == e || (unsigned)(*p - '0') > 9)
			return false;
		unsigned v = (unsigned)(*p++ - '0');
		/* up to two more digits, unrolled */
		if (p < e && (unsigned)(*p - '0') <= 9) {
			if (v == 0)
				return false; /* leading zero */
			v = v * 10 + (unsigned)(*p++ - '0');
			if (p < e && (unsigned)(*p - '0') <= 9)
				v = v * 10 + (unsigned)(*p++ - '0');
		}
		if (v > 255)
			return false;
		ip = ip << 8 | v;
	}
	*out = ip;
	return p == e;
}

/* inet_pton(AF_INET6) of s, which needs a NUL-terminated copy: apart
 * from net_parse so that its IPv4 path has no buffer to guard. */
static __attribute__((noinline)) bool
parse_v6(struct str s, struct net_addr *out)
{
	char buf[NET_TEXT_MAX];
	memcpy(buf, s.p, s.n);
	buf[s.n] = '\0';
	if (inet_pton(AF_INET6, buf, out->b) != 1)
		return false;
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0,    0,
	                                   0, 0, 0, 0, 0xff, 0xff};
	out->v4 = memcmp(out->b, mapped, 12) == 0;
	return true;
}

bool
net_parse(struct str s, struct net_addr *out)
{
	if (s.n == 0 || s.n >= NET_TEXT_MAX)
		return false;
	uint32_t ip;
	if (parse_v4(s, &ip)) { /* one pass; a host name fails at once */
		memset(out, 0, sizeof(*out));
		out->b[10] = out->b[11] = 0xff;
		out->b[12] = (uint8_t)(ip >> 24);
		out->b[13] = (uint8_t)(ip >> 16);
		out->b[14] = (uint8_t)(ip >> 8);
		out->b[15] = (uint8_t)ip;
		out->v4 = true;
		return true;
	}
	/* inet_pton(AF_INET6) needs a colon and no other bytes */
	return v6_chars(s) && parse_v6(s, out);
}

/* "1.2/16", "127/8", "1.1.1": 1 to 4 decimal octets. */
static bool
parse_v4_short(const char *s, size_t n, uint8_t v4[4], int *octets)
{
	memset(v4, 0, 4);
	*octets = 0;
	size_t i = 0;
	while (i < n && *octets < 4) {
		unsigned v = 0;
		size_t start = i;
		while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 4)
			v = v * 10 + (unsigned)(s[i++] - '0');
		if (i == start || v > 255)
			return false;
		v4[(*octets)++] = (uint8_t)v;
		if (i < n && s[i] == '.')
			i++;
		else
			break;
	}
	return i == n && *octets > 0;
}

static bool
parse_bits(const char *p, int max, int *bits)
{
	char *end;
	long v = strtol(p, &end, 10);
	if (end == p || *end || v < 0 || v > max)
		return false;
	*bits = (int)v;
	return true;
}

bool
net_parse_cidr(const char *s, struct net_cidr *out)
{
	memset(out, 0, sizeof(*out));
	if (*s == '!') {
		out->negated = true;
		s++;
	}
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (n == 0 || n >= NET_TEXT_MAX)
		return false;
	if (memchr(s, ':', n)) {
		if (!net_parse(str_make(s, n), &out->a))
			return false;
		out->bits = 128;
		if (slash && !parse_bits(slash + 1, 128, &out->bits))
			return false;
		return true;
	}
	uint8_t v4[4];
	int octets;
	if (!parse_v4_short(s, n, v4, &octets))
		return false;
	map_v4(&out->a, v4);
	int b = octets * 8;
	if (slash && !parse_bits(slash + 1, 32, &b))
		return false;
	out->bits = 96 + b;
	return true;
}

static bool
prefix_eq(const uint8_t *a, const uint8_t *b, int bits)
{
	int full = bits / 8, rest = bits % 8;
	if (memcmp(a, b, (size_t)full) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[full] & mask) == (b[full] & mask);
}

/* Is a an IPv4 address in o1.o2.0.0/bits (8 <= bits <= 16)? v4 is set
 * only with the ::ffff:0:0/96 prefix (map_v4, parse_v6), so the last
 * four bytes decide: one shift instead of a 16-byte prefix compare. */
static bool
in_v4(const struct net_addr *a, uint8_t o1, uint8_t o2, int bits)
{
	uint32_t ip = (uint32_t)a->b[12] << 24 | (uint32_t)a->b[13] << 16 |
	              (uint32_t)a->b[14] << 8 | a->b[15];
	uint32_t net = (uint32_t)o1 << 24 | (uint32_t)o2 << 16;
	return a->v4 && (ip ^ net) >> (32 - bits) == 0;
}

bool
net_is_loopback(const struct net_addr *a)
{
	static const uint8_t one[16] = {[15] = 1};
	return in_v4(a, 127, 0, 8) || memcmp(a->b, one, 16) == 0;
}

bool
net_is_internal(const struct net_addr *a)
{
	if (a->v4)
		return in_v4(a, 10, 0, 8) || in_v4(a, 172, 16, 12) ||
		       in_v4(a, 192, 168, 16) || in_v4(a, 127, 0, 8) ||
		       in_v4(a, 169, 254, 16) || in_v4(a, 100, 64, 10) ||
		       in_v4(a, 0, 0, 8);
	static const uint8_t zero[16] = {0};
	if (net_is_loopback(a) || memcmp(a->b, zero, 16) == 0)
		return true;
	return (a->b[0] & 0xfe) == 0xfc ||                    /* fc00::/7 ULA */
	       (a->b[0] == 0xfe && (a->b[1] & 0xc0) == 0x80); /* fe80::/10 */
}

int
net_list_add(struct net_list *l, const struct net_cidr *c)
{
	if (l->n >= NET_LIST_MAX)
		return -1;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = *c;
	return 0;
}

void
net_list_free(struct net_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

bool
net_list_match(const struct net_list *l, const struct net_addr *a)
{
	for (size_t i = 0; i < l->n; i++)
		if (prefix_eq(a->b, l->v[i].a.b, l->v[i].bits))
			return !l->v[i].negated;
	return false;
}
