/* X25519 against RFC 7748: §5.2 vectors, the iterated test (1 and 1,000
 * iterations; the 1,000,000 one is too slow for a unit test under ASan),
 * and the §6.1 Diffie-Hellman example; the vectors and the iterated test
 * again through v_x25519_cpu on every path this CPU has (portable, and
 * BMI2+ADX where present). */
#include <v/crypto.h>
#include <v/mem.h>
#include <v/test.h>

#include "hex.h"

#define H(buf, hex) hex_decode((buf), sizeof(buf), (hex))

V_TEST(crypto, x25519_rfc7748_vectors)
{
    uint8_t k[32], u[32], want[32], got[32];
    H(k, "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
    H(u, "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
    H(want, "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
    V_EXPECT_OK(v_x25519(got, k, u));
    V_EXPECT_MEM_EQ(got, want, 32);
    /* The second vector's u has its top bit set, which must be ignored. */
    H(k, "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d");
    H(u, "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493");
    H(want, "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
    V_EXPECT_OK(v_x25519(got, k, u));
    V_EXPECT_MEM_EQ(got, want, 32);
}

V_TEST(crypto, x25519_rfc7748_iterated_1000)
{
    uint8_t k[32] = {9}, u[32] = {9}, r[32], want[32];
    for (int i = 1; i <= 1000; i++) {
        V_ASSERT_OK(v_x25519(r, k, u));
        v_mem_copy(u, k, 32);
        v_mem_copy(k, r, 32);
        if (i == 1) {
            H(want, "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
            V_EXPECT_MEM_EQ(k, want, 32);
        }
    }
    H(want, "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
    V_EXPECT_MEM_EQ(k, want, 32);
}

V_TEST(crypto, x25519_rfc7748_on_every_path)
{
    v_cpu_features paths[2] = {{0}, v_cpu_detect()};
    for (int p = 0; p < 2; p++) {
        uint8_t k[32], u[32], want[32], got[32];
        H(k, "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
        H(u, "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
        H(want, "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
        V_EXPECT_OK(v_x25519_cpu(paths[p], got, k, u));
        V_EXPECT_MEM_EQ(got, want, 32);
        H(k, "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d");
        H(u, "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493");
        H(want, "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
        V_EXPECT_OK(v_x25519_cpu(paths[p], got, k, u));
        V_EXPECT_MEM_EQ(got, want, 32);

        uint8_t r[32];
        v_mem_set(k, 0, 32);
        v_mem_set(u, 0, 32);
        k[0] = u[0] = 9;
        for (int i = 1; i <= 1000; i++) {
            V_ASSERT_OK(v_x25519_cpu(paths[p], r, k, u));
            v_mem_copy(u, k, 32);
            v_mem_copy(k, r, 32);
        }
        H(want, "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
        V_EXPECT_MEM_EQ(k, want, 32);

        H(k, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        v_x25519_public_cpu(paths[p], got, k);
        H(want, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        V_EXPECT_MEM_EQ(got, want, 32);
    }
}

V_TEST(crypto, x25519_rfc7748_diffie_hellman)
{
    uint8_t a[32], b[32], apub[32], bpub[32], want[32], s1[32], s2[32];
    H(a, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    H(b, "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    v_x25519_public(apub, a);
    v_x25519_public(bpub, b);
    H(want, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    V_EXPECT_MEM_EQ(apub, want, 32);
    H(want, "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    V_EXPECT_MEM_EQ(bpub, want, 32);
    V_EXPECT_OK(v_x25519(s1, a, bpub));
    V_EXPECT_OK(v_x25519(s2, b, apub));
    H(want, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    V_EXPECT_MEM_EQ(s1, want, 32);
    V_EXPECT_MEM_EQ(s2, want, 32);
}

V_TEST(crypto, x25519_small_order_points_are_refused)
{
    /* u = 0 and u = 1 have small order; so does p (non-canonical zero). */
    uint8_t k[32], u[32] = {0}, out[32];
    H(k, "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
    V_EXPECT_STATUS(v_x25519(out, k, u), V_ERR_MALFORMED);
    u[0] = 1;
    V_EXPECT_STATUS(v_x25519(out, k, u), V_ERR_MALFORMED);
    H(u, "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    V_EXPECT_STATUS(v_x25519(out, k, u), V_ERR_MALFORMED);
    for (int i = 0; i < 32; i++)
        V_ASSERT_EQ(out[i], 0);
}
