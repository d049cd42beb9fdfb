/*
 * pool.h: threads for a batch. The main thread copies messages into jobs
 * (a few hundred KB of consecutive messages of one input), worker threads
 * analyse a job each, and the main thread gets the jobs back in the order
 * it filled them, so output keeps the input's order whatever the threads
 * do. A fixed ring of jobs bounds memory: the main thread waits for the
 * oldest job before it reuses its slot, and while it waits it analyses
 * jobs no worker has taken yet. So -j n runs n - 1 workers beside the
 * main thread, and n threads never share fewer processors: the reader
 * does not compete with n workers, and is not woken once per job.
 */
#ifndef CMD_POOL_H
#define CMD_POOL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "report/obuf.h"

/* A job is sent to the workers once it holds this many bytes of
 * messages or JOB_MESSAGES messages: large enough that a worker takes
 * the lock once per ~25 messages, small enough that the ring
 * (POOL_SLOTS_PER_THREAD jobs a thread, each with its report) stays
 * a few MB: 512 KB was no faster and faulted in four times the pages. */
#define JOB_BYTES ((size_t)128 << 10)
#define JOB_MESSAGES 128
/* A job buffer grown past this by one large message is freed once
 * written, so that one 150 MB message does not stay in every slot. */
#define JOB_KEEP ((size_t)8 << 20)
/* Jobs per thread in the ring (the main thread counted): a worker still
 * has a job waiting while the main thread analyses one. 2, 3 and 4
 * measured alike while idle threads slept; since they poll (pool.c), 2
 * is about 3% faster than 3 (7 alternating rounds of 15 runs on the
 * corpus, 2 vCPUs: 33.2 ms mean against 34.3) with 300 fewer page
 * faults: each slot more faults in its pages and pushes the others out
 * of the caches. */
#define POOL_SLOTS_PER_THREAD 2

/* The outcome of one message, set by the worker, acted on by the main
 * thread in input order. */
struct outcome {
	size_t end; /* the message's output is out.p[previous end, end) */
	const char *error; /* not a message: why (a constant string) */
	bool failed;       /* a finding at or above --fail-on */
};

struct job_msg {
	const char *file; /* the input it came from (jobs span inputs) */
	size_t off, len;  /* in job.data */
	size_t index;     /* message number in its input, from 1 */
	bool truncated;
	struct outcome res;
};

struct job {
	char *data;
	size_t len, cap;
	struct job_msg *msg;
	size_t n, mcap;
	struct obuf out;
	atomic_bool done; /* analysed (set under the pool's lock) */
};

/* Copy one message into j (the bytes must not change while it waits). */
void job_add(struct job *j, const char *file, size_t index, const char *p,
             size_t len, bool truncated);
/* Whether j should be sent to the workers now. */
bool job_full(const struct job *j);

/* Analyse every message of j; `thread` is 0 for the main thread and
 * 1..workers for the workers (its arena). */
typedef void (*pool_work_fn)(void *ctx, int thread, struct job *j);
/* Write out a finished job (main thread). */
typedef void (*pool_deliver_fn)(void *ctx, struct job *j);

struct pool;

/* The processors the process may run on (taskset, cpusets): -j's
 * default, and how many threads may poll for work (pool.c). */
long pool_processors(void);

/* Start `workers` threads beside the main thread; NULL when threads
 * cannot be started (the caller then works alone). */
struct pool *pool_new(int workers, pool_work_fn work, pool_deliver_fn deliver,
                      void *ctx);
/* The job the main thread fills next: empty, its slot's previous job
 * delivered first. */
struct job *pool_job(struct pool *p);
/* Send the job pool_job returned to the workers (nothing if empty). */
void pool_submit(struct pool *p);
/* Deliver every submitted job, in order. */
void pool_drain(struct pool *p);
/* Drain, stop the threads, free. */
void pool_free(struct pool *p);

#endif
