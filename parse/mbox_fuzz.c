/*
 * mbox_fuzz.c: libFuzzer target for the mbox splitter (parse/mbox.c).
 * Asserted, beyond "no crash, no sanitizer report":
 *   - separators come in increasing order, each at a line start, each a
 *     line starting "From ";
 *   - streaming agrees with the whole buffer: a separator found in a
 *     prefix of the input (at_eof false, as cmd/input.c reads) is the one
 *     found in the whole input, so chunk boundaries never move a cut;
 *   - mbox_unquote never grows a message and only removes '>' bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse/mbox.h"
#include "testdata/fuzz/fuzzcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_prefix(const char *buf, size_t len, size_t from, size_t k, long full)
{
	if (k > len)
		k = len;
	long part = mbox_next(buf, k, from, false);
	if (part >= 0 && part != full)
		fz_fail("a prefix found a separator the whole input does not",
		        buf, len, part);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	size_t from = 0;
	int guard = 0;
	for (;;) {
		long sep = mbox_next(buf, size, from, true);
		if (sep < 0)
			break;
		size_t s = (size_t)sep;
		if (s <= from || s >= size)
			fz_fail("separator out of order", buf, size, sep);
		if (buf[s - 1] != '\n')
			fz_fail("separator not at a line start", buf, size,
			        sep);
		if (size - s < 5 || memcmp(buf + s, "From ", 5) != 0)
			fz_fail("separator is not a From_ line", buf, size,
			        sep);
		/* a few prefixes, as the reader's chunks would cut */
		check_prefix(buf, size, from, s, sep);
		check_prefix(buf, size, from, s + 3, sep);
		check_prefix(buf, size, from, from + (s - from) / 2, sep);
		check_prefix(buf, size, from, size, sep);
		from = s;
		if (++guard > 1 << 20)
			abort();
	}
	check_prefix(buf, size, from, size, -1);
	check_prefix(buf, size, from, from + (size - from) / 2, -1);

	/* each line is also tried as an envelope line */
	for (size_t i = 0; i < size;) {
		const char *nl = memchr(buf + i, '\n', size - i);
		size_t e = nl ? (size_t)(nl - buf) : size;
		(void)mbox_is_envelope(buf + i, e - i);
		i = e + 1;
	}

	char *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	size_t n = mbox_unquote(copy, size);
	if (n > size)
		fz_fail("mbox_unquote grew the message", copy, n, -1);
	/* removing only '>' bytes: the input minus its '>'s equals the output
	 * minus its '>'s */
	size_t i = 0, k = 0;
	for (;;) {
		while (i < size && buf[i] == '>')
			i++;
		while (k < n && copy[k] == '>')
			k++;
		if (i >= size || k >= n)
			break;
		if (buf[i] != copy[k])
			fz_fail("mbox_unquote changed a byte other than '>'",
			        copy, n, (long)k);
		i++, k++;
	}
	if (i < size || k < n)
		fz_fail("mbox_unquote lost bytes", copy, n, (long)k);
	free(copy);
	return 0;
}
