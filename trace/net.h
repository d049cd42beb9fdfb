/*
 * net.h: IP addresses for the trust model: parsing, classification
 * (internal or public, as roles-and-notation.md defines them) and ordered
 * network lists with negation (SpamAssassin's trusted_networks syntax).
 */
#ifndef TRACE_NET_H
#define TRACE_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse/str.h"

/* An address as 16 bytes; IPv4 is stored IPv4-mapped (::ffff:a.b.c.d). */
struct net_addr {
	uint8_t b[16];
	bool v4;
};

/* One entry of a list: prefix bits count over the 128-bit form. */
struct net_cidr {
	struct net_addr a;
	int bits;
	bool negated; /* "!1.2.3.4": matching it means "not in the list" */
};

/* A user gives a handful of networks; more than this in one list is a
 * configuration mistake, not a network plan (the add fails, -1). */
#define NET_LIST_MAX 4096

struct net_list {
	struct net_cidr *v; /* xmalloc'd: lives with the configuration */
	size_t n, cap;
};

/* Parse an address (no brackets, no "IPv6:" prefix). */
bool net_parse(struct str s, struct net_addr *out);
/* Parse "a.b.c.d", "a.b/16", "127/8" (SpamAssassin's short forms: the
 * missing octets are 0, the prefix defaults to the octets given),
 * IPv6 with an optional /len, and a leading '!'. */
bool net_parse_cidr(const char *s, struct net_cidr *out);

/* Internal: RFC 1918, loopback, link-local, CGNAT 100.64/10, 0/8, ULA
 * fc00::/7, ::1, ::; documentation ranges (RFC 5737, RFC 3849) are
 * public so that test messages can use them. */
bool net_is_internal(const struct net_addr *a);
/* Loopback only (127/8, ::1): SpamAssassin always trusts these. */
bool net_is_loopback(const struct net_addr *a);

/* Append to a list; -1 when full. */
int net_list_add(struct net_list *l, const struct net_cidr *c);
void net_list_free(struct net_list *l);
/* First matching entry wins (SpamAssassin's documented order): 1 when it
 * is a positive entry, 0 when negated or when nothing matches. */
bool net_list_match(const struct net_list *l, const struct net_addr *a);

#endif
