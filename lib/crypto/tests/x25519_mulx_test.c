/* The BMI2/ADX X25519 path (x25519_mulx.c, fe25519_mulx.h) against the
 * portable one: each field operation against the 51-bit arithmetic on
 * all pairs of edge values (0, 1, 19, 38, p - 1, p, p + 1, 2^255 - 1,
 * 2^255, 2^256 - 38, 2^256 - 1, limbs all ones, ...) and on thousands of
 * pseudo-random ones; then whole scalar multiplications through
 * v_x25519_cpu on both paths, on edge points (0, 1, p - 1, p + k, the top
 * bit set, all ones) and edge scalars, and on 3,000 random pairs.
 *
 * On a CPU without BMI2 and ADX the assembly cannot run: the field tests
 * then check nothing, and the ladder tests compare the portable path with
 * itself (a note says so). */
#include <v/cpu.h>
#include <v/crypto.h>
#include <v/mem.h>
#include <v/random.h>
#include <v/test.h>

#include "../fe25519.h"
#include "../fe25519_mulx.h"

static bool have_mulx(void)
{
    return v_cpu_has(v_cpu_detect(), V_CPU_BMI2 | V_CPU_ADX);
}

#if defined(__x86_64__)

/* 256-bit values that stress the carries and the wrap at 2^256. */
static const fe64 EDGES[] = {
    {{0, 0, 0, 0}},
    {{1, 0, 0, 0}},
    {{19, 0, 0, 0}},
    {{38, 0, 0, 0}},
    {{0xffffffffffffffec, ~0ull, ~0ull, 0x7fffffffffffffff}}, /* p - 1 */
    {{0xffffffffffffffed, ~0ull, ~0ull, 0x7fffffffffffffff}}, /* p */
    {{0xffffffffffffffee, ~0ull, ~0ull, 0x7fffffffffffffff}}, /* p + 1 */
    {{~0ull, ~0ull, ~0ull, 0x7fffffffffffffff}},              /* 2^255-1 */
    {{0, 0, 0, 0x8000000000000000}},                          /* 2^255 */
    {{0xffffffffffffffda, ~0ull, ~0ull, ~0ull}},              /* 2^256-38 */
    {{0xffffffffffffffd9, ~0ull, ~0ull, ~0ull}},              /* 2^256-39 */
    {{0xffffffffffffffdb, ~0ull, ~0ull, ~0ull}},              /* 2^256-37 */
    {{~0ull, ~0ull, ~0ull, ~0ull}},                           /* 2^256-1 */
    {{0xffffffffffffffd9, ~0ull, ~0ull, 0xffffffffffffffff}}, /* 2p-1 + .. */
    {{~0ull, 0, 0, 0}},
    {{0, ~0ull, 0, 0}},
    {{0, 0, ~0ull, 0}},
    {{0, 0, 0, ~0ull}},
    {{~0ull, 0, ~0ull, 0}},
    {{0, ~0ull, 0, ~0ull}},
};
#define N_EDGES (sizeof EDGES / sizeof EDGES[0])

/* The same 256-bit value as a 51-bit-limb fe: the low 255 bits, plus 19
 * for bit 255 (2^255 = 19 mod p). */
static void to_fe(fe *out, const fe64 *x)
{
    uint8_t b[32];
    for (int i = 0; i < 4; i++)
        v_store64_le(b + 8 * i, x->v[i]);
    fe_frombytes(out, b);
    fe nineteen;
    fe_0(&nineteen);
    nineteen.v[0] = 19 * (x->v[3] >> 63);
    fe_add(out, out, &nineteen);
}

/* Canonical encodings equal, i.e. got == want mod p. */
static bool same(const fe64 *got, const fe *want)
{
    uint8_t a[32], b[32];
    fe64_tobytes(a, got);
    fe_tobytes(b, want);
    return v_mem_equal(a, b, 32);
}

/* Every operation on (f, g) against the portable arithmetic; counts the
 * disagreements. Also each with its output aliasing an input, the way
 * the ladder calls them. */
static int check_ops(const fe64 *f, const fe64 *g)
{
    fe rf, rg, want, t;
    to_fe(&rf, f);
    to_fe(&rg, g);
    fe64 h, h2, alias;
    int bad = 0;

    fe64_mul(&h, f, g);
    fe_mul(&want, &rf, &rg);
    bad += !same(&h, &want);
    alias = *f;
    fe64_mul(&alias, &alias, g);
    bad += !same(&alias, &want);

    fe64_sq(&h, f);
    fe_sq(&want, &rf);
    bad += !same(&h, &want);
    alias = *f;
    fe64_sq(&alias, &alias);
    bad += !same(&alias, &want);

    fe64_sub(&h, f, g);
    fe_sub(&want, &rf, &rg);
    bad += !same(&h, &want);

    fe64_addsub(&h, &h2, f, g);
    fe_add(&t, &rf, &rg);
    bad += !same(&h, &t);
    bad += !same(&h2, &want);
    alias = *f;
    fe64 alias2 = *g;
    fe64_addsub(&alias, &alias2, &alias, &alias2);
    bad += !same(&alias, &t);
    bad += !same(&alias2, &want);

    fe64_a24_add(&h, f, g);
    fe_mul_small(&t, &rf, 121665);
    fe_add(&want, &t, &rg);
    bad += !same(&h, &want);

    /* tobytes on its own: the canonical form of f. */
    bad += !same(f, &rf);
    return bad;
}

V_TEST(crypto, x25519_mulx_field_ops_on_edge_values)
{
    if (!have_mulx()) {
        v_test_note(v_t, "no BMI2+ADX on this CPU: nothing to check");
        return;
    }
    int bad = 0;
    for (size_t i = 0; i < N_EDGES; i++)
        for (size_t j = 0; j < N_EDGES; j++)
            bad += check_ops(&EDGES[i], &EDGES[j]);
    V_EXPECT_EQ(bad, 0);
}

V_TEST(crypto, x25519_mulx_field_ops_on_random_values)
{
    if (!have_mulx()) {
        v_test_note(v_t, "no BMI2+ADX on this CPU: nothing to check");
        return;
    }
    v_random g;
    v_random_init_seeded(&g, "fe25519_mulx", 12);
    int bad = 0;
    for (int i = 0; i < 5000; i++) {
        fe64 a, b;
        (void)v_random_bytes(&g, &a, sizeof a);
        (void)v_random_bytes(&g, &b, sizeof b);
        /* Every fourth pair gets a limb forced to all ones or zero, so
         * the carries run through whole limbs. */
        if (i % 4 == 0)
            a.v[i / 4 % 4] = ~0ull;
        if (i % 4 == 1)
            b.v[i / 4 % 4] = 0;
        bad += check_ops(&a, &b);
        bad += check_ops(&a, &EDGES[(size_t)i % N_EDGES]);
    }
    V_EXPECT_EQ(bad, 0);
}

#endif

/* X25519 on the detected features and on none (the portable path) agree,
 * status and output. */
static bool paths_agree(const uint8_t k[32], const uint8_t u[32])
{
    uint8_t a[32], b[32];
    v_status sa = v_x25519_cpu(v_cpu_detect(), a, k, u);
    v_status sb = v_x25519_cpu((v_cpu_features){0}, b, k, u);
    return sa == sb && v_mem_equal(a, b, 32);
}

V_TEST(crypto, x25519_mulx_matches_portable_on_edge_points)
{
    if (!have_mulx())
        v_test_note(v_t, "no BMI2+ADX on this CPU: portable path only");
    uint8_t scalars[4][32];
    v_mem_set(scalars[0], 0, 32);
    v_mem_set(scalars[1], 0xff, 32);
    for (int i = 0; i < 32; i++) {
        scalars[2][i] = (uint8_t)(i * 37 + 11);
        scalars[3][i] = (uint8_t)(0x80 ^ i);
    }
    int bad = 0;
    for (int s = 0; s < 4; s++) {
        uint8_t u[32];
        /* Small values, and each with bit 255 set (ignored). */
        for (int v = 0; v < 40; v++) {
            v_mem_set(u, 0, 32);
            u[0] = (uint8_t)v;
            bad += !paths_agree(scalars[s], u);
            u[31] = 0x80;
            bad += !paths_agree(scalars[s], u);
        }
        /* p - 20 .. p + 18 = 2^255 - 1 (non-canonical from p on), and
         * the same with bit 255 set. */
        for (int k = -20; k <= 18; k++) {
            v_mem_set(u, 0xff, 32);
            u[31] = 0x7f;
            u[0] = (uint8_t)(0xed + k);
            bad += !paths_agree(scalars[s], u);
            u[31] = 0xff;
            bad += !paths_agree(scalars[s], u);
        }
        /* One limb all ones, the rest zero. */
        for (int l = 0; l < 4; l++) {
            v_mem_set(u, 0, 32);
            v_mem_set(u + 8 * l, 0xff, 8);
            bad += !paths_agree(scalars[s], u);
        }
    }
    V_EXPECT_EQ(bad, 0);
}

V_TEST(crypto, x25519_mulx_matches_portable_on_random_inputs)
{
    v_random g;
    v_random_init_seeded(&g, "x25519_mulx", 11);
    int bad = 0;
    for (int i = 0; i < 3000; i++) {
        uint8_t k[32], u[32];
        (void)v_random_bytes(&g, k, 32);
        (void)v_random_bytes(&g, u, 32);
        bad += !paths_agree(k, u);
        uint8_t a[32], b[32];
        v_x25519_public_cpu(v_cpu_detect(), a, k);
        v_x25519_public(b, k);
        bad += !v_mem_equal(a, b, 32);
    }
    V_EXPECT_EQ(bad, 0);
}

V_TEST(crypto, x25519_cpu_without_features_is_the_plain_form)
{
    uint8_t k[32], u[32] = {9, 1, 2}, a[32], b[32];
    for (int i = 0; i < 32; i++)
        k[i] = (uint8_t)(255 - i);
    V_EXPECT_OK(v_x25519_cpu(v_cpu_baseline(), a, k, u));
    V_EXPECT_OK(v_x25519(b, k, u));
    V_EXPECT_MEM_EQ(a, b, 32);
    /* Small order: refused on every path, output all zeros. */
    uint8_t zero[32] = {0};
    V_EXPECT_STATUS(v_x25519_cpu(v_cpu_detect(), a, k, zero),
                    V_ERR_MALFORMED);
    V_EXPECT_MEM_EQ(a, zero, 32);
}
