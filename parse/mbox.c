/* mbox.c: mbox framing, see mbox.h. */
#include "mbox.h"

#include <string.h>

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool
mbox_is_envelope(const char *p, size_t n)
{
	if (n < 5 || memcmp(p, "From ", 5) != 0)
		return false;
	/* "From addr Www Mmm dd hh:mm:ss yyyy": look for hh:mm and a
	 * four-digit year after the address */
	size_t i = 5;
	while (i < n && p[i] != ' ')
		i++;
	bool time = false, year = false;
	for (; i < n; i++) {
		if (i + 4 < n && is_digit(p[i]) && is_digit(p[i + 1]) &&
		    p[i + 2] == ':' && is_digit(p[i + 3]) && is_digit(p[i + 4]))
			time = true;
		if (i + 4 <= n && is_digit(p[i]) && is_digit(p[i + 1]) &&
		    is_digit(p[i + 2]) && is_digit(p[i + 3]) &&
		    (i == 0 || p[i - 1] == ' ') &&
		    (i + 4 == n || p[i + 4] == ' ' || p[i + 4] == '\r'))
			year = true;
	}
	return time && year;
}

long
mbox_next(const char *buf, size_t len, size_t from, bool at_eof)
{
	size_t pos = from;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t next = nl ? (size_t)(nl - buf) + 1 : len;
		if (next < len && len - next >= 5 &&
		    memcmp(buf + next, "From ", 5) == 0) {
			const char *e = memchr(buf + next, '\n', len - next);
			if (!e && !at_eof)
				return -1; /* incomplete line: read more */
			size_t l = e ? (size_t)(e - buf) - next : len - next;
			/* blank line before it: "\n\n" or "\n\r\n" */
			size_t prevlen = next - pos - 1;
			if (prevlen > 0 && buf[next - 2] == '\r')
				prevlen--;
			if (prevlen == 0 || mbox_is_envelope(buf + next, l))
				return (long)next;
		} else if (next < len && !at_eof && len - next < 5 &&
		           memcmp(buf + next, "From ", len - next) == 0) {
			return -1; /* might become "From ": read more */
		}
		pos = next;
	}
	return -1;
}

size_t
mbox_unquote(char *buf, size_t len)
{
	size_t in = 0, out = 0;
	while (in < len) {
		/* at a line start */
		if (buf[in] == '>') {
			size_t k = in;
			while (k < len && buf[k] == '>')
				k++;
			if (len - k >= 5 && memcmp(buf + k, "From ", 5) == 0)
				in++; /* drop one '>' */
		}
		const char *nl = memchr(buf + in, '\n', len - in);
		size_t end = nl ? (size_t)(nl - buf) + 1 : len;
		if (out != in)
			memmove(buf + out, buf + in, end - in);
		out += end - in;
		in = end;
	}
	return out;
}
