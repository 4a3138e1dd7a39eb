/* sample.h — shared by the vschema tests: an allocator that counts
 * and fails on request, and random values of every type of
 * tests/all.vs (all of them valid, with edge cases often). */
#ifndef VSCHEMA_TEST_SAMPLE_H
#define VSCHEMA_TEST_SAMPLE_H

#include <v/alloc.h>

#include "all.h"

typedef struct test_alloc {
    v_alloc base;
    size_t live_bytes;
    size_t live_blocks;
    long fail_after;   /* allocations left before failing; -1: never */
} test_alloc;

typedef struct rng {
    uint64_t s;
    v_alloc *a;
} rng;

/* A fresh counting allocator that never fails (set fail_after). */
test_alloc ta_make(void);
uint64_t rnd(rng *r);
uint64_t below(rng *r, uint64_t n);
void *take(rng *r, size_t n); /* from r->a, or abort */
uint64_t some_u64(rng *r);
double some_f64(rng *r);
v_schema_str some_str(rng *r, size_t max);
v_schema_bytes some_bytes(rng *r, size_t max);
vstest_all_Color some_color(rng *r);
vstest_all_Point some_point(rng *r);
vstest_all_Shape some_shape(rng *r);
vstest_all_Scalars some_scalars(rng *r);
void some_all(rng *r, vstest_all_All *v);
void some_transfer(rng *r, vstest_all_Transfer *v);

#endif
