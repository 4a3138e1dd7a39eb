/* In-kernel benchmarks (kernel/bench/, test image only). */
#ifndef K_BENCH_H
#define K_BENCH_H

#include <stdint.h>

/* TSC at kmain's start and once the scheduler is ready (core/main.c). */
extern uint64_t bench_boot_tsc_kmain, bench_boot_tsc_ready;

/* Prints `bench ...` lines; see kernel/bench/kbench.c. */
void bench_run(void);

#endif
