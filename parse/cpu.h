/*
 * cpu.h: what the processor can do, as glibc recorded it when the
 * process started (parse/mbox.c and report/jsonw.c choose their AVX2
 * paths by it).
 */
#ifndef PARSE_CPU_H
#define PARSE_CPU_H

#include <stdatomic.h>
#include <stdbool.h>

/* The AVX2 paths are built on x86-64 with GCC or clang; RT_NO_AVX2
 * builds without them, to test the SSE2 ones. */
#if defined(__SSE2__) && defined(__x86_64__) && defined(__GNUC__) &&           \
    !defined(RT_NO_AVX2)
#define RT_HAVE_AVX2_PATH 1
#endif

/* 0: not asked yet, 1: no AVX2, 2: AVX2 (a relaxed race: any thread's
 * answer is the same). */
extern atomic_int cpu_avx2_state;
bool cpu_avx2_ask(void);

/* p, its target unknown to the compiler from here on (an empty asm):
 * vector constants read from a table through it stay loads, where GCC
 * would build each with two or three instructions, again after every
 * call; volatile, so that the pointer is not kept across a loop's calls
 * either. For parse/header.c and report/jsonw.c. */
static inline __attribute__((always_inline)) const char *
cpu_opaque(const char *p)
{
	__asm__ volatile("" : "+r"(p));
	return p;
}

/* Does the processor have AVX2 (false without RT_HAVE_AVX2_PATH)? */
static inline bool
cpu_avx2(void)
{
	int a = atomic_load_explicit(&cpu_avx2_state, memory_order_relaxed);
	return a ? a == 2 : cpu_avx2_ask();
}

#endif
