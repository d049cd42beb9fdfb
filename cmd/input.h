/*
 * input.h: read one input (file or stdin) message by message, in memory
 * bounded by the largest message, whatever the size of the mbox.
 */
#ifndef CMD_INPUT_H
#define CMD_INPUT_H

#include <stdbool.h>
#include <stddef.h>

/* The largest message kept whole. Exchange Online accepts 150 MB messages,
 * the largest limit of the big providers; past this the message's first
 * INPUT_MAX_MESSAGE bytes are analysed and finding msg.truncated says so. */
#define INPUT_MAX_MESSAGE ((size_t)160 << 20)
/* read() size: large enough that system calls do not show in profiles,
 * small enough that the buffer stays in a core's cache (1 MB read 4%
 * slower, the copy out of the page cache missing it; 128 KB 1.5 % slower
 * than 64 KB at -j 1, 32 KB no faster: make bench-ab, 100 pairs on the
 * corpus, twice). */
#define INPUT_CHUNK ((size_t)1 << 16)

/* Inputs that hold this many bytes in regular files make the run a
 * batch from the start, whose buffers take huge pages (bulk_huge_pages);
 * otherwise the second message does. A single message never does: after
 * a pause a huge page can cost it 3 ms. */
#define INPUT_HUGE_AFTER ((size_t)1 << 20)
/* input_batch_hint looks at this many inputs at most: past them a second
 * message decides as well, and a Maildir of thousands of files need not
 * be stat'd twice. */
#define INPUT_HINT_FILES 16

struct input {
	const char *name; /* for messages: the path, or "-" */
	int fd;
	bool eof;
	bool mbox;     /* the input starts with an envelope line */
	bool started;  /* the first bytes have been looked at */
	bool skipping; /* discarding the rest of an oversized message */
	char *buf;
	size_t len, cap;
	size_t size;  /* of buf's block (parse/bulk.h), more than cap */
	size_t start; /* of the current message in buf */
	size_t scan;  /* where the separator search resumes */
	size_t index; /* messages returned so far */
	size_t total; /* bytes read */
};

/* Before the first allocation: huge pages if the inputs (n paths; none:
 * stdin) hold INPUT_HUGE_AFTER bytes in regular files. */
void input_batch_hint(char *const *paths, int n);
/* Open path ("-" = stdin). Returns 0, or an errno value. */
int input_open(struct input *in, const char *path);
void input_close(struct input *in);

/*
 * The next message: 1 with msg and len set (the bytes stay valid, and may be
 * modified, until the next call), 0 at the end, -1 on a read error
 * (errno set). *truncated is set when the message was cut at
 * INPUT_MAX_MESSAGE.
 */
int input_next(struct input *in, char **msg, size_t *len, bool *truncated);

#endif
