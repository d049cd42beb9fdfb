/* bulk.c: large buffers from huge pages, kept for reuse; see bulk.h. */
#include "bulk.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arena.h"

#if defined(__SANITIZE_ADDRESS__)
#define BULK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BULK_ASAN 1
#endif
#endif
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif

enum { NCLASS = BULK_MAX_SHIFT - BULK_MIN_SHIFT + 1 };
/* a transparent huge page on x86-64 and arm64 with 4 KB pages; spans are
 * aligned to it so that every 2 MB of a span can be one */
#define HUGE ((size_t)2 << 20)
#define PAGE ((size_t)1 << BULK_MIN_SHIFT)

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static void *free_list[NCLASS]; /* linked through each block's first word */
static char *next, *end;        /* the current span's untouched rest */
static char *span;              /* the current span's start */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool use_malloc; /* under ASan or Valgrind */
static bool huge;       /* bulk_huge_pages was called */

static void
decide(void)
{
#if defined(BULK_ASAN)
	use_malloc = true;
#elif defined(RUNNING_ON_VALGRIND)
	use_malloc = RUNNING_ON_VALGRIND != 0;
#endif
}

/* The class of n bytes (n <= 1 << BULK_MAX_SHIFT). */
static unsigned
class_of(size_t n)
{
	if (n <= PAGE)
		return 0;
	return (unsigned)(64 - __builtin_clzll((unsigned long long)n - 1)) -
	       BULK_MIN_SHIFT;
}

/* n rounded up to its class, or to pages past the largest class */
static size_t
rounded(size_t n)
{
	if (n <= BULK_MAX)
		return (size_t)1 << (class_of(n) + BULK_MIN_SHIFT);
	if (n > SIZE_MAX - PAGE)
		arena_oom(n);
	return (n + PAGE - 1) & ~(PAGE - 1);
}

static void *
map(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		arena_oom(n);
	return p;
}

/* p rounded up to a HUGE boundary */
static char *
huge_up(char *p)
{
	return (char *)(((uintptr_t)p + HUGE - 1) & ~(uintptr_t)(HUGE - 1));
}

/* Advise [p, e) for huge pages from its first 2 MB boundary: a 2 MB
 * range already touched in 4 KB pages stays in them. Advice: may be
 * refused. */
static void
advise(char *p, char *e)
{
	p = huge_up(p);
#ifdef MADV_HUGEPAGE
	if (p < e)
		(void)madvise(p, (size_t)(e - p), MADV_HUGEPAGE);
#endif
}

/* A new span, its start aligned to HUGE. The rest of the old one stays
 * mapped and untouched: address space, not memory. */
static void
new_span(void)
{
	char *p = huge_up(map(BULK_SPAN + HUGE));
	span = next = p;
	end = p + BULK_SPAN;
	if (huge)
		advise(next, end);
}

/* linux/mman.h's value (Linux 6.1), which glibc's header may lack */
#if defined(__linux__) && !defined(MADV_COLLAPSE)
#define MADV_COLLAPSE 25
#endif

void
bulk_huge_pages(void)
{
	pthread_once(&once, decide);
	pthread_mutex_lock(&mu);
	if (!huge && !use_malloc) {
		huge = true;
		if (next) {
			/* the blocks carved so far, in 4 KB pages, stay in use
			 * (the first message's buffers and memos): one huge
			 * page for them now, rather than a fault for each of
			 * their pages to come; where the kernel cannot (before
			 * 6.1), they fault in as before */
			advise(span, end);
#ifdef MADV_COLLAPSE
			(void)madvise(span, (size_t)(huge_up(next) - span),
			              MADV_COLLAPSE);
#endif
		}
	}
	pthread_mutex_unlock(&mu);
}

/* A block of class c under the lock; *fresh: never used, so zero. */
static void *
take(unsigned c, bool *fresh)
{
	size_t n = (size_t)1 << (c + BULK_MIN_SHIFT);
	void *p = free_list[c];
	*fresh = p == NULL;
	if (p) {
		free_list[c] = *(void **)p;
		return p;
	}
	if ((size_t)(end - next) < n)
		new_span();
	p = next;
	next += n;
	return p;
}

static void *
alloc(size_t *size, bool zero)
{
	pthread_once(&once, decide);
	size_t n = rounded(*size ? *size : 1);
	*size = n;
	if (use_malloc) {
		void *p = zero ? calloc(1, n) : malloc(n);
		if (!p)
			arena_oom(n);
		return p;
	}
	if (n > BULK_MAX)
		return map(n); /* zero */
	bool fresh;
	pthread_mutex_lock(&mu);
	void *p = take(class_of(n), &fresh);
	pthread_mutex_unlock(&mu);
	if (zero && !fresh)
		memset(p, 0, n);
	return p;
}

void *
bulk_alloc(size_t *size)
{
	return alloc(size, false);
}

void *
bulk_calloc(size_t *size)
{
	return alloc(size, true);
}

void
bulk_free(void *p, size_t size)
{
	if (!p)
		return;
	if (use_malloc) {
		free(p);
		return;
	}
	size_t n = rounded(size);
	if (n > BULK_MAX) {
		(void)munmap(p, n);
		return;
	}
	unsigned c = class_of(n);
	pthread_mutex_lock(&mu);
	*(void **)p = free_list[c];
	free_list[c] = p;
	pthread_mutex_unlock(&mu);
}

bool
bulk_checked(void)
{
	pthread_once(&once, decide);
	return use_malloc;
}

void *
bulk_grow(void *p, size_t *size, size_t keep, size_t want)
{
	if (p && want <= *size)
		return p;
	/* past BULK_MAX blocks are whole pages, not powers of two */
	size_t n = want / 2 < *size ? 2 * *size : want;
	void *q = bulk_alloc(&n);
	if (p) {
		memcpy(q, p, keep);
		bulk_free(p, *size);
	}
	*size = n;
	return q;
}
