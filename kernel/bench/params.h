/* The work each native benchmark does, shared by both sides so that they
 * do exactly the same amount: Vectra's (kernel/bench/kbench.c with
 * kernel/user/utest.c and kernel/bench/user/ubench.c) and the Linux peer's
 * /init (kernel/bench/linux/init.c). Every figure is a per-operation
 * instruction count: a run's clock difference (1 ns = 1 instruction under
 * QEMU -icount shift=0) divided by the operations in it. Each side warms
 * up with one run, then takes the median of NB_REPEATS runs. */
#ifndef KERNEL_BENCH_PARAMS_H
#define KERNEL_BENCH_PARAMS_H

#define NB_REPEATS 5

/* Null syscall: calls per run (utest's UTEST_NULL_CALLS is the same). */
#define NB_NULL_CALLS 10000

/* Ring / pipe round trip of 64 bytes each way, to a fresh echoing peer per
 * run: warm-up round trips, then measured ones (utest's uring_bench). */
#define NB_RT_BYTES 64
#define NB_RT_WARMUP 100
#define NB_RT_ITERS 1000

/* Signal ping-pong: warm-up and measured round trips; each round trip is
 * two raise-to-wake steps, and the figure is half a round trip. */
#define NB_SIG_WARMUP 100
#define NB_SIG_ITERS 1000

/* Spawn (or fork) + exit + wait: children per run. */
#define NB_SPAWN_ITERS 10

/* Clock check: a loop of exactly 2 * NB_CALIB_LOOPS instructions
 * (dec; jnz), timed with the side's monotonic clock. */
#define NB_CALIB_LOOPS 500000

#endif
