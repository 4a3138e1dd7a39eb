/* SHA-256/512 against the FIPS 180-4 examples (NIST's published
 * "abc", two-block, empty and one-million-'a' messages), plus
 * incremental-versus-one-shot at every split point. */
#include <v/crypto.h>
#include <v/mem.h>
#include <v/test.h>

#include "hex.h"

static const char MSG448[] =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char MSG896[] =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
    "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

static void check256(v_test_ctx *v_t, const void *msg, size_t n,
                     const char *want_hex)
{
    uint8_t want[32], got[32];
    V_EXPECT_EQ(hex_decode(want, sizeof want, want_hex), 32);
    v_sha256(msg, n, got);
    V_EXPECT_MEM_EQ(got, want, 32);
}

static void check512(v_test_ctx *v_t, const void *msg, size_t n,
                     const char *want_hex)
{
    uint8_t want[64], got[64];
    V_EXPECT_EQ(hex_decode(want, sizeof want, want_hex), 64);
    v_sha512(msg, n, got);
    V_EXPECT_MEM_EQ(got, want, 64);
}

V_TEST(crypto, sha256_fips_examples)
{
    check256(v_t, "", 0,
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check256(v_t, "abc", 3,
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check256(v_t, MSG448, sizeof MSG448 - 1,
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

V_TEST(crypto, sha512_fips_examples)
{
    check512(v_t, "", 0,
             "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
             "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
    check512(v_t, "abc", 3,
             "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
             "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    check512(v_t, MSG896, sizeof MSG896 - 1,
             "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
             "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
}

V_TEST(crypto, sha2_million_a)
{
    /* Fed in uneven pieces so the buffering path is exercised too. */
    uint8_t chunk[1000];
    v_mem_set(chunk, 'a', sizeof chunk);
    v_sha256_ctx s;
    v_sha512_ctx t;
    v_sha256_init(&s);
    v_sha512_init(&t);
    size_t left = 1000000, step = 1;
    while (left) {
        size_t n = step < left ? step : left;
        v_sha256_update(&s, chunk, n);
        v_sha512_update(&t, chunk, n);
        left -= n;
        step = step % 991 + 7; /* stays below sizeof chunk */
    }
    uint8_t got[64], want[64];
    v_sha256_final(&s, got);
    hex_decode(want, 32,
               "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    V_EXPECT_MEM_EQ(got, want, 32);
    v_sha512_final(&t, got);
    hex_decode(want, 64,
               "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
               "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
    V_EXPECT_MEM_EQ(got, want, 64);
}

V_TEST(crypto, sha2_split_anywhere_matches_one_shot)
{
    uint8_t msg[300];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 31 + 7);
    for (size_t len = 0; len <= sizeof msg; len += 37) {
        uint8_t a256[32], a512[64];
        v_sha256(msg, len, a256);
        v_sha512(msg, len, a512);
        for (size_t cut = 0; cut <= len; cut++) {
            uint8_t b256[32], b512[64];
            v_sha256_ctx s;
            v_sha512_ctx t;
            v_sha256_init(&s);
            v_sha256_update(&s, msg, cut);
            v_sha256_update(&s, NULL, 0);
            v_sha256_update(&s, msg + cut, len - cut);
            v_sha256_final(&s, b256);
            v_sha512_init(&t);
            v_sha512_update(&t, msg, cut);
            v_sha512_update(&t, msg + cut, len - cut);
            v_sha512_final(&t, b512);
            V_ASSERT(v_mem_equal(a256, b256, 32));
            V_ASSERT(v_mem_equal(a512, b512, 64));
        }
    }
}

V_TEST(crypto, sha2_final_wipes_state)
{
    v_sha256_ctx s;
    uint8_t out[32];
    v_sha256_init(&s);
    v_sha256_update(&s, "secret", 6);
    v_sha256_final(&s, out);
    const uint8_t *p = (const uint8_t *)&s;
    uint8_t acc = 0;
    for (size_t i = 0; i < sizeof s; i++)
        acc |= p[i];
    V_EXPECT_EQ(acc, 0);
}
