/* str.c: helpers for length-carrying strings. */
#include "str.h"

static unsigned char
lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

bool
str_ieq_str(struct str a, struct str b)
{
	if (a.n != b.n)
		return false;
	for (size_t i = 0; i < a.n; i++)
		if (lower((unsigned char)a.p[i]) !=
		    lower((unsigned char)b.p[i]))
			return false;
	return true;
}

struct str
str_trim_slow(struct str s)
{
	while (s.n > 0 && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\r' ||
	                   s.p[0] == '\n')) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' ||
	                   s.p[s.n - 1] == '\r' || s.p[s.n - 1] == '\n'))
		s.n--;
	return s;
}

long
str_ifind(struct str s, const char *lit)
{
	size_t n = strlen(lit);
	if (n == 0)
		return 0;
	if (s.n < n)
		return -1;
	unsigned char first = lower((unsigned char)lit[0]);
	for (size_t i = 0; i + n <= s.n; i++) {
		if (lower((unsigned char)s.p[i]) != first)
			continue;
		if (str_istarts(str_make(s.p + i, s.n - i), lit))
			return (long)i;
	}
	return -1;
}
