/* Differential test of the BMI2/ADX X25519 path (x25519_mulx.c) against
 * libsodium, through v_x25519_cpu with the detected features: seeded
 * random scalars and points, and points at the edges of the encoding
 * (0, 1, p - 1, p .. 2^255 - 1 non-canonical, bit 255 set). On a CPU
 * without BMI2 and ADX this checks the portable path a second time. */
#include <sodium.h>

#include <v/cpu.h>
#include <v/crypto.h>
#include <v/mem.h>
#include <v/test.h>

#include "diff.h"

/* Same verdict and, when accepted, the same bytes. */
static bool agrees(v_cpu_features cpu, const uint8_t k[32],
                   const uint8_t u[32])
{
    uint8_t a[32], b[32];
    v_status st = v_x25519_cpu(cpu, a, k, u);
    int peer = crypto_scalarmult(b, k, u);
    if ((st == V_OK) != (peer == 0))
        return false;
    return peer != 0 || v_mem_equal(a, b, 32);
}

V_TEST(crypto_diff, x25519_cpu_vs_libsodium)
{
    v_cpu_features cpu = v_cpu_detect();
    v_random g;
    diff_rng(&g, "x25519_cpu");
    for (int i = 0; i < DIFF_ROUNDS; i++) {
        uint8_t k[32], u[32];
        diff_fill(&g, k, 32);
        diff_fill(&g, u, 32);
        V_ASSERT(agrees(cpu, k, u));
        /* An edge point every eighth round: p - 4 .. p + 3, with and
         * without bit 255. */
        if (i % 8 == 0) {
            v_mem_set(u, 0xff, 32);
            u[0] = (uint8_t)(0xe9 + i / 8 % 8);
            u[31] = (i / 64 % 2) ? 0xff : 0x7f;
            V_ASSERT(agrees(cpu, k, u));
        }
        uint8_t a[32], b[32];
        v_x25519_public_cpu(cpu, a, k);
        crypto_scalarmult_base(b, k);
        V_ASSERT(v_mem_equal(a, b, 32));
    }
}
