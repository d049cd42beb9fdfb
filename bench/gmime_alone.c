/*
 * gmime_alone.c: GMime alone, for `make bench`. Constructs every message of
 * an mbox with GMime 3 (GMimeStreamFs, persistent, GMIME_FORMAT_MBOX), as
 * measured in the dependencies guide, and counts the messages and their
 * Received fields. This is what a tool that hands each message to GMime
 * pays before doing any work of its own.
 *
 *   gmime_alone FILE
 */
#include <fcntl.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Offset of the next line starting "From " at or after off, or -1. */
static gint64
next_from(int fd, gint64 off)
{
	char buf[65536];
	gint64 base = off;
	int at_line_start = 0;
	if (off > 0) {
		char c;
		at_line_start = pread(fd, &c, 1, off - 1) == 1 && c == '\n';
	} else
		at_line_start = 1;
	for (;;) {
		ssize_t r = pread(fd, buf, sizeof(buf), base);
		if (r <= 5)
			return -1;
		for (ssize_t i = 0; i + 5 <= r; i++) {
			if ((i == 0 ? at_line_start : buf[i - 1] == '\n') &&
			    memcmp(buf + i, "From ", 5) == 0)
				return base + i;
		}
		base += r - 4;
		at_line_start = buf[r - 5] == '\n';
	}
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gmime_alone MBOX\n");
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	g_mime_init();
	GMimeStream *st = g_mime_stream_fs_new(fd);
	GMimeParser *p = g_mime_parser_new_with_stream(st);
	g_mime_parser_set_format(p, GMIME_FORMAT_MBOX);
	g_mime_parser_set_persist_stream(p, TRUE);
	unsigned long messages = 0, received = 0, failed = 0;
	while (!g_mime_parser_eos(p)) {
		gint64 at = g_mime_parser_tell(p);
		GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
		if (!m) {
			/* GMime splits at any body line starting "From " and
			 * then stops; resume at the next such line, as a
			 * tool built on it would have to */
			failed++;
			gint64 next = next_from(fd, g_mime_parser_tell(p) > at
			                                ? g_mime_parser_tell(p)
			                                : at + 1);
			if (next < 0)
				break;
			g_mime_stream_seek(st, next, GMIME_STREAM_SEEK_SET);
			g_mime_parser_init_with_stream(p, st);
			g_mime_parser_set_format(p, GMIME_FORMAT_MBOX);
			g_mime_parser_set_persist_stream(p, TRUE);
			continue;
		}
		messages++;
		GMimeHeaderList *hl =
		    g_mime_object_get_header_list(GMIME_OBJECT(m));
		int n = g_mime_header_list_get_count(hl);
		for (int i = 0; i < n; i++) {
			GMimeHeader *h =
			    g_mime_header_list_get_header_at(hl, i);
			if (strcasecmp(g_mime_header_get_name(h), "Received") ==
			    0)
				received++;
		}
		g_object_unref(m);
	}
	g_object_unref(p);
	g_object_unref(st);
	g_mime_shutdown();
	printf("%lu messages, %lu Received fields, %lu not constructed\n",
	       messages, received, failed);
	return 0;
}
