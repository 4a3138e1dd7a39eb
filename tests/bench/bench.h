/* Benchmark helpers (hosted only). A bench warms up, repeats, takes the
 * median, and prints one line in the DESIGN.md format:
 *   bench <name> <unit> ours=<x> <peer>=<y> ratio=<r>
 * where ratio > 1 means Vectra is better. */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

/* Monotonic nanoseconds. */
uint64_t bench_now_ns(void);

/* Median wall time in ns of fn(arg) over `reps` runs after `warmup` runs. */
double bench_median_ns(void (*fn)(void *arg), void *arg, int warmup, int reps);

/* For single-threaded work: runs ours and the peer alternately (warmup
 * rounds, then reps rounds) and stores each side's median CPU time of the
 * calling thread in ns. Alternating exposes both sides to the same
 * machine state, and thread CPU time leaves out the time other processes
 * hold the CPU, so a busy machine changes the ratio far less than it
 * changes wall time. */
void bench_pair_cpu_ns(void (*ours)(void *arg), void (*peer)(void *arg),
                       void *arg, int warmup, int reps, double *ours_ns,
                       double *peer_ns);

/* Throughput in MB/s (10^6 bytes per second) of processing `bytes`. */
double bench_mb_per_s(size_t bytes, double ns);

/* Prints the result line. For unit "ns" (a time, lower is better) the ratio
 * is peer/ours; for throughput units ("MB/s", "ops/s") it is ours/peer. */
void bench_report(const char *name, const char *unit, double ours,
                  const char *peer, double theirs);

/* Keeps a computed value alive so the optimiser cannot drop the work. */
void bench_consume(uint64_t value);

#endif
