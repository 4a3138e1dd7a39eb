/* bench heap_mixed: the libv general heap (TLSF) against glibc malloc on
 * the same mixed alloc/free workload.
 *
 * The workload is generated once up front from a fixed seed, so both sides
 * replay exactly the same operations: a working set of SLOTS live blocks;
 * each step picks a slot at random and frees its block if it holds one,
 * else allocates into it (sizes mostly 16..4096 bytes with a skew to small
 * ones, 2% between 4 KiB and 64 KiB). Every allocation writes its first
 * and last byte (so the memory is really handed over) and every free reads
 * them back. At the end of a run the remaining blocks are freed. Our heap
 * gets one large region from malloc once, before timing; it is re-initialised
 * (not re-allocated) at the start of each run. */
#include "bench.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <v/alloc.h>

enum { SLOTS = 2048, STEPS = 400000, REGION = 64 << 20 };

typedef struct workload {
    uint32_t *slot;   /* per step: which slot */
    uint32_t *size;   /* per step: size if the slot is empty then */
    unsigned char **live;
    uint32_t *live_size;
    v_heap *heap;
    void *region;
} workload;

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static uint32_t pick_size(uint64_t *r)
{
    uint64_t k = rng(r) % 100;
    if (k < 50)
        return (uint32_t)(16 + rng(r) % 113);        /* 16..128 */
    if (k < 80)
        return (uint32_t)(129 + rng(r) % 896);       /* ..1 KiB */
    if (k < 98)
        return (uint32_t)(1025 + rng(r) % 3072);     /* ..4 KiB */
    return (uint32_t)(4097 + rng(r) % (60 << 10));   /* ..64 KiB */
}

static void touch(unsigned char *p, uint32_t n)
{
    p[0] = (unsigned char)n;
    p[n - 1] = (unsigned char)(n >> 3);
}

static uint64_t check(const unsigned char *p, uint32_t n)
{
    return (uint64_t)p[0] + p[n - 1];
}

static void run_ours(void *arg)
{
    workload *w = arg;
    v_heap *h = w->heap;
    if (v_heap_init(h, NULL) != V_OK ||
        v_heap_add_region(h, w->region, REGION) != V_OK) {
        fprintf(stderr, "bench heap: init failed\n");
        exit(1);
    }
    v_alloc *a = &h->base;
    uint64_t sum = 0;
    memset(w->live, 0, sizeof w->live[0] * SLOTS);
    for (uint32_t i = 0; i < STEPS; i++) {
        uint32_t s = w->slot[i];
        unsigned char *p = w->live[s];
        if (p != NULL) {
            sum += check(p, w->live_size[s]);
            v_alloc_free(a, p, w->live_size[s]);
            w->live[s] = NULL;
        } else {
            uint32_t n = w->size[i];
            if (v_alloc_bytes(a, n, 16, (void **)&p) != V_OK) {
                fprintf(stderr, "bench heap: out of memory\n");
                exit(1);
            }
            touch(p, n);
            w->live[s] = p;
            w->live_size[s] = n;
        }
    }
    for (uint32_t s = 0; s < SLOTS; s++)
        if (w->live[s] != NULL)
            v_alloc_free(a, w->live[s], w->live_size[s]);
    bench_consume(sum);
}

static void run_glibc(void *arg)
{
    workload *w = arg;
    uint64_t sum = 0;
    memset(w->live, 0, sizeof w->live[0] * SLOTS);
    for (uint32_t i = 0; i < STEPS; i++) {
        uint32_t s = w->slot[i];
        unsigned char *p = w->live[s];
        if (p != NULL) {
            sum += check(p, w->live_size[s]);
            free(p);
            w->live[s] = NULL;
        } else {
            uint32_t n = w->size[i];
            p = malloc(n);
            if (p == NULL) {
                fprintf(stderr, "bench heap: malloc failed\n");
                exit(1);
            }
            touch(p, n);
            w->live[s] = p;
            w->live_size[s] = n;
        }
    }
    for (uint32_t s = 0; s < SLOTS; s++)
        free(w->live[s]);
    bench_consume(sum);
}

int main(void)
{
    static v_heap heap;
    workload w = {0};
    w.slot = malloc(sizeof w.slot[0] * STEPS);
    w.size = malloc(sizeof w.size[0] * STEPS);
    w.live = malloc(sizeof w.live[0] * SLOTS);
    w.live_size = malloc(sizeof w.live_size[0] * SLOTS);
    w.region = malloc(REGION);
    w.heap = &heap;
    if (!w.slot || !w.size || !w.live || !w.live_size || !w.region) {
        fprintf(stderr, "bench heap: setup allocation failed\n");
        return 1;
    }
    memset(w.region, 0, REGION); /* fault the pages in before timing */
    uint64_t r = 0x2545f4914f6cdd1dull;
    for (uint32_t i = 0; i < STEPS; i++) {
        w.slot[i] = (uint32_t)(rng(&r) % SLOTS);
        w.size[i] = pick_size(&r);
    }
    printf("# heap_mixed: %d steps over %d slots (about %d live blocks), "
           "sizes 16B..4KiB (2%% up to 64KiB), same sequence both sides; "
           "ours: v_heap (TLSF) via v_alloc over one %d MiB region; "
           "peer: glibc malloc/free; scalar code only on both sides\n",
           STEPS, SLOTS, SLOTS / 2, REGION >> 20);
    /* Interleave the two sides so drift in machine load hits both. */
    enum { ROUNDS = 5, REPS = 3 };
    double ours[ROUNDS], theirs[ROUNDS];
    for (int k = 0; k < ROUNDS; k++) {
        ours[k] = bench_median_ns(run_ours, &w, k == 0 ? 2 : 0, REPS);
        theirs[k] = bench_median_ns(run_glibc, &w, k == 0 ? 2 : 0, REPS);
    }
    /* Median over rounds. */
    for (int i = 0; i < ROUNDS; i++)
        for (int j = i + 1; j < ROUNDS; j++) {
            if (ours[j] < ours[i]) { double t = ours[i]; ours[i] = ours[j]; ours[j] = t; }
            if (theirs[j] < theirs[i]) { double t = theirs[i]; theirs[i] = theirs[j]; theirs[j] = t; }
        }
    bench_report("heap_mixed", "ns", ours[ROUNDS / 2], "glibc_malloc",
                 theirs[ROUNDS / 2]);
    free(w.region);
    return 0;
}
