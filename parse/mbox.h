/*
 * mbox.h: mbox framing (mboxo and mboxrd), as pure functions over a
 * buffer; cmd/ does the reading and keeps memory bounded.
 *
 * A message separator is a line starting "From " that is at the start of
 * the input or follows an empty line, or that looks like an envelope line
 * ("From sender date" with a time and a year). GMime splits at any line
 * starting "From ", which cuts messages whose bodies were not quoted;
 * we are stricter on purpose (documented in the man page).
 */
#ifndef PARSE_MBOX_H
#define PARSE_MBOX_H

#include <stdbool.h>
#include <stddef.h>

/* Does the line p[0..n) (no line end) look like an mbox envelope line? */
bool mbox_is_envelope(const char *p, size_t n);

/*
 * Offset of the next separator line in buf[from..len), or -1. `from` must
 * be at a line start. With at_eof false, a candidate whose line is not yet
 * complete (no line end in the buffer) is not reported: the caller reads
 * more and asks again.
 */
long mbox_next(const char *buf, size_t len, size_t from, bool at_eof);

/*
 * Undo mboxrd quoting in place: a body line ">From ", ">>From ", ... loses
 * one '>'. Returns the new length. (mboxo quoting is ambiguous; treating
 * it as mboxrd is right for every line an mboxo writer quoted.)
 */
size_t mbox_unquote(char *buf, size_t len);

#endif
