#define _POSIX_C_SOURCE 200809L
#include "bench.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median_ns(void (*fn)(void *arg), void *arg, int warmup, int reps)
{
    double *t = malloc(sizeof *t * (size_t)reps);
    if (!t) {
        fprintf(stderr, "bench: out of memory\n");
        exit(1);
    }
    for (int i = 0; i < warmup; i++)
        fn(arg);
    for (int i = 0; i < reps; i++) {
        uint64_t t0 = bench_now_ns();
        fn(arg);
        t[i] = (double)(bench_now_ns() - t0);
    }
    qsort(t, (size_t)reps, sizeof *t, cmp_double);
    double m = reps % 2 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2;
    free(t);
    return m;
}

static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double median_of(double *t, int n)
{
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

void bench_pair_cpu_ns(void (*ours)(void *arg), void (*peer)(void *arg),
                       void *arg, int warmup, int reps, double *ours_ns,
                       double *peer_ns)
{
    double *t = malloc(sizeof *t * 2 * (size_t)reps);
    if (!t) {
        fprintf(stderr, "bench: out of memory\n");
        exit(1);
    }
    for (int i = 0; i < warmup; i++) {
        ours(arg);
        peer(arg);
    }
    for (int i = 0; i < reps; i++) {
        uint64_t t0 = thread_cpu_ns();
        ours(arg);
        uint64_t t1 = thread_cpu_ns();
        peer(arg);
        uint64_t t2 = thread_cpu_ns();
        t[i] = (double)(t1 - t0);
        t[reps + i] = (double)(t2 - t1);
    }
    *ours_ns = median_of(t, reps);
    *peer_ns = median_of(t + reps, reps);
    free(t);
}

double bench_mb_per_s(size_t bytes, double ns)
{
    return ns > 0 ? (double)bytes / ns * 1000.0 : 0;
}

void bench_report(const char *name, const char *unit, double ours,
                  const char *peer, double theirs)
{
    int is_time = strcmp(unit, "ns") == 0 || strcmp(unit, "instructions") == 0;
    double ratio = is_time ? theirs / ours : ours / theirs;
    printf("bench %s %s ours=%.2f %s=%.2f ratio=%.2f\n", name, unit, ours,
           peer, theirs, ratio);
    fflush(stdout);
}

static volatile uint64_t sink;

void bench_consume(uint64_t value)
{
    sink ^= value;
}
