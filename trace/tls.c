/* tls.c: per-thread blocks, see tls.h. */
#include "tls.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "parse/arena.h"

/* A thread's blocks form a list, freed by the key's destructor. */
struct block {
	struct block *next;
	size_t size;         /* of align */
	max_align_t align[]; /* the caller's bytes */
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
		free(b);
	}
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
	/* xcalloc: calloc's fresh pages are zero without being touched;
	 * under threads written at once instead (see tls_prefault) */
	struct block *b;
	if (atomic_load_explicit(&prefault, memory_order_relaxed)) {
		b = xmalloc(sizeof(*b) + size);
		memset(b, 0, sizeof(*b) + size);
	} else {
		b = xcalloc(1, sizeof(*b) + size);
	}
	b->size = size;
	b->next = pthread_getspecific(key);
	(void)pthread_setspecific(key, b);
	return b->align;
}

/* Write every page of b (each byte written is the byte read). */
static void
touch(struct block *b)
{
	volatile char *p = (volatile char *)b->align;
	for (size_t i = 0; i < b->size; i += 4096)
		p[i] = p[i];
	if (b->size)
		p[b->size - 1] = p[b->size - 1];
}

void
tls_prefault(void)
{
	atomic_store_explicit(&prefault, true, memory_order_relaxed);
	pthread_once(&once, make_key);
	for (struct block *b = pthread_getspecific(key); b; b = b->next)
		touch(b);
}
