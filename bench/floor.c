/*
 * floor.c: the speed floor for `make bench`. Reads a file (or standard
 * input) in 1 MiB blocks, finds every line with memchr and counts the
 * lines that start with "Received:" (any case), the least work any tool
 * that looks at Received lines must do. Prints the count.
 *
 *   floor [FILE]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define BLOCK ((size_t)1 << 20)

static int
is_received(const char *p, size_t n)
{
	return n >= 9 && strncasecmp(p, "Received:", 9) == 0;
}

int
main(int argc, char **argv)
{
	int fd = 0;
	if (argc > 1 && (fd = open(argv[1], O_RDONLY)) < 0) {
		perror(argv[1]);
		return 1;
	}
	/* buf[0..keep) is the unfinished last line of the previous block */
	char *buf = malloc(2 * BLOCK);
	size_t cap = 2 * BLOCK, keep = 0;
	unsigned long long count = 0, lines = 0;
	if (!buf)
		return 1;
	for (;;) {
		if (cap - keep < BLOCK) {
			cap *= 2;
			if (!(buf = realloc(buf, cap)))
				return 1;
		}
		ssize_t r = read(fd, buf + keep, cap - keep);
		if (r < 0) {
			perror("read");
			return 1;
		}
		size_t len = keep + (size_t)r;
		size_t pos = 0;
		for (;;) {
			const char *nl = memchr(buf + pos, '\n', len - pos);
			if (!nl)
				break;
			lines++;
			count +=
			    is_received(buf + pos, (size_t)(nl - buf) - pos);
			pos = (size_t)(nl - buf) + 1;
		}
		if (r == 0) {
			if (pos < len) {
				lines++;
				count += is_received(buf + pos, len - pos);
			}
			break;
		}
		keep = len - pos;
		memmove(buf, buf + pos, keep);
	}
	printf("%llu Received lines in %llu lines\n", count, lines);
	free(buf);
	return 0;
}
