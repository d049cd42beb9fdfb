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

#endif
