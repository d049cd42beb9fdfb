/* tls.c: per-thread blocks, see tls.h. */
#include "tls.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "parse/arena.h"
#include "parse/bulk.h"

/* A thread's blocks form a list, freed by the key's destructor; the
 * caller's bytes are a block of parse/bulk.h, a power of two for the
 * memos' power-of-two tables (a header in it would double its class). */
struct block {
	struct block *next;
	void *p;
	size_t size; /* of p's block */
};

static pthread_key_t key;
static atomic_bool prefault; /* set before threads start */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void
free_all(void *p)
{
	while (p) {
		struct block *b = p;
		p = b->next;
		bulk_free(b->p, b->size);
		free(b);
	}
}

/* x86-64's page. Where pages are larger, madvise refuses a range so
 * aligned and the loop writes every PAGE bytes: slower, as correct. */
enum { PAGE = 4096 };

void
tls_populate(void *start, size_t size)
{
	volatile char *p = start;
	if (size == 0)
		return;
#ifdef MADV_POPULATE_WRITE
	/* every page the range touches, the first and last ones whole
	 * (they are mapped: they hold the caller's bytes); before any byte
	 * is read, which would map the shared zero page, then copied on
	 * the write, and under threads that copy interrupts the other
	 * processors to flush their TLBs (perf: tls_calloc's faults in a
	 * worker) */
	uintptr_t lo = (uintptr_t)start & ~(uintptr_t)(PAGE - 1);
	uintptr_t hi =
	    ((uintptr_t)start + size + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
	if (madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE) == 0)
		return;
#endif
	p[size - 1] = p[size - 1];
	for (size_t i = 0; i < size; i += PAGE)
		p[i] = p[i];
}

static void
make_key(void)
{
	/* no key (never seen): blocks then live until the process ends */
	(void)pthread_key_create(&key, free_all);
}

void *
tls_calloc(size_t size)
{
	pthread_once(&once, make_key);
	/* bulk_calloc: fresh pages are zero without being touched; under
	 * threads made writable at once (see tls_prefault) */
	struct block *b = xmalloc(sizeof(*b));
	b->size = size;
	b->p = bulk_calloc(&b->size);
	b->next = pthread_getspecific(key);
	(void)pthread_setspecific(key, b);
	if (atomic_load_explicit(&prefault, memory_order_relaxed))
		tls_populate(b->p, b->size);
	return b->p;
}

void
tls_prefault(void)
{
	atomic_store_explicit(&prefault, true, memory_order_relaxed);
	pthread_once(&once, make_key);
	for (struct block *b = pthread_getspecific(key); b; b = b->next)
		tls_populate(b->p, b->size);
}
