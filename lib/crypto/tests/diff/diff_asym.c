/* Differential tests, public-key primitives and Argon2id: agreement with
 * libsodium (and OpenSSL for Ed25519) on random keys and messages, and
 * verification verdicts that match on tampered signatures. */
#include <openssl/evp.h>
#include <sodium.h>
#include <stdlib.h>

#include <v/crypto.h>
#include <v/mem.h>
#include <v/test.h>

#include "diff.h"

V_TEST(crypto_diff, x25519_vs_libsodium)
{
    v_random g;
    diff_rng(&g, "x25519");
    for (int i = 0; i < DIFF_ROUNDS; i++) {
        uint8_t k[32], u[32], a[32], b[32];
        diff_fill(&g, k, 32);
        diff_fill(&g, u, 32);
        v_status st = v_x25519(a, k, u);
        int peer = crypto_scalarmult(b, k, u);
        /* libsodium also refuses small-order points; random u hardly ever
         * is one, but the verdicts must agree either way. */
        V_ASSERT_EQ(st == V_OK, peer == 0);
        if (peer == 0)
            V_ASSERT(v_mem_equal(a, b, 32));
        v_x25519_public(a, k);
        crypto_scalarmult_base(b, k);
        V_ASSERT(v_mem_equal(a, b, 32));
    }
}

static int openssl_ed25519_sign(const uint8_t seed[32], const uint8_t *msg,
                                size_t n, uint8_t sig[64])
{
    EVP_PKEY *pkey =
        EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    size_t siglen = 64;
    int ok = pkey && md &&
             EVP_DigestSignInit(md, NULL, NULL, NULL, pkey) == 1 &&
             EVP_DigestSign(md, sig, &siglen, msg, n) == 1;
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(pkey);
    return ok;
}

V_TEST(crypto_diff, ed25519_vs_libsodium_and_openssl)
{
    static uint8_t msg[2000];
    v_random g;
    diff_rng(&g, "ed25519");
    for (int i = 0; i < DIFF_ROUNDS; i++) {
        uint8_t seed[32], pk[32], sk[64], pk2[32], sk2[64], sig[64], sig2[64];
        size_t n = diff_len(&g, sizeof msg);
        diff_fill(&g, seed, 32);
        diff_fill(&g, msg, n);
        v_ed25519_keypair(pk, sk, seed);
        crypto_sign_seed_keypair(pk2, sk2, seed);
        V_ASSERT(v_mem_equal(pk, pk2, 32) && v_mem_equal(sk, sk2, 64));
        v_ed25519_sign(sig, msg, n, sk);
        crypto_sign_detached(sig2, NULL, msg, n, sk2);
        V_ASSERT(v_mem_equal(sig, sig2, 64));
        if (i % 8 == 0) {
            V_ASSERT(openssl_ed25519_sign(seed, msg, n, sig2));
            V_ASSERT(v_mem_equal(sig, sig2, 64));
        }
        V_ASSERT_OK(v_ed25519_verify(sig, msg, n, pk));
        /* One flipped bit anywhere in signature, key or message: both
         * reject. */
        uint64_t where, bit;
        (void)v_random_uniform(&g, n ? 3 : 2, &where);
        uint8_t *target = where == 0 ? sig : where == 1 ? pk : msg;
        size_t len = where == 0 ? 64 : where == 1 ? 32 : n;
        (void)v_random_uniform(&g, len * 8, &bit);
        target[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        V_ASSERT_STATUS(v_ed25519_verify(sig, msg, n, pk), V_ERR_MALFORMED);
        V_ASSERT_EQ(crypto_sign_verify_detached(sig, msg, n, pk), -1);
    }
}

V_TEST(crypto_diff, ed25519_verify_verdicts_on_garbage)
{
    /* Random signatures and keys: both libraries must say no (ours may
     * only differ on crafted small-order inputs, see docs/crypto.md). */
    v_random g;
    diff_rng(&g, "ed25519 garbage");
    for (int i = 0; i < DIFF_ROUNDS; i++) {
        uint8_t sig[64], pk[32], msg[16];
        diff_fill(&g, sig, 64);
        diff_fill(&g, pk, 32);
        diff_fill(&g, msg, 16);
        if (i & 1)
            sig[63] &= 0x0f; /* make S < L likely, to reach the curve math */
        V_ASSERT_STATUS(v_ed25519_verify(sig, msg, 16, pk), V_ERR_MALFORMED);
        V_ASSERT_EQ(crypto_sign_verify_detached(sig, msg, 16, pk), -1);
    }
}

typedef struct heap_alloc {
    v_alloc base;
} heap_alloc;

static v_status h_alloc(v_alloc *self, size_t size, size_t align, void **out)
{
    void *p = aligned_alloc(align < 16 ? 16 : align, (size + 63) & ~(size_t)63);
    if (p == NULL)
        return V_ERR_NO_MEMORY;
    *out = p;
    return V_OK;
}

static v_status h_resize(v_alloc *self, void *ptr, size_t old_size,
                         size_t new_size, size_t align, void **out)
{
    return V_ERR_NOT_SUPPORTED;
}

static void h_free(v_alloc *self, void *ptr, size_t size)
{
    free(ptr);
}

static const v_alloc_ops H_OPS = {h_alloc, h_resize, h_free};

V_TEST(crypto_diff, argon2id_vs_libsodium)
{
    /* libsodium fixes lanes = 1 and a 16-byte salt; vary the rest. */
    heap_alloc heap = {{&H_OPS}};
    v_random g;
    diff_rng(&g, "argon2id");
    for (int i = 0; i < 60; i++) {
        uint8_t pwd[64], salt[16], a[80], b[80];
        uint64_t t, m;
        size_t pn = diff_len(&g, sizeof pwd), on = 16 + diff_len(&g, 64);
        diff_fill(&g, pwd, pn);
        diff_fill(&g, salt, sizeof salt);
        (void)v_random_uniform(&g, 3, &t);
        (void)v_random_uniform(&g, 120, &m);
        v_argon2_params p = {(uint32_t)t + 1, (uint32_t)m + 8, 1,
                             NULL, 0, NULL, 0};
        V_ASSERT_OK(v_argon2id(a, on, pwd, pn, salt, sizeof salt, &p,
                               &heap.base));
        V_ASSERT_EQ(crypto_pwhash_argon2id(b, on, (const char *)pwd, pn, salt,
                                           t + 1, (size_t)(m + 8) * 1024,
                                           crypto_pwhash_ALG_ARGON2ID13),
                    0);
        V_ASSERT(v_mem_equal(a, b, on));
    }
}
