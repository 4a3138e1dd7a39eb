/* The Ryu-style shortest digits (f64_shortest.c) against the exact
 * big-integer method (f64_exact_ref.c): the same digits and exponent for
 * every double tried, chosen where the fast method has its special
 * cases: powers of two (lopsided intervals), exact multiples of powers
 * of ten and five (the trailing-zero paths), subnormals, the extremes,
 * short decimals and random bit patterns. */
#include <v/test.h>

#include "../f64_shortest.h"
#include "f64_exact_ref.h"

static uint64_t bits_of(double d)
{
    union { double d; uint64_t u; } pun = {d};
    return pun.u;
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Checks one positive finite non-zero double's bits; true if equal. */
static bool agrees(v_test_ctx *v_t, uint64_t bits)
{
    uint64_t d1, d2;
    int e1, e2;
    v_enc_f64_shortest(bits, &d1, &e1);
    if (!V_EXPECT(f64_exact_ref(bits, &d2, &e2)))
        return false;
    if (d1 == d2 && e1 == e2)
        return true;
    V_EXPECT_EQ(d1, d2);
    V_EXPECT_EQ(e1, e2);
    return false;
}

V_TEST(encoding, f64_shortest_powers_of_two_and_extremes)
{
    for (int e = 1; e < 0x7ff; e++) { /* every 2^k of a normal double */
        if (!agrees(v_t, (uint64_t)e << 52))
            return;
        /* and its neighbours */
        if (!agrees(v_t, ((uint64_t)e << 52) + 1) ||
            !agrees(v_t, ((uint64_t)e << 52) - 1))
            return;
    }
    for (int k = 0; k < 52; k++) /* subnormal powers of two */
        if (!agrees(v_t, (uint64_t)1 << k))
            return;
    V_EXPECT(agrees(v_t, 1));                           /* 5e-324 */
    V_EXPECT(agrees(v_t, 0x000fffffffffffffull));       /* largest subnormal */
    V_EXPECT(agrees(v_t, 0x0010000000000000ull));       /* smallest normal */
    V_EXPECT(agrees(v_t, 0x7fefffffffffffffull));       /* largest double */
}

V_TEST(encoding, f64_shortest_multiples_of_ten_and_five)
{
    /* Exact decimals hit the trailing-zero paths: m * 10^k and m * 5^k
     * for small m, both scale directions. */
    double p10 = 1;
    for (int k = 0; k <= 30; k++, p10 *= 10) {
        for (uint64_t m = 1; m <= 200; m++) {
            if (!agrees(v_t, bits_of((double)m * p10)) ||
                !agrees(v_t, bits_of((double)m / p10)))
                return;
        }
    }
    double p5 = 1;
    for (int k = 0; k <= 30; k++, p5 *= 5)
        for (uint64_t m = 1; m <= 64; m++)
            if (!agrees(v_t, bits_of((double)m * p5)) ||
                !agrees(v_t, bits_of((double)m / p5)))
                return;
    /* Integers near 2^53 and 2^54, where the spacing passes 1 and 2. */
    for (uint64_t m = (1ull << 53) - 50; m < (1ull << 53) + 50; m++)
        if (!agrees(v_t, bits_of((double)m)) ||
            !agrees(v_t, bits_of((double)(m * 2))))
            return;
}

V_TEST(encoding, f64_shortest_short_decimals)
{
    uint64_t s = 1;
    for (int i = 0; i < 20000; i++) {
        int64_t n = (int64_t)(splitmix(&s) % 20000000);
        double d = (double)n / (i % 2 ? 100.0 : 1000.0);
        if (d != 0 && !agrees(v_t, bits_of(d)))
            return;
    }
}

V_TEST(encoding, f64_shortest_random_bits)
{
    uint64_t s = 2;
    for (int i = 0; i < 10000; i++) {
        uint64_t b = splitmix(&s) & 0x7fffffffffffffffull;
        if ((b >> 52) == 0x7ff || b == 0)
            continue;
        if (!agrees(v_t, b))
            return;
    }
}
