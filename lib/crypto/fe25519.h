/* lib/crypto/fe25519.h — arithmetic in GF(2^255 - 19), private to the
 * crypto module (X25519 and Ed25519 share it).
 *
 * An element is five 51-bit limbs, little-endian, not necessarily fully
 * reduced: limbs may exceed 2^51 by a little between operations, and the
 * value may be >= p until fe_tobytes makes it canonical. Products use
 * unsigned __int128. Every function here runs in time independent of the
 * values: no branches or indices depend on limb contents. */
#ifndef V_CRYPTO_FE25519_H
#define V_CRYPTO_FE25519_H

#include <stdint.h>

#include "bytes.h"

/* Library-internal, but still global: keep them in libv's namespace. */
#define fe_0 v_crypto_fe_0
#define fe_1 v_crypto_fe_1
#define fe_copy v_crypto_fe_copy
#define fe_frombytes v_crypto_fe_frombytes
#define fe_tobytes v_crypto_fe_tobytes
#define fe_add v_crypto_fe_add
#define fe_sub v_crypto_fe_sub
#define fe_add_nc v_crypto_fe_add_nc
#define fe_sub_nc v_crypto_fe_sub_nc
#define fe_neg v_crypto_fe_neg
#define fe_mul v_crypto_fe_mul
#define fe_sq v_crypto_fe_sq
#define fe_mul_small v_crypto_fe_mul_small
#define fe_invert v_crypto_fe_invert
#define fe_pow22523 v_crypto_fe_pow22523
#define fe_cswap v_crypto_fe_cswap
#define fe_cmov v_crypto_fe_cmov
#define fe_iszero v_crypto_fe_iszero
#define fe_isnegative v_crypto_fe_isnegative

typedef struct fe {
    uint64_t v[5];
} fe;

void fe_0(fe *h);
void fe_1(fe *h);
void fe_copy(fe *h, const fe *f);
/* Loads 32 bytes, ignoring the top bit (bit 255). */
void fe_frombytes(fe *h, const uint8_t s[32]);
/* Stores the canonical (fully reduced) encoding. */
void fe_tobytes(uint8_t s[32], const fe *h);
void fe_add(fe *h, const fe *f, const fe *g);
void fe_sub(fe *h, const fe *f, const fe *g);
/* Without the final carry: only for inputs that are fresh fe_mul/fe_sq
 * results, and results that go straight into fe_mul/fe_sq. */
void fe_add_nc(fe *h, const fe *f, const fe *g);
void fe_sub_nc(fe *h, const fe *f, const fe *g);
void fe_neg(fe *h, const fe *f);
void fe_mul(fe *h, const fe *f, const fe *g);
void fe_sq(fe *h, const fe *f);
void fe_mul_small(fe *h, const fe *f, uint32_t n);
void fe_invert(fe *out, const fe *z);
/* z^((p - 5) / 8), the core of square roots. */
void fe_pow22523(fe *out, const fe *z);
/* Swap f and g when b is 1, leave them when b is 0 (b must be 0 or 1). */
void fe_cswap(fe *f, fe *g, uint64_t b);
/* f = g when b is 1. Inline: table selection calls it thousands of
 * times per signature. */
static inline void fe_cmov(fe *f, const fe *g, uint64_t b)
{
    uint64_t mask = v_ct_barrier64(0 - b);
    for (int i = 0; i < 5; i++)
        f->v[i] ^= (f->v[i] ^ g->v[i]) & mask;
}
/* 1 when f is zero mod p, else 0. */
int fe_iszero(const fe *f);
/* The low bit of the canonical encoding ("negative" in RFC 8032). */
int fe_isnegative(const fe *f);

#endif
