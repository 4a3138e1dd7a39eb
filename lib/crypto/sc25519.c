/* Scalar arithmetic mod L for Ed25519.
 *
 * Reduction is Barrett's (Menezes, van Oorschot, Vanstone, Handbook of
 * Applied Cryptography, algorithm 14.42) with 64-bit limbs: b = 2^64,
 * k = 4, mu = floor(2^512 / L). For x < 2^512 the quotient estimate
 * q = floor(floor(x / 2^192) mu / 2^320) is at most two below the true
 * quotient, so r = x - q L, computed mod 2^320, lies in [0, 3L), and two
 * subtractions of L kept or dropped by mask finish the job. Every step
 * does the same work whatever the value (no branch or index depends on
 * it), so time does not depend on secrets. (The 16-bit-step reduction
 * this replaces was an eighth of a signature.) */
#include "sc25519.h"

#include "bytes.h"

typedef unsigned __int128 u128;

/* L = 2^252 + 27742317777372353535851937790883648493, 64-bit limbs. */
static const uint64_t L64[4] = {0x5812631a5cf5d3ed, 0x14def9dea2f79cd6, 0,
                                0x1000000000000000};
static const uint64_t MU[5] = {0xed9ce5a30a2c131b, 0x2106215d086329a7,
                               0xffffffffffffffeb, 0xffffffffffffffff, 0xf};
/* L in 32-bit limbs, most significant last: for the canonical check. */
static const uint32_t L32[8] = {0x5cf5d3ed, 0x5812631a, 0xa2f79cd6,
                                0x14def9de, 0, 0, 0, 0x10000000};

/* As fe_wipe (fe25519.h): wide stores the compiler must keep. */
static void wipe(void *p, size_t n)
{
    __builtin_memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory");
}

/* out[0 .. na + nb) = a * b, schoolbook. Each step's sum fits in 128
 * bits: (2^64 - 1)^2 + 2 (2^64 - 1) = 2^128 - 1. */
static void mul_limbs(uint64_t *out, const uint64_t *a, int na,
                      const uint64_t *b, int nb)
{
    for (int i = 0; i < na + nb; i++)
        out[i] = 0;
    for (int i = 0; i < na; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < nb; j++) {
            u128 t = (u128)a[i] * b[j] + out[i + j] + carry;
            out[i + j] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
        out[i + nb] = carry;
    }
}

/* r = r - L when r >= L, for r < 2^320 held in five limbs. */
static void sub_l_if_ge(uint64_t r[5])
{
    uint64_t d[5], borrow = 0;
    for (int i = 0; i < 5; i++) {
        uint64_t li = i < 4 ? L64[i] : 0;
        u128 t = (u128)r[i] - li - borrow;
        d[i] = (uint64_t)t;
        borrow = (uint64_t)(t >> 64) & 1;
    }
    /* borrow is 1 when r < L: then keep r. */
    uint64_t keep = v_ct_barrier64(0 - borrow);
    for (int i = 0; i < 5; i++)
        r[i] = (r[i] & keep) | (d[i] & ~keep);
}

/* out = x mod L for x < 2^512 in eight limbs. */
static void barrett(uint8_t out[32], const uint64_t x[8])
{
    uint64_t q2[10], qL[9], r[5];
    /* q1 = x >> 192 (limbs 3..7); q3 = (q1 mu) >> 320 (limbs 5..9). */
    mul_limbs(q2, x + 3, 5, MU, 5);
    mul_limbs(qL, q2 + 5, 5, L64, 4);
    /* r = (x - q3 L) mod 2^320. */
    uint64_t borrow = 0;
    for (int i = 0; i < 5; i++) {
        u128 t = (u128)x[i] - qL[i] - borrow;
        r[i] = (uint64_t)t;
        borrow = (uint64_t)(t >> 64) & 1;
    }
    sub_l_if_ge(r);
    sub_l_if_ge(r);
    for (int i = 0; i < 4; i++)
        v_store64_le(out + 8 * i, r[i]);
    wipe(q2, sizeof q2);
    wipe(qL, sizeof qL);
    wipe(r, sizeof r);
}

void sc_reduce64(uint8_t out[32], const uint8_t in[64])
{
    uint64_t x[8];
    for (int i = 0; i < 8; i++)
        x[i] = v_load64_le(in + 8 * i);
    barrett(out, x);
    wipe(x, sizeof x);
}

void sc_muladd(uint8_t out[32], const uint8_t a[32], const uint8_t b[32],
               const uint8_t c[32])
{
    uint64_t x[4], y[4], p[8];
    for (int i = 0; i < 4; i++) {
        x[i] = v_load64_le(a + 8 * i);
        y[i] = v_load64_le(b + 8 * i);
    }
    mul_limbs(p, x, 4, y, 4);
    /* + c: a b + c <= (2^256 - 1)^2 + 2^256 - 1 < 2^512, so no carry
     * leaves the top limb. */
    uint64_t carry = 0;
    for (int i = 0; i < 8; i++) {
        u128 t = (u128)p[i] + (i < 4 ? v_load64_le(c + 8 * i) : 0) + carry;
        p[i] = (uint64_t)t;
        carry = (uint64_t)(t >> 64);
    }
    barrett(out, p);
    wipe(x, sizeof x);
    wipe(y, sizeof y);
    wipe(p, sizeof p);
}

int sc_is_canonical(const uint8_t s[32])
{
    for (int i = 7; i >= 0; i--) {
        uint32_t w = v_load32_le(s + 4 * i);
        if (w < L32[i])
            return 1;
        if (w > L32[i])
            return 0;
    }
    return 0; /* s == L */
}
