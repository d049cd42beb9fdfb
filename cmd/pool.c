/* pool.c: worker threads with an ordered ring of jobs, see pool.h. */
#include "pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "parse/arena.h"
#include "parse/bulk.h"

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t work_cv; /* a job was submitted, or stop */
	pthread_cond_t done_cv; /* a job is done */
	pthread_t *threads;
	struct worker *args;
	int workers;
	struct job *ring;
	size_t slots;
	/* written under mu; read without it only by spin() */
	atomic_size_t submitted; /* jobs 0..submitted-1 went to the workers */
	atomic_size_t taken;     /* the next job a thread takes */
	size_t delivered;        /* jobs 0..delivered-1 were written out */
	atomic_bool stop;
	struct job *awaited; /* the job the main thread sleeps on done_cv
	                        for, or NULL: only its end wakes it (a
	                        wake-up nobody needs costs a system call, and
	                        in a virtual machine an interrupt between
	                        processors) */
	long spin_ns; /* POOL_SPIN_NS, or 0 when threads outnumber processors */
	pool_work_fn work;
	pool_deliver_fn deliver;
	void *ctx;
};

/*
 * A thread that runs out of work polls for more this long before it
 * sleeps on a condition variable. A wait here is usually shorter than a
 * job (about 0.2 ms of analysis): a worker waits for the main thread to
 * fill the next job, the main thread for the job a worker is finishing.
 * Sleeping instead costs a wake-up through the kernel each time, and in
 * a virtual machine more: an idle virtual processor is woken by an
 * interrupt through the host, and a scheduler that packs tasks onto few
 * processors was seen to queue the woken thread behind the waker on one
 * processor while the other stood idle, for up to 4 ms (perf sched
 * timehist). Longer waits (a slow pipe, the end of input) sleep as
 * before, after this much spent. Not when there are more threads than
 * processors to run them: there the spinning thread would take the time
 * of the one it waits for.
 */
#define POOL_SPIN_NS 200000L

struct worker {
	struct pool *p;
	int id;
	bool unpin;     /* started away from the main thread's processor */
	cpu_set_t home; /* the processors it may run on after that */
};

void
job_add(struct job *j, const char *file, size_t index, const char *p,
        size_t len, bool truncated)
{
	if (j->cap - j->len < len)
		j->data = bulk_grow(j->data, &j->cap, j->len, j->len + len);
	if (j->n == j->mcap) {
		j->mcap = j->mcap ? 2 * j->mcap : JOB_MESSAGES;
		j->msg = xrealloc(j->msg, j->mcap * sizeof(*j->msg));
	}
	if (len)
		memcpy(j->data + j->len, p, len);
	j->msg[j->n++] = (struct job_msg){.file = file,
	                                  .off = j->len,
	                                  .len = len,
	                                  .index = index,
	                                  .truncated = truncated};
	j->len += len;
}

bool
job_full(const struct job *j)
{
	return j->len >= JOB_BYTES || j->n >= JOB_MESSAGES;
}

static void
job_reset(struct job *j)
{
	j->len = j->n = 0;
	j->done = false;
	if (j->cap > JOB_KEEP) {
		bulk_free(j->data, j->cap);
		j->data = NULL;
		j->cap = 0;
	}
	if (j->out.cap > JOB_KEEP) {
		obuf_free(&j->out);
		obuf_init(&j->out);
	}
	obuf_reset(&j->out);
}

static void
relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

static bool
work_ready(struct pool *p, const struct job *j)
{
	(void)j;
	return atomic_load(&p->taken) < atomic_load(&p->submitted) ||
	       atomic_load(&p->stop);
}

static bool
job_ready(struct pool *p, const struct job *j)
{
	(void)p;
	return atomic_load(&j->done);
}

/* Poll ready(p, j) for up to POOL_SPIN_NS, without the lock; whether it
 * became true. */
static bool
spin(bool (*ready)(struct pool *, const struct job *), struct pool *p,
     const struct job *j)
{
	if (p->spin_ns == 0)
		return ready(p, j);
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned i = 1;; i++) {
		if (ready(p, j))
			return true;
		relax();
		if (i % 64 == 0) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			long ns = (t.tv_sec - t0.tv_sec) * 1000000000L +
			          (t.tv_nsec - t0.tv_nsec);
			if (ns > p->spin_ns)
				return false;
		}
	}
}

/* Take the next job and analyse it in `thread` (0: the main thread);
 * called and returns with the lock held. */
static void
run_next(struct pool *p, int thread)
{
	struct job *j = &p->ring[p->taken++ % p->slots];
	pthread_mutex_unlock(&p->mu);
	p->work(p->ctx, thread, j);
	pthread_mutex_lock(&p->mu);
	j->done = true;
	if (p->awaited == j)
		pthread_cond_signal(&p->done_cv);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->p;
	if (w->unpin)
		(void)pthread_setaffinity_np(pthread_self(), sizeof(w->home),
		                             &w->home);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->taken == p->submitted && !p->stop) {
			pthread_mutex_unlock(&p->mu);
			bool ready = spin(work_ready, p, NULL);
			pthread_mutex_lock(&p->mu);
			if (!ready && p->taken == p->submitted && !p->stop)
				pthread_cond_wait(&p->work_cv, &p->mu);
		}
		if (p->taken == p->submitted)
			break; /* stopping, nothing left */
		run_next(p, 1 + w->id);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* The processors the process may run on (taskset, cpusets) into *set,
 * and their count; the online ones when the set is not known (*known
 * false, *set empty). */
static long
allowed(cpu_set_t *set, bool *known)
{
	CPU_ZERO(set);
	*known = sched_getaffinity(0, sizeof(*set), set) == 0;
	return *known ? CPU_COUNT(set) : sysconf(_SC_NPROCESSORS_ONLN);
}

long
pool_processors(void)
{
	cpu_set_t set;
	bool known;
	return allowed(&set, &known);
}

/*
 * Each worker starts on a processor other than the main thread's, then
 * may run anywhere the process may. A new thread is otherwise queued
 * where its creator runs, and a scheduler that packs tasks onto few
 * processors (seen on a virtual machine) left it waiting there, behind
 * the main thread, for up to 4 ms while another processor stood idle.
 */
static void
start_workers(struct pool *p, int workers)
{
	cpu_set_t home, away;
	bool known;
	long cpus = allowed(&home, &known);
	int here = sched_getcpu();
	p->spin_ns = workers + 1 <= cpus ? POOL_SPIN_NS : 0;
	bool apart = known && cpus > 1 && here >= 0 && CPU_ISSET(here, &home);
	if (apart) {
		away = home;
		CPU_CLR(here, &away);
	}
	for (int i = 0; i < workers; i++) {
		p->args[i] = (struct worker){
		    .p = p, .id = i, .unpin = apart, .home = home};
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		if (apart)
			pthread_attr_setaffinity_np(&attr, sizeof(away), &away);
		int e = pthread_create(&p->threads[i], &attr, worker_main,
		                       &p->args[i]);
		pthread_attr_destroy(&attr);
		if (e != 0)
			break;
		p->workers++;
	}
}

struct pool *
pool_new(int workers, pool_work_fn work, pool_deliver_fn deliver, void *ctx)
{
	struct pool *p = xmalloc(sizeof(*p));
	memset(p, 0, sizeof(*p));
	p->work = work;
	p->deliver = deliver;
	p->ctx = ctx;
	p->slots = (size_t)(workers + 1) * POOL_SLOTS_PER_THREAD;
	p->ring = xmalloc(p->slots * sizeof(*p->ring));
	memset(p->ring, 0, p->slots * sizeof(*p->ring));
	for (size_t i = 0; i < p->slots; i++)
		obuf_init(&p->ring[i].out);
	p->threads = xmalloc((size_t)workers * sizeof(*p->threads));
	p->args = xmalloc((size_t)workers * sizeof(*p->args));
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work_cv, NULL);
	pthread_cond_init(&p->done_cv, NULL);
	start_workers(p, workers);
	if (p->workers == 0) {
		pool_free(p);
		return NULL;
	}
	return p;
}

/* Write out jobs in order until `limit` of them have been. */
static void
deliver_upto(struct pool *p, size_t limit)
{
	while (p->delivered < limit) {
		struct job *j = &p->ring[p->delivered % p->slots];
		pthread_mutex_lock(&p->mu);
		while (!j->done) {
			if (p->taken < p->submitted) {
				run_next(p, 0); /* while it waits */
				continue;
			}
			/* only this thread submits: no job comes to run */
			pthread_mutex_unlock(&p->mu);
			bool ready = spin(job_ready, p, j);
			pthread_mutex_lock(&p->mu);
			if (ready || j->done)
				continue;
			p->awaited = j;
			pthread_cond_wait(&p->done_cv, &p->mu);
			p->awaited = NULL;
		}
		pthread_mutex_unlock(&p->mu);
		p->deliver(p->ctx, j);
		job_reset(j);
		p->delivered++;
	}
}

struct job *
pool_job(struct pool *p)
{
	/* the slot of job `submitted` last held job submitted - slots */
	if (p->submitted >= p->slots)
		deliver_upto(p, p->submitted - p->slots + 1);
	return &p->ring[p->submitted % p->slots];
}

void
pool_submit(struct pool *p)
{
	struct job *j = pool_job(p);
	if (j->n == 0)
		return;
	pthread_mutex_lock(&p->mu);
	p->submitted++;
	pthread_cond_signal(&p->work_cv);
	pthread_mutex_unlock(&p->mu);
}

void
pool_drain(struct pool *p)
{
	deliver_upto(p, p->submitted);
}

void
pool_free(struct pool *p)
{
	if (!p)
		return;
	pool_drain(p);
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->work_cv);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->workers; i++)
		pthread_join(p->threads[i], NULL);
	for (size_t i = 0; i < p->slots; i++) {
		bulk_free(p->ring[i].data, p->ring[i].cap);
		free(p->ring[i].msg);
		obuf_free(&p->ring[i].out);
	}
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work_cv);
	pthread_cond_destroy(&p->done_cv);
	free(p->ring);
	free(p->threads);
	free(p->args);
	free(p);
}
