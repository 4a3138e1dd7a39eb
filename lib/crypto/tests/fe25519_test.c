/* Field arithmetic mod p = 2^255 - 19 (internal to X25519 and Ed25519):
 * the constant-time divstep inversion (fe25519_invert.c) against
 * Fermat's x^(p - 2), computed here bit by bit with fe_sq and fe_mul, on
 * edge values (0, 1, 2, p - 1, p, p + 1, 2^255 - 1, limbs at the largest
 * size the formulas allow) and on a few thousand pseudo-random values;
 * and x * x^-1 = 1. Also fe_sq against fe_mul at the limb bounds. */
#include <v/mem.h>
#include <v/test.h>

#include "../fe25519.h"

/* x^(p - 2) by square-and-multiply over the bits of p - 2 = 2^255 - 21. */
static void fermat_invert(fe *out, const fe *x)
{
    static const uint8_t e[32] = {
        0xeb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
    fe r;
    fe_1(&r);
    for (int bit = 254; bit >= 0; bit--) {
        fe_sq(&r, &r);
        if ((e[bit >> 3] >> (bit & 7)) & 1)
            fe_mul(&r, &r, x);
    }
    *out = r;
}

/* A small xorshift generator: the values only need to be spread out. */
static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static bool invert_matches(const fe *x)
{
    fe a, b, one;
    uint8_t sa[32], sb[32], s1[32], sx[32];
    fe_invert(&a, x);
    fermat_invert(&b, x);
    fe_tobytes(sa, &a);
    fe_tobytes(sb, &b);
    if (!v_mem_equal(sa, sb, 32))
        return false;
    /* x * x^-1 = 1, unless x = 0 mod p (then both give 0). */
    fe_mul(&one, &a, x);
    fe_tobytes(s1, &one);
    fe_tobytes(sx, x);
    static const uint8_t zero[32], unit[32] = {1};
    if (v_mem_equal(sx, zero, 32))
        return v_mem_equal(sa, zero, 32);
    return v_mem_equal(s1, unit, 32);
}

V_TEST(crypto, fe25519_invert_edges)
{
    const uint64_t m = 0x7ffffffffffff;
    const fe edges[] = {
        {{0, 0, 0, 0, 0}},
        {{1, 0, 0, 0, 0}},
        {{2, 0, 0, 0, 0}},
        {{m - 19, m, m, m, m}},                   /* p - 1 */
        {{m - 18, m, m, m, m}},                   /* p (= 0) */
        {{m - 17, m, m, m, m}},                   /* p + 1 (= 1) */
        {{m, m, m, m, m}},                        /* 2^255 - 1 */
        {{0, 0, 0, 0, 1}},                        /* 2^204 */
        {{(1ull << 54) - 1, (1ull << 54) - 1, (1ull << 54) - 1,
          (1ull << 54) - 1, (1ull << 54) - 1}},    /* uncarried sums */
        {{19, 0, 0, 0, 0}},
        {{0, 0, 0, 0, 1ull << 50}},               /* 2^254 */
    };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        V_EXPECT(invert_matches(&edges[i]));
    /* 2^k and p - 2^k: the longest runs of one kind of step. */
    int bad = 0;
    for (int k = 0; k < 255; k++) {
        fe x = {{0, 0, 0, 0, 0}}, y = {{m - 18, m, m, m, m}};
        x.v[k / 51] = 1ull << (k % 51);
        fe_sub(&y, &y, &x);
        bad += !invert_matches(&x) + !invert_matches(&y);
    }
    V_EXPECT_EQ(bad, 0);
}

V_TEST(crypto, fe25519_invert_random)
{
    uint64_t s = 0x9e3779b97f4a7c15;
    int bad = 0;
    for (int i = 0; i < 3000; i++) {
        fe x;
        for (int k = 0; k < 5; k++)
            x.v[k] = next(&s) & 0x7ffffffffffff;
        /* Some with few bits set, so that the gcd steps see long runs of
         * even values. */
        if (i % 7 == 0)
            for (int k = 1; k < 5; k++)
                x.v[k] &= next(&s) & next(&s);
        bad += !invert_matches(&x);
    }
    V_EXPECT_EQ(bad, 0);
}

V_TEST(crypto, fe25519_square_matches_multiply_at_limb_bounds)
{
    /* Limbs just below 2^54, the largest the uncarried sums produce. */
    uint64_t s = 12345;
    int bad = 0;
    for (int i = 0; i < 1000; i++) {
        fe x, a, b;
        uint8_t sa[32], sb[32];
        uint64_t spread = i < 500 ? 0xff : 0x3ffffffffffff;
        for (int k = 0; k < 5; k++)
            x.v[k] = (1ull << 54) - 1 - (next(&s) & spread);
        fe_sq(&a, &x);
        fe_mul(&b, &x, &x);
        fe_tobytes(sa, &a);
        fe_tobytes(sb, &b);
        bad += !v_mem_equal(sa, sb, 32);
    }
    V_EXPECT_EQ(bad, 0);
}
