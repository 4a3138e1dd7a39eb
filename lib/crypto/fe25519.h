/* lib/crypto/fe25519.h — arithmetic in GF(2^255 - 19), private to the
 * crypto module (X25519 and Ed25519 share it).
 *
 * An element is five 51-bit limbs, little-endian, not necessarily fully
 * reduced: limbs may exceed 2^51 by a little between operations, and the
 * value may be >= p until fe_tobytes makes it canonical. Products use
 * unsigned __int128. Every function here runs in time independent of the
 * values: no branches or indices depend on limb contents.
 *
 * The operations a scalar multiplication makes thousands of times
 * (multiply, square, add, subtract, swap) are defined here, inline: as
 * calls, moving limbs through memory and back cost X25519 a tenth of its
 * time. The rest lives in fe25519.c, inversion in fe25519_invert.c.
 *
 * Reduction uses 2^255 = 19 (mod p): whatever carries out of the top limb
 * re-enters the bottom one times 19. */
#ifndef V_CRYPTO_FE25519_H
#define V_CRYPTO_FE25519_H

#include <stddef.h>
#include <stdint.h>

#include "bytes.h"

/* Library-internal, but still global: keep them in libv's namespace. */
#define fe_frombytes v_crypto_fe_frombytes
#define fe_tobytes v_crypto_fe_tobytes
#define fe_invert v_crypto_fe_invert
#define fe_pow22523 v_crypto_fe_pow22523
#define fe_iszero v_crypto_fe_iszero
#define fe_isnegative v_crypto_fe_isnegative

typedef struct fe {
    uint64_t v[5];
} fe;

typedef unsigned __int128 fe_u128;

#define FE_MASK51 ((uint64_t)0x7ffffffffffff)
#define FE_INLINE __attribute__((always_inline)) static inline

/* Loads 32 bytes, ignoring the top bit (bit 255). */
void fe_frombytes(fe *h, const uint8_t s[32]);
/* Stores the canonical (fully reduced) encoding. */
void fe_tobytes(uint8_t s[32], const fe *h);
/* out = 1/z (0 for z = 0 mod p), by constant-time divsteps. */
void fe_invert(fe *out, const fe *z);
/* z^((p - 5) / 8), the core of square roots. */
void fe_pow22523(fe *out, const fe *z);
/* 1 when f is zero mod p, else 0. */
int fe_iszero(const fe *f);
/* The low bit of the canonical encoding ("negative" in RFC 8032). */
int fe_isnegative(const fe *f);

static inline void fe_0(fe *h)
{
    for (int i = 0; i < 5; i++)
        h->v[i] = 0;
}

static inline void fe_1(fe *h)
{
    fe_0(h);
    h->v[0] = 1;
}

static inline void fe_copy(fe *h, const fe *f)
{
    *h = *f;
}

/* Brings every limb below 2^51 (bar a tiny excess in limb 1; the value
 * may still be up to p + small). */
FE_INLINE void fe_carry(fe *h)
{
    uint64_t c;
    c = h->v[0] >> 51; h->v[0] &= FE_MASK51; h->v[1] += c;
    c = h->v[1] >> 51; h->v[1] &= FE_MASK51; h->v[2] += c;
    c = h->v[2] >> 51; h->v[2] &= FE_MASK51; h->v[3] += c;
    c = h->v[3] >> 51; h->v[3] &= FE_MASK51; h->v[4] += c;
    c = h->v[4] >> 51; h->v[4] &= FE_MASK51; h->v[0] += c * 19;
    c = h->v[0] >> 51; h->v[0] &= FE_MASK51; h->v[1] += c;
}

/* Uncarried forms, for formulas whose inputs are fresh products (limbs
 * below 2^52) or constants: the results stay below 2^54, which fe_mul
 * and fe_sq accept (every 128-bit column sum stays below 2^117). Callers
 * must not chain them beyond what their own comment justifies. */
FE_INLINE void fe_add_nc(fe *h, const fe *f, const fe *g)
{
    h->v[0] = f->v[0] + g->v[0];
    h->v[1] = f->v[1] + g->v[1];
    h->v[2] = f->v[2] + g->v[2];
    h->v[3] = f->v[3] + g->v[3];
    h->v[4] = f->v[4] + g->v[4];
}

/* f + 4p - g, so no limb goes negative while g's limbs are below 2^52. */
FE_INLINE void fe_sub_nc(fe *h, const fe *f, const fe *g)
{
    h->v[0] = f->v[0] + 0x1fffffffffffb4 - g->v[0];
    h->v[1] = f->v[1] + 0x1ffffffffffffc - g->v[1];
    h->v[2] = f->v[2] + 0x1ffffffffffffc - g->v[2];
    h->v[3] = f->v[3] + 0x1ffffffffffffc - g->v[3];
    h->v[4] = f->v[4] + 0x1ffffffffffffc - g->v[4];
}

FE_INLINE void fe_add(fe *h, const fe *f, const fe *g)
{
    fe_add_nc(h, f, g);
    fe_carry(h);
}

FE_INLINE void fe_sub(fe *h, const fe *f, const fe *g)
{
    fe_sub_nc(h, f, g);
    fe_carry(h);
}

static inline void fe_neg(fe *h, const fe *f)
{
    fe zero;
    fe_0(&zero);
    fe_sub(h, &zero, f);
}

/* The column sums are carried as they are formed (column i + 1 absorbs
 * column i's excess before the next column is computed), so only one
 * 128-bit sum is live at a time: with all five live, gcc spilled them to
 * the stack inside the ladder. Limbs come out below 2^51, except limb 1,
 * which may exceed it by the final small carry. */
#define FE_COLUMNS_TO_LIMBS(h, r0, r1, r2, r3, r4) do {                 \
        uint64_t h0_, h1_, h2_, h3_, h4_, c_;                           \
        fe_u128 acc_ = (r0);                                            \
        h0_ = (uint64_t)acc_ & FE_MASK51;                               \
        acc_ = (r1) + (uint64_t)(acc_ >> 51);                           \
        h1_ = (uint64_t)acc_ & FE_MASK51;                               \
        acc_ = (r2) + (uint64_t)(acc_ >> 51);                           \
        h2_ = (uint64_t)acc_ & FE_MASK51;                               \
        acc_ = (r3) + (uint64_t)(acc_ >> 51);                           \
        h3_ = (uint64_t)acc_ & FE_MASK51;                               \
        acc_ = (r4) + (uint64_t)(acc_ >> 51);                           \
        h4_ = (uint64_t)acc_ & FE_MASK51;                               \
        h0_ += (uint64_t)(acc_ >> 51) * 19;                             \
        c_ = h0_ >> 51;                                                 \
        h0_ &= FE_MASK51;                                               \
        h1_ += c_;                                                      \
        (h)->v[0] = h0_; (h)->v[1] = h1_; (h)->v[2] = h2_;              \
        (h)->v[3] = h3_; (h)->v[4] = h4_;                               \
    } while (0)

#define FE_M(a, b) ((fe_u128)(a) * (b))

FE_INLINE void fe_mul(fe *h, const fe *f, const fe *g)
{
    const uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3],
                   f4 = f->v[4];
    const uint64_t g0 = g->v[0], g1 = g->v[1], g2 = g->v[2], g3 = g->v[3],
                   g4 = g->v[4];
    const uint64_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3,
                   g4_19 = 19 * g4;
    FE_COLUMNS_TO_LIMBS(h,
        FE_M(f0, g0) + FE_M(f1, g4_19) + FE_M(f2, g3_19) + FE_M(f3, g2_19) +
            FE_M(f4, g1_19),
        FE_M(f0, g1) + FE_M(f1, g0) + FE_M(f2, g4_19) + FE_M(f3, g3_19) +
            FE_M(f4, g2_19),
        FE_M(f0, g2) + FE_M(f1, g1) + FE_M(f2, g0) + FE_M(f3, g4_19) +
            FE_M(f4, g3_19),
        FE_M(f0, g3) + FE_M(f1, g2) + FE_M(f2, g1) + FE_M(f3, g0) +
            FE_M(f4, g4_19),
        FE_M(f0, g4) + FE_M(f1, g3) + FE_M(f2, g2) + FE_M(f3, g1) +
            FE_M(f4, g0));
}

/* 15 products instead of 25: the cross terms are doubled. */
FE_INLINE void fe_sq(fe *h, const fe *f)
{
    const uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3],
                   f4 = f->v[4];
    const uint64_t f0_2 = 2 * f0, f1_2 = 2 * f1, f2_2 = 2 * f2,
                   f3_2 = 2 * f3;
    const uint64_t f3_19 = 19 * f3, f4_19 = 19 * f4;
    FE_COLUMNS_TO_LIMBS(h,
        FE_M(f0, f0) + FE_M(f1_2, f4_19) + FE_M(f2_2, f3_19),
        FE_M(f0_2, f1) + FE_M(f2_2, f4_19) + FE_M(f3, f3_19),
        FE_M(f0_2, f2) + FE_M(f1, f1) + FE_M(f3_2, f4_19),
        FE_M(f0_2, f3) + FE_M(f1_2, f2) + FE_M(f4, f4_19),
        FE_M(f0_2, f4) + FE_M(f1_2, f3) + FE_M(f2, f2));
}

/* h = f^(2^n), n >= 1. */
static inline void fe_sq_times(fe *h, const fe *f, int n)
{
    fe_sq(h, f);
    for (int i = 1; i < n; i++)
        fe_sq(h, h);
}

FE_INLINE void fe_mul_small(fe *h, const fe *f, uint32_t n)
{
    FE_COLUMNS_TO_LIMBS(h, FE_M(f->v[0], n), FE_M(f->v[1], n),
                        FE_M(f->v[2], n), FE_M(f->v[3], n),
                        FE_M(f->v[4], n));
}

/* Swap f and g when b is 1, leave them when b is 0 (b must be 0 or 1). */
FE_INLINE void fe_cswap(fe *f, fe *g, uint64_t b)
{
    uint64_t mask = v_ct_barrier64(0 - b);
#define FE_SWAP_LIMB(i) do {                                            \
        uint64_t x_ = (f->v[i] ^ g->v[i]) & mask;                       \
        f->v[i] ^= x_;                                                  \
        g->v[i] ^= x_;                                                  \
    } while (0)
    FE_SWAP_LIMB(0); FE_SWAP_LIMB(1); FE_SWAP_LIMB(2); FE_SWAP_LIMB(3);
    FE_SWAP_LIMB(4);
#undef FE_SWAP_LIMB
}

/* f = g when b is 1. */
FE_INLINE void fe_cmov(fe *f, const fe *g, uint64_t b)
{
    uint64_t mask = v_ct_barrier64(0 - b);
    f->v[0] ^= (f->v[0] ^ g->v[0]) & mask;
    f->v[1] ^= (f->v[1] ^ g->v[1]) & mask;
    f->v[2] ^= (f->v[2] ^ g->v[2]) & mask;
    f->v[3] ^= (f->v[3] ^ g->v[3]) & mask;
    f->v[4] ^= (f->v[4] ^ g->v[4]) & mask;
}

/* Zeroes n bytes of secret state with wide stores (the byte-wise
 * volatile v_mem_wipe was 5% of a signature). The empty asm, which may
 * read the memory, keeps the compiler from dropping the stores as dead. */
static inline void fe_wipe(void *p, size_t n)
{
    __builtin_memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory");
}

#endif
