/* cpu.c: what the processor can do, see cpu.h. */
#include "cpu.h"

#if defined(RT_HAVE_AVX2_PATH) && __has_include(<sys/platform/x86.h>)
#include <sys/platform/x86.h>
/* glibc's record of the processor, made when it started. The compiler's
 * __builtin_cpu_supports would link in its own probe, run before main: a
 * dozen CPUID instructions, each a trap to the hypervisor in a virtual
 * machine (3.5 us each on the bench VM), a tenth of a small message's
 * run. */
#define CPU_HAS_AVX2() CPU_FEATURE_ACTIVE(AVX2)
#elif defined(RT_HAVE_AVX2_PATH)
#define CPU_HAS_AVX2() __builtin_cpu_supports("avx2")
#else
#define CPU_HAS_AVX2() false
#endif

atomic_int cpu_avx2_state;

bool
cpu_avx2_ask(void)
{
	int a = CPU_HAS_AVX2() ? 2 : 1;
	atomic_store_explicit(&cpu_avx2_state, a, memory_order_relaxed);
	return a == 2;
}
