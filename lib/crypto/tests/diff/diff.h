/* Shared helpers for the differential tests (hosted; linked with
 * libsodium and OpenSSL). Inputs come from a seeded SLOPPY v_random, so
 * every run checks the same cases and a failure is reproducible. */
#ifndef V_CRYPTO_DIFF_H
#define V_CRYPTO_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include <v/random.h>

/* Iterations per primitive (cheaper ones get more elsewhere). */
#define DIFF_ROUNDS 2000

static inline void diff_rng(v_random *g, const char *name)
{
    size_t n = 0;
    while (name[n])
        n++;
    v_random_init_seeded(g, name, n);
}

static inline void diff_fill(v_random *g, void *p, size_t n)
{
    (void)v_random_bytes(g, p, n); /* SLOPPY cannot fail */
}

/* A length in [0, max], biased towards small and block-edge values. */
static inline size_t diff_len(v_random *g, size_t max)
{
    uint64_t x;
    (void)v_random_uniform(g, 4, &x);
    uint64_t bound = x == 0 ? 70 : x == 1 ? 260 : (uint64_t)max + 1;
    if (bound > (uint64_t)max + 1)
        bound = (uint64_t)max + 1;
    (void)v_random_uniform(g, bound, &x);
    return (size_t)x;
}

#endif
