/*
 * bulk.h: the run's large buffers (arena chunks, job and output buffers,
 * the input buffer, per-thread memos), carved from huge pages and kept
 * for reuse.
 *
 * Why not malloc: a batch run touches a few MB of such buffers, and
 * malloc gives them in 4 KB pages, each faulted in on first touch; large
 * ones are mmapped, moved by mremap when they grow and unmapped when
 * freed, which under threads makes the kernel flush the other
 * processors' TLBs. Where a page fault is dear (measured on a virtual
 * machine with shadow page tables: about 10 us a 4 KB page, against
 * 0.4 us a 4 KB share of a 2 MB page) the corpus at -j 2 spent a quarter
 * of its time there. Here blocks come in power-of-two classes from
 * spans of address space advised, once the run is a batch
 * (bulk_huge_pages), for transparent huge pages (MADV_HUGEPAGE: one
 * fault per 2 MB where the kernel allows it, 4 KB pages where it does
 * not), and a freed block goes on its class's list
 * for the next request; nothing is returned to the system until exit, so
 * the resident size is the run's high-water mark: bounded per message
 * as the buffers are, and flat in the size of the input.
 *
 * Under AddressSanitizer or Valgrind every call goes to malloc, so the
 * tools see each block's bounds.
 *
 * Thread-safe (one lock; a run makes a few hundred calls). Out of
 * memory is fatal, as for xmalloc.
 */
#ifndef PARSE_BULK_H
#define PARSE_BULK_H

#include <stdbool.h>
#include <stddef.h>

/* The smallest class: a page. */
#define BULK_MIN_SHIFT 12
/* The largest class, 16 MB: a larger block (a message of tens of MB)
 * comes from mmap and goes back at once, so that one huge message does
 * not stay resident for the rest of the run. */
#define BULK_MAX_SHIFT 24
#define BULK_MAX ((size_t)1 << BULK_MAX_SHIFT)
/* Address space reserved at a time, in which blocks are carved: a run
 * of small messages needs a few MB of it. Only touched pages count. */
#define BULK_SPAN ((size_t)64 << 20)

/* A block of at least *size bytes; *size is set to its whole size,
 * which the caller may use and must give back to bulk_free. */
void *bulk_alloc(size_t *size);
/* The same, zeroed. */
void *bulk_calloc(size_t *size);
/* Give back a block of size bytes (as bulk_alloc set it; NULL: none). */
void bulk_free(void *p, size_t size);
/* Grow block p of *size bytes (p NULL, *size 0: none yet) to at least
 * want bytes and at least twice its size (so that a buffer grown a piece
 * at a time is copied O(1) times a byte), keeping its first `keep`;
 * *size set as by bulk_alloc. */
void *bulk_grow(void *p, size_t *size, size_t keep, size_t want);
/*
 * Huge pages for the blocks carved from now on (off at start). A huge
 * page is zeroed whole when first touched: 0.12 ms while the host backs
 * the memory, but 3.5 ms when it has taken it back (free-page reporting
 * on a virtual machine, after a pause), against about 10 us a 4 KB page.
 * A single message touches a few hundred KB: 4 KB pages cost it 0.2 ms
 * more back to back and save it 3 ms after a pause (a mail filter's
 * case). A batch touches MB of blocks over and over, which huge pages
 * serve best: cmd/ turns them on once it sees one.
 */
void bulk_huge_pages(void);
/* Whether a memory checker watches the process (AddressSanitizer, or
 * Valgrind): then blocks are malloc's, and cmd/ releases everything
 * before it exits, so that the checker finds no leak. */
bool bulk_checked(void);

#endif
