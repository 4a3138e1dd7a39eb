/* Ed25519 against RFC 8032 §7.1 (TEST 1, 2, 3, 1024 and SHA(abc)), and
 * the strictness rules: S >= L, non-canonical or off-curve public keys,
 * and any bit flip of signature or message are all rejected. */
#include <v/crypto.h>
#include <v/mem.h>
#include <v/test.h>

#include "hex.h"

#define H(buf, hex) hex_decode((buf), sizeof(buf), (hex))

static const char MSG1024[] =
    "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1"
    "e355f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
    "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a"
    "7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
    "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc10"
    "3b6621fcde2beca1231d206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
    "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d"
    "502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
    "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089b"
    "eccf80cfe2df16a2cf65bd92dd597b0707e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
    "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969b"
    "e3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
    "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988d"
    "cda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
    "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7"
    "984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
    "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac09"
    "43bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
    "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba77c225bc307ba537152f3f161"
    "0e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
    "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b8ca"
    "c60c905c15fc910840b94c00a0b9d0";

struct ed_case {
    const char *seed, *pk, *msg, *sig;
};

static const struct ed_case CASES[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
     "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
     "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
     "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    {"f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
     "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
     MSG1024,
     "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
     "aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"},
    {"833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
     "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
};

V_TEST(crypto, ed25519_rfc8032_vectors)
{
    static uint8_t msg[1100];
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        uint8_t seed[32], pk_want[32], sig_want[64], pk[32], sk[64], sig[64];
        H(seed, CASES[i].seed);
        H(pk_want, CASES[i].pk);
        H(sig_want, CASES[i].sig);
        size_t n = H(msg, CASES[i].msg);
        V_ASSERT(n != (size_t)-1);
        v_ed25519_keypair(pk, sk, seed);
        V_EXPECT_MEM_EQ(pk, pk_want, 32);
        V_EXPECT_MEM_EQ(sk, seed, 32);
        V_EXPECT_MEM_EQ(sk + 32, pk_want, 32);
        v_ed25519_sign(sig, msg, n, sk);
        V_EXPECT_MEM_EQ(sig, sig_want, 64);
        V_EXPECT_OK(v_ed25519_verify(sig_want, msg, n, pk_want));
        if (n > 0) {
            msg[n - 1] ^= 1;
            V_EXPECT_STATUS(v_ed25519_verify(sig_want, msg, n, pk_want),
                            V_ERR_MALFORMED);
        }
    }
}

V_TEST(crypto, ed25519_every_signature_bit_matters)
{
    uint8_t seed[32], pk[32], sk[64], sig[64];
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)(i * 11);
    v_ed25519_keypair(pk, sk, seed);
    v_ed25519_sign(sig, "vectra", 6, sk);
    V_ASSERT_OK(v_ed25519_verify(sig, "vectra", 6, pk));
    for (int bit = 0; bit < 512; bit++) {
        sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        V_ASSERT_STATUS(v_ed25519_verify(sig, "vectra", 6, pk),
                        V_ERR_MALFORMED);
        sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    for (int bit = 0; bit < 256; bit++) {
        pk[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        V_ASSERT_STATUS(v_ed25519_verify(sig, "vectra", 6, pk),
                        V_ERR_MALFORMED);
        pk[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    V_EXPECT_STATUS(v_ed25519_verify(sig, "vectrA", 6, pk), V_ERR_MALFORMED);
    V_EXPECT_STATUS(v_ed25519_verify(sig, "vectra", 5, pk), V_ERR_MALFORMED);
}

/* Adds L to the little-endian 32-byte S in place. */
static void add_l(uint8_t s[32])
{
    static const uint8_t l[32] = {
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
        0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0x10};
    unsigned c = 0;
    for (int i = 0; i < 32; i++) {
        c += (unsigned)s[i] + l[i];
        s[i] = (uint8_t)c;
        c >>= 8;
    }
}

V_TEST(crypto, ed25519_rejects_s_not_below_l)
{
    uint8_t seed[32], pk[32], sk[64], sig[64];
    H(seed, CASES[0].seed);
    v_ed25519_keypair(pk, sk, seed);
    H(sig, CASES[0].sig);
    /* S + L is the same scalar mod L; a malleable verifier would accept
     * it. (S here is small enough that S + L < 2^256.) */
    add_l(sig + 32);
    V_EXPECT_STATUS(v_ed25519_verify(sig, "", 0, pk), V_ERR_MALFORMED);
    /* S = L exactly, and S = 2^256 - 1. */
    v_mem_set(sig + 32, 0, 32);
    add_l(sig + 32);
    V_EXPECT_STATUS(v_ed25519_verify(sig, "", 0, pk), V_ERR_MALFORMED);
    v_mem_set(sig + 32, 0xff, 32);
    V_EXPECT_STATUS(v_ed25519_verify(sig, "", 0, pk), V_ERR_MALFORMED);
}

V_TEST(crypto, ed25519_rejects_bad_public_keys)
{
    uint8_t sig[64], pk[32];
    H(sig, CASES[0].sig);
    /* y = p + 1: a non-canonical encoding of the identity's y. */
    H(pk, "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    V_EXPECT_STATUS(v_ed25519_verify(sig, "", 0, pk), V_ERR_MALFORMED);
    /* y = p exactly. */
    H(pk, "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    V_EXPECT_STATUS(v_ed25519_verify(sig, "", 0, pk), V_ERR_MALFORMED);
    /* x = 0 (y = 1) with the sign bit set: "-0" is not canonical. */
    H(pk, "0100000000000000000000000000000000000000000000000000000000000080");
    V_EXPECT_STATUS(v_ed25519_verify(sig, "", 0, pk), V_ERR_MALFORMED);
    /* y = 2 is not on the curve (x^2 would be a non-square). */
    H(pk, "0200000000000000000000000000000000000000000000000000000000000000");
    V_EXPECT_STATUS(v_ed25519_verify(sig, "", 0, pk), V_ERR_MALFORMED);
}

V_TEST(crypto, ed25519_keypair_in_place_and_sign_many)
{
    /* seed and sk may share storage; signatures verify for many keys. */
    uint8_t sk[64], pk[32], sig[64], msg[100];
    for (int round = 0; round < 16; round++) {
        for (int i = 0; i < 32; i++)
            sk[i] = (uint8_t)(round * 31 + i * 7);
        v_ed25519_keypair(pk, sk, sk);
        for (size_t i = 0; i < sizeof msg; i++)
            msg[i] = (uint8_t)(i + round);
        v_ed25519_sign(sig, msg, (size_t)round * 6, sk);
        V_ASSERT_OK(v_ed25519_verify(sig, msg, (size_t)round * 6, pk));
    }
}

/* The portable table selection (kernel builds) against the SSE2 one:
 * tests/ed25519_portable.c is ed25519.c built with the former. */
void v_test_ed25519_keypair_portable(uint8_t pk[32], uint8_t sk[64],
                                     const uint8_t seed[32]);
void v_test_ed25519_sign_portable(uint8_t sig[64], const void *msg,
                                  size_t n, const uint8_t sk[64]);

V_TEST(crypto, ed25519_portable_selection_matches)
{
    uint8_t seed[32], pk[32], sk[64], pk2[32], sk2[64], sig[64], sig2[64];
    uint8_t msg[40];
    int bad = 0;
    for (int round = 0; round < 200; round++) {
        for (int i = 0; i < 32; i++)
            seed[i] = (uint8_t)(round * 131 + i * 17 + (round >> 3) * i);
        for (size_t i = 0; i < sizeof msg; i++)
            msg[i] = (uint8_t)(round ^ (int)i);
        v_ed25519_keypair(pk, sk, seed);
        v_test_ed25519_keypair_portable(pk2, sk2, seed);
        v_ed25519_sign(sig, msg, sizeof msg, sk);
        v_test_ed25519_sign_portable(sig2, msg, sizeof msg, sk);
        bad += !v_mem_equal(pk, pk2, 32) || !v_mem_equal(sk, sk2, 64) ||
               !v_mem_equal(sig, sig2, 64);
    }
    V_EXPECT_EQ(bad, 0);
}
