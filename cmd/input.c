/* input.c: message-by-message reading, see input.h. */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse/arena.h"
#include "parse/bulk.h"
#include "parse/mbox.h"

int
input_open(struct input *in, const char *path)
{
	memset(in, 0, sizeof(*in));
	in->name = path;
	if (strcmp(path, "-") == 0) {
		in->fd = 0;
	} else {
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0)
			return errno;
	}
	struct stat st;
	if (fstat(in->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		input_close(in);
		return EISDIR;
	}
	return 0;
}

void
input_batch_hint(char *const *paths, int n)
{
	size_t sum = 0;
	for (int i = 0;
	     i < (n ? n : 1) && i < INPUT_HINT_FILES && sum < INPUT_HUGE_AFTER;
	     i++) {
		struct stat st;
		int r = n == 0 || strcmp(paths[i], "-") == 0
		            ? fstat(0, &st)
		            : stat(paths[i], &st);
		if (r == 0 && S_ISREG(st.st_mode))
			sum += (size_t)st.st_size;
	}
	if (sum >= INPUT_HUGE_AFTER)
		bulk_huge_pages();
}

void
input_close(struct input *in)
{
	if (in->fd > 0)
		close(in->fd);
	in->fd = -1;
	bulk_free(in->buf, in->size);
	in->buf = NULL;
	in->size = 0;
}

/* Move the current message to the front of the buffer. */
static void
compact(struct input *in)
{
	if (in->start == 0)
		return;
	memmove(in->buf, in->buf + in->start, in->len - in->start);
	in->len -= in->start;
	in->scan -= in->start < in->scan ? in->start : in->scan;
	in->start = 0;
}

/* Read one chunk; returns bytes read, 0 at EOF, -1 on error. */
static long
fill(struct input *in)
{
	compact(in);
	/* The separator search restarts at the last line end after each
	 * fill, so a long line is rescanned every time: with one read per
	 * fill (64 KiB from a pipe) a message of n bytes would cost
	 * O(n^2). Once a message passes INPUT_CHUNK, read until it doubles
	 * (bounded by INPUT_MAX_MESSAGE): O(log n) fills, O(n) scanning.
	 * Small messages still return after one read, for streaming. */
	size_t want = 1;
	if (in->len >= INPUT_CHUNK && in->len < INPUT_MAX_MESSAGE) {
		want = INPUT_MAX_MESSAGE - in->len + INPUT_CHUNK;
		if (want > in->len)
			want = in->len;
	}
	size_t room = want > INPUT_CHUNK ? want : INPUT_CHUNK;
	if (in->cap - in->len < room) {
		in->cap = in->len + room + INPUT_CHUNK;
		in->buf = bulk_grow(in->buf, &in->size, in->len, in->cap + 1);
	}
	size_t got = 0;
	while (got < want && !in->eof) {
		ssize_t r = read(in->fd, in->buf + in->len, in->cap - in->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			in->eof = true;
		in->len += (size_t)r;
		in->total += (size_t)r;
		got += (size_t)r;
	}
	return (long)got;
}

/* The start of the line before the last line end in buf[lo..len): the
 * separator search restarts there, so it sees that line as "previous". */
static size_t
resume_point(const struct input *in, size_t lo)
{
	size_t i = in->len;
	for (int lines = 0; i > lo;) {
		/* memrchr: a long line is crossed at memory speed */
		const char *nl = memrchr(in->buf + lo, '\n', i - lo);
		if (!nl)
			break;
		i = (size_t)(nl - in->buf);
		if (++lines == 2)
			return i + 1;
	}
	return lo;
}

static void
detect(struct input *in)
{
	in->started = true;
	in->mbox = in->len >= 5 && memcmp(in->buf, "From ", 5) == 0;
}

/* Find where the current message ends; returns its end or -1 at EOF with
 * nothing left, -2 on read error. */
static long
frame(struct input *in, bool *truncated)
{
	for (;;) {
		if (in->mbox) {
			long sep =
			    mbox_next(in->buf, in->len, in->scan, in->eof);
			if (sep >= 0 && (size_t)sep > in->start)
				return sep;
		}
		if (in->eof)
			return in->len > in->start ? (long)in->len : -1;
		if (in->len - in->start > INPUT_MAX_MESSAGE) {
			*truncated = true;
			return (long)(in->start + INPUT_MAX_MESSAGE);
		}
		if (in->mbox)
			in->scan = resume_point(in, in->start);
		if (fill(in) < 0)
			return -2;
		if (!in->started && (in->len >= 5 || in->eof))
			detect(in);
	}
}

/* After an oversized message: drop bytes up to the next separator. */
static int
skip_rest(struct input *in)
{
	in->skipping = false;
	for (;;) {
		long sep = in->mbox
		               ? mbox_next(in->buf, in->len, in->scan, in->eof)
		               : -1;
		if (sep >= 0) {
			in->start = in->scan = (size_t)sep;
			return 0;
		}
		if (in->eof) {
			in->start = in->scan = in->len;
			return 0;
		}
		in->start = in->scan =
		    in->mbox ? resume_point(in, in->start) : in->len;
		/* Skipping takes bounded memory whatever the length of a
		 * line: of a long line (the last, incomplete one, or the
		 * one before it) keep its last three bytes, enough for the
		 * search to see a non-empty line (even "x\r\n"). */
		if (in->len - in->start > INPUT_CHUNK) {
			const char *nl = memrchr(in->buf + in->start, '\n',
			                         in->len - in->start);
			size_t last =
			    nl ? (size_t)(nl - in->buf) + 1 : in->start;
			if (in->len - last > INPUT_CHUNK)
				in->start = in->scan = in->len - 3;
			else if (last - in->start > INPUT_CHUNK)
				in->start = in->scan = last - 3;
		}
		if (fill(in) < 0)
			return -1;
	}
}

int
input_next(struct input *in, char **msg, size_t *len, bool *truncated)
{
	*truncated = false;
	if (in->skipping && skip_rest(in) < 0)
		return -1;
	if (in->start >= in->len && in->eof && in->started)
		return 0;
	long end = frame(in, truncated);
	if (end == -2)
		return -1;
	if (end < 0)
		return 0;
	*msg = in->buf + in->start;
	*len = (size_t)end - in->start;
	if (in->mbox)
		*len = mbox_unquote(*msg, *len);
	in->start = in->scan = (size_t)end;
	if (*truncated)
		in->skipping = true;
	in->index++;
	return 1;
}
