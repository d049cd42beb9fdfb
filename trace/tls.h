/*
 * tls.h: memory that belongs to one thread. The memos of trace/ are per
 * thread (workers take no lock); as _Thread_local arrays they would be
 * zeroed at every process start, 640 KB for a mail filter's single
 * message (about 0.3 ms). tls_calloc'd blocks are zero pages until used
 * and are freed when their thread exits.
 */
#ifndef TRACE_TLS_H
#define TRACE_TLS_H

#include <stddef.h>

/* size zeroed bytes for the calling thread, freed at its exit; out of
 * memory goes to the arena's handler (like xmalloc). */
void *tls_calloc(size_t size);

/* From now on tls_calloc makes its blocks' pages present and writable at
 * once, and the calling thread's blocks so far are made so now. Called
 * before worker threads start, in the main thread (which analyses with
 * them): a memo's untouched page is first mapped to the shared zero page
 * by a read, and the write that follows replaces it, which in a process
 * with several running threads interrupts every other processor to flush
 * its TLB (half the kernel time of a threaded run, measured). One message
 * alone (a mail filter) keeps the lazy pages: it touches only a few. */
void tls_prefault(void);
/* Make every page of start[0..size) present and writable (the bytes are
 * kept): in one system call where the kernel has MADV_POPULATE_WRITE
 * (Linux 5.14), one fault a page otherwise. For memory shared by the
 * threads too, before they start (trace/orgdomain.c). */
void tls_populate(void *start, size_t size);

#endif
