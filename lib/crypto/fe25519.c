/* GF(2^255 - 19) arithmetic on 5 x 51-bit limbs. See fe25519.h.
 *
 * Reduction uses 2^255 = 19 (mod p): whatever carries out of the top limb
 * re-enters the bottom one times 19. */
#include "fe25519.h"

#include "bytes.h"

#define MASK51 ((uint64_t)0x7ffffffffffff)

typedef unsigned __int128 u128;

void fe_0(fe *h)
{
    for (int i = 0; i < 5; i++)
        h->v[i] = 0;
}

void fe_1(fe *h)
{
    fe_0(h);
    h->v[0] = 1;
}

void fe_copy(fe *h, const fe *f)
{
    *h = *f;
}

void fe_frombytes(fe *h, const uint8_t s[32])
{
    uint64_t w0 = v_load64_le(s), w1 = v_load64_le(s + 8);
    uint64_t w2 = v_load64_le(s + 16), w3 = v_load64_le(s + 24);
    h->v[0] = w0 & MASK51;
    h->v[1] = (w0 >> 51 | w1 << 13) & MASK51;
    h->v[2] = (w1 >> 38 | w2 << 26) & MASK51;
    h->v[3] = (w2 >> 25 | w3 << 39) & MASK51;
    h->v[4] = (w3 >> 12) & MASK51;
}

/* Brings every limb below 2^51 (value may still be up to p + small). */
static void carry(fe *h)
{
    uint64_t c;
    c = h->v[0] >> 51; h->v[0] &= MASK51; h->v[1] += c;
    c = h->v[1] >> 51; h->v[1] &= MASK51; h->v[2] += c;
    c = h->v[2] >> 51; h->v[2] &= MASK51; h->v[3] += c;
    c = h->v[3] >> 51; h->v[3] &= MASK51; h->v[4] += c;
    c = h->v[4] >> 51; h->v[4] &= MASK51; h->v[0] += c * 19;
    c = h->v[0] >> 51; h->v[0] &= MASK51; h->v[1] += c;
}

void fe_tobytes(uint8_t s[32], const fe *f)
{
    fe h = *f;
    carry(&h);
    carry(&h);
    /* Now h < 2^255. q = 1 exactly when h >= p, found by adding 19 and
     * looking at bit 255; then subtract q * p by adding 19q and dropping
     * bit 255. */
    uint64_t q = (h.v[0] + 19) >> 51;
    q = (h.v[1] + q) >> 51;
    q = (h.v[2] + q) >> 51;
    q = (h.v[3] + q) >> 51;
    q = (h.v[4] + q) >> 51;
    h.v[0] += 19 * q;
    uint64_t c;
    c = h.v[0] >> 51; h.v[0] &= MASK51; h.v[1] += c;
    c = h.v[1] >> 51; h.v[1] &= MASK51; h.v[2] += c;
    c = h.v[2] >> 51; h.v[2] &= MASK51; h.v[3] += c;
    c = h.v[3] >> 51; h.v[3] &= MASK51; h.v[4] += c;
    h.v[4] &= MASK51;
    v_store64_le(s, h.v[0] | h.v[1] << 51);
    v_store64_le(s + 8, h.v[1] >> 13 | h.v[2] << 38);
    v_store64_le(s + 16, h.v[2] >> 26 | h.v[3] << 25);
    v_store64_le(s + 24, h.v[3] >> 39 | h.v[4] << 12);
}

void fe_add(fe *h, const fe *f, const fe *g)
{
    for (int i = 0; i < 5; i++)
        h->v[i] = f->v[i] + g->v[i];
    carry(h);
}

/* Uncarried forms, for hot formulas whose inputs are all fresh products
 * (limbs below 2^52): the results stay below 2^54, which fe_mul and fe_sq
 * accept (every 128-bit column sum stays below 2^117). Callers must not
 * chain them. */
void fe_add_nc(fe *h, const fe *f, const fe *g)
{
    for (int i = 0; i < 5; i++)
        h->v[i] = f->v[i] + g->v[i];
}

void fe_sub_nc(fe *h, const fe *f, const fe *g)
{
    h->v[0] = f->v[0] + 0x1fffffffffffb4 - g->v[0];
    h->v[1] = f->v[1] + 0x1ffffffffffffc - g->v[1];
    h->v[2] = f->v[2] + 0x1ffffffffffffc - g->v[2];
    h->v[3] = f->v[3] + 0x1ffffffffffffc - g->v[3];
    h->v[4] = f->v[4] + 0x1ffffffffffffc - g->v[4];
}

/* f - g computed as f + 4p - g so no limb goes negative (g's limbs are
 * below 2^52 after any operation here). */
void fe_sub(fe *h, const fe *f, const fe *g)
{
    h->v[0] = f->v[0] + 0x1fffffffffffb4 - g->v[0];
    h->v[1] = f->v[1] + 0x1ffffffffffffc - g->v[1];
    h->v[2] = f->v[2] + 0x1ffffffffffffc - g->v[2];
    h->v[3] = f->v[3] + 0x1ffffffffffffc - g->v[3];
    h->v[4] = f->v[4] + 0x1ffffffffffffc - g->v[4];
    carry(h);
}

void fe_neg(fe *h, const fe *f)
{
    fe zero;
    fe_0(&zero);
    fe_sub(h, &zero, f);
}

/* Always inlined into fe_mul and fe_sq: as a call, passing five 128-bit
 * values cost a sixth of a signature. */
__attribute__((always_inline)) static inline void
reduce_wide(fe *h, u128 r0, u128 r1, u128 r2, u128 r3, u128 r4)
{
    uint64_t c;
    r1 += (uint64_t)(r0 >> 51);
    uint64_t h0 = (uint64_t)r0 & MASK51;
    r2 += (uint64_t)(r1 >> 51);
    uint64_t h1 = (uint64_t)r1 & MASK51;
    r3 += (uint64_t)(r2 >> 51);
    uint64_t h2 = (uint64_t)r2 & MASK51;
    r4 += (uint64_t)(r3 >> 51);
    uint64_t h3 = (uint64_t)r3 & MASK51;
    c = (uint64_t)(r4 >> 51);
    uint64_t h4 = (uint64_t)r4 & MASK51;
    h0 += c * 19;
    c = h0 >> 51;
    h0 &= MASK51;
    h1 += c;
    h->v[0] = h0; h->v[1] = h1; h->v[2] = h2; h->v[3] = h3; h->v[4] = h4;
}

void fe_mul(fe *h, const fe *f, const fe *g)
{
    const uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3],
                   f4 = f->v[4];
    const uint64_t g0 = g->v[0], g1 = g->v[1], g2 = g->v[2], g3 = g->v[3],
                   g4 = g->v[4];
    const uint64_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3,
                   g4_19 = 19 * g4;
    u128 r0 = (u128)f0 * g0 + (u128)f1 * g4_19 + (u128)f2 * g3_19 +
              (u128)f3 * g2_19 + (u128)f4 * g1_19;
    u128 r1 = (u128)f0 * g1 + (u128)f1 * g0 + (u128)f2 * g4_19 +
              (u128)f3 * g3_19 + (u128)f4 * g2_19;
    u128 r2 = (u128)f0 * g2 + (u128)f1 * g1 + (u128)f2 * g0 +
              (u128)f3 * g4_19 + (u128)f4 * g3_19;
    u128 r3 = (u128)f0 * g3 + (u128)f1 * g2 + (u128)f2 * g1 +
              (u128)f3 * g0 + (u128)f4 * g4_19;
    u128 r4 = (u128)f0 * g4 + (u128)f1 * g3 + (u128)f2 * g2 +
              (u128)f3 * g1 + (u128)f4 * g0;
    reduce_wide(h, r0, r1, r2, r3, r4);
}

void fe_sq(fe *h, const fe *f)
{
    const uint64_t f0 = f->v[0], f1 = f->v[1], f2 = f->v[2], f3 = f->v[3],
                   f4 = f->v[4];
    const uint64_t f0_2 = 2 * f0, f1_2 = 2 * f1;
    const uint64_t f3_19 = 19 * f3, f4_19 = 19 * f4;
    u128 r0 = (u128)f0 * f0 + (u128)(2 * f1) * f4_19 +
              (u128)(2 * f2) * f3_19;
    u128 r1 = (u128)f0_2 * f1 + (u128)(2 * f2) * f4_19 + (u128)f3 * f3_19;
    u128 r2 = (u128)f0_2 * f2 + (u128)f1 * f1 + (u128)(2 * f3) * f4_19;
    u128 r3 = (u128)f0_2 * f3 + (u128)f1_2 * f2 + (u128)f4 * f4_19;
    u128 r4 = (u128)f0_2 * f4 + (u128)f1_2 * f3 + (u128)f2 * f2;
    reduce_wide(h, r0, r1, r2, r3, r4);
}

void fe_mul_small(fe *h, const fe *f, uint32_t n)
{
    reduce_wide(h, (u128)f->v[0] * n, (u128)f->v[1] * n, (u128)f->v[2] * n,
                (u128)f->v[3] * n, (u128)f->v[4] * n);
}

static void sq_times(fe *h, const fe *f, int n)
{
    fe_sq(h, f);
    for (int i = 1; i < n; i++)
        fe_sq(h, h);
}

/* Shared prefix of the inversion and square-root chains: returns
 * z^(2^250 - 1) in t250 and z^11 in z11. */
static void chain_250(fe *t250, fe *z11, const fe *z)
{
    fe z2, z9, t, a, b, c;
    fe_sq(&z2, z);               /* 2 */
    sq_times(&t, &z2, 2);        /* 8 */
    fe_mul(&z9, &t, z);          /* 9 */
    fe_mul(z11, &z9, &z2);       /* 11 */
    fe_sq(&t, z11);              /* 22 */
    fe_mul(&a, &t, &z9);         /* 2^5 - 1 */
    sq_times(&t, &a, 5);
    fe_mul(&a, &t, &a);          /* 2^10 - 1 */
    sq_times(&t, &a, 10);
    fe_mul(&b, &t, &a);          /* 2^20 - 1 */
    sq_times(&t, &b, 20);
    fe_mul(&t, &t, &b);          /* 2^40 - 1 */
    sq_times(&t, &t, 10);
    fe_mul(&b, &t, &a);          /* 2^50 - 1 */
    sq_times(&t, &b, 50);
    fe_mul(&c, &t, &b);          /* 2^100 - 1 */
    sq_times(&t, &c, 100);
    fe_mul(&t, &t, &c);          /* 2^200 - 1 */
    sq_times(&t, &t, 50);
    fe_mul(t250, &t, &b);        /* 2^250 - 1 */
}

void fe_invert(fe *out, const fe *z)
{
    fe t, z11;
    chain_250(&t, &z11, z);
    sq_times(&t, &t, 5);         /* 2^255 - 32 */
    fe_mul(out, &t, &z11);       /* 2^255 - 21 = p - 2 */
}

void fe_pow22523(fe *out, const fe *z)
{
    fe t, z11;
    chain_250(&t, &z11, z);
    sq_times(&t, &t, 2);         /* 2^252 - 4 */
    fe_mul(out, &t, z);          /* 2^252 - 3 = (p - 5) / 8 */
}

void fe_cswap(fe *f, fe *g, uint64_t b)
{
    uint64_t mask = v_ct_barrier64(0 - b);
    for (int i = 0; i < 5; i++) {
        uint64_t x = (f->v[i] ^ g->v[i]) & mask;
        f->v[i] ^= x;
        g->v[i] ^= x;
    }
}

int fe_iszero(const fe *f)
{
    uint8_t s[32];
    fe_tobytes(s, f);
    uint32_t d = 0;
    for (int i = 0; i < 32; i++)
        d |= s[i];
    return (int)(1 & ((d - 1) >> 8));
}

int fe_isnegative(const fe *f)
{
    uint8_t s[32];
    fe_tobytes(s, f);
    return s[0] & 1;
}
