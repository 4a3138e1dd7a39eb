/* GF(2^255 - 19) arithmetic on 5 x 51-bit limbs: the parts that run a
 * few times per operation (encoding, square root). The hot operations are
 * inline in fe25519.h; inversion is in fe25519_invert.c. */
#include "fe25519.h"

#include "bytes.h"

void fe_frombytes(fe *h, const uint8_t s[32])
{
    uint64_t w0 = v_load64_le(s), w1 = v_load64_le(s + 8);
    uint64_t w2 = v_load64_le(s + 16), w3 = v_load64_le(s + 24);
    h->v[0] = w0 & FE_MASK51;
    h->v[1] = (w0 >> 51 | w1 << 13) & FE_MASK51;
    h->v[2] = (w1 >> 38 | w2 << 26) & FE_MASK51;
    h->v[3] = (w2 >> 25 | w3 << 39) & FE_MASK51;
    h->v[4] = (w3 >> 12) & FE_MASK51;
}

void fe_tobytes(uint8_t s[32], const fe *f)
{
    fe h = *f;
    fe_carry(&h);
    fe_carry(&h);
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
    c = h.v[0] >> 51; h.v[0] &= FE_MASK51; h.v[1] += c;
    c = h.v[1] >> 51; h.v[1] &= FE_MASK51; h.v[2] += c;
    c = h.v[2] >> 51; h.v[2] &= FE_MASK51; h.v[3] += c;
    c = h.v[3] >> 51; h.v[3] &= FE_MASK51; h.v[4] += c;
    h.v[4] &= FE_MASK51;
    v_store64_le(s, h.v[0] | h.v[1] << 51);
    v_store64_le(s + 8, h.v[1] >> 13 | h.v[2] << 38);
    v_store64_le(s + 16, h.v[2] >> 26 | h.v[3] << 25);
    v_store64_le(s + 24, h.v[3] >> 39 | h.v[4] << 12);
}

/* The start of the square-root exponentiation: returns z^(2^250 - 1) in
 * t250 and z^11 in z11. (Inversion is fe25519_invert.c.) */
static void chain_250(fe *t250, fe *z11, const fe *z)
{
    fe z2, z9, t, a, b, c;
    fe_sq(&z2, z);               /* 2 */
    fe_sq_times(&t, &z2, 2);     /* 8 */
    fe_mul(&z9, &t, z);          /* 9 */
    fe_mul(z11, &z9, &z2);       /* 11 */
    fe_sq(&t, z11);              /* 22 */
    fe_mul(&a, &t, &z9);         /* 2^5 - 1 */
    fe_sq_times(&t, &a, 5);
    fe_mul(&a, &t, &a);          /* 2^10 - 1 */
    fe_sq_times(&t, &a, 10);
    fe_mul(&b, &t, &a);          /* 2^20 - 1 */
    fe_sq_times(&t, &b, 20);
    fe_mul(&t, &t, &b);          /* 2^40 - 1 */
    fe_sq_times(&t, &t, 10);
    fe_mul(&b, &t, &a);          /* 2^50 - 1 */
    fe_sq_times(&t, &b, 50);
    fe_mul(&c, &t, &b);          /* 2^100 - 1 */
    fe_sq_times(&t, &c, 100);
    fe_mul(&t, &t, &c);          /* 2^200 - 1 */
    fe_sq_times(&t, &t, 50);
    fe_mul(t250, &t, &b);        /* 2^250 - 1 */
}

void fe_pow22523(fe *out, const fe *z)
{
    fe t, z11;
    chain_250(&t, &z11, z);
    fe_sq_times(&t, &t, 2);         /* 2^252 - 4 */
    fe_mul(out, &t, z);          /* 2^252 - 3 = (p - 5) / 8 */
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
